// The browser tests' harness: the real executable started as the simulator and as daemons on
// free loopback ports in a temporary folder, waited for by their own signals (/readyz, the first
// poll cycle in /metrics) rather than by sleeping, and stopped — process group and all — however
// the test ends; Debian's chromium driven by puppeteer-core, every request, console error and
// failed load of a page recorded.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const sourceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// --- waiting -----------------------------------------------------------------------------------

/// An error that ends a waitFor at once (a process that died will not come back).
export class Fatal extends Error {}

/// Calls `probe` until it returns a truthy value (returned) or the deadline passes (throws,
/// naming `what` and the last value or error seen). A poll with a deadline, not a sleep.
export async function waitFor(what, probe, { timeout = 30000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (e) {
      if (e instanceof Fatal) throw new Error(`${what}: ${e.message}`);
      last = e;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${detail})`);
    }
    await delay(interval);
  }
}

// --- ports and files ---------------------------------------------------------------------------

/// A port the OS says is free on 127.0.0.1 now (listen on 0, read it, close).
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function makeTempDir(prefix = 'tthc-board-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const toml = (s) => JSON.stringify(s);  // a TOML basic string: JSON's escapes are TOML's

/// The simulator's configuration: the shipped calendar and catalogue.
export function writeSimulatorConfig(dir) {
  const file = path.join(dir, 'simulator.toml');
  fs.writeFileSync(file, [
    '[calendar]',
    `holidays_dir = ${toml(path.join(sourceDir, 'config', 'holidays'))}`,
    '[catalogue]',
    `file = ${toml(path.join(sourceDir, 'config', 'procedures.csv'))}`,
  ].join('\n') + '\n');
  return file;
}

/// A daemon configuration polling the simulator at `simPort`, everything in `dir`.
export function writeDaemonConfig(dir, name, { port, simPort, tokenFile, province = 'Ninh Bình' }) {
  const lines = [
    '[calendar]',
    `holidays_dir = ${toml(path.join(sourceDir, 'config', 'holidays'))}`,
    'working_hours = ["07:00-11:30", "13:30-17:00"]',
    '[store]',
    `path = ${toml(path.join(dir, `${name}.db`))}`,
    '[catalogue]',
    `file = ${toml(path.join(sourceDir, 'config', 'procedures.csv'))}`,
    '[units]',
    `file = ${toml(path.join(sourceDir, 'config', 'units.csv'))}`,
    '[http]',
    `listen = "127.0.0.1:${port}"`,
    ...(tokenFile ? [`read_token_file = ${toml(tokenFile)}`] : []),
    '[poller]',
    'enabled = true',
    `name = ${toml(name)}`,
    `url = "http://127.0.0.1:${simPort}/api/dossiers"`,
    'interval = "2s"',
    'max_pages_per_cycle = 1000',
    '[metrics]',
    `province = ${toml(province)}`,
    '[reports]',
    `dir = ${toml(path.join(dir, `${name}-reports`))}`,
  ];
  const file = path.join(dir, `${name}.toml`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

// --- processes ---------------------------------------------------------------------------------

const running = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);  // its own process group (detached): children too
  } catch {
    try { child.kill(signal); } catch { /* gone */ }
  }
}

/// Last resort, synchronous: whatever is still running when this process exits dies with it.
function killAllNow() {
  for (const c of running) killGroup(c, 'SIGKILL');
  running.clear();
}
process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAllNow();
    process.exit(128 + os.constants.signals[sig]);
  });
}

/// Starts `exe args...` in its own process group, standard output and error to `logDir/name.*`.
export function startProcess(exe, args, { name, logDir, cwd, env = {} }) {
  const outFile = path.join(logDir, `${name}.out`);
  const errFile = path.join(logDir, `${name}.err`);
  const out = fs.openSync(outFile, 'w');
  const err = fs.openSync(errFile, 'w');
  const child = spawn(exe, args, {
    cwd, detached: true, stdio: ['ignore', out, err], env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  fs.closeSync(err);
  running.add(child);
  child.name = name;
  child.logs = { out: outFile, err: errFile };
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => { running.delete(child); resolve({ code, signal }); });
    child.once('error', (e) => { child.spawnError = e; running.delete(child); resolve({ code: null, signal: null, error: e }); });
  });
  return child;
}

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null && running.has(child);
}

/// SIGTERM to the group (the daemon's graceful stop), SIGKILL if it has not exited in `grace` ms.
export async function stopProcess(child, grace = 5000) {
  if (!child || !running.has(child)) return child ? child.exited : undefined;
  killGroup(child, 'SIGTERM');
  const done = await Promise.race([child.exited, delay(grace).then(() => null)]);
  if (done) return done;
  killGroup(child, 'SIGKILL');
  return child.exited;
}

export async function stopAll() {
  await Promise.all([...running].map((c) => stopProcess(c)));
}

export function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}

/// Fails fast with the process's own words when it has exited.
function assertAlive(child) {
  if (!isRunning(child)) {
    const how = child.spawnError ? `could not start: ${child.spawnError.message}`
      : `exited (${child.exitCode ?? child.signalCode})`;
    throw new Fatal(`${child.name} ${how}:\n${tail(child.logs.err)}${tail(child.logs.out)}`);
  }
}

// --- HTTP --------------------------------------------------------------------------------------

export async function get(url, { headers = {}, redirect = 'follow' } = {}) {
  return fetch(url, { headers, redirect, signal: AbortSignal.timeout(15000) });
}

export async function getJson(url, options) {
  const r = await get(url, options);
  const text = await r.text();
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

export async function getText(url, options) {
  const r = await get(url, options);
  const text = await r.text();
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}: ${text.slice(0, 300)}`);
  return text;
}

/// Prometheus text exposition -> [{name, labels, value}].
export function parseMetrics(text) {
  const samples = [];
  const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const l of text.split('\n')) {
    if (l.startsWith('#') || l.trim() === '') continue;
    const m = line.exec(l);
    if (!m) continue;
    const labels = {};
    for (const lm of (m[2] ?? '').matchAll(label)) labels[lm[1]] = lm[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/// The sum of `name`'s samples whose labels include `match`.
export function sumOf(samples, name, match = {}) {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

// --- the simulator and the daemon --------------------------------------------------------------

/// `tthc-monitor simulate --serve` in real time on a free port; resolves once it answers.
export async function startSimulator(exe, { dir, logDir, config, history = 20, rate = 150 }) {
  for (let attempt = 1; ; ++attempt) {
    const port = await freePort();
    const child = startProcess(exe, ['simulate', '--config', config, '--serve', '--port', String(port),
      '--wall-clock', '--speed', '1', '--history', String(history), '--rate', String(rate)],
    { name: 'simulator', logDir, cwd: dir });
    try {
      await waitFor('the simulator to answer', async () => {
        assertAlive(child);
        const r = await get(`http://127.0.0.1:${port}/api/dossiers?limit=1`);
        await r.arrayBuffer();
        return r.status === 200;
      }, { timeout: 30000 });
      return { child, port, url: `http://127.0.0.1:${port}` };
    } catch (e) {
      await stopProcess(child);
      if (attempt >= 3 || !/address|in use/i.test(tail(child.logs.err) + tail(child.logs.out))) throw e;
    }
  }
}

/// `tthc-monitor run` on a free port polling the simulator; resolves once /readyz is 200 and a
/// poll cycle has succeeded and its dossiers are in the live state.
export async function startDaemon(exe, { dir, logDir, name, simPort, token, env = {} }) {
  let tokenFile;
  if (token) {
    tokenFile = path.join(dir, `${name}.token`);
    fs.writeFileSync(tokenFile, token + '\n', { mode: 0o600 });
  }
  for (let attempt = 1; ; ++attempt) {
    const port = await freePort();
    const config = writeDaemonConfig(dir, name, { port, simPort, tokenFile });
    const child = startProcess(exe, ['run', '--config', config], { name, logDir, cwd: dir, env });
    const base = `http://127.0.0.1:${port}`;
    const auth = token ? { Authorization: `Bearer ${token}` } : {};
    try {
      await waitFor(`${name}: /readyz 200`, async () => {
        assertAlive(child);
        const r = await get(`${base}/readyz`);
        await r.arrayBuffer();
        return r.status === 200;
      }, { timeout: 60000 });
      await waitFor(`${name}: tthc_poll_cycles_total{outcome="ok"} >= 1`, async () => {
        assertAlive(child);
        const m = parseMetrics(await getText(`${base}/metrics`, { headers: auth }));
        return sumOf(m, 'tthc_poll_cycles_total', { outcome: 'ok' }) >= 1;
      }, { timeout: 60000, interval: 200 });
      // The cycle's commit reaches the live state right after: the work list shows it.
      await waitFor(`${name}: dossiers in process in the work list`, async () => {
        const l = await getJson(`${base}/api/v1/dossiers?limit=1`, { headers: auth });
        return l.total > 0;
      }, { timeout: 30000 });
      return { child, port, base, config, token };
    } catch (e) {
      await stopProcess(child);
      if (attempt >= 3 || !/address|in use/i.test(tail(child.logs.err))) throw e;
    }
  }
}

// --- MC webhook --------------------------------------------------------------------------------

/// `YYYYMMDDHHmmss` in Vietnam time (UTC+7, no daylight saving).
export function vnStamp(ms) {
  const d = new Date(ms + 7 * 3600 * 1000);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
         `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/// A dossier received a minute ago and in process (status 4), as the MC sync sends it.
export function freshDossier(code, { procedure = '1.004227', field = 'ATBXHN', receivedMs = Date.now() - 60000 } = {}) {
  return {
    MaHoSo: code,
    MaTTHC: procedure,
    MaLinhVuc: field,
    KenhThucHien: 1,
    TrangThaiHoSo: 4,
    NgayTiepNhan: vnStamp(receivedMs),
    NgayHenTra: vnStamp(receivedMs + 30 * 86400 * 1000),
    QuaTrinhXuLy: [{
      ThoiDiemXuLy: vnStamp(receivedMs), TrangThai: 4, PhongBanXuLy: 'Bộ phận Một cửa',
      NoiDungXuLy: 'Tiếp nhận hồ sơ',
    }],
  };
}

export async function pushDossiers(base, records) {
  const r = await fetch(`${base}/api/v1/mc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ service: 'DongBoHoSoMC', data: records }),
    signal: AbortSignal.timeout(15000),
  });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`POST /api/v1/mc: HTTP ${r.status}: ${body}`);
  const answer = JSON.parse(body);
  if (answer.rejected !== 0) throw new Error(`POST /api/v1/mc rejected records: ${body}`);
  return answer;
}

// --- the browser -------------------------------------------------------------------------------

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export async function loadPuppeteer() {
  try {
    return (await import('puppeteer-core')).default;
  } catch (e) {
    throw new Error(`puppeteer-core is not installed in tests/browser (${e.message}): run scripts/setup, ` +
                    'or `npm ci` in tests/browser');
  }
}

export async function launchBrowser(puppeteer, { userDataDir, executablePath = '/usr/bin/chromium' }) {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: run scripts/setup (Debian package chromium)`);
  }
  return puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir,
    args: chromiumArgs,
    defaultViewport: { width: 1920, height: 1080 },
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,  // ours stop everything
  });
}

/// Parses a Content-Security-Policy header into {directive: [sources]}.
export function parseCsp(header) {
  const out = {};
  for (const part of (header ?? '').split(';')) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    if (words.length) out[words[0].toLowerCase()] = words.slice(1);
  }
  return out;
}

/// What is wrong with a board response's security headers ([] when nothing).
export function headerProblems(url, status, headers, isDocument) {
  const problems = [];
  if (status >= 300 && status < 400) return problems;
  if ((headers['x-content-type-options'] ?? '').toLowerCase() !== 'nosniff') {
    problems.push(`${url}: X-Content-Type-Options is ${JSON.stringify(headers['x-content-type-options'] ?? null)}, not nosniff`);
  }
  if (isDocument) {
    const raw = headers['content-security-policy'];
    if (!raw) {
      problems.push(`${url}: no Content-Security-Policy`);
    } else {
      const csp = parseCsp(raw);
      const scripts = csp['script-src'] ?? csp['default-src'];
      if (!scripts) problems.push(`${url}: CSP has neither script-src nor default-src: ${raw}`);
      else if (scripts.includes("'unsafe-inline'")) problems.push(`${url}: CSP script-src allows 'unsafe-inline': ${raw}`);
      if (!csp['frame-ancestors']) problems.push(`${url}: CSP has no frame-ancestors: ${raw}`);
    }
  }
  return problems;
}

/// Opens a fresh page that records what it does: every request (which must go to `origin`
/// only), failed requests, HTTP errors, console errors, uncaught exceptions, and security
/// headers. `allow(kind, detail)` may excuse an expected failure (e.g. a 401 being tested).
export async function recordedPage(browser, origin, { allow = () => false, viewport } = {}) {
  const page = await browser.newPage();
  if (viewport) await page.setViewport(viewport);
  const log = { requests: [], problems: [], responses: [] };
  page.on('request', (r) => {
    const url = r.url();
    log.requests.push(`${r.method()} ${url}`);
    if (url.startsWith('data:')) return;  // not a network request
    let u;
    try { u = new URL(url); } catch { log.problems.push(`unparsable request URL: ${url}`); return; }
    if (u.hostname !== '127.0.0.1') log.problems.push(`request to another host: ${r.method()} ${url}`);
  });
  page.on('requestfailed', (r) => {
    const detail = { url: r.url(), method: r.method(), error: r.failure()?.errorText };
    if (allow('requestfailed', detail)) return;
    log.problems.push(`request failed: ${detail.method} ${detail.url}: ${detail.error}`);
  });
  page.on('response', (r) => {
    const url = r.url();
    const status = r.status();
    log.responses.push({ url, status, headers: r.headers(), type: r.request().resourceType() });
    if (status >= 400 && !allow('status', { url, status, method: r.request().method() })) {
      log.problems.push(`HTTP ${status}: ${r.request().method()} ${url}`);
    }
    if (url.startsWith(origin)) {
      log.problems.push(...headerProblems(url, status, r.headers(), r.request().resourceType() === 'document'));
    }
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const loc = m.location();
    const detail = { text: m.text(), url: loc?.url };
    if (allow('console', detail)) return;
    log.problems.push(`console error: ${m.text()}${loc?.url ? ` (at ${loc.url}:${loc.lineNumber ?? '?'})` : ''}`);
  });
  page.on('pageerror', (e) => log.problems.push(`uncaught exception: ${e.message}`));
  return { page, log };
}

export { delay };
