// Playwright drives Debian's Chromium (it cannot download its own browsers here).
// `cargo xtask test` starts the release mqttdeck on free loopback ports and passes its
// address as MQTTDECK_URL.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  // "list", not "html": the html reporter waits for Ctrl-C after a failure.
  reporter: "list",
  use: {
    baseURL: process.env.MQTTDECK_URL ?? "http://127.0.0.1:3000",
    trace: "off",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
});
