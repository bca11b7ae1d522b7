// The board in a real browser: the real daemon (`tthc-monitor run`) polling the real simulator
// (`tthc-monitor simulate --serve`, real time), Debian's chromium driven by puppeteer-core.
//
//   node --test tests/browser/board.test.mjs        (ctest -R board_browser_test runs the same)
//
// Environment: TTHC_MONITOR the executable (default build/tthc-monitor), TTHC_BOARD_ARTIFACTS
// where screenshots and the daemons' logs go (default build/test-artifacts/board),
// TTHC_README_SCREENSHOTS a folder for the README's pictures (optional), TTHC_CHROMIUM the
// browser (default /usr/bin/chromium).
//
// Every page is opened in a fresh tab that records what it does: each request must go to
// 127.0.0.1, and a console error, an uncaught exception, a failed request or an HTTP error (other
// than the 401s a step expects) fails the test, as do missing security headers. Every process the
// test starts runs in its own process group and is stopped however the test ends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  delay, freshDossier, get, getJson, getText, headerProblems, launchBrowser, loadPuppeteer,
  makeTempDir, parseMetrics, pushDossiers, recordedPage, sourceDir, startDaemon, startSimulator,
  stopAll, sumOf, tail, waitFor, writeSimulatorConfig,
} from './harness.mjs';

const exe = path.resolve(process.env.TTHC_MONITOR || path.join(sourceDir, 'build', 'tthc-monitor'));
const artefacts = process.env.TTHC_BOARD_ARTIFACTS || path.join(sourceDir, 'build', 'test-artifacts', 'board');
const readmeShots = process.env.TTHC_README_SCREENSHOTS || '';
const chromium = process.env.TTHC_CHROMIUM || '/usr/bin/chromium';

const TOKEN = 'board-read-7f3a9c2e5b';  // the read token of the second daemon
const DESKTOP = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const VIETNAMESE = { 'Accept-Language': 'vi-VN,vi;q=0.9' };
const TILES = ['in_process', 'due_soon', 'overdue', 'paused', 'at_risk'];
const OVERALL_TIMEOUT_MS = 240_000;  // ctest's TIMEOUT is 300 s

// Whatever happens, nothing outlives this: stop everything and fail.
const watchdog = setTimeout(async () => {
  console.error(`board.test: over ${OVERALL_TIMEOUT_MS / 1000} s: stopping everything`);
  await stopAll();
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

const S = {};  // the fixture: simulator, daemons, browser, folders

// --- page helpers ------------------------------------------------------------------------------

const artefact = (name) => path.join(artefacts, name);

/// The tiles' raw figures as the front-end exposes them: data-value on the tile or a child.
async function tileValues(page) {
  return page.evaluate((keys) => {
    const out = {};
    for (const k of keys) {
      const el = document.querySelector(`[data-testid="tile-${k}"]`);
      const holder = el && (el.hasAttribute('data-value') ? el : el.querySelector('[data-value]'));
      out[k] = holder ? Number(holder.getAttribute('data-value')) : null;
    }
    return out;
  }, TILES);
}

const tilesShown = (page) => page.waitForFunction(() => {
  const el = document.querySelector('[data-testid="tile-in_process"]');
  return el && (el.hasAttribute('data-value') || el.querySelector('[data-value]'));
}, { timeout: 20000 });

/// Fonts loaded and two frames painted: what a screenshot should show.
async function settle(page) {
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

/// The images of the page finished loading (SVG charts and timelines), however long they take.
async function imagesLoaded(page) {
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), { timeout: 20000 });
}

async function screenshots(page, name) {
  await page.setViewport(DESKTOP);
  await settle(page);
  await page.screenshot({ path: artefact(`${name}-1920.png`) });
  await page.setViewport(PHONE);
  await settle(page);
  await page.screenshot({ path: artefact(`${name}-390.png`) });
  await page.setViewport(DESKTOP);
}

/// Opens `urlPath` on `daemon` in a fresh recorded tab (Vietnamese browser unless `headers` say
/// otherwise) and waits for the document.
async function open(daemon, urlPath, { allow, headers = VIETNAMESE, context } = {}) {
  const { page, log } = await recordedPage(context ?? S.browser, daemon.base, { allow, viewport: DESKTOP });
  if (headers) await page.setExtraHTTPHeaders(headers);
  const response = await page.goto(daemon.base + urlPath, { waitUntil: 'load', timeout: 30000 });
  return { page, log, response };
}

/// Closes a tab; a tab already gone is not an error (it would hide the assertion that failed).
async function close(page) {
  page.removeAllListeners();
  await page.close().catch(() => {});
}

function problemsReport(list) {
  return list.length ? `\n  ${list.join('\n  ')}` : '';
}

/// /metrics summed as the tiles count: the four pending states, and at risk.
function metricsFigures(text) {
  const m = parseMetrics(text);
  const state = (s) => sumOf(m, 'tthc_dossiers_pending', { state: s });
  return {
    in_process: state('in_time') + state('due_soon') + state('paused') + state('overdue'),
    due_soon: state('due_soon'), overdue: state('overdue'), paused: state('paused'),
    at_risk: sumOf(m, 'tthc_dossiers_at_risk'),
  };
}

const pick = (now) => Object.fromEntries(TILES.map((k) => [k, now[k]]));

/// Reads the tiles, /api/v1/overview and /metrics until they agree (a change landing between
/// two reads is retried: the overview's version must be the same before and after).
async function figuresAgree(page, daemon, headers = {}) {
  let last;
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const a = await getJson(`${daemon.base}/api/v1/overview`, { headers });
    const tiles = await tileValues(page);
    const metrics = metricsFigures(await getText(`${daemon.base}/metrics`, { headers }));
    const b = await getJson(`${daemon.base}/api/v1/overview`, { headers });
    last = { api: pick(b.now), tiles, metrics };
    if (a.version === b.version && JSON.stringify(pick(a.now)) === JSON.stringify(tiles) &&
        JSON.stringify(pick(a.now)) === JSON.stringify(metrics)) {
      return last;
    }
    await delay(250);  // the page polls every second (?refresh=1): its next poll
  }
  return last;
}

// --- the fixture -------------------------------------------------------------------------------

describe('the board in chromium', { timeout: OVERALL_TIMEOUT_MS - 10000 }, () => {
  before(async () => {
    assert.ok(fs.existsSync(exe), `${exe} does not exist: build it (cmake --build build --target tthc-monitor) or set TTHC_MONITOR`);
    fs.mkdirSync(artefacts, { recursive: true });
    for (const f of fs.readdirSync(artefacts)) {  // the previous run's pictures and logs
      if (f.endsWith('.png') || f === 'logs') fs.rmSync(path.join(artefacts, f), { recursive: true, force: true });
    }
    S.dir = makeTempDir();
    S.logDir = path.join(artefacts, 'logs');
    fs.mkdirSync(S.logDir, { recursive: true });
    const puppeteer = await loadPuppeteer();

    const simConfig = writeSimulatorConfig(S.dir);
    S.sim = await startSimulator(exe, { dir: S.dir, logDir: S.logDir, config: simConfig, history: 20, rate: 150 });
    [S.open, S.tok] = await Promise.all([
      startDaemon(exe, { dir: S.dir, logDir: S.logDir, name: 'daemon', simPort: S.sim.port }),
      startDaemon(exe, { dir: S.dir, logDir: S.logDir, name: 'daemon-token', simPort: S.sim.port, token: TOKEN }),
    ]);
    S.bearer = { Authorization: `Bearer ${TOKEN}` };

    // What the pages will show: a unit, a dossier with steps, the work lists.
    const overview = await getJson(`${S.open.base}/api/v1/overview`);
    assert.ok(overview.units.length > 0, 'the overview lists no unit');
    S.unit = overview.units[0];
    const overdue = await getJson(`${S.open.base}/api/v1/dossiers?state=overdue&limit=20`);
    const all = await getJson(`${S.open.base}/api/v1/dossiers?limit=20`);
    assert.ok(overdue.total > 0, 'the simulated province has no overdue dossier: the overdue list would be empty');
    S.dossier = null;
    for (const item of [...overdue.items, ...all.items]) {
      const d = await getJson(`${S.open.base}/api/v1/dossiers/${encodeURIComponent(item.code)}`);
      if (d.steps.length >= 2) { S.dossier = d; break; }
    }
    assert.ok(S.dossier, 'no dossier of the work lists has two steps or more');
    S.reportMonths = (await getJson(`${S.open.base}/api/v1/reports`)).months.length;
    assert.ok(S.reportMonths > 0, '/api/v1/reports lists no month');

    S.browser = await launchBrowser(puppeteer, { userDataDir: path.join(S.dir, 'chromium-profile'), executablePath: chromium });
  }, { timeout: 150000 });

  after(async () => {
    clearTimeout(watchdog);
    try {
      if (S.browser) {
        const closed = await Promise.race([S.browser.close().then(() => true), delay(10000).then(() => false)]);
        if (!closed) S.browser.process()?.kill('SIGKILL');
      }
    } finally {
      await stopAll();
      if (S.dir) fs.rmSync(S.dir, { recursive: true, force: true });
    }
  });

  // --- every page ------------------------------------------------------------------------------

  test('every page loads without a console error or a failed request, and is screenshotted', async () => {
    const code = encodeURIComponent(S.dossier.code);
    const pages = [
      { name: 'overview', url: '/', ready: tilesShown },
      { name: 'tv', url: '/?tv=1', ready: tilesShown },
      { name: 'unit', url: `/units/${encodeURIComponent(S.unit.unit)}`,
        ready: (p) => p.waitForFunction((n) => document.querySelector('main').innerText.includes(n), { timeout: 20000 }, S.unit.name) },
      { name: 'worklist', url: '/dossiers', ready: (p) => p.waitForSelector('[data-testid="worklist-row"]', { timeout: 20000 }) },
      { name: 'worklist-overdue', url: '/dossiers?state=overdue', ready: (p) => p.waitForSelector('[data-testid="worklist-row"]', { timeout: 20000 }) },
      { name: 'dossier', url: `/dossiers/${code}`, ready: (p) => p.waitForSelector('[data-testid="step-row"]', { timeout: 20000 }) },
      { name: 'reports', url: '/reports',
        ready: (p) => p.waitForFunction((n) => document.querySelectorAll('[data-testid="report-month"]').length === n,
          { timeout: 20000 }, S.reportMonths) },
      { name: 'signin', url: '/signin', daemon: S.tok, ready: (p) => p.waitForSelector('input[name="token"]', { timeout: 20000 }) },
    ];
    const failures = [];
    for (const spec of pages) {
      const daemon = spec.daemon ?? S.open;
      const { page, log, response } = await open(daemon, spec.url);
      try {
        if (response.status() !== 200) failures.push(`${spec.url}: HTTP ${response.status()}`);
        await spec.ready(page);
        await imagesLoaded(page);
        await page.waitForNetworkIdle({ idleTime: 300, timeout: 15000 }).catch(() => {});
        const lang = await page.evaluate(() => document.documentElement.lang);
        if (lang !== 'vi') failures.push(`${spec.url}: <html lang="${lang}">, expected "vi" for a Vietnamese browser`);
        await screenshots(page, spec.name);
        failures.push(...log.problems.map((p) => `${spec.url}: ${p}`));
      } catch (e) {
        failures.push(`${spec.url}: ${e.message}`);
        failures.push(...log.problems.map((p) => `${spec.url}: ${p}`));
        await page.screenshot({ path: artefact(`${spec.name}-failed.png`) }).catch(() => {});
      } finally {
        await close(page);
      }
    }
    if (readmeShots) {
      fs.mkdirSync(readmeShots, { recursive: true });
      for (const [from, to] of [['overview-1920', 'overview-1920'], ['overview-390', 'overview-phone'],
        ['dossier-1920', 'dossier-1920'], ['worklist-1920', 'worklist-1920'], ['tv-1920', 'tv-1920']]) {
        if (fs.existsSync(artefact(`${from}.png`))) fs.copyFileSync(artefact(`${from}.png`), path.join(readmeShots, `${to}.png`));
        else failures.push(`README picture ${to}.png: no screenshot ${from}.png`);
      }
    }
    assert.deepEqual(failures, [], `problems on the pages:${problemsReport(failures)}`);
  });

  // --- the figures -----------------------------------------------------------------------------

  test('the overview tiles equal /api/v1/overview "now" and the sums of /metrics', async () => {
    const { page, log } = await open(S.open, '/?refresh=1');
    try {
      await tilesShown(page);
      const r = await figuresAgree(page, S.open);
      assert.deepEqual(r.tiles, r.api, 'tiles against /api/v1/overview "now"');
      assert.deepEqual(r.metrics, r.api, '/metrics sums against /api/v1/overview "now"');
      assert.ok(r.api.in_process > 0, 'nothing in process: the comparison would prove little');
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  });

  const WORKLIST_PAGE = 50;  // rows a page of the work list shows (board.js, without ?limit=)

  async function worklistMatchesApi(query) {
    const { page, log } = await open(S.open, query ? `/dossiers${query}&refresh=1` : '/dossiers?refresh=1');
    try {
      await page.waitForSelector('[data-testid="worklist-row"]', { timeout: 20000 });
      let rows;
      let items;
      // The page and the API are read one after the other: a change in between is retried.
      await waitFor(`the work list ${query || '(all)'} in the API's order`, async () => {
        rows = await page.$$eval('[data-testid="worklist-row"]', (els) => els.map((e) => e.getAttribute('data-code')));
        const sep = query ? '&' : '?';
        const api = await getJson(`${S.open.base}/api/v1/dossiers${query}${sep}limit=${WORKLIST_PAGE}`);
        items = api.items.map((i) => i.code);
        return JSON.stringify(rows) === JSON.stringify(items);
      }, { timeout: 20000, interval: 500 }).catch(() => {});
      assert.ok(rows.length > 0, 'no row');
      assert.deepEqual(rows, items, `rows of /dossiers${query} against /api/v1/dossiers${query} (limit ${WORKLIST_PAGE})`);
      const shownTotal = await page.$eval('[data-testid="worklist-total"]', (e) => Number(e.getAttribute('data-value')));
      const total = (await getJson(`${S.open.base}/api/v1/dossiers${query}${query ? '&' : '?'}limit=1`)).total;
      assert.equal(shownTotal, total, 'the total shown against the API\'s');
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  }

  test('the work list shows the dossiers in the order of /api/v1/dossiers', async () => {
    await worklistMatchesApi('');
    await worklistMatchesApi('?state=overdue');
  });

  test('the reports page lists the quarters when asked, with period= links and the chosen cut-off', async () => {
    const api = await getJson(`${S.open.base}/api/v1/reports?period_kind=quarter&period_start_day=15`);
    assert.ok(api.periods.length > 0, '/api/v1/reports?period_kind=quarter lists no quarter');
    const { page, log } = await open(S.open, '/reports');
    try {
      await page.waitForSelector('[data-testid="report-month"]', { timeout: 20000 });
      await page.select('[data-testid="period-kind"]', 'quarter');
      await page.select('[data-testid="period-start-day"]', '15');
      await page.waitForFunction((n) => {
        const cards = document.querySelectorAll('[data-testid="report-month"]');
        return cards.length === n && [...cards].every((c) => /^\d{4}-Q[1-4]$/.test(c.dataset.month));
      }, { timeout: 20000 }, api.periods.length);
      const shown = await page.$$eval('[data-testid="report-month"]', (cards) => cards.map((c) => c.dataset.month));
      assert.deepEqual(shown, api.periods.map((p) => p.period), 'the quarters shown against the API\'s');
      await page.screenshot({ path: artefact('reports-quarters-1920.png') });
      const href = await page.$eval('[data-testid="report-link"][data-format="html"]', (a) => a.getAttribute('href'));
      assert.match(href, /[?&]period=\d{4}-Q[1-4]/, href);
      assert.match(href, /[?&]period_start_day=15/, href);
      const report = await getJson(`${S.open.base}${href.replace('format=html', 'format=json')}`);
      assert.equal(report.period.kind, 'quarter');
      assert.equal(report.period.start_day, 15);
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  });

  test('the reports page offers the phase review of the years listed, in every format', async () => {
    const api = await getJson(`${S.open.base}/api/v1/reports?period_kind=year`);
    const years = api.periods.map((p) => p.period).sort();
    assert.ok(years.length > 0, '/api/v1/reports?period_kind=year lists no year');
    const { page, log } = await open(S.open, '/reports');
    try {
      await page.waitForSelector('[data-testid="report-month"]', { timeout: 20000 });
      await page.select('[data-testid="period-kind"]', 'year');
      await page.waitForSelector('[data-testid="review-card"]', { timeout: 20000 });
      await page.select('[data-testid="review-first"]', years[0]);
      await page.select('[data-testid="review-last"]', years[years.length - 1]);
      const span = years.length > 1 ? `${years[0]}..${years[years.length - 1]}` : years[0];
      await page.screenshot({ path: artefact('reports-review-1920.png') });
      if (readmeShots) fs.copyFileSync(artefact('reports-review-1920.png'), path.join(readmeShots, 'reports-1920.png'));
      const hrefs = await page.$$eval('[data-testid="review-link"]', (as) => as.map((a) => a.getAttribute('href')));
      assert.equal(hrefs.length, 4, hrefs.join(' '));
      for (const href of hrefs) assert.ok(href.includes(`period=${encodeURIComponent(span)}`), href);
      const json = hrefs.find((x) => /format=json/.test(x));
      const review = await getJson(`${S.open.base}${json}`);
      assert.equal(review.report, 'review');
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  });

  test('a unit page shows the unit\'s own figures', async () => {
    const unit = S.unit.unit;
    const { page, log } = await open(S.open, `/units/${encodeURIComponent(unit)}?refresh=1`);
    try {
      await tilesShown(page);
      let api;
      let shown;
      await waitFor('the unit tiles to equal /api/v1/units/{unit}', async () => {
        api = pick((await getJson(`${S.open.base}/api/v1/units/${encodeURIComponent(unit)}`)).now);
        shown = await tileValues(page);
        return JSON.stringify(api) === JSON.stringify(shown);
      }, { timeout: 20000, interval: 300 }).catch(() => {});
      assert.deepEqual(shown, api, `tiles of /units/${unit} against /api/v1/units/${unit} "now"`);
      const province = pick((await getJson(`${S.open.base}/api/v1/overview`)).now);
      assert.ok(api.in_process < province.in_process, 'the unit counts as much as the whole province: not narrowed');
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  });

  test('a dossier page shows each of its steps and its timeline picture', async () => {
    const d = S.dossier;
    const { page, log } = await open(S.open, `/dossiers/${encodeURIComponent(d.code)}`);
    try {
      // The simulator may still be adding steps to this dossier: the page is compared with what
      // the API said just before and just after it was loaded, reloaded until those agree.
      const apiSteps = async () => (await getJson(`${S.open.base}/api/v1/dossiers/${encodeURIComponent(d.code)}`)).steps.length;
      let steps = 0;
      let expected = d.steps.length;
      for (let attempt = 0; attempt < 5; attempt++) {
        const before = await apiSteps();
        if (attempt > 0) await page.reload({ waitUntil: 'load', timeout: 30000 });
        await page.waitForSelector('[data-testid="step-row"]', { timeout: 20000 });
        steps = await page.$$eval('[data-testid="step-row"]', (els) => els.length);
        expected = await apiSteps();
        if (before === expected) break;
      }
      assert.equal(steps, expected, `step rows against the API's ${expected} steps`);
      const img = await page.waitForFunction(() => {
        const t = document.querySelector('[data-testid="timeline"]');
        const i = t && (t.tagName === 'IMG' ? t : t.querySelector('img'));
        return i && i.complete ? { src: i.getAttribute('src'), width: i.naturalWidth, alt: i.alt } : false;
      }, { timeout: 20000 }).then((h) => h.jsonValue());
      assert.ok(img.width > 0, `the timeline picture did not load: ${JSON.stringify(img)}`);
      assert.ok(img.alt.trim().length > 0, 'the timeline picture has no alt text');
      assert.match(img.src, /timeline\.svg/);
      assert.ok((await page.evaluate(() => document.querySelector('main').innerText)).includes(d.code), 'the page does not name the dossier');
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  });

  test('a dossier pushed by the MC webhook changes the in-process tile without a reload', async () => {
    const { page, log } = await open(S.open, '/?refresh=1');
    try {
      await tilesShown(page);
      await figuresAgree(page, S.open);
      const before = (await tileValues(page)).in_process;
      await page.evaluate(() => { window.__tthcSamePage = true; });
      const stamp = String(Date.now()).slice(-8);
      const records = [1, 2, 3].map((i) => freshDossier(`${S.unit.unit}-${stamp}-T${i}`));
      await pushDossiers(S.open.base, records);
      await waitFor('the pushed dossiers in the API', async () => {
        const d = await getJson(`${S.open.base}/api/v1/dossiers/${encodeURIComponent(records[2].MaHoSo)}`);
        return d.state !== null && d.state !== undefined;
      }, { timeout: 10000 });
      const after = await waitFor('the in-process tile to change', async () => {
        const v = (await tileValues(page)).in_process;
        return v !== before ? { v } : false;
      }, { timeout: 15000, interval: 200 });
      assert.equal(await page.evaluate(() => window.__tthcSamePage === true), true, 'the page was reloaded');
      const r = await figuresAgree(page, S.open);
      assert.deepEqual(r.tiles, r.api, 'after the push: tiles against /api/v1/overview');
      assert.ok(after.v > before, `in process went from ${before} to ${after.v}, not up`);
      const documents = log.responses.filter((x) => x.type === 'document').length;
      assert.equal(documents, 1, 'the document was loaded more than once');
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  });

  // --- languages and numbers -------------------------------------------------------------------

  /// Every figure the page shows with its raw value (data-value) and a text made of digits only:
  /// counts (tiles, month, tables, the work list's total) and percentages (rates).
  async function shownNumbers(page) {
    return page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('[data-value]')) {
        const raw = el.getAttribute('data-value');
        const v = Number(raw);
        const text = el.textContent.trim();
        if (raw === '' || !Number.isFinite(v)) continue;
        const where = el.closest('[data-testid]')?.getAttribute('data-testid') ?? el.tagName;
        if (/^-?[\d.,]+( %)?$/.test(text)) out.push({ value: v, text, where });
        else if (/^\d/.test(text) && /\d[.,]\d{3}\b/.test(text)) out.push({ value: v, text, where, words: true });
      }
      return out;
    });
  }

  /// Vietnamese: 1.304 and 94,84 %; English: 1,304 and 94.84 %. Each figure >= 1000 and each
  /// percentage shown is checked, and there must be one of them at least.
  function checkNumberFormat(numbers, lang) {
    const [group, decimal] = lang === 'vi' ? ['.', ','] : [',', '.'];
    const counts = numbers.filter((n) => !n.words && !n.text.endsWith('%') && Number.isInteger(n.value) && Math.abs(n.value) >= 1000);
    const rates = numbers.filter((n) => n.text.endsWith(' %') && n.value > 0 && n.value < 1);
    assert.ok(counts.length + rates.length > 0, `${lang}: no figure >= 1000 and no percentage shown: ${JSON.stringify(numbers.slice(0, 12))}`);
    const wrong = [];
    for (const n of counts) {
      const expected = String(Math.abs(n.value)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
      if (!n.text.includes(expected)) wrong.push(`${n.where}: ${n.value} shown as "${n.text}", expected "${expected}"`);
    }
    for (const n of rates) {
      const expected = `${(n.value * 100).toFixed(2).replace('.', decimal)} %`;
      if (n.text !== expected) wrong.push(`${n.where}: ${n.value} shown as "${n.text}", expected "${expected}"`);
    }
    assert.deepEqual(wrong, [], `${lang} number format:${problemsReport(wrong)}`);
    return { counts: counts.length, rates: rates.length };
  }

  test('Vietnamese pages group thousands with "." and write decimals with ","', async () => {
    const { page, log } = await open(S.open, '/');
    try {
      await tilesShown(page);
      await page.waitForSelector('[data-testid="trend-row"]', { timeout: 20000 });
      checkNumberFormat(await shownNumbers(page), 'vi');
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
  });

  test('?lang=en shows the board in English, with English numbers', async () => {
    const { page, log } = await open(S.open, '/?lang=en');
    try {
      await tilesShown(page);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      const heading = await page.evaluate(() => (document.querySelector('main h1') ?? document.querySelector('h1'))?.innerText ?? '');
      const nav = await page.evaluate(() => [...document.querySelectorAll('nav a')].map((a) => a.innerText.trim()));
      assert.ok(nav.includes('Overview'), `navigation not in English: ${JSON.stringify(nav)}`);
      assert.ok(heading.length > 0 && !/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(heading),
        `the heading is not English: "${heading}"`);
      await page.waitForSelector('[data-testid="trend-row"]', { timeout: 20000 });
      checkNumberFormat(await shownNumbers(page), 'en');
      // Links keep the language.
      const links = await page.evaluate(() => [...document.querySelectorAll('nav a[href^="/"]')].map((a) => a.getAttribute('href')));
      for (const href of links) assert.match(href, /lang=en/, `a link loses the language: ${href}`);
      assert.deepEqual(log.problems, [], problemsReport(log.problems));
    } finally {
      await close(page);
    }
    // An English browser without ?lang= gets English from Accept-Language.
    const r = await get(`${S.open.base}/`, { headers: { 'Accept-Language': 'en-US,en;q=0.9' } });
    assert.match(await r.text(), /<html lang="en"/);
  });

  // --- security headers ------------------------------------------------------------------------

  test('pages, assets and the API carry the security headers', async () => {
    const problems = [];
    for (const [daemon, target, headers] of [[S.open, '/', {}], [S.open, '/dossiers', {}], [S.tok, '/signin', {}],
      [S.open, '/assets/board.js', {}], [S.open, '/assets/board.css', {}], [S.open, '/api/v1/overview', {}],
      [S.tok, '/api/v1/overview', S.bearer]]) {
      const r = await get(daemon.base + target, { headers });
      await r.arrayBuffer();
      if (r.status !== 200) problems.push(`${target}: HTTP ${r.status}`);
      const isDocument = (r.headers.get('content-type') ?? '').startsWith('text/html');
      problems.push(...headerProblems(target, r.status, Object.fromEntries(r.headers), isDocument));
    }
    assert.deepEqual(problems, [], problemsReport(problems));
  });

  // --- sign-in ---------------------------------------------------------------------------------

  test('with a read token, nothing is shown before sign-in: pages redirect, the API answers 401', async () => {
    const code = encodeURIComponent(S.dossier.code);
    const routes = ['/', '/?tv=1', `/units/${encodeURIComponent(S.unit.unit)}`, '/dossiers', '/dossiers?state=overdue',
      `/dossiers/${code}`, '/reports'];
    for (const route of routes) {
      const r = await get(S.tok.base + route, { redirect: 'manual' });
      await r.arrayBuffer();
      assert.ok([302, 303, 307].includes(r.status), `${route} without a cookie: HTTP ${r.status}, expected a redirect`);
      assert.match(r.headers.get('location') ?? '', /^\/signin(\?|$)/, `${route}: redirected to ${r.headers.get('location')}`);
    }
    for (const api of ['/api/v1/overview', '/api/v1/dossiers', `/api/v1/dossiers/${code}`, '/api/v1/trend', '/api/v1/trend.svg',
      `/api/v1/units/${encodeURIComponent(S.unit.unit)}`, '/api/v1/reports', '/metrics']) {
      const anonymous = await get(S.tok.base + api);
      await anonymous.arrayBuffer();
      assert.equal(anonymous.status, 401, `${api} without a cookie or a bearer`);
      const wrong = await get(S.tok.base + api, { headers: { Authorization: 'Bearer wrong' } });
      await wrong.arrayBuffer();
      assert.equal(wrong.status, 401, `${api} with a wrong bearer`);
      const bearer = await get(S.tok.base + api, { headers: S.bearer });
      await bearer.arrayBuffer();
      assert.equal(bearer.status, 200, `${api} with the bearer`);
    }
    // In the browser: every page lands on the sign-in form and shows no figure.
    const context = await S.browser.createBrowserContext();
    try {
      const figure = String((await getJson(`${S.tok.base}/api/v1/overview`, { headers: S.bearer })).now.in_process);
      for (const route of routes) {
        const { page, log } = await open(S.tok, route, { context });
        try {
          await page.waitForSelector('input[name="token"]', { timeout: 10000 });
          const u = new URL(page.url());
          assert.equal(u.pathname, '/signin', `${route} ended at ${page.url()}`);
          const next = u.searchParams.get('next') ?? '';
          assert.equal(next, route, `${route}: next=${JSON.stringify(next)}`);
          const seen = await page.evaluate(() => ({
            text: document.body.innerText,
            tiles: document.querySelectorAll('[data-testid^="tile-"], [data-value], [data-testid="worklist-row"]').length,
          }));
          assert.equal(seen.tiles, 0, `${route}: figures on the sign-in page`);
          assert.doesNotMatch(seen.text, /\d/, `${route}: a digit on the page before sign-in: ${seen.text}`);
          assert.ok(!seen.text.includes(figure), `${route}: the in-process figure ${figure} is visible`);
          const api = log.requests.filter((x) => x.includes('/api/'));
          assert.deepEqual(api, [], `${route}: the sign-in page called the API`);
          assert.deepEqual(log.problems, [], problemsReport(log.problems));
        } finally {
          await close(page);
        }
      }
    } finally {
      await context.close();
    }
  });

  test('sign-in: a wrong token is refused, the right one sets an HttpOnly SameSite=Strict cookie; sign-out clears it', async () => {
    const context = await S.browser.createBrowserContext();
    let navigatingAway = false;
    // Leaving a polling page may cut its request in flight: excused only while signing out.
    const allow = (kind, d) => navigatingAway && kind === 'requestfailed' && /ERR_ABORTED/.test(d.error ?? '');
    const errorShown = (page) => page.evaluate(() => {
      const e = document.querySelector('.signin-error');
      return !!e && getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden' && e.offsetHeight > 0;
    });
    try {
      const { page, log } = await open(S.tok, '/signin?next=%2F', { context, allow });
      try {
        assert.equal(await errorShown(page), false, 'the error shows before any attempt');
        await page.type('input[name="token"]', 'not-the-token');
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action="/signin"] button[type="submit"]')]);
        const wrong = new URL(page.url());
        assert.equal(wrong.pathname, '/signin', `a wrong token led to ${page.url()}`);
        assert.equal(await errorShown(page), true, 'a wrong token shows no error');
        assert.equal((await page.cookies()).length, 0, 'a wrong token set a cookie');

        await page.type('input[name="token"]', TOKEN);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action="/signin"] button[type="submit"]')]);
        assert.equal(new URL(page.url()).pathname, '/', `the right token led to ${page.url()}`);
        const cookies = await page.cookies();
        assert.equal(cookies.length, 1, `cookies after sign-in: ${JSON.stringify(cookies)}`);
        const [cookie] = cookies;
        assert.equal(cookie.httpOnly, true, 'the session cookie is not HttpOnly');
        assert.equal(cookie.sameSite, 'Strict', `the session cookie is SameSite=${cookie.sameSite}`);
        assert.equal(await page.evaluate(() => document.cookie), '', 'the page script can read the cookie');

        await tilesShown(page);
        const r = await figuresAgree(page, S.tok, S.bearer);
        assert.deepEqual(r.tiles, r.api, 'signed in: tiles against /api/v1/overview');
        const cookieHeader = { Cookie: `${cookie.name}=${cookie.value}` };
        const withCookie = await get(`${S.tok.base}/api/v1/overview`, { headers: cookieHeader });
        await withCookie.arrayBuffer();
        assert.equal(withCookie.status, 200, 'the JSON API refuses the session cookie');
        const inPage = await page.evaluate(async () => (await fetch('/api/v1/dossiers?limit=1')).status);
        assert.equal(inPage, 200, 'the page\'s own fetch is refused');

        navigatingAway = true;
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action="/signout"] button')]);
        navigatingAway = false;
        assert.equal(new URL(page.url()).pathname, '/signin', `sign-out led to ${page.url()}`);
        assert.deepEqual(await page.cookies(S.tok.base), [], 'the cookie is still there after sign-out');
        await page.goto(`${S.tok.base}/`, { waitUntil: 'load' });
        assert.equal(new URL(page.url()).pathname, '/signin', 'after sign-out / is shown again');
        assert.deepEqual(log.problems, [], problemsReport(log.problems));
      } finally {
        await close(page);
      }
    } finally {
      await context.close();
    }
  });
});

process.on('exit', (code) => {
  // Interrupted (the harness has killed the processes by now): the temporary folder goes too.
  if (S.dir) fs.rmSync(S.dir, { recursive: true, force: true });
  if (code !== 0 && S.logDir) {
    for (const f of ['simulator.err', 'daemon.err', 'daemon-token.err']) {
      const t = tail(path.join(S.logDir, f), 8);
      if (t.trim()) console.error(`--- ${f} (last lines; all in ${S.logDir})\n${t}`);
    }
  }
});
