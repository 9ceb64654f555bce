// The outreach app offline, in a real browser: load the app, go offline, record 20
// contacts, reload while offline (the service worker serves the app, the encrypted device
// store still holds the 20), come back online and find exactly 20 contacts on the server.
// Then again with the answer to one batch lost on the way back and the server killed and
// restarted in the middle of the sync: still exactly 20 more. axe-core on the app in
// English and in Arabic (right to left). Show mode on `haven demo`'s published cards:
// loaded while online, opened offline after a reload, an Arabic card right to left with
// axe, next, Escape and the back button; sign-out deletes the cards with the device store.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHaven, launchBrowser, newContext, checkA11y, freshTotp, screenshot, DEMO_PASSWORD } from './lib.mjs';

let haven;
let browser;
let worker;
let lead;

async function signIn(page, user) {
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

/** How many contacts the server holds for the team, read by the team lead. */
async function serverCount() {
  const v = await lead.evaluate(async () => {
    const r = await fetch('/api/v1/outreach/team', { headers: { Accept: 'application/json' } });
    return r.json();
  });
  return v.contacts_this_year;
}

async function pending(page) {
  return Number(await page.locator('body').getAttribute('data-pending'));
}

async function waitPending(page, n, timeout = 60_000) {
  await page.waitForFunction((want) => document.body.dataset.pending === String(want), n, { timeout });
}

async function record(page, alias) {
  const before = await pending(page);
  await page.getByLabel('Area').selectOption({ index: 1 });
  await page.getByLabel('Alias (leave empty for anonymous)').fill(alias);
  await page.getByRole('button', { name: 'Save contact' }).click();
  await waitPending(page, before + 1, 15_000);
  await page.locator('#sync-status').filter({ hasText: 'Contact saved on this device.' }).waitFor();
}

describe('outreach offline', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({
      label: 'outreach',
      roles: ['outreach_worker'],
      users: [{ username: 'e2e-lead', displayName: 'E2E Team Lead', roles: ['team_lead'] }],
    });
    browser = await launchBrowser();
    const wctx = await newContext(browser, haven.baseUrl);
    worker = await wctx.newPage();
    await signIn(worker, haven);
    const lctx = await newContext(browser, haven.baseUrl);
    lead = await lctx.newPage();
    await signIn(lead, haven.users['e2e-lead']);
  });

  after(async () => {
    if (worker) await screenshot(worker, 'outreach-last');
    await browser?.close();
    if (process.env.HAVEN_E2E_VERBOSE) console.log(haven?.log());
    await haven?.stop();
  });

  test('the app loads, installs its service worker and passes axe', async () => {
    await worker.goto('/outreach/');
    await worker.evaluate(() => navigator.serviceWorker.ready);
    // Quick retries for the test, set before the app's script reads them.
    await worker.evaluate(() => localStorage.setItem('haven-outreach-retry-ms', '300'));
    await worker.reload();
    await worker.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await waitPending(worker, 0);
    await assert.doesNotReject(worker.getByRole('status').filter({ hasText: 'Everything is sent.' }).waitFor());
    const manifest = await worker.evaluate(() => document.querySelector('link[rel=manifest]').href);
    assert.match(manifest, /\/outreach\/manifest\.webmanifest$/);
    await checkA11y(worker, 'outreach app');
    assert.equal(await serverCount(), 0);
  });

  test('20 contacts recorded offline survive a reload and arrive exactly once', async () => {
    await worker.context().setOffline(true);
    for (let i = 0; i < 20; i++) await record(worker, `Walker ${i}`);
    assert.equal(await pending(worker), 20);
    await worker.reload();
    await waitPending(worker, 20);
    assert.equal(await worker.locator('#records li[data-state=queued]').count(), 20);
    assert.equal(await serverCount(), 0, 'nothing reached the server while offline');
    await checkA11y(worker, 'outreach app offline with a queue');
    await worker.context().setOffline(false);
    await waitPending(worker, 0);
    assert.equal(await serverCount(), 20);
  });

  test('a lost answer and a server killed mid-sync lose nothing and duplicate nothing', async () => {
    await worker.evaluate(() => localStorage.setItem('haven-outreach-batch', '2'));
    await worker.reload();
    await waitPending(worker, 0);
    await worker.context().setOffline(true);
    for (let i = 0; i < 20; i++) await record(worker, `Runner ${i}`);
    assert.equal(await pending(worker), 20);
    // The server stores the first batch but its answer never reaches the app.
    let dropped = false;
    await worker.route('**/api/v1/outreach/sync', async (route) => {
      if (!dropped) {
        dropped = true;
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    let answered = 0;
    worker.on('response', (r) => {
      if (r.url().endsWith('/api/v1/outreach/sync') && r.status() === 200) answered += 1;
    });
    await worker.context().setOffline(false);
    // Kill the server once a few batches are through, in the middle of the sync.
    for (let i = 0; i < 600 && answered < 3; i++) await sleep(10);
    await haven.kill();
    const left = await pending(worker);
    assert.ok(left > 0 && left < 20, `the sync was interrupted in the middle (${left} left)`);
    await sleep(1000);
    await haven.restart();
    await waitPending(worker, 0);
    await worker.unroute('**/api/v1/outreach/sync');
    assert.ok(dropped);
    assert.equal(await serverCount(), 40);
    assert.equal(await worker.locator('#records li[data-state=conflict]').count(), 0);
  });

  test('the app in Arabic is right to left and passes axe', async () => {
    await worker.goto('/staff/account');
    await worker.getByLabel('Language', { exact: true }).first().selectOption('ar');
    await Promise.all([
      worker.waitForLoadState('load'),
      worker.locator('form[action="/staff/account/language"] button[type=submit]').first().click(),
    ]);
    await worker.goto('/outreach/');
    await waitPending(worker, 0);
    assert.equal(await worker.evaluate(() => document.documentElement.dir), 'rtl');
    await checkA11y(worker, 'outreach app in Arabic');
  });
});

describe('outreach show mode', { concurrency: false }, () => {
  let demo;
  let demoBrowser;
  let page;

  before(async () => {
    // The demo has the public site's content, published in English, French, Arabic and
    // Tigrinya, and an outreach worker who signs in without a second factor.
    demo = await startHaven({ label: 'outreach-show', demo: true });
    demoBrowser = await launchBrowser();
    const ctx = await newContext(demoBrowser, demo.baseUrl);
    page = await ctx.newPage();
    await page.goto('/staff/login');
    await page.getByLabel('Username', { exact: true }).fill('outreach');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/' || u.pathname === '/staff'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
  });

  after(async () => {
    if (page) await screenshot(page, 'outreach-show-last');
    await demoBrowser?.close();
    if (process.env.HAVEN_E2E_VERBOSE) console.log(demo?.log());
    await demo?.stop();
  });

  test('cards loaded online are shown offline, an Arabic card right to left, and pass axe', async () => {
    await page.goto('/outreach/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // The app fetches the cards before it lists the device's records.
    await waitPending(page, 0);

    await page.context().setOffline(true);
    await page.reload();
    await waitPending(page, 0);
    assert.equal(await page.evaluate(() => navigator.onLine), false);

    const open = page.getByRole('button', { name: 'Show information' });
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Information for the person' });
    await dialog.waitFor();
    const picker = dialog.getByLabel('Language');
    // Focus moves into show mode, onto the language picker.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'show-lang');
    // Every language by its own name, marked with its own language.
    const options = await picker.locator('option').evaluateAll((os) =>
      os.map((o) => [o.value, o.getAttribute('lang'), o.getAttribute('dir'), o.textContent]),
    );
    assert.deepEqual(options, [
      ['en', 'en', 'ltr', 'English'],
      ['fr', 'fr', 'ltr', 'Français'],
      ['ar', 'ar', 'rtl', 'العربية'],
      ['ti', 'ti', 'ltr', 'ትግርኛ'],
    ]);

    await picker.selectOption('ar');
    const card = page.locator('#show-card');
    assert.equal(await card.getAttribute('lang'), 'ar');
    assert.equal(await card.getAttribute('dir'), 'rtl');
    assert.equal(await card.locator('h3').textContent(), 'اللجوء');
    assert.equal(await card.evaluate((e) => getComputedStyle(e).direction), 'rtl');
    await checkA11y(page, 'outreach show mode, Arabic card');
    await screenshot(page, 'outreach-show-ar');
    // On a small phone the large type wraps: nothing runs off the side.
    const size = page.viewportSize();
    await page.setViewportSize({ width: 320, height: 640 });
    await screenshot(page, 'outreach-show-ar-320');
    const overflow = await page.locator('#show').evaluate((d) => d.scrollWidth - d.clientWidth);
    assert.ok(overflow <= 0, `show mode is ${overflow}px too wide at 320px`);
    await page.setViewportSize(size);

    await dialog.getByRole('button', { name: 'Next' }).click();
    assert.equal(await card.locator('h3').textContent(), 'طرق أخرى للإقامة القانونية');
    // The demo publishes nine topic pages.
    assert.equal(await page.locator('#show-pos').textContent(), '2 / 9');
    await dialog.getByRole('button', { name: 'Previous' }).click();
    assert.equal(await card.locator('h3').textContent(), 'اللجوء');

    // Escape goes back to the app, with the focus on the button that opened show mode.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'show-open');
    assert.equal(await page.evaluate(() => document.fullscreenElement), null);

    // Again by keyboard only: the language is kept; the back button closes it.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    assert.equal(await card.getAttribute('lang'), 'ar');
    await picker.selectOption('ti');
    assert.equal(await card.getAttribute('dir'), 'ltr');
    assert.equal(await card.getAttribute('lang'), 'ti');
    await dialog.getByRole('button', { name: 'Back to the app' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'show-open');
    await page.context().setOffline(false);
  });

  test('signing out deletes the cards with the rest of the device store', async () => {
    // The app was started offline (previous test) and is online again without a reload: it
    // has no CSRF token from a session yet, and must fetch one to sign out.
    const stores = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    assert.ok((await stores()).some((n) => n.startsWith('haven-outreach-')));
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/login'),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    assert.deepEqual((await stores()).filter((n) => n.startsWith('haven-outreach-')), []);
  });
});

