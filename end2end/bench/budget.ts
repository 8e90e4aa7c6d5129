// Sets the page's message budget through the Settings page, so that a benchmark holds
// every message it sends instead of evicting the oldest.
import { expect, Page } from "@playwright/test";

export async function raiseBudget(page: Page, messages: number, mib = 1024): Promise<void> {
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await page.getByLabel("Messages kept per connection").fill(String(messages));
  await page.getByLabel("Memory per connection (MiB)").fill(String(mib));
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await page.getByRole("button", { name: "Close settings" }).click();
  // Settings are written to storage shortly after a change; let that happen before a reload.
  await page.waitForTimeout(1000);
}
