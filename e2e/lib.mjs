// Shared helpers for Haven's browser tests.
//
// - startHaven(): prepares a throw-away data directory (keys + staff users
//   with TOTP), starts `$HAVEN_BIN serve` on a free loopback port and waits
//   for /healthz. With DATABASE_URL set (PostgreSQL), a fresh database is
//   created on that server for this run and dropped afterwards.
// - totp(): RFC 6238 codes (SHA-1, 6 digits, 30 s) with node:crypto.
// - launchBrowser(), newContext(): Debian's Chromium via playwright-core.
// - checkA11y(): axe-core (WCAG 2.0/2.1 A + AA) on the current page; throws
//   with a readable list of violations.
// - phonePage(), checkPublicPage(), noOverflow(): the public site as a cheap phone shows
//   it, and the checks every public page passes.
// - signInWithTotp(), signInDemo(), visit(), submit(), assertRedirected(): the staff
//   pages' steps every test takes.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..');
export const RESULTS_DIR = join(HERE, 'test-results');
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The password of every `haven demo` account. */
export const DEMO_PASSWORD = 'haven-demo-2026';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// ---------------------------------------------------------------- TOTP

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(input) {
  const clean = input.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = B32.indexOf(ch);
    if (idx < 0) throw new Error(`invalid base32 character ${JSON.stringify(ch)} in TOTP secret`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP with SHA-1. */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 TOTP: SHA-1, 6 digits, 30 s steps. `secret` is base32. */
export function totp(secret, timeMs = Date.now(), step = 30, digits = 6) {
  return hotp(base32Decode(secret), Math.floor(timeMs / 1000 / step), digits);
}

/** A TOTP code that stays valid for at least `margin` seconds (waits for the next step if needed). */
export async function freshTotp(secret, margin = 4) {
  const left = 30 - (Math.floor(Date.now() / 1000) % 30);
  if (left < margin) await sleep(left * 1000 + 250);
  return totp(secret);
}

// ---------------------------------------------------------------- processes

export async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function havenBin() {
  const bin = process.env.HAVEN_BIN || join(REPO_ROOT, 'target', 'debug', 'haven');
  const abs = resolve(REPO_ROOT, bin);
  if (!existsSync(abs)) {
    throw new Error(`Haven binary not found at ${abs}; build it (cargo build --bin haven) or set HAVEN_BIN`);
  }
  return abs;
}

function runSync(cmd, args, { input, env } = {}) {
  const r = spawnSync(cmd, args, { input, env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`,
    );
  }
  return r;
}

function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function psql(url, sql) {
  return runSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);
}

/**
 * Prepare and start a Haven server. The first account (e2e-cm) gets `roles`; `users`
 * ([{ username, displayName, roles, org? }]) adds more accounts, all before the server starts.
 * Returns { baseUrl, port, dataDir, username, password, totpSecret, displayName,
 * users: { [username]: { username, password, totpSecret, displayName, roles, org } }, stop(), log() }.
 */
export async function startHaven({ label = 'e2e', roles = ['case_manager'], users = [], demo = false } = {}) {
  const bin = havenBin();
  const dataDir = mkdtempSync(join(tmpdir(), `haven-${label}-`));
  const env = { ...process.env, RUST_BACKTRACE: '1' };
  delete env.DATABASE_URL;

  let dbName = null;
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    dbName = `haven_e2e_${randomBytes(6).toString('hex')}`;
    psql(adminUrl, `CREATE DATABASE ${dbName}`);
    env.DATABASE_URL = withDatabase(adminUrl, dbName);
  }

  const dropDb = () => {
    if (!dbName || process.env.HAVEN_E2E_KEEP) return;
    try {
      psql(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch (e) {
      console.error(`warning: could not drop ${dbName}: ${e.message}`);
    }
  };

  const user = {
    username: 'e2e-cm',
    password: `E2e-pass-${randomBytes(8).toString('hex')}`,
    displayName: 'E2E Case Manager',
  };

  // `haven user add` for one account; returns it with its password and TOTP secret.
  const addUser = ({ username, displayName, roles: userRoles, org = 'E2E Municipality', orgKind = 'municipal_department' }) => {
    const password = `E2e-pass-${randomBytes(8).toString('hex')}`;
    const add = runSync(
      bin,
      [
        'user', 'add',
        '--data', dataDir,
        '--username', username,
        '--display-name', displayName,
        '--org', org,
        '--org-kind', orgKind,
        ...userRoles.flatMap((r) => ['--role', r]),
        '--password-stdin',
      ],
      { env, input: `${password}\n` },
    );
    const m = /TOTP secret:\s*([A-Z2-7=]+)/i.exec(`${add.stdout}\n${add.stderr}`);
    if (!m) {
      throw new Error(`"user add" printed no "TOTP secret: <BASE32>" line.\nstdout:\n${add.stdout}\nstderr:\n${add.stderr}`);
    }
    return { username, password, displayName, roles: userRoles, org, totpSecret: m[1].toUpperCase() };
  };

  let totpSecret;
  const extraUsers = {};
  // `demo`: `haven demo` makes its own keys, invented data (with the public site's content)
  // and demo accounts that sign in with DEMO_PASSWORD and no second factor.
  if (!demo) try {
    runSync(bin, ['keys', 'create', '--data', dataDir], { env });
    const first = addUser({ username: user.username, displayName: user.displayName, roles });
    user.password = first.password;
    totpSecret = first.totpSecret;
    // Further accounts (e.g. an administrator, a team lead), all created before the server starts.
    for (const u of users) extraUsers[u.username] = addUser(u);
  } catch (e) {
    dropDb();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }

  mkdirSync(RESULTS_DIR, { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logPath = join(RESULTS_DIR, `${label}-server-${port}.log`);
  const logStream = createWriteStream(logPath);
  const args = demo
    ? ['demo', '--data', dataDir, '--persons', '5', ...(env.DATABASE_URL ? ['--database-url', env.DATABASE_URL] : [])]
    : ['serve', '--data', dataDir];
  let child;
  let exited = null;
  const launch = () => {
    exited = null;
    child = spawn(bin, [...args, '--bind', `127.0.0.1:${port}`], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
    const me = child;
    me.on('exit', (code, signal) => {
      if (me === child) exited = { code, signal };
    });
  };
  launch();

  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
      for (let i = 0; i < 20 && !exited; i++) await sleep(100);
    }
    logStream.end();
    dropDb();
    if (!process.env.HAVEN_E2E_KEEP) rmSync(dataDir, { recursive: true, force: true });
  };

  // Wait for /healthz (a debug build may take a while to start migrations).
  const deadline = Date.now() + (demo ? 180_000 : 60_000);
  let last = '';
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`haven serve exited early (${JSON.stringify(exited)}). Log:\n${log()}`);
    }
    try {
      const r = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) break;
      last = `status ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`haven serve did not answer GET /healthz with 200 within 60 s (last: ${last}). Log:\n${log()}`);
    }
    await sleep(200);
  }

  // Guard: with DATABASE_URL, the server must really be using that PostgreSQL database.
  if (dbName) {
    const r = runSync('psql', ['-X', '-tA', '-d', env.DATABASE_URL, '-c',
      "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"]);
    if (Number(r.stdout.trim()) === 0) {
      await stop();
      throw new Error(`haven serve is up but created no tables in ${dbName}: is DATABASE_URL ignored?`);
    }
  }

  // Kill the server at once (SIGKILL: no graceful shutdown), keeping its data directory
  // and database; `restart()` starts it again on the same port and waits for /healthz.
  const kill = async () => {
    if (exited) return;
    child.kill('SIGKILL');
    for (let i = 0; i < 50 && !exited; i++) await sleep(100);
  };
  const restart = async () => {
    await kill();
    launch();
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        const r = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) return;
      } catch {
        /* not up yet */
      }
      if (exited || Date.now() > until) throw new Error(`haven serve did not come back. Log:\n${log()}`);
      await sleep(200);
    }
  };

  return { baseUrl, port, dataDir, dbName, dbUrl: env.DATABASE_URL, totpSecret, ...user, users: extraUsers, stop, kill, restart, log, logPath };
}

/**
 * Runs one SQL statement against a started Haven's database (sqlite3 or psql). For data that
 * no page creates yet on this branch, such as directory services; keep its uses few.
 */
export function runSql(haven, sql) {
  if (haven.dbUrl) return psql(haven.dbUrl, sql);
  return runSync('sqlite3', [join(haven.dataDir, 'haven.db'), sql]);
}

// ---------------------------------------------------------------- browser

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

// ---------------------------------------------------------------- staff pages

/** Signs `user` ({ username, password, totpSecret }) in on `page`, password then TOTP code. */
export async function signInWithTotp(page, user) {
  await page.goto('/staff/login');
  await page.getByLabel('Username', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/staff/login/totp'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.getByLabel('Authentication code').fill(await freshTotp(user.totpSecret));
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/staff/' || u.pathname === '/staff'),
    page.getByRole('button', { name: 'Verify' }).click(),
  ]);
}

/** Opens `path`; fails on an error status or on anything axe-core finds. The response. */
export async function visit(page, path, what) {
  const resp = await page.goto(path);
  assert.ok(resp && resp.status() < 400, `GET ${path} answered ${resp?.status()}`);
  await checkA11y(page, what);
  return resp;
}

/** Clicks a submit button: the response to the POST it sends, once the next page loaded. */
export async function submit(page, button) {
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    button.click(),
  ]);
  await page.waitForLoadState('load');
  return resp;
}

/** Fails unless the POST was answered with a redirect (a form accepted). */
export function assertRedirected(resp, what) {
  assert.ok([302, 303].includes(resp.status()), `${what}: expected a redirect after the POST, got HTTP ${resp.status()} at ${resp.url()}`);
}

/**
 * A page of a fresh context signed in as a `haven demo` account (DEMO_PASSWORD, no second
 * factor), on the staff home page.
 */
export async function signInDemo(browser, baseUrl, username) {
  const ctx = await newContext(browser, baseUrl);
  const page = await ctx.newPage();
  await page.goto('/staff/login');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/staff/' || u.pathname === '/staff'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return page;
}

/** A context with CSP bypassed, so axe-core can be injected despite Haven's strict CSP. */
export async function newContext(browser, baseURL) {
  const ctx = await browser.newContext({ baseURL, bypassCSP: true, locale: 'en-GB' });
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(30_000);
  return ctx;
}

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 10)
        .map((n) => {
          const summary = (n.failureSummary || '').replace(/\n\s*/g, ' | ');
          return `      - ${n.target.join(' ')}\n        ${n.html.slice(0, 300)}\n        ${summary}`;
        })
        .join('\n');
      const more = v.nodes.length > 10 ? `\n      ... and ${v.nodes.length - 10} more` : '';
      return `  * [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

/** Run axe-core on the page; throws listing every violation. Returns the axe results. */
export async function checkA11y(page, what) {
  await page.waitForLoadState('load');
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    async (tags) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    AXE_TAGS,
  );
  if (results.violations.length > 0) {
    await screenshot(page, `a11y-${what}`);
    throw new Error(
      `axe-core found ${results.violations.length} accessibility violation(s) on ${what} (${page.url()}):\n` +
        formatViolations(results.violations),
    );
  }
  return results;
}

export async function screenshot(page, name) {
  try {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const safe = name.replace(/[^a-z0-9_-]+/gi, '_');
    const path = join(RESULTS_DIR, `${safe}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  } catch {
    return null;
  }
}

/** Path of a URL relative to the server, e.g. "/staff/". */
export function pathOf(url) {
  const u = new URL(url);
  return u.pathname + u.search;
}

// ---------------------------------------------------------------- public pages

/**
 * A page 320 px wide in a fresh context, as a cheap phone shows the public site, with the
 * list of requests it makes to other hosts (to be empty at the end): { ctx, page, foreign }.
 */
export async function phonePage(browser, baseUrl) {
  const ctx = await newContext(browser, baseUrl);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  const foreign = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  return { ctx, page, foreign };
}

/** Fails when the page is wider than its screen; keeps a screenshot named `shot` either way. */
export async function noOverflow(page, shot) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  await screenshot(page, shot);
  assert.ok(scroll <= client, `${shot} overflows at 320 px: scrollWidth ${scroll} > clientWidth ${client}`);
}

/**
 * Opens a public page and checks what every public page keeps: 200, no cookie, no script,
 * the language and direction of `lang`, axe-core finds nothing, nothing wider than the
 * screen (screenshot `${shotPrefix}${path}`).
 */
export async function checkPublicPage(page, path, { lang, dir, shotPrefix }) {
  const resp = await page.goto(path);
  assert.equal(resp.status(), 200, path);
  assert.equal(resp.headers()['set-cookie'], undefined, `${path} sets a cookie`);
  assert.equal(await page.getAttribute('html', 'lang'), lang, path);
  assert.equal(await page.getAttribute('html', 'dir'), dir, path);
  assert.equal(await page.locator('script').count(), 0, `${path} has a script`);
  await checkA11y(page, `public ${path}`);
  await noOverflow(page, `${shotPrefix}${path}`);
}
