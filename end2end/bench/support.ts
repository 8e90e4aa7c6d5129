// Shared pieces of the page benchmarks: the publisher that floods the built-in broker from
// Node (MQTT.js, over TCP unless BENCH_PUBLISHER=ws), the page under test subscribed
// through its UI, and in-page probes for long main-thread tasks and input latency.
// Figures are printed for BENCHMARKS.md.
import { expect, Page } from "@playwright/test";
import mqtt from "mqtt";
import { join } from "node:path";

export const TOPICS = 50;

export function brokerUrl(baseURL: string): string {
  const url = new URL(baseURL);
  return `ws://127.0.0.1:${url.port}/mqtt`;
}

/**
 * Where the Node publisher connects: the broker's MQTT-over-TCP listener, as a device
 * would (MQTTDECK_MQTT_URL, by default mqttdeck's own `mqtt://127.0.0.1:1883`).
 * BENCH_PUBLISHER=ws publishes through the page's origin (`/mqtt`) instead, as the
 * runs before 2026-11-23's seventh session did. Over WebSocket, MQTT.js on Node sends
 * each piece its packet writer writes as a frame of its own, six frames per PUBLISH
 * here: at 20,000 msg/s the publisher and the broker then take most of a core between
 * them, and the page under test competes for the two cores with its own load.
 */
export function publisherUrl(baseURL: string): string {
  if (process.env.BENCH_PUBLISHER === "ws") return brokerUrl(baseURL);
  return process.env.MQTTDECK_MQTT_URL ?? "mqtt://127.0.0.1:1883";
}

function payload(i: number): string {
  return JSON.stringify({ n: i, t: 21.5, ok: true, id: "sensor" });
}

export interface Sent {
  count: number;
  ms: number;
  rate: number;
}

/** Publishes `total` QoS 0 messages as fast as MQTT.js can. */
export async function burst(url: string, prefix: string, total: number): Promise<Sent> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `burst_${Date.now() % 1e6}` });
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    client.publish(`${prefix}/${i % TOPICS}`, payload(i), { qos: 0 });
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  await client.endAsync();
  const ms = Date.now() - started;
  return { count: total, ms, rate: Math.round((total / ms) * 1000) };
}

/** Publishes QoS 0 messages at `rate` per second for `seconds`, paced every few ms. */
export async function paced(url: string, prefix: string, rate: number, seconds: number): Promise<Sent> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `paced_${Date.now() % 1e6}` });
  const started = Date.now();
  const total = rate * seconds;
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000));
    while (sent < due) {
      client.publish(`${prefix}/${sent % TOPICS}`, payload(sent), { qos: 0 });
      sent++;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await client.endAsync();
  const ms = Date.now() - started;
  return { count: sent, ms, rate: Math.round((sent / ms) * 1000) };
}

/** Opens MQTT Deck, connects to its built-in broker and subscribes to `filter`. */
export async function deckSubscribed(page: Page, filter: string): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.locator(".connection-view .status-badge")).toHaveText("connected");
  const form = page.getByRole("form", { name: "Subscribe" });
  await form.getByLabel("Topic filter").fill(filter);
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.locator(`.subscription[data-filter="${filter}"] .suback`)).toHaveText(/Granted/);
}

const number = (text: string) => Number(text.replace(/\D/g, "") || "0");

/** Every message the deck has taken in: held plus evicted (the budget may be smaller). */
export async function deckReceived(page: Page): Promise<number> {
  const held = number(await page.locator(".count-held").innerText());
  const evicted = page.locator(".count-evicted");
  return held + ((await evicted.count()) ? number(await evicted.innerText()) : 0);
}

/** A plain page that appends one DOM row per message with MQTT.js, the way simple clients do. */
export async function plainPageSubscribed(page: Page, url: string, filter: string): Promise<void> {
  await page.goto("/healthz");
  await page.setContent("<input id=filter aria-label=Filter><ul id=log></ul><p id=count>0</p>");
  await page.addScriptTag({ path: join(__dirname, "../node_modules/mqtt/dist/mqtt.min.js") });
  await page.evaluate(([url, filter]) => new Promise<void>((resolve) => {
    const client = (window as any).mqtt.connect(url, { protocolVersion: 5 });
    let count = 0;
    client.on("message", (topic: string, payload: Uint8Array) => {
      const li = document.createElement("li");
      li.textContent = `${topic} ${new TextDecoder().decode(payload)}`;
      document.getElementById("log")!.appendChild(li);
      count++;
      document.getElementById("count")!.textContent = String(count);
    });
    client.on("connect", () => client.subscribe(filter, () => resolve()));
  }), [url, filter]);
}

export async function plainReceived(page: Page): Promise<number> {
  return Number(await page.locator("#count").innerText());
}

/** Polls `read` until it reaches `total`; the ms it took, or -1 on timeout or when the
 * count stopped growing for `stallMs` (messages lost: waiting longer cannot help). */
export async function waitForCount(page: Page, read: () => Promise<number>, total: number, timeoutMs: number, stallMs = 30_000): Promise<number> {
  const started = Date.now();
  let last = -1;
  let lastChange = started;
  while (Date.now() - started < timeoutMs) {
    const count = await read();
    if (count >= total) return Date.now() - started;
    if (count !== last) {
      last = count;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      return -1;
    }
    await page.waitForTimeout(50);
  }
  return -1;
}

/** Starts recording long tasks (> 50 ms) and input-to-next-frame latency in the page. */
export async function startProbes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    w.__probe = { longTasks: [] as number[], inputs: [] as number[], longFrames: [] as LongFrame[] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__probe.longTasks.push(entry.duration);
    }).observe({ type: "longtask" });
    // Long animation frames say where a long frame went: scripts (their longest named by
    // what invoked it), or the style, layout and paint that ends the frame.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as any[]) {
        const scripts: any[] = entry.scripts ?? [];
        const scriptMs = scripts.reduce((sum, s) => sum + s.duration, 0);
        const longest = scripts.reduce((a, b) => (a && a.duration >= b.duration ? a : b), null);
        const end = entry.startTime + entry.duration;
        const layoutMs = entry.styleAndLayoutStart ? end - entry.styleAndLayoutStart : 0;
        w.__probe.longFrames.push({
          ms: entry.duration,
          blockingMs: entry.blockingDuration,
          scriptMs,
          layoutMs,
          longestScript: longest ? `${longest.invokerType} ${longest.invoker} ${Math.round(longest.duration)} ms` : "",
        });
      }
    }).observe({ type: "long-animation-frame" });
    // From the moment the browser took the input to the next frame painted after handling it.
    const measure = (event: Event) => {
      const began = event.timeStamp;
      requestAnimationFrame(() => setTimeout(() => w.__probe.inputs.push(performance.now() - began), 0));
    };
    for (const type of ["keydown", "wheel"]) document.addEventListener(type, measure, { capture: true, passive: true });
  });
}

interface LongFrame {
  ms: number;
  blockingMs: number;
  scriptMs: number;
  layoutMs: number;
  longestScript: string;
}

export interface Probes {
  longTasks: number;
  longestTaskMs: number;
  /** The animation frame that blocked longest: its length, its time in scripts (and the
   * longest of them) and in the style, layout and paint that end it. */
  worstFrame: { ms: number; scriptMs: number; layoutMs: number; longestScript: string } | null;
  /** Every frame that blocked (held a task over 50 ms), in the same terms, in order. */
  blockingFrames: string[];
  inputs: number;
  inputP95Ms: number;
  inputMaxMs: number;
}

export async function readProbes(page: Page): Promise<Probes> {
  const raw = await page.evaluate(() => (window as any).__probe as { longTasks: number[]; inputs: number[]; longFrames: LongFrame[] });
  const inputs = [...raw.inputs].sort((a, b) => a - b);
  const at = (q: number) => (inputs.length ? inputs[Math.min(inputs.length - 1, Math.floor(q * inputs.length))] : 0);
  return {
    longTasks: raw.longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...raw.longTasks)),
    worstFrame: worstFrame(raw.longFrames),
    blockingFrames: raw.longFrames
      .filter((f) => f.blockingMs > 0)
      .map((f) => `${Math.round(f.ms)} ms: script ${Math.round(f.scriptMs)} (${f.longestScript || "none"}), layout ${Math.round(f.layoutMs)}`),
    inputs: inputs.length,
    inputP95Ms: Math.round(at(0.95)),
    inputMaxMs: Math.round(at(1)),
  };
}

function worstFrame(frames: LongFrame[]): Probes["worstFrame"] {
  const worst = frames.reduce<LongFrame | null>((a, b) => (a && a.blockingMs >= b.blockingMs ? a : b), null);
  if (!worst) return null;
  const { ms, scriptMs, layoutMs, longestScript } = worst;
  return { ms: Math.round(ms), scriptMs: Math.round(scriptMs), layoutMs: Math.round(layoutMs), longestScript };
}

/** Types into the filter box and scrolls the list now and then until `done` resolves. */
export async function exerciseWhile(page: Page, done: Promise<unknown>, filterBox: string, scrollArea: string): Promise<void> {
  let finished = false;
  done.finally(() => (finished = true));
  const box = page.locator(filterBox).first();
  const area = page.locator(scrollArea).first();
  while (!finished) {
    await box.click();
    await page.keyboard.type("flood/1", { delay: 30 });
    for (let i = 0; i < 7; i++) await page.keyboard.press("Backspace");
    const bounds = await area.boundingBox();
    if (bounds) {
      await page.mouse.move(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2);
      for (let i = 0; i < 5; i++) {
        await page.mouse.wheel(0, i % 2 ? -400 : 400);
        await page.waitForTimeout(40);
      }
    }
    await page.waitForTimeout(500);
  }
}
