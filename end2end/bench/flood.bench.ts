// A burst of 100,000 QoS 0 messages published as fast as MQTT.js can while a page is
// subscribed: how long after the publisher finishes the page has counted every message,
// MQTT Deck against a plain MQTT.js page that appends one DOM row per message. Prints
// figures for BENCHMARKS.md; asserts only that nothing was lost.
import { test, expect } from "@playwright/test";
import { brokerUrl, publisherUrl, burst, deckReceived, deckSubscribed, plainPageSubscribed, plainReceived, waitForCount } from "./support";

const TOTAL = Number(process.env.FLOOD_MESSAGES ?? 100_000);

test("burst of 100,000 QoS 0 messages: MQTT Deck", async ({ page, baseURL }) => {
  await deckSubscribed(page, "flood/#");
  const sent = await burst(publisherUrl(baseURL!), "flood", TOTAL);
  const drain = await waitForCount(page, () => deckReceived(page), TOTAL, 120_000);
  console.log(`MQTT Deck: publisher ${sent.rate} msg/s (${sent.ms} ms); all ${TOTAL} counted ${drain} ms after the publisher finished; received ${await deckReceived(page)}`);
  expect(await deckReceived(page)).toBe(TOTAL);
});

test("burst of 100,000 QoS 0 messages: plain MQTT.js page, one DOM row per message", async ({ page, baseURL }) => {
  await plainPageSubscribed(page, brokerUrl(baseURL!), "baseline/#");
  const sent = await burst(publisherUrl(baseURL!), "baseline", TOTAL);
  const drain = await waitForCount(page, () => plainReceived(page), TOTAL, 240_000);
  console.log(`Plain MQTT.js page: publisher ${sent.rate} msg/s (${sent.ms} ms); all ${TOTAL} counted ${drain} ms after the publisher finished; counted ${await plainReceived(page)}`);
});
