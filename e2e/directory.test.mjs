// The services directory's editing and review workflow in a real browser (issue 5):
//
//   partner staff: propose their organisation's entry, then a service;
//   editor:        approves both from the review queue;
//   partner staff: edit the service (an invalid submit first: 422 with an error summary),
//                  then save; the entry waits for review;
//   editor:        sees the change field by field next to the published text, approves;
//   the partner's list and edit form again in Arabic (right to left).
//
// axe-core (WCAG 2.0/2.1 A + AA) runs on every page reached.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHaven, launchBrowser, newContext, checkA11y, screenshot, pathOf,
  signInWithTotp, visit, submit, assertRedirected,
} from './lib.mjs';

const PARTNER = { username: 'e2e-partner', displayName: 'E2E Partner', roles: ['partner_staff'], org: 'E2E Harbour Clinic' };
const EDITOR = { username: 'e2e-editor', displayName: 'E2E Editor', roles: ['editor'], org: 'E2E Municipality' };

let haven;
let browser;
const pages = {};
let serviceUrl;

async function signIn(who, user) {
  const ctx = await newContext(browser, haven.baseUrl);
  const page = await ctx.newPage();
  pages[who] = page;
  await signInWithTotp(page, user);
  await checkA11y(page, `staff home of the ${who}`);
  return page;
}

/** The editor approves the only entry waiting with this name. */
async function approve(name, what) {
  const page = pages.editor;
  await visit(page, '/staff/directory/review', `review queue (${what})`);
  await page.getByRole('link', { name }).click();
  await page.waitForLoadState('load');
  await checkA11y(page, `review page (${what})`);
  await screenshot(page, `directory-review-${what}`);
  const resp = await submit(page, page.getByRole('button', { name: 'Approve and publish' }));
  assertRedirected(resp, `approve ${what}`);
  assert.equal(pathOf(page.url()), '/staff/directory/review');
}

describe('the directory editing and review workflow', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'directory', users: [PARTNER, EDITOR] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (haven) {
      await haven.stop();
      if (process.env.HAVEN_E2E_VERBOSE) console.log(haven.log());
    }
  });

  test('partner staff propose their organisation; the editor approves', async () => {
    const page = await signIn('partner', haven.users[PARTNER.username]);
    await visit(page, '/staff/directory', 'directory list (empty)');
    await page.getByRole('link', { name: 'Add your organisation' }).click();
    await page.waitForLoadState('load');
    await checkA11y(page, 'new organisation form');
    await page.getByLabel('Name', { exact: true }).fill('Harbour Street Clinic');
    await page.getByLabel('Description', { exact: true }).fill('A walk-in clinic for everyone.');
    assertRedirected(await submit(page, page.getByRole('button', { name: 'Save for review' })), 'propose organisation');
    await visit(page, '/staff/directory', 'directory list (organisation pending)');
    assert.match(await page.locator('main').innerText(), /Draft waiting for review/);

    await signIn('editor', haven.users[EDITOR.username]);
    await approve('Harbour Street Clinic', 'organisation');
  });

  test('partner staff add a service; the editor approves', async () => {
    const page = pages.partner;
    await visit(page, '/staff/directory/service/new', 'new service form');
    await page.getByLabel('Name', { exact: true }).fill('Walk-in consultation');
    await page.getByLabel('Description', { exact: true }).fill('Open on Mondays.');
    await page.getByLabel('Free of charge').check();
    await page.getByLabel('No documents needed').check();
    await page.locator('input[name="opens_MO"]').fill('09:00');
    await page.locator('input[name="closes_MO"]').fill('12:00');
    assertRedirected(await submit(page, page.getByRole('button', { name: 'Save for review' })), 'add service');
    await approve('Walk-in consultation', 'new-service');
  });

  test('partner staff edit the service, with one invalid submit first', async () => {
    const page = pages.partner;
    await visit(page, '/staff/directory', 'directory list (published)');
    await page.getByRole('link', { name: 'Walk-in consultation' }).click();
    await page.waitForLoadState('load');
    serviceUrl = pathOf(page.url());
    await checkA11y(page, 'edit service form');
    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByLabel('Email').fill('not an address');
    await page.getByLabel('Description', { exact: true }).fill('Open on Mondays and Thursdays.');
    // The browser would stop an invalid e-mail address itself; switch its check off so that
    // the server's answer is what is tested (as for a browser without form validation).
    await page.evaluate(() => { document.querySelector('form.stack').noValidate = true; });
    const bad = await submit(page, page.getByRole('button', { name: 'Save for review' }));
    assert.equal(bad.status(), 422);
    const summary = page.getByRole('alert');
    await summary.waitFor();
    const text = await summary.innerText();
    assert.match(text, /Name/);
    assert.match(text, /Email/);
    await checkA11y(page, 'edit service form with errors');
    await screenshot(page, 'directory-form-errors');
    await page.getByLabel('Name', { exact: true }).fill('Walk-in consultation');
    await page.getByLabel('Email').fill('clinic@example.org');
    await page.locator('input[name="opens_TH"]').fill('13:00');
    await page.locator('input[name="closes_TH"]').fill('17:00');
    assertRedirected(await submit(page, page.getByRole('button', { name: 'Save for review' })), 'save service');
    await visit(page, serviceUrl, 'edit service form (draft waiting)');
    assert.match(await page.locator('main').innerText(), /Draft waiting for review/);
  });

  test('the editor compares the change and approves it', async () => {
    const page = pages.editor;
    await visit(page, '/staff/directory/review', 'review queue (change)');
    await page.getByRole('link', { name: 'Walk-in consultation' }).click();
    await page.waitForLoadState('load');
    const table = await page.locator('main table').innerText();
    assert.match(table, /Open on Mondays\./);
    assert.match(table, /Open on Mondays and Thursdays\./);
    assert.match(table, /clinic@example\.org/);
    await approve('Walk-in consultation', 'change');
    assert.match(await page.locator('main').innerText(), /No changes are waiting for review/);
    await visit(pages.partner, '/staff/directory', 'directory list (change published)');
    assert.doesNotMatch(await pages.partner.locator('main').innerText(), /Draft waiting for review/);
  });

  test('the list and the form in Arabic', async () => {
    const page = pages.partner;
    await page.goto('/staff/directory');
    await page.locator('footer select[name="lang"]').selectOption('ar');
    await Promise.all([page.waitForNavigation(), page.locator('footer button[type="submit"]').click()]);
    for (const [name, path] of [['list', '/staff/directory'], ['form', serviceUrl]]) {
      await page.goto(path);
      const { lang, dir } = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
      assert.equal(lang, 'ar');
      assert.equal(dir, 'rtl');
      await checkA11y(page, `${path} in Arabic`);
      await screenshot(page, `directory-arabic-${name}`);
    }
  });
});
