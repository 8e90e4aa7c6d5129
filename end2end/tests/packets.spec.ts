// The packet inspector under many packets: it follows the newest, keeps only a screenful
// of rows in the DOM, still reaches the oldest by scrolling, filters by type, and a
// selected packet keeps showing its own fields while newer packets arrive.
import { Page } from "@playwright/test";
import mqtt from "mqtt";
import { test, expect, firstVisit, connectBuiltin, subscribeTo, deckBrokerUrl } from "./fixtures";

const inspector = (page: Page) => page.getByRole("region", { name: "Packet inspector" });
const rows = (page: Page) => inspector(page).locator(".packet");

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
});

async function connectAndSubscribe(page: Page, filter: string) {
  await connectBuiltin(page);
  await subscribeTo(page, filter);
}

async function publishMany(baseURL: string, prefix: string, count: number) {
  const client = await mqtt.connectAsync(deckBrokerUrl(baseURL), { protocolVersion: 5 });
  for (let i = 0; i < count; i++) await client.publishAsync(`${prefix}/${i}`, `m${i}`, { qos: 1 });
  await client.endAsync();
}

test("the inspector follows a flood with a screenful of rows and reaches the oldest by scrolling", async ({ page, baseURL }) => {
  await connectAndSubscribe(page, "deck/inspect/#");
  await publishMany(baseURL!, "deck/inspect", 400);

  // CONNECT, CONNACK, SUBSCRIBE, SUBACK and 400 PUBLISH received.
  await expect(inspector(page).locator(".count")).toHaveText("404 packets");
  await expect(inspector(page).locator(".packet-row", { hasText: "deck/inspect/399 · QoS 0 · 4 B" })).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(40);

  await inspector(page).locator(".packet-viewport").evaluate((el) => (el.scrollTop = 0));
  await expect(rows(page).first().locator(".kind")).toHaveText("CONNECT");
  await expect(rows(page).first()).toBeVisible();
});

test("a selected packet keeps its fields while newer packets arrive, and the type filter narrows the list", async ({ page, baseURL }) => {
  await connectAndSubscribe(page, "deck/select/#");
  await inspector(page).getByLabel("Packet type").selectOption("SUBACK");
  await expect(rows(page)).toHaveCount(1);
  await rows(page).locator(".packet-row").click();
  const fields = inspector(page).getByLabel("Packet fields");
  await expect(fields).toContainText("SubAck");

  await publishMany(baseURL!, "deck/select", 50);
  await expect(inspector(page).locator(".count")).toHaveText("54 packets");
  await expect(rows(page)).toHaveCount(1);
  await expect(fields).toContainText("SubAck");

  await inspector(page).getByLabel("Packet type").selectOption("PUBLISH");
  await expect(inspector(page).locator(".packet-row", { hasText: "deck/select/49" })).toBeVisible();
  await expect(inspector(page).locator(".packet-row").last()).toContainText("deck/select/49");
});

test("a full inspector still shows the newest packets as older ones are dropped", async ({ page, baseURL }) => {
  await connectAndSubscribe(page, "deck/full/#");
  const client = await mqtt.connectAsync(deckBrokerUrl(baseURL!), { protocolVersion: 5 });
  const publishRange = async (from: number, to: number) => {
    for (let i = from; i < to - 1; i++) client.publish(`deck/full/${i}`, `m${i}`, { qos: 0 });
    await client.publishAsync(`deck/full/${to - 1}`, `m${to - 1}`, { qos: 1 });
  };
  // 2,000 packets are kept: 4 before the messages, then 2,050 messages fill it.
  await publishRange(0, 2_050);
  await expect(inspector(page).locator(".count")).toHaveText("2000 packets");
  await expect(inspector(page).locator(".packet-row").last()).toContainText("deck/full/2049 · QoS 0 · 5 B");
  // Full already: each new packet drops the oldest, and the list of positions stays
  // the same while the packets at them change.
  await publishRange(2_050, 2_060);
  await client.endAsync();
  await expect(inspector(page).locator(".packet-row").last()).toContainText("deck/full/2059 · QoS 0 · 5 B");
  await inspector(page).locator(".packet-viewport").evaluate((el) => (el.scrollTop = 0));
  await expect(rows(page).first().locator(".summary")).toHaveText("deck/full/60 · QoS 0 · 3 B");
});
