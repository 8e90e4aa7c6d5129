// Sustained 20,000 QoS 0 messages a second for 30 s while the page is subscribed to them,
// typing in the filter box and scrolling the list all along: the page's count against the
// publisher's, long main-thread tasks (PerformanceObserver "longtask") and the time from
// each key press or wheel turn to the next frame. MQTT Deck, then a plain MQTT.js page
// that appends one DOM row per message. Prints figures; asserts only that nothing was lost.
import { test, expect } from "@playwright/test";
import { loadavg } from "node:os";
import {
  brokerUrl, publisherUrl, deckReceived, deckSubscribed, exerciseWhile, paced, plainPageSubscribed,
  plainReceived, readProbes, startProbes, waitForCount,
} from "./support";

const RATE = Number(process.env.SUSTAINED_RATE ?? 20_000);
const SECONDS = Number(process.env.SUSTAINED_SECONDS ?? 30);
// SUSTAINED_EXERCISE=0 leaves the page alone during the flood (to tell apart what the
// flood costs from what typing and scrolling cost).
const EXERCISE = process.env.SUSTAINED_EXERCISE !== "0";
// The machine's one-minute load average: long tasks depend on what else wants the cores.
const load = () => loadavg()[0].toFixed(1);

test("sustained 20,000 msg/s for 30 s: MQTT Deck", async ({ page, baseURL }) => {
  await deckSubscribed(page, "steady/#");
  await startProbes(page);
  const loadBefore = load();
  const flood = paced(publisherUrl(baseURL!), "steady", RATE, SECONDS);
  if (EXERCISE) await exerciseWhile(page, flood, "#log-filter", ".log-viewport");
  const sent = await flood;
  const drain = await waitForCount(page, () => deckReceived(page), sent.count, 60_000);
  const probes = await readProbes(page);
  const received = await deckReceived(page);
  console.log(`MQTT Deck sustained: publisher ${sent.count} at ${sent.rate} msg/s; page received ${received} (drained ${drain} ms after the publisher); load ${loadBefore} → ${load()}; ${JSON.stringify(probes)}`);
  expect(received).toBe(sent.count);
});

test("sustained 20,000 msg/s for 30 s: plain MQTT.js page, one DOM row per message", async ({ page, baseURL }) => {
  // It drains at ~3,000 msg/s: 600,000 messages take minutes after the publisher ends.
  test.setTimeout(900_000);
  await plainPageSubscribed(page, brokerUrl(baseURL!), "steadybase/#");
  await startProbes(page);
  const loadBefore = load();
  const flood = paced(publisherUrl(baseURL!), "steadybase", RATE, SECONDS);
  if (EXERCISE) await exerciseWhile(page, flood, "#filter", "body");
  const sent = await flood;
  const drain = await waitForCount(page, () => plainReceived(page), sent.count, 780_000);
  const probes = await readProbes(page);
  console.log(`Plain MQTT.js page sustained: publisher ${sent.count} at ${sent.rate} msg/s; page received ${await plainReceived(page)} (drained ${drain} ms after the publisher); load ${loadBefore} → ${load()}; ${JSON.stringify(probes)}`);
});
