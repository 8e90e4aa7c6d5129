// The app shell: it loads without errors, hydrates, and its theme switch works.
import { test, expect } from "./fixtures";

test("the page loads with its layout and title", async ({ page, errors }) => {
  await page.goto("/");
  await expect(page).toHaveTitle("MQTT Deck");
  await expect(page.getByRole("complementary", { name: "Connections" })).toBeVisible();
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.locator("footer.status-bar")).toBeVisible();
  expect(errors).toEqual([]);
});

test("the theme toggle works, which proves hydration", async ({ page, errors }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  await page.waitForLoadState("networkidle");
  const deck = page.locator(".deck");
  const toggle = page.getByRole("button", { name: /^Theme: / });
  await expect(toggle).toHaveText("Theme: System");
  const lightBackground = await deck.evaluate((el) => getComputedStyle(el).backgroundColor);

  // Only the hydrated wasm reacts to clicks: the server HTML alone would stay put.
  await toggle.click();
  await expect(toggle).toHaveText("Theme: Light");
  await toggle.click();
  await expect(toggle).toHaveText("Theme: Dark");
  await expect(deck).toHaveAttribute("data-theme", "dark");
  const darkBackground = await deck.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(darkBackground).not.toEqual(lightBackground);

  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole("button", { name: "Theme: Dark" })).toBeVisible();
  await expect(deck).toHaveAttribute("data-theme", "dark");
  expect(errors).toEqual([]);
});

test("the system dark preference applies without a choice", async ({ page, errors }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  const background = await page
    .locator(".deck")
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).toBe("rgb(18, 21, 27)");
  expect(errors).toEqual([]);
});

test("the favicon is served", async ({ request }) => {
  const response = await request.get("/favicon.svg");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("image/svg+xml");
});
