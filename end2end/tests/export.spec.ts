// Exporting the log: what is shown or all held, and a large export written a frame's
// slice at a time with visible progress, as CSV read back row by row.
import { Page } from "@playwright/test";
import mqtt from "mqtt";
import { readFileSync } from "node:fs";
import { test, expect, firstVisit, connectBuiltin, subscribeTo, deckBrokerUrl } from "./fixtures";

const LARGE = 60_000;

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
  await connectBuiltin(page);
});

async function publishAll(baseURL: string, messages: [string, string][]) {
  const client = await mqtt.connectAsync(deckBrokerUrl(baseURL), { protocolVersion: 5 });
  for (const [topic, payload] of messages) client.publish(topic, payload, { qos: 0 });
  await client.publishAsync("deck/export/done", "done", { qos: 1 });
  await client.endAsync();
}

async function exportFile(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: button }).click(),
  ]);
  return readFileSync((await download.path())!, "utf8");
}

test("the export takes what is shown, or all held when asked", async ({ page, baseURL }) => {
  await subscribeTo(page, "deck/export/#");
  await publishAll(baseURL!, [["deck/export/a", "one"], ["deck/export/b", "two"], ["deck/export/a", "three"]]);
  await expect(page.locator(".count-held")).toHaveText("4 held");
  await page.locator("#log-filter").fill("deck/export/a");
  await expect(page.locator(".count-shown")).toHaveText("2 shown");
  await page.getByLabel("Payloads as text").check();

  const shown = (await exportFile(page, "Export JSON Lines")).trim().split("\n").map((l) => JSON.parse(l));
  expect(shown.map((l) => l.payload)).toEqual(["one", "three"]);

  await page.getByLabel("All held (ignore filters)").check();
  const all = (await exportFile(page, "Export JSON Lines")).trim().split("\n").map((l) => JSON.parse(l));
  expect(all.map((l) => `${l.topic} ${l.payload}`)).toEqual([
    "deck/export/a one", "deck/export/b two", "deck/export/a three", "deck/export/done done",
  ]);
});

test("a large export shows its progress and writes every row", async ({ page, baseURL }) => {
  await subscribeTo(page, "deck/export/#");
  const messages: [string, string][] = [];
  for (let i = 0; i < LARGE; i++) messages.push([`deck/export/${i % 10}`, `payload ${i}`]);
  await publishAll(baseURL!, messages);
  await expect(page.locator(".count-held")).toHaveText(`${(LARGE + 1).toLocaleString("en-US")} held`);

  // Record every progress text the page shows, however briefly.
  await page.evaluate(() => {
    const seen: string[] = ((window as any).__exportProgress = []);
    new MutationObserver(() => {
      const text = document.querySelector(".export-count")?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const csv = await exportFile(page, "Export CSV");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines).toHaveLength(LARGE + 2);
  expect(lines[1]).toContain("deck/export/0");
  expect(lines[LARGE]).toContain(`deck/export/${(LARGE - 1) % 10}`);

  const progress: string[] = await page.evaluate(() => (window as any).__exportProgress);
  const total = (LARGE + 1).toLocaleString("en-US");
  expect(progress.length).toBeGreaterThan(1);
  expect(progress[0]).toMatch(new RegExp(`^Exporting [\\d,]+ of ${total}$`));
  await expect(page.locator(".export-count")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Export CSV" })).toBeEnabled();
});
