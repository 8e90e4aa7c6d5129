// Messages between the page and brokers and clients nobody here wrote: Mosquitto's
// WebSocket listener with mosquitto_pub / mosquitto_sub on its TCP listener, and a SUBACK
// refused by a broker's ACL. Everything the page does goes through its UI.
import { Page } from "@playwright/test";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect, firstVisit } from "./fixtures";
import { Mosquitto } from "./mosquitto";
import { startDeckBroker } from "./deck_broker";

const status = (page: Page) => page.locator(".connection-view .status-badge");
const subscribeForm = (page: Page) => page.getByRole("form", { name: "Subscribe" });
const publishForm = (page: Page) => page.getByRole("region", { name: "Publish" });
const detailValue = (page: Page, name: string) =>
  page.locator(".detail-header div", { has: page.locator("dt", { hasText: new RegExp(`^${name}$`) }) }).locator("dd");

test.beforeEach(async ({ page }) => {
  await firstVisit(page);
});

async function connectTo(page: Page, url: string, options: { version?: string; username?: string; password?: string } = {}) {
  await page.getByRole("button", { name: "New connection" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Interop");
  await page.getByLabel("URL", { exact: true }).fill(url);
  if (options.version) await page.getByLabel("MQTT version").selectOption(options.version);
  if (options.username) await page.getByLabel("Username", { exact: true }).fill(options.username);
  if (options.password) await page.getByLabel("Password", { exact: true }).fill(options.password);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(status(page)).toHaveText("connected");
}

async function subscribe(page: Page, filter: string, options: { qos?: string; noLocal?: boolean; retainHandling?: string; id?: string } = {}) {
  const form = subscribeForm(page);
  await form.getByLabel("Topic filter").fill(filter);
  await form.getByLabel("QoS").selectOption(options.qos ?? "0");
  if (options.noLocal) await form.getByLabel("No Local").check();
  if (options.retainHandling) await form.getByLabel("Retain Handling").selectOption(options.retainHandling);
  if (options.id) await form.getByLabel("Subscription identifier").fill(options.id);
  await form.getByRole("button", { name: "Subscribe" }).click();
  if (options.noLocal) await form.getByLabel("No Local").uncheck();
  if (options.retainHandling) await form.getByLabel("Retain Handling").selectOption("0");
  if (options.id) await form.getByLabel("Subscription identifier").fill("");
  return page.locator(`.subscription[data-filter="${filter}"] .suback`);
}

async function publishText(page: Page, topic: string, payload: string) {
  const form = publishForm(page);
  await form.getByLabel("Topic", { exact: true }).fill(topic);
  await form.getByLabel("Payload", { exact: true }).fill(payload);
  await form.getByRole("button", { name: "Publish" }).click();
}

/** Runs a mosquitto client to completion and returns what it printed. */
function runClient(command: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("exit", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

test("mosquitto_pub's bytes and v5 properties reach the page through Mosquitto intact", async ({ page }) => {
  const mosquitto = await Mosquitto.start();
  try {
    await connectTo(page, mosquitto.url, { version: "5.0" });
    await expect(await subscribe(page, "interop/in/#", { qos: "1", id: "42" })).toHaveText(/Granted QoS/);
    const bytes = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x0d, 0x0a, 0x41]);
    const dir = mkdtempSync(join(tmpdir(), "mqttdeck-interop-"));
    const file = join(dir, "payload.bin");
    writeFileSync(file, bytes);
    const sent = await runClient("mosquitto_pub", [
      "-h", "127.0.0.1", "-p", String(mosquitto.tcpPort), "-V", "5", "-q", "1",
      "-t", "interop/in/bin", "-f", file,
      "-D", "publish", "content-type", "application/x-test",
      "-D", "publish", "user-property", "origin", "mosquitto_pub",
      "-D", "publish", "response-topic", "interop/reply",
    ]);
    expect(sent.code, sent.err).toBe(0);

    const row = page.locator(".log-row.msg-received");
    await expect(row).toHaveCount(1);
    await expect(row.locator(".msg-topic")).toHaveText("interop/in/bin");
    await row.locator(".msg-preview").click();
    await expect(detailValue(page, "Size")).toHaveText("9 bytes");
    await expect(detailValue(page, "QoS")).toHaveText("1");
    await expect(detailValue(page, "Content type")).toHaveText("application/x-test");
    await expect(detailValue(page, "Response topic")).toHaveText("interop/reply");
    await expect(detailValue(page, "User property origin")).toHaveText("mosquitto_pub");
    await expect(detailValue(page, "Subscription identifiers")).toHaveText("42");
    await page.getByRole("button", { name: "Hex view" }).click();
    await expect(page.locator(".detail-hex").first()).toContainText("00 01 7f 80 fe ff 0d 0a 41");
  } finally {
    await mosquitto.stop();
  }
});

test("v5 publish properties set in the page arrive at mosquitto_sub unchanged", async ({ page }) => {
  const mosquitto = await Mosquitto.start();
  try {
    await connectTo(page, mosquitto.url, { version: "5.0" });
    const sub = runClient("mosquitto_sub", [
      "-h", "127.0.0.1", "-p", String(mosquitto.tcpPort), "-V", "5", "-t", "interop/props",
      "-C", "1", "-W", "15", "-F", "%t|%C|%R|%D|%P|%p",
    ]);
    // mosquitto_sub subscribes before the page publishes.
    await page.waitForTimeout(500);
    const form = publishForm(page);
    await form.getByText("MQTT 5 properties").click();
    await form.getByLabel("Content type").fill("text/plain");
    await form.getByLabel("Response topic").fill("interop/answer");
    await form.getByLabel("Correlation data").fill("req-7");
    await form.getByLabel(/User properties/).fill("k1=v1\nk2=v 2");
    await publishText(page, "interop/props", "grüße €");
    const { code, out, err } = await sub;
    expect(code, err).toBe(0);
    expect(out.trim()).toBe("interop/props|text/plain|interop/answer|req-7|k1:v1 k2:v 2|grüße €");
  } finally {
    await mosquitto.stop();
  }
});

/** mosquitto_sub on `filter`, printing each message as "topic hex-of-payload" per line. */
class HexSubscriber {
  private out = "";
  private readonly child: ChildProcess;
  private constructor(private readonly broker: Mosquitto, filter: string) {
    this.child = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(broker.tcpPort), "-V", "5", "-q", "1", "-t", filter, "-F", "%t %x"]);
    this.child.stdout!.on("data", (chunk) => (this.out += chunk));
  }

  /** Starts it and returns once it receives: a probe is published until it comes back. */
  static async start(broker: Mosquitto, filter: string, probeTopic: string): Promise<HexSubscriber> {
    const sub = new HexSubscriber(broker, filter);
    await expect.poll(async () => {
      await runClient("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(broker.tcpPort), "-t", probeTopic, "-m", "probe"]);
      return sub.messages().has(probeTopic);
    }).toBe(true);
    return sub;
  }

  /** The payload bytes received per topic (the last one on each topic). */
  messages(): Map<string, Buffer> {
    const lines = this.out.split("\n").filter((line) => line.length > 0);
    return new Map(lines.map((line) => {
      const [topic, hex = ""] = line.split(" ");
      return [topic, Buffer.from(hex, "hex")];
    }));
  }

  stop(): void {
    this.child.kill("SIGTERM");
  }
}

test("text, JSON, hex, Base64, CBOR, MessagePack and a binary file arrive at mosquitto_sub byte for byte", async ({ page }) => {
  const mosquitto = await Mosquitto.start();
  const sub = await HexSubscriber.start(mosquitto, "interop/bytes/#", "interop/bytes/probe");
  try {
    await connectTo(page, mosquitto.url, { version: "5.0" });
    const form = publishForm(page);
    const text = "grüße €\n  tabs\tand trailing spaces  \n";
    // JSON goes out exactly as typed: key order, spacing, number spelling and escapes kept.
    const json = '{\n  "z": 1,\n  "ä": [2.50, true, null, -0],\n  "s": "a\\u0000b"\n}';
    const cases: [string, string, string, Buffer][] = [
      ["interop/bytes/text", "text", text, Buffer.from(text, "utf8")],
      ["interop/bytes/json", "json", json, Buffer.from(json, "utf8")],
      ["interop/bytes/hex", "hex", "00 01 7F 80\nfe ff 0d 0a", Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x0d, 0x0a])],
      ["interop/bytes/base64", "base64", "AP9/gA==", Buffer.from([0x00, 0xff, 0x7f, 0x80])],
      ["interop/bytes/cbor", "cbor", '{"z":1,"a":[true,null,-2,1.5,"x"]}', Buffer.from("a2617a01616185f5f621f93e006178", "hex")],
      ["interop/bytes/msgpack", "msgpack", '{"z":1,"a":[true,null,-2,1.5,"x"]}', Buffer.from("82a17a01a16195c3c0fecb3ff8000000000000a178", "hex")],
    ];
    for (const [topic, format, payload] of cases) {
      await form.getByLabel("Payload format").selectOption(format);
      await publishText(page, topic, payload);
      await expect(form.getByRole("alert")).toHaveCount(0);
    }

    // A file that is not UTF-8 (every byte value, more than MQTT Explorer's 20,000-byte cut).
    const file = Buffer.alloc(256 * 100);
    for (let i = 0; i < file.length; i++) file[i] = (i * 31 + 7) % 256;
    const path = join(mkdtempSync(join(tmpdir(), "mqttdeck-interop-")), "blob.bin");
    writeFileSync(path, file);
    await form.getByLabel("Topic", { exact: true }).fill("interop/bytes/file");
    await form.getByLabel("Payload file").setInputFiles(path);
    await expect(form.locator(".file-name")).toHaveText("blob.bin (25600 bytes)");
    await form.getByRole("button", { name: "Publish", exact: true }).click();

    const expected = new Map(cases.map(([topic, , , bytes]) => [topic, bytes.toString("hex")]));
    expected.set("interop/bytes/file", file.toString("hex"));
    await expect.poll(() => [...expected.keys()].filter((topic) => sub.messages().has(topic)).length).toBe(expected.size);
    const got = sub.messages();
    for (const [topic, hex] of expected) {
      expect(got.get(topic)!.toString("hex"), topic).toBe(hex);
    }
    // The page's own log holds the same bytes it sent.
    await page.locator(".log-row.msg-published").filter({ hasText: "interop/bytes/file" }).click();
    await expect(detailValue(page, "Size")).toHaveText("25600 bytes");
  } finally {
    sub.stop();
    await mosquitto.stop();
  }
});

test("subscription options behave the same against Mosquitto", async ({ page }) => {
  const mosquitto = await Mosquitto.start();
  try {
    await connectTo(page, mosquitto.url, { version: "5.0" });
    const retained = await runClient("mosquitto_pub", [
      "-h", "127.0.0.1", "-p", String(mosquitto.tcpPort), "-t", "interop/opts/kept", "-r", "-m", "kept",
    ]);
    expect(retained.code, retained.err).toBe(0);
    await expect(await subscribe(page, "interop/opts/kept", { retainHandling: "2" })).toHaveText(/Granted QoS/);
    await expect(await subscribe(page, "interop/opts/mine", { noLocal: true })).toHaveText(/Granted QoS/);
    await publishText(page, "interop/opts/mine", "from the page");
    // The published row is ours; neither the retained message nor our own comes back.
    await expect(page.locator(".log-row.msg-published")).toHaveCount(1);
    await page.waitForTimeout(500);
    await expect(page.locator(".log-row.msg-received")).toHaveCount(0);
    // Retain Handling 0 does get it.
    await expect(await subscribe(page, "interop/opts/+")).toHaveText(/Granted QoS/);
    await expect(page.locator(".log-row.msg-received .msg-preview")).toHaveText(["kept"]);
  } finally {
    await mosquitto.stop();
  }
});

for (const [version, refusal] of [["5.0", /Not authorized.*check the broker's ACL/], ["3.1.1", /0x80|Failure|Unspecified/]] as const) {
  test(`a filter the ACL forbids shows its SUBACK failure (MQTT ${version})`, async ({ page }) => {
    const broker = await startDeckBroker([{ name: "alice", password: "wonderland" }], "user alice\ntopic readwrite allowed/#\n");
    try {
      await connectTo(page, broker.url, { version, username: "alice", password: "wonderland" });
      const forbidden = await subscribe(page, "secret/#");
      await expect(forbidden).toHaveText(refusal);
      await expect(forbidden).toHaveClass(/failed/);
      await expect(await subscribe(page, "allowed/#")).toHaveText(/Granted QoS/);
    } finally {
      broker.stop();
    }
  });
}
