// The message log's memory budget (set in Settings), formats per subscription and per
// message, JSON highlighting and the diff against the previous message, through the UI
// alone, against the built-in broker at the page's own origin.
import { Page } from "@playwright/test";
import { test, expect, firstVisit, connectBuiltin } from "./fixtures";

const status = (page: Page) => page.locator(".connection-view .status-badge");
const subscribeForm = (page: Page) => page.getByRole("form", { name: "Subscribe" });
const publishForm = (page: Page) => page.getByRole("region", { name: "Publish" });
const builtin = (page: Page) => page.getByRole("button", { name: "MQTT Deck built-in broker" });
const receivedOn = (page: Page, topic: string) =>
  page.locator(".log-row.msg-received").filter({ has: page.locator(".msg-topic", { hasText: topic }) });

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
  page.on("dialog", (dialog) => {
    throw new Error(`unexpected dialog: ${dialog.message()}`);
  });
});

async function subscribe(page: Page, filter: string, format?: string) {
  const form = subscribeForm(page);
  await form.getByLabel("Topic filter").fill(filter);
  await form.getByLabel("Decode payloads as").selectOption(format ?? "detect");
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.locator(`.subscription[data-filter="${filter}"] .suback`)).toHaveText(/Granted QoS/);
}

async function publish(page: Page, topic: string, payload: string) {
  const form = publishForm(page);
  await form.getByLabel("Topic", { exact: true }).fill(topic);
  await form.getByLabel("Payload", { exact: true }).fill(payload);
  await form.getByRole("button", { name: "Publish" }).click();
}

async function openSettings(page: Page) {
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
}

test("a smaller memory budget evicts the oldest messages, counted, with a meter", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/budget/#");
  for (let i = 1; i <= 4; i++) {
    await publish(page, "deck/budget/t", `m${i}`);
    await expect(page.locator(".count-held")).toHaveText(`${i * 2} held`);
  }
  await expect(page.locator(".memory-text")).toContainText("8 of 1,000,000 messages");
  await expect(page.locator(".memory-text")).toContainText("of 256 MiB");

  await openSettings(page);
  const messages = page.getByLabel("Messages kept per connection");
  await expect(messages).toHaveValue("1000000");
  await messages.fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "out of range" })).toBeVisible();
  await messages.fill("5");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();

  // Lowering the budget evicted what was already held.
  await builtin(page).click();
  await expect(status(page)).toHaveText("connected");
  await expect(page.locator(".count-held")).toHaveText("5 held");
  await expect(page.locator(".count-evicted")).toHaveText("3 evicted");
  await expect(page.locator(".memory-text")).toContainText("5 of 5 messages");

  // New messages keep within it, the oldest going first.
  for (let i = 5; i <= 7; i++) await publish(page, "deck/budget/t", `m${i}`);
  await expect(page.locator(".count-evicted")).toHaveText("9 evicted");
  await expect(page.locator(".count-held")).toHaveText("5 held");
  await expect(page.locator(".log-row")).toHaveCount(5);
  await expect(receivedOn(page, "deck/budget/t").last().locator(".msg-preview")).toHaveText("m7");

  // The budget is stored with the connections.
  await page.reload();
  await expect(builtin(page)).toBeVisible();
  await openSettings(page);
  await expect(page.getByLabel("Messages kept per connection")).toHaveValue("5");
});

test("each subscription shows its messages in its own format", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/hexsub/#", "hex");
  await subscribe(page, "deck/textsub/#");
  await publish(page, "deck/hexsub/a", "AB");
  await publish(page, "deck/textsub/a", "AB");
  await expect(receivedOn(page, "deck/hexsub/a").locator(".msg-preview")).toContainText("41 42");
  await expect(receivedOn(page, "deck/textsub/a").locator(".msg-preview")).toHaveText("AB");

  // Changing a saved subscription's format re-decodes what is held.
  await page.locator('.subscription[data-filter="deck/textsub/#"]').getByLabel("Decode as").selectOption("base64");
  await expect(receivedOn(page, "deck/textsub/a").locator(".msg-preview")).toHaveText("QUI=");
  await expect(receivedOn(page, "deck/hexsub/a").locator(".msg-preview")).toContainText("41 42");

  // The subscription's format wins over the log's.
  await page.getByLabel("Format", { exact: true }).selectOption("text");
  await expect(receivedOn(page, "deck/hexsub/a").locator(".msg-preview")).toContainText("41 42");
});

test("one message can be shown in a format of its own", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/permsg");
  await publish(page, "deck/permsg", '{"a":1}');
  const row = receivedOn(page, "deck/permsg");
  await expect(row.locator(".msg-preview")).toHaveText('{"a":1}');
  await row.click();
  const detail = page.getByRole("region", { name: "Message detail" });
  await expect(detail.locator(".detail-format")).toHaveText("Shown as JSON (detected)");
  await detail.getByLabel("Decode this message as").selectOption("hex");
  await expect(detail.locator(".detail-format")).toHaveText("Shown as Hex (chosen for this message)");
  await expect(detail.locator(".detail-payload")).toContainText("7b 22 61 22");
  await expect(row.locator(".msg-preview")).toContainText("7b 22 61");
  // The published copy of the same payload keeps the log's format.
  await expect(page.locator(".log-row.msg-published .msg-preview")).toHaveText('{"a":1}');
  await detail.getByLabel("Decode this message as").selectOption("detect");
  await expect(row.locator(".msg-preview")).toHaveText('{"a":1}');
});

test("JSON is coloured, and invalid JSON says where", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/json/#");
  await publish(page, "deck/json/ok", '{"temp": 21, "on": true}');
  const ok = receivedOn(page, "deck/json/ok");
  await expect(ok.locator(".msg-preview .tok-key").first()).toHaveText('"temp"');
  await expect(ok.locator(".msg-preview .tok-number")).toHaveText("21");
  await ok.click();
  const detail = page.getByRole("region", { name: "Message detail" });
  await expect(detail.locator(".detail-payload .tok-literal")).toHaveText("true");

  await page.getByLabel("Format", { exact: true }).selectOption("json");
  await publish(page, "deck/json/bad", '{"temp": }');
  const bad = receivedOn(page, "deck/json/bad");
  await expect(bad.locator(".msg-invalid")).toBeVisible();
  await bad.click();
  await expect(detail.locator(".detail-error")).toContainText("invalid JSON at line 1, column 10");
  await expect(detail.locator(".detail-payload")).toHaveText('{"temp": }');
});

test("a message is compared line by line with the previous one on its topic", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/diff/#");
  await publish(page, "deck/diff/t", '{"temp": 20, "unit": "C"}');
  await publish(page, "deck/other", '{"temp": 99}');
  await publish(page, "deck/diff/t", '{"temp": 21, "unit": "C"}');
  const rows = receivedOn(page, "deck/diff/t");
  await expect(rows).toHaveCount(2);
  await rows.last().click();
  const detail = page.getByRole("region", { name: "Message detail" });
  await detail.getByRole("button", { name: "Compare with previous" }).click();
  const diff = detail.locator(".detail-diff");
  await expect(diff.getByRole("heading")).toHaveText(/1 added, 1 removed lines/);
  await expect(diff.locator(".diff-removed")).toHaveText(/"temp": 20/);
  await expect(diff.locator(".diff-added")).toHaveText(/"temp": 21/);
  await expect(diff.locator(".diff-same").filter({ hasText: '"unit"' })).toHaveCount(1);
});

test("a payload longer than a row is collapsed with its size, and shown whole in the detail", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/large");
  const payload = "x".repeat(3000) + "END";
  await publish(page, "deck/large", payload);
  const row = receivedOn(page, "deck/large");
  await expect(row.locator(".msg-collapsed")).toHaveText("collapsed");
  await expect(row.locator(".msg-size")).toHaveText("3003 B");
  await expect(row.locator(".msg-preview")).not.toContainText("END");
  await row.click();
  await expect(page.locator(".detail-payload")).toHaveText(payload);
});

test("a message's format is picked on its row, and wins over its subscription's and the log's", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/rowfmt/#");
  await publish(page, "deck/rowfmt/a", '{"a":1}');
  await publish(page, "deck/rowfmt/b", '{"a":1}');
  const a = receivedOn(page, "deck/rowfmt/a");
  const b = receivedOn(page, "deck/rowfmt/b");
  const picker = a.getByLabel("Decode as");
  await expect(picker.locator("option:checked")).toHaveText("Default: JSON");
  await picker.selectOption("hex");
  await expect(a.locator(".msg-preview")).toContainText("7b 22 61 22");
  await expect(picker.locator("option:checked")).toHaveText("Hex");
  // Only that message changed, and picking did not open it.
  await expect(b.locator(".msg-preview")).toHaveText('{"a":1}');
  await expect(page.getByRole("region", { name: "Message detail" })).toHaveCount(0);

  // The message's own format wins over its subscription's and the log's.
  await page.locator('.subscription[data-filter="deck/rowfmt/#"]').getByLabel("Decode as").selectOption("base64");
  await expect(b.locator(".msg-preview")).toHaveText("eyJhIjoxfQ==");
  await page.getByLabel("Format", { exact: true }).selectOption("text");
  await expect(a.locator(".msg-preview")).toContainText("7b 22 61 22");
  await expect(a.getByLabel("Decode as").locator("option:checked")).toHaveText("Hex");

  // The detail view agrees; going back to the default follows the subscription.
  await a.locator(".msg-preview").click();
  const detail = page.getByRole("region", { name: "Message detail" });
  await expect(detail.locator(".detail-format")).toHaveText("Shown as Hex (chosen for this message)");
  await expect(a.getByLabel("Decode as").locator("option", { hasText: "Default" })).toHaveText("Default: Base64");
  await a.getByLabel("Decode as").selectOption("detect");
  await expect(a.locator(".msg-preview")).toHaveText("eyJhIjoxfQ==");
  await expect(detail.locator(".detail-format")).toHaveText("Shown as Base64 (set on its subscription)");
});

test("the default format from Settings changes the logs that follow it, not one set by hand", async ({ page }) => {
  await connectBuiltin(page);
  await subscribe(page, "deck/default");
  await publish(page, "deck/default", "AB");
  const preview = receivedOn(page, "deck/default").locator(".msg-preview");
  await expect(preview).toHaveText("AB");
  const logFormat = page.getByLabel("Format", { exact: true });
  await expect(logFormat.locator("option:checked")).toHaveText("Settings default (Detect)");
  // A choice for one message is kept too while the user is away.
  await receivedOn(page, "deck/default").getByLabel("Decode as").selectOption("base64");
  await expect(preview).toHaveText("QUI=");

  const setDefault = async (format: string) => {
    await openSettings(page);
    await page.getByLabel("Default payload format").selectOption(format);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Settings saved.")).toBeVisible();
    await builtin(page).click();
    await expect(status(page)).toHaveText("connected");
  };
  await setDefault("hex");
  // The log followed the new default; the message kept its own choice.
  await expect(logFormat.locator("option:checked")).toHaveText("Settings default (Hex)");
  await expect(preview).toHaveText("QUI=");
  await receivedOn(page, "deck/default").getByLabel("Decode as").selectOption("detect");
  await expect(preview).toContainText("41 42");
  await expect(page.locator(".log-row.msg-published .msg-preview")).toContainText("41 42");

  // A format picked in the log stays whatever the default becomes.
  await logFormat.selectOption("base64");
  await expect(preview).toHaveText("QUI=");
  await setDefault("text");
  await expect(logFormat).toHaveValue("base64");
  await expect(preview).toHaveText("QUI=");
  // Following the default again is one choice away.
  await logFormat.selectOption("settings");
  await expect(logFormat.locator("option:checked")).toHaveText("Settings default (Text)");
  await expect(preview).toHaveText("AB");
});
