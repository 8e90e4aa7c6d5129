// MQTT.js (npm `mqtt`, from end2end/node_modules) wrapped for the interop scripts:
// connect with a deadline, received messages collected in order, and "everything
// before this marker" so a script can show that nothing unexpected arrived. Every wait
// is bounded; a script prints one JSON object on stdout for the Rust test to assert on.
//
// Scripts take `URL VERSION` (`ws://127.0.0.1:PORT/mqtt`, protocol version 3, 4 or 5).

import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";

// The mqtt package lives in end2end/node_modules; resolve it from there.
const require = createRequire(new URL("../../end2end/package.json", import.meta.url));
const mqtt = require("mqtt");

export const WAIT_MS = 10_000;

export class StepFailed extends Error {}

export function setup() {
  const [url, version] = process.argv.slice(2);
  if (!url || !["3", "4", "5"].includes(version)) {
    console.error("usage: node SCRIPT ws://127.0.0.1:PORT/mqtt 3|4|5");
    process.exit(2);
  }
  return { url, version: Number(version) };
}

/** A topic no other run touches, so retained leftovers cannot leak between tests. */
export function unique(stem) {
  return `interop/mqttjs/${stem}/${randomBytes(6).toString("hex")}`;
}

function within(promise, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new StepFailed(`${what}: no answer in time`)), WAIT_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export class Peer {
  constructor({ url, version }, name, options = {}) {
    this.url = url;
    this.options = {
      protocolVersion: version,
      // MQTT 3.1 allows client identifiers of at most 23 characters.
      clientId: `${name.slice(0, 14)}-${randomBytes(4).toString("hex")}`,
      reconnectPeriod: 0,
      connectTimeout: WAIT_MS,
      ...(version === 3 ? { protocolId: "MQIsdp" } : {}),
      ...options,
    };
    this.messages = [];
    this.waiters = [];
  }

  /** Connects and resolves with the CONNACK MQTT.js saw. */
  async connect() {
    this.client = mqtt.connect(this.url, this.options);
    this.client.on("message", (topic, payload, packet) => {
      this.messages.push(describe(topic, payload, packet));
      this.waiters.splice(0).forEach((wake) => wake());
    });
    const connack = await within(
      new Promise((resolve, reject) => {
        this.client.once("connect", resolve);
        this.client.once("error", reject);
      }),
      "CONNACK",
    );
    return {
      returnCode: connack.returnCode ?? connack.reasonCode ?? 0,
      sessionPresent: connack.sessionPresent,
      properties: connack.properties ?? {},
    };
  }

  /** Subscribes and resolves with the granted QoS / reason codes from the SUBACK. */
  async subscribe(filter, options) {
    const granted = await within(this.client.subscribeAsync(filter, options), `SUBACK for ${filter}`);
    return granted.map((grant) => grant.qos);
  }

  async publish(topic, payload, options) {
    await within(this.client.publishAsync(topic, payload, options), `publish to ${topic}`);
  }

  /** Resolves with the messages received before one whose payload is `marker`. */
  async untilMarker(marker) {
    const at = await this.waitFor(() => {
      const index = this.messages.findIndex((message) => message.payload === marker);
      return index < 0 ? undefined : index;
    }, `marker ${marker}`);
    const before = this.messages.slice(0, at);
    this.messages = this.messages.slice(at + 1);
    return before;
  }

  /** Resolves with the next message received. */
  async next() {
    await this.waitFor(() => (this.messages.length > 0 ? true : undefined), "a message");
    return this.messages.shift();
  }

  async waitFor(check, what) {
    const deadline = Date.now() + WAIT_MS;
    for (let found = check(); ; found = check()) {
      if (found !== undefined) return found;
      if (Date.now() > deadline) {
        throw new StepFailed(`${what} never arrived; saw ${JSON.stringify(this.messages)}`);
      }
      await new Promise((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 100);
      });
    }
  }

  /** Drops the connection without DISCONNECT, as a crashed client would. */
  kill() {
    this.client.end(true);
  }

  async close() {
    await within(this.client.endAsync(), "DISCONNECT");
  }
}

function describe(topic, payload, packet) {
  const properties = { ...(packet.properties ?? {}) };
  if (properties.correlationData) {
    properties.correlationData = Buffer.from(properties.correlationData).toString("hex");
  }
  return { topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain, properties };
}

/** Runs `scenario(setup)` and prints its result (or the failed step) as JSON. */
export async function run(scenario) {
  let result;
  try {
    result = await scenario(setup());
  } catch (failure) {
    result = { failed: String(failure?.stack ?? failure) };
  }
  console.log(JSON.stringify(result));
  process.exit(0);
}
