// Subscribing, the live message log and publishing, through the UI alone.
import { Page } from "@playwright/test";
import { spawn } from "node:child_process";
import { test, expect, firstVisit } from "./fixtures";
import { Mosquitto } from "./mosquitto";

const status = (page: Page) => page.locator(".connection-view .status-badge");
const subscribeForm = (page: Page) => page.getByRole("form", { name: "Subscribe" });
const publishForm = (page: Page) => page.getByRole("region", { name: "Publish" });
const rows = (page: Page) => page.locator(".log-row");

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
  page.on("dialog", (dialog) => {
    throw new Error(`unexpected dialog: ${dialog.message()}`);
  });
});

async function connectBuiltin(page: Page) {
  await page.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(status(page)).toHaveText("connected");
}

async function subscribe(page: Page, filter: string, options: { qos?: string; noLocal?: boolean; retainHandling?: string } = {}) {
  const form = subscribeForm(page);
  await form.getByLabel("Topic filter").fill(filter);
  if (options.qos) await form.getByLabel("QoS").selectOption(options.qos);
  if (options.noLocal) await form.getByLabel("No Local").check();
  if (options.retainHandling) await form.getByLabel("Retain Handling").selectOption(options.retainHandling);
  await form.getByRole("button", { name: "Subscribe" }).click();
  const item = page.locator(`.subscription[data-filter="${filter}"]`);
  await expect(item.locator(".suback")).toHaveText(/Granted QoS/);
  // The next subscription starts from the defaults again.
  if (options.noLocal) await form.getByLabel("No Local").uncheck();
  if (options.retainHandling) await form.getByLabel("Retain Handling").selectOption("0");
}

async function publish(page: Page, topic: string, payload: string, options: { format?: string; retain?: boolean; qos?: string } = {}) {
  const form = publishForm(page);
  await form.getByLabel("Topic", { exact: true }).fill(topic);
  if (options.format) await form.getByLabel("Payload format").selectOption(options.format);
  await form.getByLabel("Payload", { exact: true }).fill(payload);
  if (options.qos) await form.getByLabel("QoS").selectOption(options.qos);
  const retain = form.getByLabel("Retain", { exact: true });
  if (options.retain) await retain.check(); else await retain.uncheck();
  await form.getByRole("button", { name: "Publish" }).click();
}

test("publish and receive through the built-in broker", async ({ page, errors }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/e2e/#", { qos: "1" });
  await publish(page, "deck/e2e/a", "hello deck", { qos: "1" });
  await expect(page.locator(".count-held")).toHaveText("2 held");
  const received = page.locator(".log-row.msg-received");
  await expect(received).toHaveCount(1);
  await expect(received.locator(".msg-topic")).toHaveText("deck/e2e/a");
  await expect(received.locator(".msg-preview")).toHaveText("hello deck");
  await expect(received.locator(".msg-qos")).toHaveText("QoS 1");
  await expect(page.locator(".log-row.msg-published")).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("No Local hides our own messages", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/nolocal/#", { noLocal: true });
  await publish(page, "deck/nolocal/x", "mine");
  await expect(page.locator(".count-held")).toHaveText("1 held");
  await page.waitForTimeout(300);
  await expect(page.locator(".log-row.msg-received")).toHaveCount(0);
});

test("Retain Handling 2 gets no retained message, 0 does", async ({ page }) => {
  await connectBuiltin(page);
  await publish(page, "deck/retained/t", "kept", { retain: true });
  await subscribe(page, "deck/retained/t", { retainHandling: "2" });
  await page.waitForTimeout(300);
  await expect(page.locator(".log-row.msg-received")).toHaveCount(0);
  await subscribe(page, "deck/retained/+");
  const received = page.locator(".log-row.msg-received");
  await expect(received).toHaveCount(1);
  await expect(received.locator(".msg-flag")).toHaveText("retained");
  // Clear the retained message again for later runs.
  await publish(page, "deck/retained/t", "", { retain: true });
});

test("a hostile payload is shown as text and never executed", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/xss");
  const hostile = "<img src=x onerror=alert(1)>";
  await publish(page, "deck/xss", hostile);
  const received = page.locator(".log-row.msg-received .msg-preview");
  await expect(received).toHaveText(hostile);
  await expect(page.locator(".log-viewport img")).toHaveCount(0);
  await received.click();
  await expect(page.locator(".detail-payload")).toHaveText(hostile);
});

test("held messages are re-decoded when the format changes", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/fmt");
  await publish(page, "deck/fmt", "00 ff 41", { format: "hex" });
  const preview = page.locator(".log-row.msg-received .msg-preview");
  await expect(preview).toHaveCount(1);
  await page.getByLabel("Format", { exact: true }).selectOption("base64");
  await expect(preview).toHaveText("AP9B");
  await page.getByLabel("Format", { exact: true }).selectOption("hex");
  await expect(preview).toContainText("00 ff 41");
  await page.getByLabel("Format", { exact: true }).selectOption("text");
  await expect(preview).toContainText("\\xFF");
});

test("filters combine and counters stay right", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/filter/#");
  for (const [topic, payload] of [["deck/filter/a", "one"], ["deck/filter/b", "two"], ["deck/filter/a", "three"]]) {
    await publish(page, topic, payload);
  }
  await expect(page.locator(".count-held")).toHaveText("6 held");
  await page.getByLabel("Show").selectOption("received");
  await expect(page.locator(".count-shown")).toHaveText("3 shown");
  await page.getByLabel("Filter", { exact: true }).fill("deck/filter/a");
  await expect(page.locator(".count-shown")).toHaveText("2 shown");
  await page.getByLabel("Search payload").fill("thr");
  await expect(page.locator(".count-shown")).toHaveText("1 shown");
  await page.getByLabel("Filter", { exact: true }).fill("deck/#/bad");
  await expect(page.getByRole("alert").filter({ hasText: "#" })).toBeVisible();
});

test("pause keeps capturing and shows how many are new", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/pause");
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await publish(page, "deck/pause", "while paused");
  await expect(page.getByRole("button", { name: /Resume \(\+2 new\)/ })).toBeVisible();
  await expect(page.locator(".count-shown")).toHaveText("0 shown");
  await page.getByRole("button", { name: /Resume/ }).click();
  await expect(page.locator(".count-shown")).toHaveText("2 shown");
});

test("bytes published from the page arrive intact at mosquitto_sub", async ({ page }) => {
  const mosquitto = await Mosquitto.start();
  try {
    await page.getByRole("button", { name: "New connection" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Mosquitto");
    await page.getByLabel("URL", { exact: true }).fill(mosquitto.url);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(status(page)).toHaveText("connected");
    const sub = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(mosquitto.tcpPort), "-t", "deck/bytes", "-C", "1", "-F", "%x", "-W", "10"]);
    let out = "";
    sub.stdout.on("data", (chunk) => (out += chunk));
    const done = new Promise<number>((resolve) => sub.on("exit", (code) => resolve(code ?? -1)));
    await page.waitForTimeout(500);
    await publish(page, "deck/bytes", "00 01 7f 80 fe ff 0d 0a", { format: "hex" });
    expect(await done).toBe(0);
    expect(out.trim()).toBe("00017f80feff0d0a");
  } finally {
    await mosquitto.stop();
  }
});

test("the shown messages export as JSON Lines with every byte", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/export");
  await publish(page, "deck/export", "00 ff 7f", { format: "hex" });
  await expect(page.locator(".count-held")).toHaveText("2 held");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export JSON Lines" }).click(),
  ]);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  const lines = readFileSync(path!, "utf8").trim().split("\n").map((line) => JSON.parse(line));
  expect(lines).toHaveLength(2);
  for (const line of lines) {
    expect(line.topic).toBe("deck/export");
    expect(Buffer.from(line.payload, "base64")).toEqual(Buffer.from([0x00, 0xff, 0x7f]));
  }
  expect(lines.map((l) => l.direction).sort()).toEqual(["published", "received"]);
});

test("a subscription is edited through the form and its new options take effect", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/edit/#", { qos: "0" });
  const item = page.locator('.subscription[data-filter="deck/edit/#"]');
  await expect(item.locator(".sub-qos")).toHaveText("QoS 0");
  await item.getByRole("button", { name: "Edit", exact: true }).click();
  const form = subscribeForm(page);
  await expect(form.getByLabel("Topic filter")).toHaveValue("deck/edit/#");
  await expect(form.getByLabel("QoS")).toHaveValue("0");
  await form.getByLabel("QoS").selectOption("2");
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.locator('.subscription[data-filter="deck/edit/#"]')).toHaveCount(1);
  await expect(item.locator(".sub-qos")).toHaveText("QoS 2");
  await expect(item.locator(".suback")).toHaveText("Granted QoS 2");
  // The broker now delivers at QoS 2.
  await publish(page, "deck/edit/x", "edited", { qos: "2" });
  await expect(page.locator(".log-row.msg-received .msg-qos")).toHaveText("QoS 2");
});
