// A page fixture that fails the test on any uncaught page error or console error
// (a broken wasm still renders correct server HTML, so silence is not proof), and the
// first-visit start that every spec shares.
import { test as base, expect, Page } from "@playwright/test";

export const test = base.extend<{ errors: string[] }>({
  errors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    await use(errors);
    expect(errors, "the page logged errors").toEqual([]);
  },
});

export { expect };

/** Opens the app as on a first visit: empty browser storage, then waits for the first-run
 * connection, which appears once the app has hydrated and read its storage. */
export async function firstVisit(page: Page): Promise<void> {
  await page.goto("/");
  await page.evaluate(() => new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase("mqttdeck");
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  }));
  await page.reload();
  await expect(page.getByRole("button", { name: "MQTT Deck built-in broker" })).toBeVisible();
}

/** Connects to the built-in broker at the page's own origin through the sidebar. */
export async function connectBuiltin(page: Page): Promise<void> {
  await page.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.locator(".connection-view .status-badge")).toHaveText("connected");
}

/** Subscribes to `filter` through the form and waits for the broker's grant. */
export async function subscribeTo(page: Page, filter: string): Promise<void> {
  const form = page.getByRole("form", { name: "Subscribe" });
  await form.getByLabel("Topic filter").fill(filter);
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.locator(`.subscription[data-filter="${filter}"] .suback`)).toHaveText(/Granted/);
}

/** The built-in broker's WebSocket endpoint at the page's own origin, for Node clients. */
export function deckBrokerUrl(baseURL: string): string {
  return `ws://127.0.0.1:${new URL(baseURL).port}/mqtt`;
}

/** Fills the publish form (topic, payload, and the format, QoS and retain asked for). */
export async function fillPublishForm(page: Page, topic: string, payload: string, options: { format?: string; qos?: string; retain?: boolean } = {}): Promise<void> {
  const form = page.getByRole("region", { name: "Publish" });
  await form.getByLabel("Topic", { exact: true }).fill(topic);
  if (options.format) await form.getByLabel("Payload format").selectOption(options.format);
  await form.getByLabel("Payload", { exact: true }).fill(payload);
  if (options.qos) await form.getByLabel("QoS").selectOption(options.qos);
  const retain = form.getByLabel("Retain", { exact: true });
  if (options.retain) await retain.check(); else await retain.uncheck();
}
