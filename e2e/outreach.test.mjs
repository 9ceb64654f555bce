// The outreach app offline, in a real browser: load the app, go offline, record 20
// contacts, reload while offline (the service worker serves the app, the encrypted device
// store still holds the 20), come back online and find exactly 20 contacts on the server.
// Then again with the answer to one batch lost on the way back and the server killed and
// restarted in the middle of the sync: still exactly 20 more. A registered person's
// referral line becomes a referral with consent on the contact's staff page; the receiving
// organisation sees that it came from street outreach; the team lead sees the outcome.
// axe-core on the app in English and in Arabic (right to left), and on those pages. Show
// mode on `haven demo`'s published cards: loaded while online, opened offline after a
// reload, an Arabic card right to left with axe, next, Escape and the back button;
// sign-out deletes the cards with the device store.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import {
  startHaven, launchBrowser, newContext, checkA11y, screenshot, runSql,
  signInWithTotp, signInDemo,
} from './lib.mjs';

const CLINIC_ORG = 'E2E Outreach Clinic';
let haven;
let browser;
let worker;
let lead;

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
      users: [
        { username: 'e2e-lead', displayName: 'E2E Team Lead', roles: ['team_lead'] },
        { username: 'e2e-clinic', displayName: 'E2E Clinic Nurse', roles: ['partner_staff'], org: CLINIC_ORG, orgKind: 'health' },
      ],
    });
    browser = await launchBrowser();
    const wctx = await newContext(browser, haven.baseUrl);
    worker = await wctx.newPage();
    await signInWithTotp(worker, haven);
    const lctx = await newContext(browser, haven.baseUrl);
    lead = await lctx.newPage();
    await signInWithTotp(lead, haven.users['e2e-lead']);
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

  test('a registered person\'s line becomes a referral with consent; the outcome reaches the team lead', async () => {
    // The clinic's service in the directory (no page creates directory rows here).
    const dirOrg = randomUUID();
    const service = randomUUID();
    runSql(haven, `INSERT INTO dir_organizations (id, haven_org_id, name, created_at, updated_at) SELECT '${dirOrg}', id, name, 0, 0 FROM organisations WHERE name = '${CLINIC_ORG}'`);
    runSql(haven, `INSERT INTO dir_services (id, organization_id, name, status, created_at, updated_at) VALUES ('${service}', '${dirOrg}', 'E2E Street clinic', 'active', 0, 0)`);
    // A contact with one person signposted to it, then registered with consent (the app's calls).
    const contactId = await worker.evaluate(async (svc) => {
      const s = await (await fetch('/api/v1/outreach/session')).json();
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf };
      const cfg = await (await fetch('/api/v1/outreach/config')).json();
      const ms = Date.now();
      const hex = ms.toString(16).padStart(12, '0');
      const rnd = crypto.getRandomValues(new Uint8Array(10));
      const h = [...rnd].map((b) => b.toString(16).padStart(2, '0')).join('');
      const id = `${hex.slice(0, 8)}-${hex.slice(8)}-7${h.slice(0, 3)}-${((parseInt(h[3], 16) & 3) | 8).toString(16)}${h.slice(4, 7)}-${h.slice(7, 19)}`;
      const contact = {
        contact_at: Math.floor(ms / 1000) - 60, area: cfg.areas[0].code, people_count: 1,
        activities: ['contacted', 'referred'],
        persons: [{ alias: 'Referral Walker', referrals: [{ kind: 'service', id: svc }] }],
      };
      let r = await fetch('/api/v1/outreach/sync', { method: 'POST', headers, body: JSON.stringify({ records: [{ id, contact }] }) });
      if (!r.ok) throw new Error(`sync ${r.status}`);
      r = await fetch('/api/v1/outreach/register', {
        method: 'POST', headers,
        body: JSON.stringify({ consent: true, links: [{ contact_id: id, ordinal: 0 }], person: { name: 'Referral Walker Name', alias: 'Referral Walker' } }),
      });
      if (r.status !== 201) throw new Error(`register ${r.status}`);
      return id;
    }, service);
    // The contact's page: signposted so far, with "Refer with consent".
    let resp = await worker.goto(`/staff/outreach/contacts/${contactId}`);
    assert.equal(resp.status(), 200);
    await worker.getByRole('cell', { name: 'Signposted', exact: true }).waitFor();
    await checkA11y(worker, 'outreach contact with a signposted line');
    await Promise.all([
      worker.waitForURL((u) => u.pathname.endsWith('/refer')),
      worker.getByRole('link', { name: 'Refer with consent' }).click(),
    ]);
    await checkA11y(worker, 'refer-with-consent form');
    await worker.getByLabel('Purpose').selectOption('health_care');
    await worker.getByLabel('Valid until').fill(new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10));
    await worker.getByLabel('The person agreed to this referral and its sharing').check();
    await Promise.all([
      worker.waitForURL((u) => u.pathname === `/staff/outreach/contacts/${contactId}`),
      worker.getByRole('button', { name: 'Send the referral' }).click(),
    ]);
    await worker.getByRole('cell', { name: 'Referred with consent', exact: true }).waitFor();
    await checkA11y(worker, 'outreach contact with a referral with consent');
    // The clinic: from street outreach; accepts and records "helped".
    const cctx = await newContext(browser, haven.baseUrl);
    const clinic = await cctx.newPage();
    await signInWithTotp(clinic, haven.users['e2e-clinic']);
    await clinic.goto('/staff/referrals/received');
    await Promise.all([
      clinic.waitForURL((u) => /\/staff\/referrals\/received\/[^/]+$/.test(u.pathname)),
      clinic.getByRole('link', { name: 'E2E Municipality' }).first().click(),
    ]);
    await clinic.getByText('street outreach').waitFor();
    await checkA11y(clinic, 'received referral from street outreach');
    await Promise.all([
      clinic.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
      clinic.getByRole('button', { name: 'Accept' }).click(),
    ]);
    await clinic.waitForLoadState('load');
    await Promise.all([
      clinic.waitForURL((u) => u.pathname.endsWith('/result')),
      clinic.getByRole('link', { name: 'Record the result' }).click(),
    ]);
    await clinic.getByLabel('Result', { exact: true }).selectOption('helped');
    await Promise.all([
      clinic.waitForURL((u) => /\/staff\/referrals\/received\/[^/]+$/.test(u.pathname)),
      clinic.getByRole('button', { name: 'Record the result' }).click(),
    ]);
    await cctx.close();
    // The team lead: one referral with consent, its outcome withheld as "fewer than 5".
    await lead.goto('/outreach/team');
    await lead.getByRole('heading', { name: 'Outcomes of referrals with consent' }).waitFor();
    const row = lead.locator('table[aria-labelledby=h-outcomes] tbody tr').filter({ hasText: 'E2E Street clinic' });
    assert.match(await row.innerText(), /fewer than 5/);
    await checkA11y(lead, 'outreach team view with outcomes');
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
    page = await signInDemo(demoBrowser, demo.baseUrl, 'outreach');
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
    // Leaving full screen is asynchronous: wait for it rather than race it.
    await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5000 });

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

