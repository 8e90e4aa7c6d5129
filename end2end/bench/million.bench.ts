// One million messages held by the page: the renderer's memory (JS heap, and the whole
// renderer process's resident set, which includes the wasm memory) and how long a topic
// filter over all of them takes to answer, from the key press to the new count on screen.
// Prints figures for BENCHMARKS.md; asserts only that every message is held.
import { test, expect, Browser, Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { publisherUrl, paced, deckReceived, deckSubscribed, TOPICS, waitForCount } from "./support";
import { raiseBudget } from "./budget";

const TOTAL = Number(process.env.MILLION_MESSAGES ?? 1_000_000);
// Paced, not a burst: over TCP MQTT.js publishes ~200,000 msg/s, more than a WebSocket to
// the page takes in for long, and the broker drops QoS 0 for a subscriber that falls
// behind. What is measured here is holding them all.
const RATE = Number(process.env.MILLION_RATE ?? 50_000);

/** Resident set of the largest renderer process, in bytes (Linux /proc). */
async function rendererRss(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: { type: string; id: number }[] };
  let largest = 0;
  for (const process of processInfo.filter((p) => p.type === "renderer")) {
    const status = readFileSync(`/proc/${process.id}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    largest = Math.max(largest, kb * 1024);
  }
  return largest;
}

async function jsHeapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
}

/** Types `filter` into the log's Filter box and times until the shown count reads `expected`. */
async function timeFilter(page: Page, filter: string, expected: number): Promise<number> {
  return page.evaluate(([filter, expected]) => new Promise<number>((resolve, reject) => {
    const box = document.getElementById("log-filter") as HTMLInputElement;
    const shown = document.querySelector(".count-shown")!;
    const target = `${Number(expected).toLocaleString("en-US")} shown`;
    const started = performance.now();
    box.value = String(filter);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    const poll = () => {
      if (shown.textContent === target) resolve(performance.now() - started);
      else if (performance.now() - started > 30_000) reject(new Error(`still "${shown.textContent}", wanted "${target}"`));
      else requestAnimationFrame(poll);
    };
    poll();
  }), [filter, expected] as const);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

test("1,000,000 messages held: memory and a topic filter over all of them", async ({ page, browser, baseURL }) => {
  await page.goto("/");
  await raiseBudget(page, TOTAL);
  await deckSubscribed(page, "million/#");
  const before = await rendererRss(browser);
  const sent = await paced(publisherUrl(baseURL!), "million", RATE, TOTAL / RATE);
  const drain = await waitForCount(page, () => deckReceived(page), TOTAL, 240_000);
  await expect(page.locator(".count-held")).toHaveText(`${TOTAL.toLocaleString("en-US")} held`);
  await page.waitForTimeout(1000);
  const heap = await jsHeapUsed(page);
  const rss = await rendererRss(browser);
  // One topic in 50, then a wildcard over all, then one topic again.
  const perTopic = TOTAL / TOPICS;
  const one = await timeFilter(page, "million/7", perTopic);
  const all = await timeFilter(page, "million/#", TOTAL);
  const plus = await timeFilter(page, "+/13", perTopic);
  console.log(`MQTT Deck 1M held: publisher ${sent.rate} msg/s; drained ${drain} ms after; JS heap ${mb(heap)} MB; renderer RSS ${mb(rss)} MB (${mb(before)} MB before the flood); filter million/7 ${Math.round(one)} ms, million/# ${Math.round(all)} ms, +/13 ${Math.round(plus)} ms`);
});
