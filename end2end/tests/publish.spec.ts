// Publishing beyond one message, through the UI alone: timed publish, templates with
// variables, a file as the payload, CBOR and MessagePack typed as JSON, the sent history
// and clearing a retained message. What arrives is checked byte for byte by an MQTT.js
// subscriber on the same built-in broker (the page's own origin).
import { Page } from "@playwright/test";
import mqtt, { MqttClient } from "mqtt";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect, firstVisit, connectBuiltin, deckBrokerUrl, fillPublishForm } from "./fixtures";

const status = (page: Page) => page.locator(".connection-view .status-badge");
const publishForm = (page: Page) => page.getByRole("region", { name: "Publish" });

/// An MQTT.js client subscribed to `filter`, collecting what arrives.
async function listen(baseURL: string, filter: string): Promise<{ client: MqttClient; got: { topic: string; payload: Buffer; retain: boolean }[] }> {
  const client = await mqtt.connectAsync(deckBrokerUrl(baseURL), { protocolVersion: 5, clientId: `pubspec_${Date.now() % 1e9}` });
  const got: { topic: string; payload: Buffer; retain: boolean }[] = [];
  client.on("message", (topic, payload, packet) => got.push({ topic, payload: Buffer.from(payload), retain: packet.retain }));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, got };
}

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
  await connectBuiltin(page);
});


test("timed publish sends exactly N messages, counter filled in", async ({ page, baseURL }) => {
  const { client, got } = await listen(baseURL!, "deck/pub/timed");
  await fillPublishForm(page, "deck/pub/timed", "n={{counter}}", { qos: "1" });
  const form = publishForm(page);
  await form.locator("summary", { hasText: "Repeat every N ms" }).click();
  await form.getByLabel("Every (ms)").fill("20");
  await form.getByLabel("Times (empty: until stopped)").fill("7");
  await form.getByRole("button", { name: "Start repeating" }).click();
  await expect(form.locator(".repeat-progress")).toHaveText("sent 7 / 7");
  await expect(form.getByRole("button", { name: "Start repeating" })).toBeVisible();
  await expect.poll(() => got.length).toBe(7);
  // Nothing more comes after the run.
  await page.waitForTimeout(300);
  expect(got.map((m) => m.payload.toString())).toEqual(["n=1", "n=2", "n=3", "n=4", "n=5", "n=6", "n=7"]);
  await client.endAsync();
});

test("a run until stopped stops at Stop and on disconnect", async ({ page, baseURL }) => {
  const { client, got } = await listen(baseURL!, "deck/pub/endless");
  await fillPublishForm(page, "deck/pub/endless", "tick {{counter}}", { qos: "1" });
  const form = publishForm(page);
  await form.locator("summary", { hasText: "Repeat every N ms" }).click();
  await form.getByLabel("Every (ms)").fill("50");
  await form.getByLabel("Times (empty: until stopped)").fill("");
  await form.getByRole("button", { name: "Start repeating" }).click();
  await expect(form.locator(".repeat-progress")).toHaveText(/sent [3-9]/);
  await form.getByRole("button", { name: "Stop" }).click();
  const sent = Number((await form.locator(".repeat-progress").textContent())!.replace("sent ", ""));
  await page.waitForTimeout(300);
  await expect(form.locator(".repeat-progress")).toHaveText(`sent ${sent}`);
  await expect.poll(() => got.length).toBe(sent);
  // A new run ends by itself when the connection goes.
  await form.getByRole("button", { name: "Start repeating" }).click();
  await expect(form.locator(".repeat-progress")).toHaveText(/sent [2-9]/);
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(status(page)).toHaveText("disconnected");
  await expect(form.getByRole("button", { name: "Start repeating" })).toBeVisible();
  await client.endAsync();
});

test("a saved template is sent with one click, variables expanded, and kept", async ({ page, baseURL }) => {
  const { client, got } = await listen(baseURL!, "deck/pub/tpl");
  await fillPublishForm(page, "deck/pub/tpl", '{"n":{{counter}},"id":"{{uuid}}","r":{{random:5..5}},"odd":"{{nope}}"}', { format: "json" });
  const form = publishForm(page);
  await form.getByLabel("Template name").fill("status");
  await form.getByRole("button", { name: "Save as template" }).click();
  const row = form.locator('.template[data-name="status"]');
  await expect(row).toContainText("this connection");
  await row.getByRole("button", { name: "Send" }).click();
  await expect(form.getByRole("status").filter({ hasText: "Unknown variables" })).toContainText("{{nope}}");
  await expect.poll(() => got.length).toBe(1);
  const message = JSON.parse(got[0].payload.toString());
  expect(message.n).toBe(1);
  expect(message.r).toBe(5);
  expect(message.odd).toBe("{{nope}}");
  expect(message.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // One for all connections too.
  await form.getByLabel("Template name").fill("everywhere");
  await form.getByLabel("Save for").selectOption("global");
  await form.getByRole("button", { name: "Save as template" }).click();
  await expect(form.locator('.template[data-name="everywhere"]')).toContainText("all connections");
  // Both kept (with the connection, and in the stored document): still there after a reload.
  await page.waitForTimeout(500);
  await page.reload();
  await page.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  await expect(publishForm(page).locator('.template[data-name="status"]')).toContainText("this connection");
  await expect(publishForm(page).locator('.template[data-name="everywhere"]')).toContainText("all connections");
  await client.endAsync();
});

test("a malformed random range is refused with a clear error", async ({ page }) => {
  await fillPublishForm(page, "deck/pub/bad", "{{random:5..1}}");
  await publishForm(page).getByRole("button", { name: "Publish", exact: true }).click();
  await expect(publishForm(page).getByRole("alert")).toContainText("{{random:5..1}} is empty");
});

test("a file payload arrives byte for byte", async ({ page, baseURL }) => {
  const { client, got } = await listen(baseURL!, "deck/pub/file");
  const bytes = Buffer.alloc(300);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) % 256;
  const path = join(mkdtempSync(join(tmpdir(), "deck-")), "blob.bin");
  writeFileSync(path, bytes);
  await fillPublishForm(page, "deck/pub/file", "ignored text");
  const form = publishForm(page);
  await form.getByLabel("Payload file").setInputFiles(path);
  await expect(form.locator(".file-name")).toHaveText("blob.bin (300 bytes)");
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  await expect.poll(() => got.length).toBe(1);
  expect(got[0].payload.equals(bytes)).toBe(true);
  await client.endAsync();
});

test("CBOR and MessagePack typed as JSON arrive as their bytes", async ({ page, baseURL }) => {
  const { client, got } = await listen(baseURL!, "deck/pub/bin/#");
  const json = '{"z":1,"a":[true,null,-2,1.5,"x"]}';
  const form = publishForm(page);
  await fillPublishForm(page, "deck/pub/bin/cbor", json, { format: "cbor" });
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  await fillPublishForm(page, "deck/pub/bin/msgpack", json, { format: "msgpack" });
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  await expect.poll(() => got.length).toBe(2);
  const byTopic = Object.fromEntries(got.map((m) => [m.topic, m.payload.toString("hex")]));
  expect(byTopic["deck/pub/bin/cbor"]).toBe("a2617a01616185f5f621f93e006178");
  expect(byTopic["deck/pub/bin/msgpack"]).toBe("82a17a01a16195c3c0fecb3ff8000000000000a178");
  await fillPublishForm(page, "deck/pub/bin/cbor", '{"a": }', { format: "cbor" });
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(form.getByRole("alert")).toContainText("line 1, column 7");
  await client.endAsync();
});

test("the sent history refills the form", async ({ page }) => {
  const form = publishForm(page);
  await fillPublishForm(page, "deck/pub/hist/a", "first", { qos: "1" });
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  await fillPublishForm(page, "deck/pub/hist/b", "second");
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  const history = form.getByLabel("Sent history");
  await expect(history.locator("option")).toHaveCount(3);
  await history.selectOption({ index: 2 });
  await expect(form.getByLabel("Topic", { exact: true })).toHaveValue("deck/pub/hist/a");
  await expect(form.getByLabel("Payload", { exact: true })).toHaveValue("first");
  await expect(form.getByLabel("QoS")).toHaveValue("1");
  // Alt+Up from the payload recalls the newest.
  await form.getByLabel("Payload", { exact: true }).press("Alt+ArrowUp");
  await expect(form.getByLabel("Payload", { exact: true })).toHaveValue("second");
  // Kept across a reload.
  await page.waitForTimeout(500);
  await page.reload();
  await page.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  await expect(publishForm(page).getByLabel("Sent history").locator("option")).toHaveCount(3);
});

test("clearing a retained message asks first, then clears it", async ({ page, baseURL }) => {
  await fillPublishForm(page, "deck/pub/retained", "on", { retain: true, qos: "1" });
  const form = publishForm(page);
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  // Subscribe only once the broker has it, so it arrives as a retained message.
  await expect(page.locator(".packet-list .kind", { hasText: "PUBACK" })).toHaveCount(1);
  const before = await listen(baseURL!, "deck/pub/retained");
  await expect.poll(() => before.got.length).toBe(1);
  expect(before.got[0]).toMatchObject({ retain: true });
  expect(before.got[0].payload.toString()).toBe("on");
  // Cancelling changes nothing.
  page.once("dialog", (dialog) => dialog.dismiss());
  await form.getByRole("button", { name: "Clear retained" }).click();
  let asked = "";
  page.once("dialog", (dialog) => {
    asked = dialog.message();
    dialog.accept();
  });
  await form.getByRole("button", { name: "Clear retained" }).click();
  await expect(form.getByRole("status").filter({ hasText: "Cleared the retained message" })).toBeVisible();
  expect(asked).toContain('"deck/pub/retained"');
  await expect.poll(() => before.got.length).toBe(2);
  expect(before.got[1].payload.length).toBe(0);
  await before.client.endAsync();
  const after = await listen(baseURL!, "deck/pub/retained");
  await page.waitForTimeout(500);
  expect(after.got).toEqual([]);
  await after.client.endAsync();
});

test("Prettify re-indents JSON as typed, and what is sent is the pretty text", async ({ page, baseURL }) => {
  const { client, got } = await listen(baseURL!, "deck/pub/pretty");
  const form = publishForm(page);
  const prettify = form.getByRole("button", { name: "Prettify" });
  await fillPublishForm(page, "deck/pub/pretty", "plain text");
  await expect(prettify).toHaveCount(0);
  const typed = '{"z":1,"a":[2.50,"é \\u0041"],"z":{}}';
  await fillPublishForm(page, "deck/pub/pretty", typed, { format: "json" });
  await prettify.click();
  const payload = form.getByLabel("Payload", { exact: true });
  await expect(payload).toHaveValue(/\n/);
  const pretty = await payload.inputValue();
  // Only whitespace between tokens changed: order, duplicate keys, 2.50 and the escape stay.
  expect(pretty.replace(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/g, "")).toBe(typed);
  await form.getByRole("button", { name: "Publish", exact: true }).click();
  await expect.poll(() => got.length).toBe(1);
  expect(got[0].payload.toString("utf8")).toBe(pretty);

  await payload.fill('{"a": }');
  await prettify.click();
  await expect(form.getByRole("alert")).toContainText("line 1, column 7");
  await expect(payload).toHaveValue('{"a": }');
  await client.endAsync();
});
