//! The browser suite's harness: starts the real server binary and Debian's Chromium, makes
//! desktop, phone and projector contexts, runs axe on a page, saves screenshots, and
//! watches for page errors and requests to other hosts. No test logic here.
//!
//! Never downloads a browser: playwright-core drives /usr/bin/chromium (or $CHROMIUM_BIN).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const FRONTEND = resolve(here, '..');
export const RESULTS = join(FRONTEND, 'test-results');

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** How long a test waits for one UI state, in ms: generous for a busy 2-core machine. */
export const WAIT = 15_000;

/** The longest a suite (one test file) may run before the harness stops it, in ms. */
const SUITE_LIMIT_MS = 150_000;

/** The WCAG 2.0 and 2.1 levels A and AA: what the issue asks of every view. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
  projector: { width: 1920, height: 1080 },
};

/**
 * Starts `samsyn --addr 127.0.0.1:0 --data <tempdir> --allow-anonymous` (and `extraArgs`) and answers its base URL
 * once it says "Samsyn is running: open http://…". The data folder is removed by `stop()`.
 *
 * `anonymous: false` leaves out `--allow-anonymous`: the server then wants a signed-in member to create sessions,
 * as it does by default (the accounts suite). Every other suite creates its sessions anonymously.
 */
export async function startServer(extraArgs = [], { anonymous = true } = {}) {
  const bin = process.env.SAMSYN_BIN ? resolve(process.env.SAMSYN_BIN) : resolve(FRONTEND, '../target/debug/samsyn');
  if (!existsSync(bin)) {
    throw new Error(`No server binary at ${bin}: run \`cargo build\` first, or set SAMSYN_BIN.`);
  }
  const data = await mkdtemp(join(tmpdir(), 'samsyn-e2e-'));
  const args = ['--addr', '127.0.0.1:0', '--data', data, ...(anonymous ? ['--allow-anonymous'] : []), ...extraArgs];
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn', NO_COLOR: '1' };
  // The flag alone decides: a value in the caller's environment must not turn anonymous use on.
  delete env.SAMSYN_ALLOW_ANONYMOUS;
  const child = spawn(bin, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 20 s:\n${log}`)), 20_000);
    const onData = (chunk) => {
      log += chunk.toString();
      // Strip colour codes in case a log line comes first.
      const m = log.replace(/\x1b\[[0-9;]*m/g, '').match(/Samsyn is running: open (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (log += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before it started:\n${log}`));
    });
  });
  // Keep the log short but available for a failure report.
  child.stdout.on('data', (c) => (log = (log + c.toString()).slice(-20_000)));
  child.stderr.on('data', (c) => (log = (log + c.toString()).slice(-20_000)));
  return {
    url,
    host: new URL(url).host,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium).`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * One suite's world: the server, the browser, and what every page did wrong. `problems`
 * collects uncaught page errors, console errors and requests to any host but the server;
 * `expectClean()` fails the test with them. `options.anonymous` goes to `startServer`, and so do
 * `options.args`, more flags for the server (a limit a suite needs lower, say).
 */
export async function setUp(suite, { anonymous = true, args = [] } = {}) {
  const server = await startServer(args, { anonymous });
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.stop();
    throw e;
  }
  const dir = join(RESULTS, suite);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const world = {
    server,
    browser,
    dir,
    problems: [],
    /** Console errors that a test expects (e.g. a socket failing while offline). */
    allowConsole: [],
    stats: { checks: 0, views: new Set(), violations: 0, rules: 0, review: [] },
    shots: 0,
    contexts: [],

    /** A browser context of one kind: `desktop` (facilitator), `phone` (touch) or `projector`. */
    async context(kind, name) {
      const size = SIZES[kind];
      const context = await browser.newContext({
        viewport: size,
        locale: 'sv-SE',
        timezoneId: 'Europe/Stockholm',
        ...(kind === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      context.setDefaultTimeout(WAIT);
      context.on('request', (req) => {
        const u = new URL(req.url());
        if ((u.protocol === 'http:' || u.protocol === 'ws:') && u.host !== server.host) {
          world.problems.push(`${name}: request to another host: ${req.url()}`);
        } else if (!['http:', 'ws:', 'data:', 'about:', 'blob:'].includes(u.protocol)) {
          world.problems.push(`${name}: request with an unexpected scheme: ${req.url()}`);
        }
      });
      context.on('page', (page) => watch(world, page, name));
      context.name = name;
      world.contexts.push(context);
      return context;
    },

    /** A new page of a new context, at `path` of the server. */
    async open(kind, name, path) {
      const context = await world.context(kind, name);
      const page = await context.newPage();
      await page.goto(server.url + path);
      return page;
    },

    /** Runs axe and fails on a violation, without counting the check (for the self-check). */
    async axeViolations(page) {
      const results = await runAxe(page);
      if (results.violations.length > 0) throw new Error(formatViolations(results.violations));
      return results;
    },

    /** Runs axe (WCAG 2.0/2.1 A and AA) on the page as it is now; fails on any violation. */
    async axe(page, view, state) {
      const results = await runAxe(page);
      world.stats.checks += 1;
      world.stats.views.add(`${view}: ${state}`);
      world.stats.rules += results.passes + results.violations.length + results.incomplete;
      world.stats.review.push(...results.review.map((r) => ({ view, state, ...r })));
      if (results.violations.length > 0) {
        world.stats.violations += results.violations.length;
        await world.shot(page, `${view}-${state}-AXE-FAILED`);
        throw new Error(`axe: ${view} (${state}) has ${results.violations.length} violation(s):\n${formatViolations(results.violations)}`);
      }
    },

    /** Saves a full-page screenshot under test-results/<suite>/. */
    async shot(page, name) {
      world.shots += 1;
      const file = join(dir, `${String(world.shots).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_')}.png`);
      // From the top, so that sticky parts (the console's agenda) sit where a person first sees them.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    },

    /** Runs a test body; on failure photographs every open page, then fails as it did. */
    async guard(body) {
      world.problems.length = 0;
      try {
        await body();
      } catch (e) {
        for (const context of world.contexts) {
          for (const [i, page] of context.pages().entries()) {
            const name = `FAILED-${context.name ?? 'page'}-${i}`;
            await world.shot(page, name).catch(() => {});
          }
        }
        throw e;
      }
    },

    /** A screenshot, axe, and no sideways scrolling: one checkpoint of a view in a state. */
    async check(page, view, state) {
      await world.shot(page, `${view}-${state}`);
      await world.axe(page, view, state);
      await assertNoSidewaysScroll(page, `${view} (${state})`);
    },

    expectClean() {
      const found = world.problems.filter((p) => !world.allowConsole.some((re) => re.test(p)));
      world.problems.length = 0;
      if (found.length > 0) throw new Error(`the pages reported problems:\n${found.join('\n')}`);
    },

    summary() {
      const a = world.stats;
      return `axe: ${a.checks} checks of ${a.views.size} view states (${a.rules} rule results), ${a.violations} violations; ${world.shots} screenshots in test-results/${suite}/`;
    },

    async tearDown() {
      clearTimeout(watchdog);
      writeFileSync(join(dir, 'axe-to-review.json'), JSON.stringify(world.stats.review, null, 2));
      for (const c of world.contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
  // However a test ends, the server and the browser never outlive the suite's time limit.
  const watchdog = setTimeout(async () => {
    console.error(`${suite}: still running after ${SUITE_LIMIT_MS / 1000} s; stopping the browser and the server`);
    await browser.close().catch(() => {});
    await server.stop().catch(() => {});
    process.exit(1);
  }, SUITE_LIMIT_MS);
  watchdog.unref();
  return world;
}

function watch(world, page, name) {
  page.on('pageerror', (err) => world.problems.push(`${name}: uncaught error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') world.problems.push(`${name}: console error: ${msg.text()}`);
  });
}

async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  // Evaluated through the DevTools protocol, so the page's script-src 'self' does not block it.
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
      })),
      passes: r.passes.length,
      incomplete: r.incomplete.length,
      // What axe could not decide (e.g. contrast over a gradient): for a person to review.
      review: r.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${(n.any[0] ?? n.all[0] ?? n.none[0])?.message ?? ''}`) })),
    };
  }, AXE_TAGS);
}

function formatViolations(violations) {
  return violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${n.html}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
}

/** Creates a session over REST, as a facilitator's script would. */
export async function createSession(server, body) {
  const res = await fetch(`${server.url}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/sessions answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** A projector cannot scroll: the page must fit its window. */
export async function assertFitsWindow(page, what) {
  const { height, window } = await page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    window: window.innerHeight,
  }));
  if (height > window) throw new Error(`${what} is ${height} px high in a ${window} px window: the room cannot scroll`);
}

/** Chart labels (cut off at two lines by design) must show their whole text. */
export async function assertLabelsWhole(page, what) {
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll('.col-level, .bar-label, .st-bar-label, .st-col-label')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      .map((el) => `"${el.textContent}" (${el.clientWidth}×${el.clientHeight} shows ${el.scrollWidth}×${el.scrollHeight})`),
  );
  if (cut.length > 0) throw new Error(`${what}: chart labels are cut off: ${cut.join(', ')}`);
}

/** Nothing wider than the window. (A phone widens its layout to fit the page, so compare with the device's width.) */
export async function assertNoSidewaysScroll(page, what) {
  const width = page.viewportSize().width;
  const { scroll, widest } = await page.evaluate((width) => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`);
    return { scroll: document.documentElement.scrollWidth, widest: wide.slice(0, 8) };
  }, width);
  if (scroll > width) throw new Error(`${what} scrolls sideways: ${scroll} px wide on a ${width} px screen; too wide: ${widest.join(', ')}`);
}
