// A page fixture that fails the test on any uncaught page error or console error:
// a broken wasm still renders correct server HTML, so silence is not proof.
import { test as base, expect } from "@playwright/test";

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
