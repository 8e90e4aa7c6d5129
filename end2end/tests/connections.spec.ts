// Connections through the UI alone: the built-in broker offered on first run, a
// connection created with the form, CONNACK grants, clear errors, persistence, and
// Mosquitto's WebSocket listener with MQTT 3.1.1 and 5.0.
import { Page } from "@playwright/test";
import { test, expect, firstVisit } from "./fixtures";
import { Mosquitto, freePort } from "./mosquitto";

async function createConnection(page: Page, fields: { name: string; url: string; version?: string; username?: string; password?: string; reconnect?: boolean }) {
  await page.getByRole("button", { name: "New connection" }).click();
  await page.getByLabel("Name", { exact: true }).fill(fields.name);
  await page.getByLabel("URL", { exact: true }).fill(fields.url);
  if (fields.version) await page.getByLabel("MQTT version").selectOption(fields.version);
  if (fields.username) await page.getByLabel("Username", { exact: true }).fill(fields.username);
  if (fields.password) await page.getByLabel("Password", { exact: true }).fill(fields.password);
  if (fields.reconnect === false) await page.getByLabel("Auto reconnect").uncheck();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: fields.name })).toBeVisible();
}

const status = (page: Page) => page.locator(".connection-view .status-badge");
const granted = (page: Page, label: string) =>
  page.locator(".granted-row", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
});

test("first run offers the built-in broker; connect shows what it granted; it persists", async ({ page, errors }) => {
  const builtin = page.getByRole("button", { name: "MQTT Deck built-in broker" });
  await builtin.click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(status(page)).toHaveText("connected");
  await expect(granted(page, "Session present")).toHaveText("no");
  await expect(granted(page, "Protocol")).toHaveText("MQTT 5.0");
  await expect(granted(page, "Receive maximum")).toHaveText(/^\d+$/);
  await expect(granted(page, "Maximum QoS")).toHaveText("2");
  await expect(granted(page, "Retain available")).toHaveText("yes");
  await expect(page.locator(".packet-list .kind").first()).toHaveText("CONNECT");
  await expect(page.locator(".packet-list .kind", { hasText: "CONNACK" })).toHaveCount(1);

  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(status(page)).toHaveText("disconnected");

  await page.reload();
  await expect(page.getByRole("button", { name: "MQTT Deck built-in broker" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a connection made with the form survives a reload", async ({ page, baseURL }) => {
  const url = new URL(baseURL!);
  await createConnection(page, { name: "Deck 3.1.1", url: `ws://127.0.0.1:${url.port}/mqtt`, version: "3.1.1" });
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(status(page)).toHaveText("connected");
  await expect(granted(page, "Protocol")).toHaveText("MQTT 3.1.1");
  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  // Saving is debounced; give it a moment before leaving the page.
  await page.waitForTimeout(600);
  await page.reload();
  await page.getByRole("button", { name: "Deck 3.1.1" }).click();
  await expect(page.locator(".connection-url")).toHaveText(`ws://127.0.0.1:${url.port}/mqtt`);
});

test("beginner mistakes in the URL get a specific hint", async ({ page }) => {
  await page.getByRole("button", { name: "New connection" }).click();
  const url = page.getByLabel("URL", { exact: true });
  await url.fill("mqtt://test.example.com:1883");
  await expect(page.getByRole("alert").filter({ hasText: "browsers cannot open mqtt://" })).toContainText("ws://test.example.com:8083/mqtt");
  await url.fill("broker.example.com:8083/mqtt");
  await expect(page.getByRole("alert").filter({ hasText: "add a scheme" })).toBeVisible();
  await url.fill("ws://broker.example.com:8084/mqtt");
  await expect(page.locator(".hint", { hasText: "did you mean wss://" })).toBeVisible();
  await url.fill("ws://broker.example.com:8083");
  await expect(page.locator(".hint", { hasText: "/mqtt" })).toBeVisible();
  // The separate fields follow the URL.
  await url.fill("wss://example.org:8884/ws");
  await expect(page.getByLabel("Host", { exact: true })).toHaveValue("example.org");
  await expect(page.getByLabel("Port", { exact: true })).toHaveValue("8884");
  await expect(page.getByLabel("Path", { exact: true })).toHaveValue("/ws");
  // An invalid port blocks saving.
  await page.getByLabel("Port", { exact: true }).fill("99999");
  await expect(page.getByText("port '99999' is not a number from 1 to 65535")).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Fix the fields marked in red first.")).toBeVisible();
});

test("a wrong port says the WebSocket closed before CONNACK", async ({ page }) => {
  const closed = await freePort();
  await createConnection(page, { name: "Nowhere", url: `ws://127.0.0.1:${closed}/mqtt`, reconnect: false });
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(status(page)).toHaveText("error");
  await expect(page.locator(".connection-error")).toContainText("WebSocket closed before CONNACK (code 1006");
  await expect(page.locator(".connection-log")).toContainText(`opening ws://127.0.0.1:${closed}/mqtt`);
});

test("a wrong path on the deck's own server is refused clearly", async ({ page, baseURL }) => {
  const url = new URL(baseURL!);
  await createConnection(page, { name: "Wrong path", url: `ws://127.0.0.1:${url.port}/not-mqtt`, reconnect: false });
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.locator(".connection-error")).toContainText("WebSocket closed before CONNACK");
});

test.describe("against Mosquitto's WebSocket listener", () => {
  test("MQTT 3.1.1 and 5.0 connect", async ({ page, errors }) => {
    const mosquitto = await Mosquitto.start();
    try {
      await createConnection(page, { name: "Mosquitto 3.1.1", url: mosquitto.url, version: "3.1.1" });
      await page.getByRole("button", { name: "Connect", exact: true }).click();
      await expect(status(page)).toHaveText("connected");
      await expect(granted(page, "Protocol")).toHaveText("MQTT 3.1.1");

      await createConnection(page, { name: "Mosquitto 5.0", url: mosquitto.url, version: "5.0" });
      await page.getByRole("button", { name: "Connect", exact: true }).click();
      await expect(status(page)).toHaveText("connected");
      await expect(granted(page, "Protocol")).toHaveText("MQTT 5.0");
      // Both stay live at once.
      await expect(page.locator('.connection-item[data-status="connected"]')).toHaveCount(2);
    } finally {
      await mosquitto.stop();
    }
    expect(errors).toEqual([]);
  });

  test("bad credentials are named", async ({ page }) => {
    const mosquitto = await Mosquitto.start({ users: { deck: "right" } });
    try {
      await createConnection(page, { name: "Bad v5", url: mosquitto.url, version: "5.0", username: "deck", password: "wrong", reconnect: false });
      await page.getByRole("button", { name: "Connect", exact: true }).click();
      // Mosquitto 2.0 answers a wrong password with 0x87 Not authorized; others use 0x86.
      await expect(page.locator(".connection-error")).toContainText(/connection refused: 0x8[67] (Bad User Name or Password|Not authorized)/);

      await createConnection(page, { name: "Bad 3.1.1", url: mosquitto.url, version: "3.1.1", username: "deck", password: "wrong", reconnect: false });
      await page.getByRole("button", { name: "Connect", exact: true }).click();
      await expect(page.locator(".connection-error")).toContainText(/connection refused: .*(Bad user name or password|Not authorized|not authorized)/i);
    } finally {
      await mosquitto.stop();
    }
  });

  test("auto reconnect recovers after the broker restarts", async ({ page }) => {
    const mosquitto = await Mosquitto.start();
    try {
      await createConnection(page, { name: "Restarting", url: mosquitto.url });
      // A short reconnect period keeps the test quick.
      await page.getByRole("button", { name: "Edit", exact: true }).click();
      await page.getByLabel("Reconnect period").fill("300");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByRole("button", { name: "Connect", exact: true }).click();
      await expect(status(page)).toHaveText("connected");
      await mosquitto.stop();
      await expect(status(page)).toHaveText(/reconnecting|connecting/);
      await mosquitto.run();
      await expect(status(page)).toHaveText("connected", { timeout: 15_000 });
      await expect(page.locator(".connection-log")).toContainText("reconnecting in");
    } finally {
      await mosquitto.stop();
    }
  });
});

test("corrupt stored data is reported and the app still starts", async ({ page }) => {
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open("mqttdeck", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("kv");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("kv", "readwrite");
      tx.objectStore("kv").put("{definitely not json", "document");
      tx.oncomplete = () => { open.result.close(); resolve(); };
    };
  }));
  await page.reload();
  await expect(page.getByRole("alert").filter({ hasText: "could not be read" })).toBeVisible();
  await expect(page.getByRole("button", { name: "MQTT Deck built-in broker" })).toBeVisible();
  // What could not be read is not lost: it can be saved as it was.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export the unreadable data" }).click(),
  ]);
  const { readFileSync } = await import("node:fs");
  expect(readFileSync((await download.path())!, "utf8")).toBe("{definitely not json");
});

test("connections export without passwords and import by merging", async ({ page }) => {
  page.on("dialog", (dialog) => dialog.dismiss()); // "Include passwords?" → no
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export connections" }).click(),
  ]);
  const path = await download.path();
  const { readFileSync, writeFileSync } = await import("node:fs");
  const exported = JSON.parse(readFileSync(path!, "utf8"));
  expect(exported.connections).toHaveLength(1);
  expect(exported.connections[0].name).toBe("MQTT Deck built-in broker");
  // Change the one connection and add another, then import: nothing is replaced.
  exported.connections[0].broker.port = 9999;
  exported.connections.push({ ...exported.connections[0], id: "other", name: "Imported broker" });
  writeFileSync(path!, JSON.stringify(exported));
  await page.locator("#import-connections").setInputFiles(path!);
  await expect(page.getByRole("alert").filter({ hasText: "Imported: 1 added, 1 added as copies" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Imported broker" })).toBeVisible();
  await expect(page.getByRole("button", { name: "MQTT Deck built-in broker (imported)" })).toBeVisible();
  await expect(page.getByRole("button", { name: "MQTT Deck built-in broker", exact: true })).toBeVisible();
});

test("a client id live in another tab is warned about before connecting", async ({ page, context }) => {
  await page.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(status(page)).toHaveText("connected");
  const other = await context.newPage();
  await other.goto("/");
  await other.getByRole("button", { name: "MQTT Deck built-in broker" }).click();
  let warning = "";
  other.on("dialog", (dialog) => {
    warning = dialog.message();
    dialog.dismiss();
  });
  await other.waitForTimeout(300);
  await other.getByRole("button", { name: "Connect", exact: true }).click();
  await expect.poll(() => warning).toContain("same broker with client id");
  await expect(other.locator(".connection-view .status-badge")).toHaveText("disconnected");
  await other.close();
});
