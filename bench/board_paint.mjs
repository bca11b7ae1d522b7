// How fast the board's overview paints, in Debian's chromium (headless), against a running daemon.
//
//   scripts/setup                                   # chromium, node, tests/browser/node_modules
//   bench/import_bench.sh 1000000 1                 # a store of 1,000,000 dossiers (see README)
//   build/tthc-monitor run --db /tmp/tthc-import-bench/import.db --port 8080 &
//   node bench/board_paint.mjs http://127.0.0.1:8080 [--runs 11] [--token-file FILE] [--warm]
//
// Opens / RUNS times (default 11), each time in a fresh page of a fresh browser context (a cold
// HTTP cache, as a new visitor; --warm keeps one context so the assets come from the cache), and
// prints the median and p90 of
//   first contentful paint   the `paint` performance entry
//   tiles show figures       the moment [data-testid="tile-in_process"] has a data-value,
//                            on the page's clock (performance.now(), from navigation start)
// With a read token (--token-file, or TTHC_READ_TOKEN) it signs in first (POST /signin) and
// sends the cookie. A benchmark, not a test: it asserts nothing but that the tiles appear.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  if (message) console.error(`board_paint: ${message}`);
  console.error('usage: node bench/board_paint.mjs BASE_URL [--runs N] [--token-file FILE] [--warm] [--timeout SECONDS]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { runs: 11, warm: false, timeout: 60, token: process.env.TTHC_READ_TOKEN };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--runs') o.runs = Number(value());
    else if (a === '--token-file') o.token = fs.readFileSync(value(), 'utf8').trim();
    else if (a === '--timeout') o.timeout = Number(value());
    else if (a === '--warm') o.warm = true;
    else if (a === '--help' || a === '-h') usage();
    else if (!o.base && !a.startsWith('--')) o.base = a.replace(/\/+$/, '');
    else usage(`unknown argument: ${a}`);
  }
  if (!o.base) usage('BASE_URL is required');
  if (!Number.isInteger(o.runs) || o.runs < 1) usage(`--runs: not a positive integer: ${o.runs}`);
  return o;
}

async function loadPuppeteer() {
  const require = createRequire(path.join(root, 'tests', 'browser', 'package.json'));
  try {
    const mod = await import(pathToFileURL(require.resolve('puppeteer-core')).href);
    return mod.default ?? mod;
  } catch (e) {
    console.error(`board_paint: puppeteer-core is not installed in tests/browser (${e.message}): run scripts/setup`);
    process.exit(1);
  }
}

/// The session cookie the daemon sets for a right token (POST /signin).
async function signIn(base, token) {
  const r = await fetch(`${base}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, next: '/' }).toString(),
  });
  const cookies = r.headers.getSetCookie?.() ?? [];
  const first = cookies[0]?.split(';')[0];
  if (!first || (r.headers.get('location') ?? '').includes('error')) {
    throw new Error(`sign-in refused (HTTP ${r.status}, Location ${r.headers.get('location')})`);
  }
  const eq = first.indexOf('=');
  return { name: first.slice(0, eq), value: first.slice(eq + 1), url: base, httpOnly: true, sameSite: 'Strict' };
}

function quantile(sorted, q) {
  // Nearest rank: the smallest value with at least q of the runs at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

async function oneRun(browser, context, o, cookie) {
  const page = await context.newPage();
  try {
    await page.setViewport({ width: 1920, height: 1080 });
    if (cookie) await page.setCookie(cookie);
    const started = performance.now();
    const response = await page.goto(`${o.base}/`, { waitUntil: 'domcontentloaded', timeout: o.timeout * 1000 });
    if (!response || response.status() !== 200) throw new Error(`GET /: HTTP ${response?.status()}`);
    // Evaluated in the page on every DOM change: the page's own clock when the figure appears.
    const tiles = await (await page.waitForFunction(() => {
      const t = document.querySelector('[data-testid="tile-in_process"]');
      const has = t && (t.hasAttribute('data-value') || t.querySelector('[data-value]'));
      return has ? performance.now() : false;
    }, { polling: 'mutation', timeout: o.timeout * 1000 })).jsonValue();
    const fcp = await (await page.waitForFunction(() => {
      const e = performance.getEntriesByName('first-contentful-paint')[0];
      return e ? e.startTime : false;
    }, { polling: 50, timeout: o.timeout * 1000 })).jsonValue();
    const wall = performance.now() - started;
    return { fcp, tiles, wall };
  } finally {
    await page.close();
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const puppeteer = await loadPuppeteer();
  const cookie = o.token ? await signIn(o.base, o.token) : undefined;
  const browser = await puppeteer.launch({
    executablePath: process.env.TTHC_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const results = [];
  try {
    const shared = o.warm ? browser.defaultBrowserContext() : null;
    if (o.warm) await oneRun(browser, shared, o, cookie);  // fills the cache; not counted
    for (let i = 0; i < o.runs; ++i) {
      const context = shared ?? await browser.createBrowserContext();
      try {
        const r = await oneRun(browser, context, o, cookie);
        results.push(r);
        process.stderr.write(`run ${i + 1}/${o.runs}: FCP ${r.fcp.toFixed(0)} ms, tiles ${r.tiles.toFixed(0)} ms\n`);
      } finally {
        if (!shared) await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  const rows = [
    ['first contentful paint', results.map((r) => r.fcp)],
    ['tiles show figures', results.map((r) => r.tiles)],
    ['  (outer timer: goto to tiles)', results.map((r) => r.wall)],
  ];
  const ms = (v) => `${v.toFixed(0)} ms`.padStart(9);
  console.log(`board paint: ${o.base}/  ${o.runs} runs, ${o.warm ? 'warm cache' : 'cold cache (a fresh context each run)'}`);
  console.log(`${'metric'.padEnd(32)}${'median'.padStart(9)}${'p90'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}`);
  for (const [name, values] of rows) {
    const s = [...values].sort((a, b) => a - b);
    console.log(`${name.padEnd(32)}${ms(quantile(s, 0.5))}${ms(quantile(s, 0.9))}${ms(s[0])}${ms(s[s.length - 1])}`);
  }
}

main().catch((e) => {
  console.error(`board_paint: ${e.message}`);
  process.exit(1);
});
