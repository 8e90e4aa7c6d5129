// Floods the built-in broker from Node (MQTT.js) while a page is subscribed, and measures
// how long after the publisher finishes the page has counted every message: MQTT Deck
// against a plain MQTT.js page that appends one DOM row per message. Prints figures for
// BENCHMARKS.md; asserts only that nothing was lost.
import { test, expect, Page } from "@playwright/test";
import mqtt from "mqtt";
import { join } from "node:path";

const TOTAL = Number(process.env.FLOOD_MESSAGES ?? 100_000);
const TOPICS = 50;
const here = __dirname;

function brokerUrl(baseURL: string): string {
  const url = new URL(baseURL);
  return `ws://127.0.0.1:${url.port}/mqtt`;
}

async function flood(url: string, prefix: string): Promise<{ ms: number; rate: number }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `flood_${Date.now() % 1e6}` });
  const started = Date.now();
  for (let i = 0; i < TOTAL; i++) {
    const payload = JSON.stringify({ n: i, t: 21.5, ok: true, id: "sensor" });
    client.publish(`${prefix}/${i % TOPICS}`, payload, { qos: 0 });
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  await client.endAsync();
  const ms = Date.now() - started;
  return { ms, rate: Math.round((TOTAL / ms) * 1000) };
}

async function waitForCount(page: Page, read: () => Promise<number>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await read()) >= TOTAL) return Date.now() - started;
    await page.waitForTimeout(50);
  }
  return -1;
}

test("burst of 100,000 QoS 0 messages: MQTT Deck", async ({ page, baseURL }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.locator(".connection-view .status-badge")).toHaveText("connected");
  // Room for the whole burst in the log.
  const form = page.getByRole("form", { name: "Subscribe" });
  await form.getByLabel("Topic filter").fill("flood/#");
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.locator('.subscription[data-filter="flood/#"] .suback')).toHaveText(/Granted/);
  const sent = await flood(brokerUrl(baseURL!), "flood");
  const held = async () => Number((await page.locator(".count-held").innerText()).replace(/\D/g, ""));
  const drain = await waitForCount(page, held, 120_000);
  console.log(`MQTT Deck: publisher ${sent.rate} msg/s (${sent.ms} ms); all ${TOTAL} counted ${drain} ms after the publisher finished; held ${await held()}`);
  expect(await held()).toBe(TOTAL);
});

test("burst of 100,000 QoS 0 messages: plain MQTT.js page, one DOM row per message", async ({ page, baseURL }) => {
  await page.goto("/healthz");
  await page.setContent("<ul id=log></ul><p id=count>0</p>");
  await page.addScriptTag({ path: join(here, "../node_modules/mqtt/dist/mqtt.min.js") });
  await page.evaluate((url) => new Promise<void>((resolve) => {
    const client = (window as any).mqtt.connect(url, { protocolVersion: 5 });
    let count = 0;
    client.on("message", (topic: string, payload: Uint8Array) => {
      const li = document.createElement("li");
      li.textContent = `${topic} ${new TextDecoder().decode(payload)}`;
      document.getElementById("log")!.appendChild(li);
      count++;
      document.getElementById("count")!.textContent = String(count);
    });
    client.on("connect", () => client.subscribe("baseline/#", () => resolve()));
  }), brokerUrl(baseURL!));
  const sent = await flood(brokerUrl(baseURL!), "baseline");
  const counted = async () => Number(await page.locator("#count").innerText());
  const drain = await waitForCount(page, counted, 240_000);
  console.log(`Plain MQTT.js page: publisher ${sent.rate} msg/s (${sent.ms} ms); all ${TOTAL} counted ${drain} ms after the publisher finished; counted ${await counted()}`);
});
