// Figures, the network view and "How each figure is computed" in a real browser, on the
// demo's invented network: axe-core (WCAG 2.1 AA) on each, in English and in Arabic
// (right to left), and no total shown beside a withheld count it would give away.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHaven, launchBrowser, newContext, checkA11y, screenshot, DEMO_PASSWORD } from './lib.mjs';

let haven;
let browser;
let page;

async function language(code) {
  await page.goto('/staff/account');
  await page.getByLabel(/Language|اللغة/).first().selectOption(code);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('form[action="/staff/account/language"] button[type=submit]').first().click(),
  ]);
}

describe('figures and their definitions', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'stats', demo: true });
    browser = await launchBrowser();
    page = await (await newContext(browser, haven.baseUrl)).newPage();
    await page.goto('/staff/login');
    await page.getByLabel('Username', { exact: true }).fill('analyst');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/' || u.pathname === '/staff'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
  });

  after(async () => {
    if (page) await screenshot(page, 'stats-last');
    await browser?.close();
    if (process.env.HAVEN_E2E_VERBOSE) console.log(haven?.log());
    await haven?.stop();
  });

  test('the figures withhold a total beside a withheld count, and pass axe', async () => {
    await page.goto('/staff/stats');
    await page.getByRole('heading', { level: 1, name: 'Figures' }).waitFor();
    const orgs = await page.locator('table[aria-labelledby=h-by-org] tbody').innerText();
    const persons = await page.locator('dl.facts dd').first().innerText();
    if (/fewer than 5/.test(orgs)) assert.match(persons, /withheld/);
    await checkA11y(page, 'figures');
  });

  test('the network view withholds its total beside a withheld link, and passes axe', async () => {
    await page.goto('/staff/network');
    await page.getByRole('heading', { level: 1 }).waitFor();
    const links = await page.locator('table[aria-labelledby=h-links] tbody').innerText();
    const total = await page.locator('dl.facts dd').first().innerText();
    if (/fewer than 5|withheld/.test(links)) assert.doesNotMatch(total, /^\d+$/);
    await checkA11y(page, 'network view');
  });

  test('every definition is on one page, reached from the figures, and passes axe', async () => {
    await page.goto('/staff/stats');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/stats/indicators'),
      page.getByRole('link', { name: 'How each figure is computed' }).click(),
    ]);
    // Each definition is a section under its own heading (the API's list is checked in the
    // integration tests, which sign in with a token).
    assert.ok((await page.getByRole('heading', { level: 2 }).count()) >= 9);
    for (const title of ['Persons per organisation', 'Acceptance rate of referrals', 'Outcomes of outreach referrals with consent']) {
      await page.getByRole('heading', { level: 2, name: title }).waitFor();
    }
    assert.match(await page.locator('main').innerText(), /Every count below 5 is withheld/);
    await checkA11y(page, 'indicator definitions');
  });

  test('in Arabic the three pages are right to left and pass axe', async () => {
    await language('ar');
    for (const path of ['/staff/stats', '/staff/network', '/staff/stats/indicators']) {
      await page.goto(path);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl', path);
      assert.equal(await page.getAttribute('html', 'lang'), 'ar', path);
      await checkA11y(page, `${path} in Arabic`);
    }
    await page.getByRole('heading', { level: 1, name: 'كيف يُحسب كل رقم' }).waitFor();
    await language('en');
  });
});
