// MQTT 5 enhanced authentication with SCRAM through the UI alone, against the deck's own
// broker started with SCRAM users: each hash logs in (AUTH exchanged, the server's
// signature checked by the page), a wrong password is named, and the password itself is
// never sent in CONNECT.
import { Page } from "@playwright/test";
import { test, expect, firstVisit } from "./fixtures";
import { DeckBroker, startDeckBroker } from "./deck_broker";

const status = (page: Page) => page.locator(".connection-view .status-badge");
const packetKinds = (page: Page) => page.locator(".packet-list .kind");

let broker: DeckBroker;

test.beforeAll(async () => {
  broker = await startDeckBroker([{ name: "alice", password: "wonder land", scram: ["sha-1", "sha-256", "sha-512"] }]);
});

test.afterAll(() => broker.stop());

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
});

async function scramConnection(page: Page, name: string, method: string, password: string) {
  await page.getByRole("button", { name: "New connection" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("URL", { exact: true }).fill(broker.url);
  await page.getByLabel("MQTT version").selectOption("5.0");
  await page.getByLabel("Username", { exact: true }).fill("alice");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Enhanced authentication").selectOption(method);
  await page.getByLabel("Auto reconnect").uncheck();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
}

for (const method of ["SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512"]) {
  test(`${method} logs in to the deck's broker`, async ({ page, errors }) => {
    await scramConnection(page, method, method, "wonder land");
    await expect(status(page)).toHaveText("connected");
    // CONNECT, the server's challenge, our answer, then CONNACK.
    await expect(packetKinds(page)).toHaveText(["CONNECT", "AUTH", "AUTH", "CONNACK"]);
    // The password travels only as a SCRAM proof.
    await page.locator(".packet-row", { hasText: "CONNECT" }).first().click();
    const fields = page.locator(".packet-details");
    await expect(fields).toContainText(method);
    await expect(fields).toContainText("alice");
    await expect(fields).not.toContainText("wonder land");
    expect(errors).toEqual([]);
  });
}

test("a wrong SCRAM password is refused and named", async ({ page }) => {
  await scramConnection(page, "Wrong", "SCRAM-SHA-256", "not the password");
  await expect(page.locator(".connection-error")).toContainText(/0x86 Bad User Name or Password/i);
  await expect(status(page)).not.toHaveText("connected");
});
