// The benchmark mode of the end-to-end suite (not run by `cargo xtask test`):
//   MQTTDECK_URL=http://127.0.0.1:3000 npx playwright test -c playwright.bench.config.ts
// against a release `mqttdeck` (its /mqtt endpoint is the broker flooded).
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  testDir: "./bench",
  testMatch: /.*\.bench\.ts/,
  timeout: 300_000,
});
