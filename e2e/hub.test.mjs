// The safe-reporting hub in a real browser, on the demo:
//
//   in English, Arabic and Tigrinya, with plain form posts (the pages carry no script): a report made on the public page
//   (a refused form first, naming what to fix), the receipt code shown once, coming back
//   with it, adding information; axe-core (WCAG 2.0/2.1 A + AA) finds nothing on any page,
//   nothing overflows at 320 px, no cookie is set and no request leaves the server;
//   then the hub officer (staff interface in English, Arabic and Tigrinya) reads the reports, answers the one just made, and opens the form for a report
//   made by phone; the reporter reads the answer with the code.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHaven, launchBrowser, newContext, checkA11y, phonePage, checkPublicPage, noOverflow as noOverflowAt,
  DEMO_PASSWORD,
} from './lib.mjs';

const LANGS = [
  ['en', 'ltr'],
  ['ar', 'rtl'],
  ['ti', 'ltr'],
];

let haven;
let browser;
const codes = {};

const noOverflow = (page, what) => noOverflowAt(page, `hub-320-${what}`);

describe('the safe-reporting hub', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'hub', demo: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (haven) {
      await haven.stop();
      if (process.env.HAVEN_E2E_VERBOSE) console.log(haven.log());
    }
  });

  for (const [lang, dir] of LANGS) {
    test(`reporting and coming back with the code in ${lang}, with plain forms`, async () => {
      // CSP bypassed only so that axe-core can be injected; the pages have no script.
      const { ctx, page, foreign } = await phonePage(browser, haven.baseUrl);
      for (const path of [`/${lang}/report`, `/${lang}/report/safety`, `/${lang}/report/return`]) {
        await checkPublicPage(page, path, { lang, dir, shotPrefix: 'hub-320-' });
      }
      await page.goto(`/${lang}/report`);
      // Sent empty: every missing answer is named, in the page's language.
      await page.locator('form.report button[type=submit]').click();
      await page.waitForLoadState('load');
      assert.ok(await page.locator('.errors li').count() >= 4, 'the missing answers are listed');
      await checkA11y(page, `hub ${lang} report form with errors`);
      await noOverflow(page, `${lang}-report-errors`);
      await page.locator('#c-labour_exploitation').check();
      await page.locator('#f-occurred').fill('2026-10');
      await page.locator('#f-place').fill('greenhouses by the canal');
      await page.locator('#f-what').fill(`e2e report in ${lang}: wages unpaid for three months`);
      await page.locator('#r-victim').check();
      await page.locator('#m-no').check();
      await page.locator('#f-language').selectOption(lang);
      await page.locator('form.report button[type=submit]').click();
      await page.waitForLoadState('load');
      const code = (await page.locator('p.code bdi').textContent()).trim();
      assert.match(code, /^\d{5}( \d{5}){4}$/);
      codes[lang] = code;
      await checkA11y(page, `hub ${lang} receipt code`);
      await noOverflow(page, `${lang}-receipt`);

      await page.goto(`/${lang}/report/return`);
      await page.locator('#f-code').fill(code.replaceAll(' ', ''));
      await page.locator('main form button[type=submit]').click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#f-text').count(), 1, 'the report opened');
      await checkA11y(page, `hub ${lang} conversation`);
      await page.locator('#f-text').fill(`more from the reporter in ${lang}`);
      await page.locator('main form button[type=submit]').click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('ol.talk').textContent(), new RegExp(`more from the reporter in ${lang}`));
      await checkA11y(page, `hub ${lang} conversation after adding`);
      await noOverflow(page, `${lang}-conversation`);
      assert.deepEqual(foreign, [], 'requests to other hosts');
      assert.deepEqual(await ctx.cookies(), [], 'cookies');
      await ctx.close();
    });
  }

  for (const locale of ['en', 'ar', 'ti']) {
    test(`the hub officer's pages in ${locale}`, async () => {
      const ctx = await browser.newContext({ baseURL: haven.baseUrl, locale, bypassCSP: true });
      ctx.setDefaultTimeout(15_000);
      const page = await ctx.newPage();
      await page.goto('/staff/login');
      await page.locator('#f-username, input[name=username]').first().fill('hub');
      await page.locator('input[name=password]').fill(DEMO_PASSWORD);
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/staff/' || u.pathname === '/staff'),
        page.locator('main form button[type=submit]').click(),
      ]);
      // The hub officer works only in the hub: no person registry in the menu.
      assert.equal(await page.locator('a[href="/staff/persons"]').count(), 0, 'no registry');
      await page.goto('/staff/hub/reports');
      await checkA11y(page, `hub reports (${locale})`);
      const rows = page.locator('main tbody tr');
      assert.ok(await rows.count() >= 5, 'the demo reports and the new ones');
      await page.goto('/staff/hub/reports?closed=1');
      await checkA11y(page, `closed hub reports (${locale})`);
      // Reports made online keep only their day, so the one just made is found by its text
      // among today's, not by its place in the list.
      await page.goto('/staff/hub/reports');
      const hrefs = await rows.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      let found = false;
      for (const href of hrefs) {
        await page.goto(href);
        if (/e2e report in ti/.test(await page.locator('main').textContent())) {
          found = true;
          break;
        }
      }
      assert.ok(found, 'the report made in ti');
      await checkA11y(page, `a hub report (${locale})`);
      await page.locator('#f-text').fill(`answer from the hub (${locale})`);
      await page.locator('form[action$="/answer"] button').click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('ol.talk').textContent(), new RegExp(`answer from the hub \\(${locale}\\)`));
      await page.goto('/staff/hub/reports/new');
      await checkA11y(page, `recording a report (${locale})`);
      await ctx.close();
    });
  }

  for (const [locale, label] of [['en', 'Exploitation in domestic work'], ['ar', 'الاستغلال في العمل المنزلي'], ['ti', 'ምዝማዝ ኣብ ናይ ገዛ ስራሕ']]) {
    test(`the hub administrator's report categories in ${locale}`, async () => {
      const ctx = await browser.newContext({ baseURL: haven.baseUrl, locale, bypassCSP: true });
      ctx.setDefaultTimeout(15_000);
      const page = await ctx.newPage();
      await page.goto('/staff/login');
      await page.locator('#f-username, input[name=username]').first().fill('hubadmin');
      await page.locator('input[name=password]').fill(DEMO_PASSWORD);
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/staff/' || u.pathname === '/staff'),
        page.locator('main form button[type=submit]').click(),
      ]);
      await page.locator('main a[href="/staff/hub/categories"]').click();
      await page.waitForLoadState('load');
      await checkA11y(page, `report categories (${locale})`);
      const rows = page.locator('main tbody tr');
      assert.equal(await rows.count(), 11, 'the ten defaults and the city\'s own');
      assert.match(await page.locator('main tbody').textContent(), new RegExp(label));
      await page.goto('/staff/hub/categories/new');
      await checkA11y(page, `adding a category (${locale})`);
      await page.locator('#f-label_en').fill(`Zqx e2e ${locale}`);
      await page.locator('main form button[type=submit]').click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('.error-summary li').count(), 11, 'the eleven missing names');
      await checkA11y(page, `a refused category (${locale})`);
      await page.goto('/staff/hub/categories/exploitation_in_domestic_work');
      assert.equal(await page.locator('#f-label_ti').inputValue(), 'ምዝማዝ ኣብ ናይ ገዛ ስራሕ');
      await checkA11y(page, `renaming a category (${locale})`);
      await ctx.close();
    });
  }

  test('the public form offers the city\'s own category in Tigrinya', async () => {
    const ctx = await newContext(browser, haven.baseUrl);
    const page = await ctx.newPage();
    await page.goto('/ti/report');
    assert.match(await page.locator('#f-category').textContent(), /ምዝማዝ ኣብ ናይ ገዛ ስራሕ/);
    await ctx.close();
  });

  test('the reporter reads the answer with the code', async () => {
    // Without JavaScript at all: the return page is a plain form post.
    const plain = await browser.newContext({ baseURL: haven.baseUrl, javaScriptEnabled: false });
    const quiet = await plain.newPage();
    await quiet.goto('/ti/report/return');
    await quiet.locator('#f-code').fill(codes.ti);
    await quiet.locator('main form button[type=submit]').click();
    await quiet.waitForLoadState('load');
    assert.match(await quiet.locator('ol.talk').textContent(), /answer from the hub \(en\)/);
    await plain.close();
    const ctx = await newContext(browser, haven.baseUrl);
    const page = await ctx.newPage();
    await page.goto('/ti/report/return');
    await page.locator('#f-code').fill(codes.ti);
    await page.locator('main form button[type=submit]').click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('ol.talk').textContent(), /answer from the hub \(en\)/);
    await checkA11y(page, 'the conversation with the answer (ti)');
    assert.deepEqual(await ctx.cookies(), [], 'cookies');
    await ctx.close();
  });
});
