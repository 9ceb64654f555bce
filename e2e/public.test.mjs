// The public information site in a real browser, on the demo's content:
//
//   every public page type (home, topic pages, questions, stories, language chooser,
//   leaflet, "Get help now" unfiltered and filtered) in English, Arabic and Tigrinya: axe-core (WCAG 2.0/2.1 A + AA) finds nothing,
//   and at 320 px nothing overflows horizontally (screenshot of each in e2e/test-results);
//   no cookie is ever set and no request leaves the server;
//   then an editor's day: write a new topic page, review it, publish it, and see it on the
//   public site; change the English and see the French translation flagged out of date.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHaven, launchBrowser, newContext, checkA11y, screenshot, phonePage, checkPublicPage, signInDemo,
} from './lib.mjs';

const TOPICS = [
  'asylum', 'regularisation', 'onward-migration', 'voluntary-return', 'dublin',
  'health-care', 'reporting-crime', 'schooling', 'labour-rights',
];
const LANGS = [
  ['en', 'ltr'],
  ['ar', 'rtl'],
  ['ti', 'ltr'],
];

let haven;
let browser;

describe('the public information site', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'public', demo: true });
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
    test(`every public page in ${lang}: accessible, no overflow at 320 px, nothing from elsewhere`, async () => {
      const { ctx, page, foreign } = await phonePage(browser, haven.baseUrl);
      const paths = [`/${lang}/`, `/${lang}/languages`, `/${lang}/questions`, `/${lang}/stories`];
      // Get help now: unfiltered, filtered by need and language, a need with a confidential
      // location, and a choice nothing matches.
      paths.push(`/${lang}/help`, `/${lang}/help?need=legal-advice&language=ar`,
        `/${lang}/help?need=shelter`, `/${lang}/help?need=return-counselling&language=uk`);
      for (const t of TOPICS) paths.push(`/${lang}/topics/${t}`);
      paths.push(`/${lang}/topics/asylum/leaflet`, `/${lang}/topics/reporting-crime/leaflet`);
      for (const path of paths) {
        await checkPublicPage(page, path, { lang, dir, shotPrefix: 'public-320-' });
      }
      // The page renders for print too (the leaflet is made for it).
      await page.goto(`/${lang}/topics/asylum/leaflet`);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('svg').count(), 1, 'the leaflet has its QR code');
      await screenshot(page, `public-print-${lang}-leaflet`);
      assert.deepEqual(foreign, [], 'requests to other hosts');
      assert.deepEqual(await ctx.cookies(), [], 'cookies');
      await ctx.close();
    });
  }

  test('get help now: the form filters without script; a confidential shelter is "call to arrange"', async () => {
    // Without JavaScript: the form is a plain GET form.
    const ctx = await browser.newContext({ baseURL: haven.baseUrl, javaScriptEnabled: false, locale: 'en-GB' });
    ctx.setDefaultTimeout(15_000);
    const page = await ctx.newPage();
    await page.goto('/en/');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Get help' }).click();
    await page.waitForURL((u) => u.pathname === '/en/help');
    const all = await page.locator('article.svc').count();
    assert.equal(all, 20, 'twenty services on a page');
    await page.getByLabel('What do you need?').selectOption('shelter');
    await page.getByLabel('In which language?').selectOption('en');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('need') === 'shelter'),
      page.getByRole('button', { name: 'Show services' }).click(),
    ]);
    const shelters = page.locator('article.svc');
    assert.ok((await shelters.count()) >= 1);
    assert.ok((await shelters.count()) < all);
    const text = await page.locator('main').textContent();
    assert.match(text, /call to arrange/);
    assert.match(text, /No data shared with immigration authorities/);
    // Next page and back.
    await page.goto('/en/help');
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await page.getByRole('link', { name: 'Previous page' }).click();
    await page.waitForURL((u) => u.pathname === '/en/help' && !u.searchParams.has('page'));
    assert.deepEqual(await ctx.cookies(), [], 'cookies');
    await ctx.close();
  });

  test('the language chooser names every language in its own script', async () => {
    const ctx = await newContext(browser, haven.baseUrl);
    const page = await ctx.newPage();
    await page.goto('/en/languages');
    const names = await page.locator('main ul.choose a').allTextContents();
    for (const name of ['English', 'العربية', 'ትግርኛ', 'فارسی', 'پښتو', 'Soomaali', 'Українська']) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    await page.getByRole('link', { name: 'ትግርኛ' }).first().click();
    await page.waitForURL((u) => u.pathname === '/ti/');
    assert.equal(await page.getAttribute('html', 'lang'), 'ti');
    await ctx.close();
  });

  test("an editor writes, reviews and publishes a page; the translation goes out of date", async () => {
    const page = await signInDemo(browser, haven.baseUrl, 'editor');
    const ctx = page.context();
    await page.getByRole('link', { name: 'Public site' }).click();
    await page.waitForURL((u) => u.pathname === '/staff/content');
    await checkA11y(page, 'content list');

    await page.getByRole('link', { name: 'New page, question or story' }).click();
    await checkA11y(page, 'new content form');
    // A slug with capitals is refused, with the field named.
    await page.getByLabel('Kind').selectOption('page');
    await page.getByLabel('Short name in the address').fill('Food Banks');
    await page.getByLabel('Section or topic').fill('rights');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForLoadState('load');
    await checkA11y(page, 'new content form with an error');
    assert.match(await page.locator('.error-summary').textContent(), /lowercase/);
    await page.getByLabel('Short name in the address').fill('food');
    await Promise.all([
      page.waitForURL((u) => /\/staff\/content\/[0-9a-f-]+\/en$/.test(u.pathname)),
      page.getByRole('button', { name: 'Create' }).click(),
    ]);
    const editUrl = new URL(page.url()).pathname;
    await page.getByLabel('Title').fill('Food and meals');
    await page.getByLabel('Short text').fill('Free meals are served every day, without questions.');
    await page.getByLabel('Text', { exact: true }).fill('Soup kitchens serve everyone.\n\nNo papers are needed.');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#state').textContent(), 'Draft');
    await checkA11y(page, 'content edit (draft)');
    await page.getByRole('button', { name: 'Mark as reviewed' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#state').textContent(), 'Reviewed');
    assert.match(await page.locator('.history').textContent(), /Reviewed by Eva Editor/);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#state').textContent(), 'Published');
    await screenshot(page, 'public-editor-published');

    // On the public site at once, in English, and shown in English on the French site.
    await page.goto('/en/');
    assert.ok(await page.getByRole('link', { name: 'Food and meals' }).isVisible());
    await page.goto('/fr/topics/food');
    assert.equal(await page.getAttribute('article', 'lang'), 'en');
    await checkA11y(page, 'an English page inside the French site');

    // A French translation, then the English changes: French is flagged out of date.
    await page.goto(editUrl.replace(/\/en$/, '/fr'));
    await page.getByLabel('Title').fill('Repas');
    await page.getByLabel('Short text').fill('Des repas gratuits sont servis chaque jour, sans questions.');
    await page.getByLabel('Text', { exact: true }).fill('Les soupes populaires servent tout le monde.');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#outdated').count(), 0);
    await page.goto(editUrl);
    await page.getByLabel('Short text').fill('Free meals every day. Nobody asks for papers.');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForLoadState('load');
    await page.goto(editUrl.replace(/\/en$/, '/fr'));
    assert.equal(await page.locator('#outdated').textContent(), 'Out of date');
    await checkA11y(page, 'an out-of-date translation');
    await page.getByRole('button', { name: 'Re-approve: still matches the English' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#outdated').count(), 0);
    await page.goto('/staff/content');
    await checkA11y(page, 'content list after the changes');
    await ctx.close();
  });
});
