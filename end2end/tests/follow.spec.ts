// The message log follows the newest message through a burst (rows arrive between the
// list's scroll to the bottom and the browser's scroll event), stops following when the
// user scrolls up, and follows again from the bottom.
import { Page } from "@playwright/test";
import mqtt from "mqtt";
import { test, expect, firstVisit, connectBuiltin, subscribeTo, deckBrokerUrl } from "./fixtures";

const list = (page: Page) => page.getByRole("list", { name: "Message list" });
const topicRow = (page: Page, topic: string) =>
  list(page).locator(".log-row").filter({ has: page.locator(".msg-topic", { hasText: new RegExp(`^${topic}$`) }) });

/** The page connected and subscribed to `prefix/#`, and a client that publishes
 * `prefix/i` for a range of i, then `prefix/sync` (QoS 1, so the broker has them all). */
async function floodable(page: Page, baseURL: string, prefix: string, payload: (i: number) => string) {
  await firstVisit(page);
  await connectBuiltin(page);
  await subscribeTo(page, `${prefix}/#`);
  const client = await mqtt.connectAsync(deckBrokerUrl(baseURL), { protocolVersion: 5 });
  const burst = async (from: number, to: number) => {
    for (let i = from; i < to; i++) client.publish(`${prefix}/${i}`, payload(i), { qos: 0 });
    await client.publishAsync(`${prefix}/sync`, payload(-1), { qos: 1 });
  };
  return { client, burst };
}

test("the log follows a burst to its newest message and stays put once scrolled up", async ({ page, baseURL }) => {
  const { client, burst } = await floodable(page, baseURL!, "deck/follow", (i) => `m${i}`);
  // "In viewport" below means visible in the page, so the list itself must be on screen.
  await list(page).scrollIntoViewIfNeeded();
  try {
    await burst(0, 3000);
    await expect(page.locator(".count-held")).toHaveText("3,001 held");
    await expect(topicRow(page, "deck/follow/sync")).toBeInViewport();
    await expect(topicRow(page, "deck/follow/2999")).toBeInViewport();

    // Scrolled up, the view stays on the same messages while more arrive.
    await list(page).evaluate((el) => el.scrollBy(0, -2000));
    await expect(topicRow(page, "deck/follow/sync")).toHaveCount(0);
    const shown = await list(page).locator(".log-row .msg-topic").first().innerText();
    await burst(3000, 3500);
    await expect(page.locator(".count-held")).toHaveText("3,502 held");
    await expect(list(page).locator(".log-row .msg-topic").first()).toHaveText(shown);
    await expect(topicRow(page, "deck/follow/3499")).toHaveCount(0);

    // Back at the bottom, it follows again.
    await list(page).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await burst(3500, 3600);
    await expect(page.locator(".count-held")).toHaveText("3,603 held");
    await expect(topicRow(page, "deck/follow/3599")).toBeInViewport();
  } finally {
    await client.endAsync();
  }
});

test("a row's format choice and selection stay with its message when newer messages take its place", async ({ page, baseURL }) => {
  const { client, burst } = await floodable(page, baseURL!, "deck/reuse", (i) => `{"n":${i}}`);
  await list(page).scrollIntoViewIfNeeded();
  try {
    await burst(0, 5);
    await expect(page.locator(".count-held")).toHaveText("6 held");
    const picked = topicRow(page, "deck/reuse/3");
    await picked.getByLabel("Decode as").selectOption("hex");
    await expect(picked.locator(".msg-preview")).toHaveText('7b 22 6e 22 3a 33 7d');
    await topicRow(page, "deck/reuse/4").locator(".msg-topic").click();
    await expect(topicRow(page, "deck/reuse/4")).toHaveClass(/selected/);

    // Forty newer messages move every row on screen to another message.
    await burst(5, 45);
    await expect(page.locator(".count-held")).toHaveText("47 held");
    await expect(topicRow(page, "deck/reuse/44")).toBeInViewport();
    await expect(list(page).locator(".log-row select option:checked", { hasText: "Hex" })).toHaveCount(0);
    await expect(list(page).locator(".log-row.selected")).toHaveCount(0);
    await expect(list(page).locator(".tok-number", { hasText: "44" })).toHaveCount(1);

    // Scrolled back, the earlier messages still have their own format and selection.
    await list(page).evaluate((el) => el.scrollTo(0, 0));
    await expect(picked.locator(".msg-preview")).toHaveText('7b 22 6e 22 3a 33 7d');
    await expect(picked.getByLabel("Decode as").locator("option:checked")).toHaveText("Hex");
    await expect(topicRow(page, "deck/reuse/4")).toHaveClass(/selected/);
    await expect(topicRow(page, "deck/reuse/2").locator(".msg-preview .tok-number")).toHaveText("2");
  } finally {
    await client.endAsync();
  }
});
