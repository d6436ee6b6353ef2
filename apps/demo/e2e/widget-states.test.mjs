// Issue 19 in Chromium: every widget state visible, distinct and accessible (axe-core, contrast
// computed from the rendered colours, forced colours, reduced motion, 360 px, strict CSP), one
// screenshot per state, and the recoverable paths (popup closed early, opener cut, Escape,
// disconnect confirmation, rate-limited start) against the real stack. One browser for the file.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { approve, expectConnected, launchBrowser, openDemo, popupFrom, widget } from "./support/browser.mjs";
import { resultsDir, URLS } from "./support/stack.mjs";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const shots = join(resultsDir, "states");
mkdirSync(shots, { recursive: true });

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Runs axe-core (WCAG 2.2 A/AA rules) on the page; returns its violations. */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    // `axe` is the global injected by addScriptTag.
    axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }),
  );
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Contrast of every text in every widget (status line, buttons), computed from the colours the
 * browser rendered: the text colour against each colour stop of the nearest painted background
 * (a gradient counts by its worst stop). Returns [{ where, text, ratio }].
 */
function contrasts(page) {
  return page.evaluate(() => {
    const rgb = (value) => (value.match(/rgba?\([^)]+\)/g) ?? []).map((c) => c.match(/[\d.]+/g).map(Number));
    const luminance = ([r, g, b]) => {
      const [R, G, B] = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const ratio = (a, b) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const background = (element) => {
      for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.backgroundImage.includes("gradient")) return rgb(style.backgroundImage);
        const [color] = rgb(style.backgroundColor);
        if (color && (color[3] ?? 1) > 0) return [color];
      }
      return [[255, 255, 255]];
    };
    return [...document.querySelectorAll(".ic-status, .ic-btn")]
      .filter((element) => element.textContent.trim())
      .map((element) => {
        const [color] = rgb(getComputedStyle(element).color);
        const card = element.closest("[data-example]");
        return {
          where: `${card?.dataset.theme}/${card?.dataset.example} ${element.className}`,
          text: element.textContent,
          ratio: Math.min(...background(element).map((bg) => ratio(color, bg))),
        };
      });
  });
}

const openStates = (options = {}) => openDemo(browser, { path: "/states.html", ...options });

test("states page: every state in both themes has 0 axe violations, text contrast >= 4.5:1, and a screenshot", async () => {
  const { context, page } = await openStates();
  try {
    const cards = page.locator("[data-example]");
    await page.locator('[data-example="confirm"] .ic[data-state="connected"]').first().waitFor();
    await page.getByText("Disconnect @jane.doe?").first().waitFor();
    assert.equal(await cards.count(), 30, "15 states x 2 themes");

    assert.deepEqual(await axeViolations(page), []);

    const measured = await contrasts(page);
    assert.ok(measured.length >= 50, `measured ${measured.length} texts`);
    const low = measured
      .filter((m) => m.ratio < 4.5)
      .map((m) => `${m.where} "${m.text}" ${m.ratio.toFixed(2)}:1`);
    assert.deepEqual(low, []);

    // Distinct: each state says something different on screen (idle says nothing, its button speaks).
    const statuses = await page.locator('[data-theme="light"][data-example] .ic-status').allTextContents();
    const shown = statuses.filter(Boolean);
    assert.equal(new Set(shown).size, shown.length, `statuses repeat: ${shown.join(" | ")}`);
    for (const element of await page.locator(".ic-status").all()) {
      if (await element.textContent()) assert.ok(await element.isVisible(), "the status line is visible");
    }

    for (const card of await cards.all()) {
      const name = `${await card.getAttribute("data-theme")}-${await card.getAttribute("data-example")}.png`;
      await card.screenshot({ path: join(shots, name), animations: "disabled" });
    }
    await page.screenshot({ path: join(shots, "all-states.png"), fullPage: true, animations: "disabled" });

    // Targets: at least 24 px (the stylesheet gives 36, 44 on touch screens).
    const small = await page.$$eval(
      ".ic-btn",
      (buttons) =>
        buttons.map((b) => b.getBoundingClientRect()).filter((r) => r.height < 24 || r.width < 24).length,
    );
    assert.equal(small, 0);
  } finally {
    await context.close();
  }
});

test("forced colours keep a visible border on every button; reduced motion stops the spinner", async () => {
  const { context, page } = await openStates();
  try {
    await page.emulateMedia({ forcedColors: "active", reducedMotion: "reduce" });
    await page.locator('[data-example="connecting"] .ic-spin').first().waitFor();
    const borders = await page.$$eval(".ic-btn", (buttons) =>
      buttons.map((b) => {
        const s = getComputedStyle(b);
        return {
          style: s.borderTopStyle,
          width: Number.parseFloat(s.borderTopWidth),
          color: s.borderTopColor,
        };
      }),
    );
    for (const border of borders) {
      assert.equal(border.style, "solid");
      assert.ok(border.width >= 1);
      assert.doesNotMatch(border.color, /rgba\(0, 0, 0, 0\)|transparent/);
    }
    const animation = await page.$eval(".ic-spin", (s) => getComputedStyle(s).animationName);
    assert.equal(animation, "none");
    await page.screenshot({ path: join(shots, "forced-colors.png"), fullPage: true });
  } finally {
    await context.close();
  }
});

test("on a 360 px touch screen every widget wraps inside the screen with 44 px targets; a long username ends in an ellipsis with the full name in a tooltip", async () => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 900 },
    hasTouch: true,
    isMobile: true,
  });
  try {
    const page = await context.newPage();
    await page.goto(`${URLS.demo}/states.html`);
    await page.locator('[data-example="long"] .ic-status').first().waitFor();
    const overflowing = await page.$$eval(".ic", (widgets) =>
      widgets
        .filter((w) => w.getBoundingClientRect().right > window.innerWidth || w.scrollWidth > w.clientWidth)
        .map((w) => w.closest("[data-example]")?.getAttribute("data-example")),
    );
    assert.deepEqual(overflowing, []);
    const heights = await page.$$eval(".ic-btn", (buttons) =>
      buttons.map((b) => b.getBoundingClientRect().height),
    );
    assert.ok(Math.min(...heights) >= 44, `touch targets: ${Math.min(...heights)} px`);
    const long = page.locator('[data-theme="light"][data-example="long"]');
    const status = long.locator(".ic-status");
    const cut = await status.evaluate((s) => ({
      truncated: s.scrollWidth > s.clientWidth,
      overflow: getComputedStyle(s).textOverflow,
      title: s.title,
    }));
    assert.deepEqual(cut, {
      truncated: true,
      overflow: "ellipsis",
      title: "Connected as @a_very_long_username_29_chars",
    });
    const disconnect = await long.getByRole("button", { name: "Disconnect" }).boundingBox();
    assert.ok(disconnect && disconnect.x + disconnect.width <= 360, "Disconnect stays on screen");
    await long.screenshot({ path: join(shots, "360px-long-username.png") });
  } finally {
    await context.close();
  }
});

test("strict CSP (style-src 'self'): the widget is styled by its stylesheet and nothing is refused", async () => {
  const watch = () => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(e.violatedDirective),
    );
  };
  for (const path of ["/?csp", "/states.html?csp"]) {
    const { context, page, response } = await openDemo(browser, { path, initScript: watch });
    try {
      assert.equal(response?.headers()["content-security-policy"], "style-src 'self'");
      const button = page.locator(".ic .ic-btn").first();
      await button.waitFor();
      await page.locator('.ic:not([data-state="loading"])').first().waitFor();
      const look = await page
        .locator('.ic[data-state="idle"] .ic-brand')
        .first()
        .evaluate((b) => ({ image: getComputedStyle(b).backgroundImage, color: getComputedStyle(b).color }));
      assert.match(look.image, /linear-gradient/);
      assert.equal(look.color, "rgb(255, 255, 255)");
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
    } finally {
      await context.close();
    }
  }
});

test("auto theme follows a dark system setting on the live demo", async () => {
  const { context, page } = await openDemo(browser);
  try {
    await page.emulateMedia({ colorScheme: "dark" });
    await widget(page).getByRole("button", { name: "Connect Instagram" }).waitFor();
    const bg = await widget(page).evaluate((w) => getComputedStyle(w).backgroundColor);
    assert.equal(bg, "rgb(18, 18, 18)");
  } finally {
    await context.close();
  }
});

test("a popup closed without a result says 'Not finished' with Try again within 2 s", async () => {
  const { context, page } = await openDemo(browser);
  try {
    const popup = await popupFrom(page, page.getByRole("button", { name: "Connect Instagram" }));
    await popup.locator("#allow").waitFor();
    await page.waitForTimeout(1600); // longer than a cut link needs to show (see popup-handshake.ts)
    const closed = Date.now();
    await popup.close();
    await widget(page).getByRole("status").getByText("Not finished.").waitFor({ timeout: 2500 });
    assert.ok(Date.now() - closed < 2500);
    await widget(page).getByRole("button", { name: "Try again" }).waitFor();
    await widget(page).screenshot({ path: join(shots, "live-unfinished.png") });
    const again = await popupFrom(page, widget(page).getByRole("button", { name: "Try again" }));
    await Promise.all([again.waitForEvent("close"), approve(again, "jane.doe")]);
    await expectConnected(page, "jane.doe");
  } finally {
    await context.close();
  }
});

test("with the opener cut (COOP), coming back from a closed popup says 'Not finished' within 2 s", async () => {
  const { context, page } = await openDemo(browser, { path: "/?coop" });
  try {
    const [popup] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("button", { name: "Connect Instagram" }).click(),
    ]);
    await popup.locator("#allow").waitFor();
    const closed = Date.now();
    await popup.close();
    // What the browser does when the visitor is back on the page.
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await widget(page).getByRole("status").getByText("Not finished.").waitFor({ timeout: 2500 });
    assert.ok(Date.now() - closed < 2500);
  } finally {
    await context.close();
  }
});

test("keyboard only: Escape cancels; after connecting Enter is harmless; Disconnect asks, Escape keeps, confirming disconnects", async () => {
  const { context, page } = await openDemo(browser);
  try {
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await page.getByRole("button", { name: "Connect Instagram" }).waitFor();
    await page.keyboard.press("Tab");
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.keyboard.press("Enter")]);
    await popup.locator("#allow").waitFor();
    await page.bringToFront();
    await page.keyboard.press("Escape");
    await widget(page).getByRole("status").getByText("Cancelled.").waitFor();
    assert.equal(popup.isClosed() || (await popup.evaluate(() => window.closed).catch(() => true)), true);
    assert.equal(await focused(), "Connect Instagram");

    const [second] = await Promise.all([page.waitForEvent("popup"), page.keyboard.press("Enter")]);
    await Promise.all([second.waitForEvent("close"), approve(second, "jane.doe")]);
    await expectConnected(page, "jane.doe");
    assert.equal(await focused(), "Connected as @jane.doe");
    await page.keyboard.press("Enter");
    assert.equal(await widget(page).getAttribute("data-state"), "connected");

    await page.keyboard.press("Tab");
    assert.equal(await focused(), "Disconnect");
    await page.keyboard.press("Enter");
    await widget(page).getByRole("status").getByText("Disconnect @jane.doe?").waitFor();
    assert.equal(await focused(), "Keep");
    await widget(page).screenshot({ path: join(shots, "live-confirm.png") });
    await page.keyboard.press("Escape");
    await widget(page).getByRole("status").getByText("Connected as @jane.doe").waitFor();

    await widget(page).getByRole("button", { name: "Disconnect" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(), "Disconnect");
    await page.keyboard.press("Enter");
    await widget(page).getByRole("status").getByText("Disconnected.").waitFor();
    assert.equal(await focused(), "Connect Instagram");
  } finally {
    await context.close();
  }
});

// Last: it spends one client's consent-flow budget (its own, marked by a test-only client IP).
test("a rate-limited start: the popup shows a page, the widget says so with a live countdown", async () => {
  const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
  const { context, page } = await openDemo(browser);
  try {
    await context.route(`${URLS.relay}/v1/oauth/start*`, (route) =>
      route.continue({ headers: { ...route.request().headers(), "cf-connecting-ip": ip } }),
    );
    // Spend this client's budget (a burst of 200 in the e2e stack) with cheap refused callbacks,
    // and keep spending it until the popup has asked, so no token refills in between.
    const spend = () =>
      Promise.all(
        Array.from({ length: 25 }, () =>
          fetch(`${URLS.relay}/v1/oauth/callback`, { headers: { "CF-Connecting-IP": ip } }).then((r) => {
            void r.body?.cancel();
            return r.status;
          }),
        ),
      );
    let refused = false;
    for (let round = 0; round < 40 && !refused; round++) refused = (await spend()).includes(429);
    assert.ok(refused, "the relay started refusing this client");
    let asked = false;
    const draining = (async () => {
      while (!asked) await spend();
    })();

    const popup = await popupFrom(page, page.getByRole("button", { name: "Connect Instagram" }));
    try {
      await widget(page).getByRole("status").getByText("Too many attempts.").waitFor();
    } finally {
      asked = true;
      await draining;
    }
    const button = widget(page).getByRole("button", { name: /^Try again in \d+ s$/ });
    const first = await button.textContent();
    assert.equal(await button.getAttribute("aria-disabled"), "true");
    await page.waitForFunction(
      (label) => document.querySelector(".demo-widget .ic-btn")?.textContent !== label,
      first,
      { timeout: 3000 },
    );
    await widget(page).screenshot({ path: join(shots, "live-rate-limited.png") });
    assert.ok(popup.isClosed(), "the popup page handed the result back and closed");
  } finally {
    await context.close();
  }
});
