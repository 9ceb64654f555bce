// A referral that closes the loop, in a real browser:
//
//   administrator: a programme, so that a case can be opened;
//   case manager:  registers a person, opens a case, and from the case page refers the
//                  person: consent first (to whom, for what, until when), then the service;
//   partner staff: (another organisation) sees the notification count, opens the referral,
//                  sees only what a health-care referral shares, accepts it, records the
//                  result; the same page again in Arabic (right to left);
//   case manager:  sees every step with who and when, and the notifications.
//
// axe-core (WCAG 2.0/2.1 A + AA) runs on every page reached. The receiving organisation's
// directory service is written with one SQL statement (`addService`): on this branch no page
// creates directory entries yet.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  startHaven, launchBrowser, newContext, checkA11y, screenshot, pathOf,
  signInWithTotp, visit, submit, assertRedirected, runSql,
} from './lib.mjs';

const ORG = 'E2E Municipality';
const PARTNER_ORG = 'E2E Health Clinic';
const ADMIN = { username: 'e2e-admin', displayName: 'E2E Administrator', roles: ['administrator'], org: ORG };
const PARTNER = { username: 'e2e-partner', displayName: 'E2E Partner Nurse', roles: ['partner_staff'], org: PARTNER_ORG, orgKind: 'health' };
const PROGRAMME = { name: 'E2E Referral programme', targetGroup: 'Adults without a residence permit', maxMonths: '12' };
const PERSON = { name: 'Samir Benali-Osei', phone: '+31 6 5555 1234' };
const SERVICE = 'E2E Walk-in clinic';

let haven;
let browser;
const pages = {};
const touched = new Set();
let caseUrl;
let referralId;

function isoDay(offsetDays = 0) {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The one place this test creates directory rows. */
function addService(orgName, serviceName) {
  const dirOrg = randomUUID();
  runSql(haven, `INSERT INTO dir_organizations (id, haven_org_id, name, created_at, updated_at) SELECT '${dirOrg}', id, name, 0, 0 FROM organisations WHERE name = '${orgName}'`);
  runSql(haven, `INSERT INTO dir_services (id, organization_id, name, status, created_at, updated_at) VALUES ('${randomUUID()}', '${dirOrg}', '${serviceName}', 'active', 0, 0)`);
}

async function signIn(page, user, who) {
  await signInWithTotp(page, user);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await checkA11y(page, `staff home of the ${who}`);
}

async function newPage(who) {
  const ctx = await newContext(browser, haven.baseUrl);
  const p = await ctx.newPage();
  pages[who] = p;
  touched.add(who);
  return p;
}

function pageOf(who) {
  assert.ok(pages[who], `the ${who} has not signed in (an earlier step failed)`);
  touched.add(who);
  return pages[who];
}

async function rowsOf(table) {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.replace(/\s+/g, ' ').trim())),
  );
}

describe('a referral from a case, accepted and completed by another organisation', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'referrals', users: [ADMIN, PARTNER] });
    addService(PARTNER_ORG, SERVICE);
    browser = await launchBrowser();
  });

  afterEach(async (t) => {
    for (const who of touched) await screenshot(pages[who], `referrals-${t?.name ?? 'step'}-${who}`);
    touched.clear();
  });

  after(async () => {
    await browser?.close();
    if (haven) {
      await haven.stop();
      if (process.env.HAVEN_E2E_VERBOSE) console.log(haven.log());
    }
  });

  test('administrator configures a programme', async () => {
    const page = await newPage('admin');
    await signIn(page, haven.users[ADMIN.username], 'administrator');
    await visit(page, '/staff/admin/programmes/new', 'new programme form');
    await page.getByLabel('Name', { exact: true }).fill(PROGRAMME.name);
    await page.getByLabel('Target group', { exact: true }).fill(PROGRAMME.targetGroup);
    await page.getByLabel('Maximum duration (months)', { exact: true }).fill(PROGRAMME.maxMonths);
    const resp = await submit(page, page.getByRole('button', { name: 'Add programme' }));
    assertRedirected(resp, 'add programme');
  });

  test('administrator sees the referral types and their allowlists', async () => {
    const page = pageOf('admin');
    await visit(page, '/staff/admin/referral-types', 'referral types');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/admin/referral-types/health_care'),
      page.getByRole('link', { name: 'Health care' }).click(),
    ]);
    await checkA11y(page, 'referral type form');
    // Nothing ticked: refused with a clear message, the form again.
    for (const box of await page.getByRole('checkbox').all()) await box.uncheck();
    const refused = await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(refused.status(), 422);
    await page.getByText('Tick at least one field').first().waitFor();
    await checkA11y(page, 'referral type form with an error');
    // The allowlist as it was (health care shares name, birth, gender, languages, phone).
    for (const label of ['Name', 'Date or year of birth', 'Gender', 'Languages', 'Phone']) {
      await page.getByRole('checkbox', { name: label, exact: true }).check();
    }
    await page.getByRole('checkbox', { name: 'Active', exact: true }).check();
    const resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'save referral type');
  });

  test('case manager opens a case and refers from it, consent first', async () => {
    const page = await newPage('cm');
    await signIn(page, haven, 'case manager');
    await visit(page, '/staff/persons/new', 'person form');
    await page.getByLabel('Name', { exact: true }).fill(PERSON.name);
    await page.getByLabel('Phone', { exact: true }).fill(PERSON.phone);
    let resp = await submit(page, page.getByRole('button', { name: /^Register (a )?person$/ }));
    assertRedirected(resp, 'register person');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/cases/new'),
      page.getByRole('link', { name: 'Open a case' }).click(),
    ]);
    await page.getByLabel('Programme', { exact: true }).selectOption({ label: PROGRAMME.name });
    resp = await submit(page, page.getByRole('button', { name: 'Open a case' }));
    assertRedirected(resp, 'open a case');
    caseUrl = pathOf(page.url());
    await checkA11y(page, 'case page');

    // "Refer" on the case page leads to the consent form, carrying the case.
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/consents/new')),
      page.getByRole('link', { name: 'Refer', exact: true }).click(),
    ]);
    await checkA11y(page, 'consent form');
    // Without the person's yes nothing is recorded: 422 with an error summary.
    await page.getByLabel('To organisation', { exact: true }).selectOption({ label: PARTNER_ORG });
    await page.getByLabel('Purpose', { exact: true }).selectOption({ label: 'Health care' });
    await page.getByLabel('Valid until', { exact: true }).fill(isoDay(30));
    resp = await submit(page, page.getByRole('button', { name: 'Record consent and continue' }));
    assert.equal(resp.status(), 422, `consent without the person's agreement: HTTP ${resp.status()}`);
    assert.match(await page.getByRole('alert').first().innerText(), /agreed/);
    await checkA11y(page, 'consent form with an error');
    await page.getByLabel('The person agreed to this referral and its sharing', { exact: true }).check();
    resp = await submit(page, page.getByRole('button', { name: 'Record consent and continue' }));
    assertRedirected(resp, 'record consent');
    assert.match(new URL(page.url()).pathname, /^\/staff\/consents\/[^/]+\/refer$/);
    await checkA11y(page, 'referral form');

    await page.getByLabel('Service', { exact: true }).selectOption({ label: SERVICE });
    await page.getByLabel('Reason', { exact: true }).fill('Persistent cough for three weeks; no GP.');
    resp = await submit(page, page.getByRole('button', { name: 'Send the referral' }));
    assertRedirected(resp, 'send the referral');
    const path = pathOf(page.url());
    assert.match(path, /^\/staff\/referrals\/[^/]+$/);
    referralId = path.split('/').pop();
    const facts = await page.locator('main dl.facts').first().innerText();
    assert.match(facts, /sent/);
    assert.match(facts, new RegExp(PARTNER_ORG));
    await checkA11y(page, 'sent referral');
    await visit(page, '/staff/referrals', 'referrals sent');
    const rows = await rowsOf(page.locator('main table'));
    assert.ok(rows.some((r) => r[0] === PERSON.name && r[1] === PARTNER_ORG), JSON.stringify(rows));
  });

  test('partner staff sees the notification, the minimum, accepts and records the result', async () => {
    const page = await newPage('partner');
    await signIn(page, haven.users[PARTNER.username], 'partner staff');
    const count = page.getByRole('link', { name: '1 new notification' });
    await count.waitFor();
    await Promise.all([page.waitForURL((u) => u.pathname === '/staff/notifications'), count.click()]);
    await checkA11y(page, 'notifications');
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/staff/referrals/received/${referralId}`),
      page.getByRole('link', { name: /New referral/ }).click(),
    ]);
    await checkA11y(page, 'received referral');
    const person = await page.locator('main dl.facts').nth(1).innerText();
    assert.match(person, new RegExp(PERSON.name), 'a health-care referral shares the name');
    assert.doesNotMatch(person, /Residence status/, 'no residence status without agreement');
    assert.match(await page.locator('main').innerText(), /Persistent cough/);
    let resp = await submit(page, page.getByRole('button', { name: 'Accept' }));
    assertRedirected(resp, 'accept');
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/result')),
      page.getByRole('link', { name: 'Record the result' }).click(),
    ]);
    await checkA11y(page, 'result form');
    await page.getByLabel('Result', { exact: true }).selectOption({ label: 'helped' });
    resp = await submit(page, page.getByRole('button', { name: 'Record the result' }));
    assertRedirected(resp, 'record the result');
    const main = await page.locator('main').innerText();
    assert.match(main, /completed/);
    assert.match(main, /closed or its consent has ended/, 'nothing of the person once closed');
    assert.doesNotMatch(main, new RegExp(PERSON.name));
    await checkA11y(page, 'completed referral, receiving side');
  });

  test('the received referral in Arabic', async () => {
    const page = pageOf('partner');
    const path = `/staff/referrals/received/${referralId}`;
    await page.goto(path);
    await page.locator('footer select[name="lang"]').selectOption('ar');
    await Promise.all([page.waitForNavigation(), page.locator('footer button[type="submit"]').click()]);
    try {
      for (const p of [path, '/staff/referrals/received', '/staff/notifications']) {
        await page.goto(p);
        const { lang, dir } = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
        assert.equal(lang, 'ar');
        assert.equal(dir, 'rtl');
        assert.ok(!(await page.locator('main').innerText()).includes('Steps'), `${p} is still in English`);
        await checkA11y(page, `${p} in Arabic`);
      }
    } finally {
      await page.goto(path);
      await page.locator('footer select[name="lang"]').selectOption('en');
      await Promise.all([page.waitForNavigation(), page.locator('footer button[type="submit"]').click()]);
    }
  });

  test('the sender sees every step with who and when', async () => {
    const page = pageOf('cm');
    await visit(page, `/staff/referrals/${referralId}`, 'completed referral, sending side');
    const steps = await rowsOf(page.locator('main table'));
    assert.deepEqual(steps.map((s) => s[0]), ['Sent', 'Accepted', 'Result recorded: helped']);
    assert.match(steps[1][2], new RegExp(`${PARTNER.displayName} · ${PARTNER_ORG}`));
    assert.match(steps[0][1], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    await page.getByRole('link', { name: '2 new notifications' }).click();
    await page.waitForURL((u) => u.pathname === '/staff/notifications');
    await checkA11y(page, 'notifications of the sender');
    const resp = await submit(page, page.getByRole('button', { name: 'Mark all as read' }));
    assertRedirected(resp, 'mark all read');
    await page.getByRole('link', { name: '0 new notifications' }).waitFor();
    await visit(page, caseUrl, 'case page after the referral');
  });
});
