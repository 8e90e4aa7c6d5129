// Subscribing, the live message log and publishing, through the UI alone.
import { Page } from "@playwright/test";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import mqtt from "mqtt";
import { test, expect, firstVisit, connectBuiltin, fillPublishForm } from "./fixtures";
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

async function subscribe(page: Page, filter: string, options: { qos?: string; noLocal?: boolean; retainAsPublished?: boolean; retainHandling?: string } = {}) {
  const form = subscribeForm(page);
  await form.getByLabel("Topic filter").fill(filter);
  if (options.qos) await form.getByLabel("QoS").selectOption(options.qos);
  if (options.noLocal) await form.getByLabel("No Local").check();
  if (options.retainAsPublished) await form.getByLabel("Retain As Published").check();
  if (options.retainHandling) await form.getByLabel("Retain Handling").selectOption(options.retainHandling);
  await form.getByRole("button", { name: "Subscribe" }).click();
  const item = page.locator(`.subscription[data-filter="${filter}"]`);
  await expect(item.locator(".suback")).toHaveText(/Granted QoS/);
  // The next subscription starts from the defaults again.
  if (options.noLocal) await form.getByLabel("No Local").uncheck();
  if (options.retainAsPublished) await form.getByLabel("Retain As Published").uncheck();
  if (options.retainHandling) await form.getByLabel("Retain Handling").selectOption("0");
}

const receivedOn = (page: Page, topic: string) =>
  page.locator(".log-row.msg-received").filter({ has: page.locator(".msg-topic", { hasText: topic }) });
const subacks = (page: Page) => page.locator(".packet-list .kind", { hasText: "SUBACK" });

/** A minimal RFC 4180 reader: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; }
    else field += c;
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

async function publish(page: Page, topic: string, payload: string, options: { format?: string; retain?: boolean; qos?: string } = {}) {
  await fillPublishForm(page, topic, payload, options);
  await publishForm(page).getByRole("button", { name: "Publish" }).click();
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

test("Retain As Published keeps the retain flag; Retain Handling 1 sends retained messages to new subscriptions only", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/rap/kept", { retainAsPublished: true });
  await subscribe(page, "deck/rap/plain");
  await publish(page, "deck/rap/kept", "k", { retain: true });
  await publish(page, "deck/rap/plain", "p", { retain: true });
  await expect(receivedOn(page, "deck/rap/kept").locator(".msg-flag", { hasText: "retained" })).toHaveCount(1);
  await expect(receivedOn(page, "deck/rap/plain")).toHaveCount(1);
  await expect(receivedOn(page, "deck/rap/plain").locator(".msg-flag", { hasText: "retained" })).toHaveCount(0);

  // deck/rap/plain holds a retained message now. A new subscription with Retain Handling 1 gets it...
  await subscribe(page, "deck/rap/+", { retainHandling: "1" });
  await expect(subacks(page)).toHaveCount(3);
  await expect(receivedOn(page, "deck/rap/plain")).toHaveCount(2);
  // ...subscribing again to the same filter does not (the subscription exists)...
  await subscribe(page, "deck/rap/+", { retainHandling: "1" });
  await expect(subacks(page)).toHaveCount(4);
  await page.waitForTimeout(300);
  await expect(receivedOn(page, "deck/rap/plain")).toHaveCount(2);
  // ...while Retain Handling 0 sends them on every subscribe.
  await subscribe(page, "deck/rap/+");
  await expect(subacks(page)).toHaveCount(5);
  await expect(receivedOn(page, "deck/rap/plain")).toHaveCount(3);
  await publish(page, "deck/rap/kept", "", { retain: true });
  await publish(page, "deck/rap/plain", "", { retain: true });
});

test("filters by subscription, payload regex, QoS and retained flag narrow what is shown", async ({ page }) => {
  await connectBuiltin(page);
  // A retained message, so that one received message carries the retain flag.
  await publish(page, "deck/narrow/b/1", "hum=40", { qos: "2", retain: true });
  await subscribe(page, "deck/narrow/a/#", { qos: "2" });
  await subscribe(page, "deck/narrow/b/#", { qos: "2" });
  await publish(page, "deck/narrow/a/1", "temp=21", { qos: "1" });
  await publish(page, "deck/narrow/a/2", "temp=22", { qos: "0" });
  await expect(page.locator(".count-held")).toHaveText("6 held");
  await page.getByLabel("Show").selectOption("received");
  const shown = page.locator(".count-shown");
  const topics = page.locator(".log-row .msg-topic");
  await expect(shown).toHaveText("3 shown");

  // Clicking a subscription shows only its messages; clicking it again shows all.
  const onlyA = page.locator('.subscription[data-filter="deck/narrow/a/#"] .subscription-filter');
  await onlyA.click();
  await expect(topics).toHaveText(["deck/narrow/a/1", "deck/narrow/a/2"]);
  await onlyA.click();
  await expect(shown).toHaveText("3 shown");

  await page.getByLabel("Search payload").fill("^temp=2[2-9]$");
  await expect(shown).toHaveText("0 shown");
  await page.getByLabel("Regex").check();
  await expect(topics).toHaveText(["deck/narrow/a/2"]);
  await page.getByLabel("Search payload").fill("temp=(");
  await expect(page.getByRole("alert").filter({ hasText: /regex|unclosed|group/i })).toBeVisible();
  await page.getByLabel("Search payload").fill("");
  await page.getByLabel("Regex").uncheck();
  await expect(shown).toHaveText("3 shown");

  await page.getByLabel("Only QoS").selectOption("1");
  await expect(topics).toHaveText(["deck/narrow/a/1"]);
  await page.getByLabel("Only QoS").selectOption("2");
  await expect(topics).toHaveText(["deck/narrow/b/1"]);
  await page.getByLabel("Only QoS").selectOption("any");

  await page.getByLabel("Retained only").check();
  await expect(topics).toHaveText(["deck/narrow/b/1"]);
  await expect(page.locator(".log-row .msg-flag")).toHaveText(["retained"]);
  await page.getByLabel("Show").selectOption("all");
  await expect(shown).toHaveText("2 shown");
  await page.getByLabel("Retained only").uncheck();
  await expect(shown).toHaveText("6 shown");
  await publish(page, "deck/narrow/b/1", "", { retain: true });
});

test("the counters group thousands", async ({ page, baseURL }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/many/#");
  const client = await mqtt.connectAsync(`ws://127.0.0.1:${new URL(baseURL!).port}/mqtt`, { clientId: `many_${Date.now() % 1e9}` });
  for (let i = 0; i < 1234; i++) client.publish("deck/many/t", `m${i}`);
  await client.endAsync();
  await expect(page.locator(".count-held")).toHaveText("1,234 held");
  await expect(page.locator(".count-shown")).toHaveText("1,234 shown");
  await expect(page.locator(".count-evicted")).toHaveText("0 evicted");
});

test("the shown messages export as CSV that reads back to the same payloads", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/csv/#");
  const text = 'say "hi", then\nbye';
  await publish(page, "deck/csv/text", text);
  await publish(page, "deck/csv/bin", "00 ff 7f 2c 22", { format: "hex" });
  await page.getByLabel("Show").selectOption("received");
  await expect(page.locator(".count-shown")).toHaveText("2 shown");
  await page.getByLabel("Payloads as text").check();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("mqttdeck-messages.csv");
  const rows = parseCsv(readFileSync((await download.path())!, "utf8"));
  const [header, ...records] = rows;
  expect(records).toHaveLength(2);
  const column = (name: string) => header.indexOf(name);
  const byTopic = Object.fromEntries(records.map((r) => [r[column("topic")], r]));
  const textRow = byTopic["deck/csv/text"];
  expect(textRow[column("direction")]).toBe("received");
  expect(textRow[column("payload_encoding")]).toBe("text");
  expect(textRow[column("payload")]).toBe(text);
  expect(textRow[column("payload_size")]).toBe(String(Buffer.byteLength(text)));
  // Bytes that are not UTF-8 fall back to Base64, never altered.
  const binRow = byTopic["deck/csv/bin"];
  expect(binRow[column("payload_encoding")]).toBe("base64");
  expect(Buffer.from(binRow[column("payload")], "base64")).toEqual(Buffer.from([0x00, 0xff, 0x7f, 0x2c, 0x22]));

  // "All held" ignores the filters: the published copies come too.
  await page.getByLabel("All held (ignore filters)").check();
  const [all] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  const allRecords = parseCsv(readFileSync((await all.path())!, "utf8")).slice(1);
  expect(allRecords.map((r) => r[column("direction")]).sort()).toEqual(["published", "published", "received", "received"]);
});

test("a subscription is disabled, enabled, resubscribed after a reconnect and unsubscribed", async ({ page }) => {
  await connectBuiltin(page);
  const form = subscribeForm(page);
  await form.getByLabel("Topic filter").fill(" deck/spaced");
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(form.locator(".hint")).toContainText("leading or trailing spaces");

  await subscribe(page, "deck/life/#");
  const item = page.locator('.subscription[data-filter="deck/life/#"]');
  const received = page.locator(".log-row.msg-received");
  const unsubacks = page.getByRole("region", { name: "Connection log" }).getByText(/UNSUBACK deck\/life\/#/);
  await publish(page, "deck/life/a", "one");
  await expect(received).toHaveCount(1);

  // Disabled: kept in the list, unsubscribed at the broker.
  await item.getByRole("button", { name: "Disable" }).click();
  await expect(unsubacks).toHaveCount(1);
  await expect(item).toHaveClass(/disabled/);
  await publish(page, "deck/life/a", "two");
  await expect(page.locator(".log-row.msg-published")).toHaveCount(2);
  await page.waitForTimeout(300);
  await expect(received).toHaveCount(1);
  await item.getByRole("button", { name: "Enable" }).click();
  await expect(item.locator(".suback")).toHaveText(/Granted QoS/);
  await publish(page, "deck/life/a", "three");
  await expect(received).toHaveCount(2);

  // A new session after a reconnect: subscribed again without the user doing anything.
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(status(page)).toHaveText("disconnected");
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(status(page)).toHaveText("connected");
  await publish(page, "deck/life/a", "four");
  await expect(received).toHaveCount(3);

  await item.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(unsubacks).toHaveCount(2);
  await expect(item).toHaveCount(0);
  await publish(page, "deck/life/a", "five");
  await expect(page.locator(".log-row.msg-published")).toHaveCount(5);
  await page.waitForTimeout(300);
  await expect(received).toHaveCount(3);
});
