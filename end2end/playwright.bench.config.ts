// The benchmark mode of the end-to-end suite (not run by `cargo xtask test`):
//   MQTTDECK_URL=http://127.0.0.1:3000 npx playwright test -c playwright.bench.config.ts
// against a release `mqttdeck` started with its defaults: the page connects to its /mqtt
// endpoint, and the publisher floods the same broker over MQTT/TCP on 127.0.0.1:1883
// (MQTTDECK_MQTT_URL for another address, BENCH_PUBLISHER=ws to publish over /mqtt too).
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  testDir: "./bench",
  testMatch: /.*\.bench\.ts/,
  timeout: 300_000,
});
