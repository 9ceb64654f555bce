// The staff journey in a real browser: sign in (password + TOTP), register a
// person, find them by a spelling variant, open their page, sign out.
// axe-core (WCAG 2.0/2.1 A + AA) runs on every page reached, including the
// error states.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHaven,
  launchBrowser,
  newContext,
  checkA11y,
  freshTotp,
  screenshot,
  pathOf,
} from './lib.mjs';

// A distinctive person, with an Arabic alias (non-Latin script, right to left).
const PERSON = {
  name: 'Mohammed Zafarani',
  alias: 'محمد زعفراني',
  birthDate: '1987-04-12',
  phone: '+31 6 1234 5678',
  notes: 'Arrived by train; speaks Arabic and some English. E2E test record.',
  // How a colleague might spell the name when searching.
  searchVariant: 'Muhammad Zafarani',
};

// A person whose registration must fail (invalid date of birth): never saved.
const REJECTED = {
  name: 'Wojciech Invalidate-Kowalczyk',
  badBirthDate: '1990-02-30',
};

let haven;
let browser;
let context;
let page;
let personUrl;

/** Links in the page that point at a person's page (not the "new person" form). */
async function personLinks(p) {
  const hrefs = await p.$$eval('a[href]', (as) =>
    as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })),
  );
  return hrefs.filter(({ href }) => /\/staff\/persons\/[^/?#]+$/.test(href) && !/\/staff\/persons\/new$/.test(href));
}

async function search(p, query) {
  await p.goto('/staff/persons');
  await p.getByLabel('Search by name').fill(query);
  await Promise.all([
    p.waitForURL((u) => u.pathname.startsWith('/staff/persons') && u.search.includes('q=')),
    p.getByRole('button', { name: 'Search', exact: true }).click(),
  ]);
}

/** Submit the person form and return the HTTP response of the POST. */
async function submitPersonForm(p) {
  const [resp] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/staff/persons')),
    p.getByRole('button', { name: /^Register (a )?person$/ }).click(),
  ]);
  await p.waitForLoadState('load');
  return resp;
}

describe('staff journey', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'staff' });
    browser = await launchBrowser();
    context = await newContext(browser, haven.baseUrl);
    page = await context.newPage();
  });

  afterEach(async (t) => {
    // node:test has no per-test status here; a screenshot of every step is cheap.
    if (page) await screenshot(page, `staff-${t?.name ?? 'step'}`);
  });

  after(async () => {
    await browser?.close();
    if (haven) {
      await haven.stop();
      if (process.env.HAVEN_E2E_VERBOSE) console.log(haven.log());
    }
  });

  test('staff pages need a signed-in user', async () => {
    const resp = await page.goto('/staff/');
    assert.ok(resp, 'no response for /staff/');
    assert.equal(pathOf(page.url()).split('?')[0], '/staff/login', `expected a redirect to /staff/login, got ${page.url()}`);
  });

  test('public home page is accessible', async () => {
    const resp = await page.goto('/');
    assert.ok(resp && resp.status() < 400, `GET / answered ${resp?.status()}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await checkA11y(page, `public home (${pathOf(page.url())})`);
  });

  test('login page is accessible', async () => {
    await page.goto('/staff/login');
    await assert.doesNotReject(page.getByLabel('Username', { exact: true }).waitFor());
    await page.getByLabel('Password', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await checkA11y(page, 'login page');
  });

  test('login page sends a CSP that forbids inline scripts', async () => {
    const r = await fetch(`${haven.baseUrl}/staff/login`);
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy');
    assert.ok(csp, 'no Content-Security-Policy header on /staff/login');
    const scriptSrc = /(?:^|;)\s*script-src\s+([^;]*)/.exec(csp)?.[1] ?? /(?:^|;)\s*default-src\s+([^;]*)/.exec(csp)?.[1];
    assert.ok(scriptSrc, `CSP has neither script-src nor default-src: ${csp}`);
    assert.ok(!scriptSrc.includes("'unsafe-inline'"), `CSP allows inline scripts: ${csp}`);
  });

  test('wrong password: stays on the login page with an error', async () => {
    await page.goto('/staff/login');
    await page.getByLabel('Username', { exact: true }).fill(haven.username);
    await page.getByLabel('Password', { exact: true }).fill(`${haven.password}-wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).pathname, '/staff/login', `wrong password led to ${page.url()}`);
    const alert = page.getByRole('alert');
    await alert.first().waitFor();
    const text = (await alert.first().innerText()).trim();
    assert.ok(text.length > 0, 'the role=alert element is empty');
    // Still asks for the password, not the TOTP code.
    await page.getByLabel('Password', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Authentication code').count(), 0, 'wrong password must not reach the TOTP step');
    await checkA11y(page, 'login page with error');
  });

  test('correct password (typed with the keyboard only) leads to the TOTP step', async () => {
    await page.goto('/staff/login');
    await page.getByLabel('Username', { exact: true }).focus();
    await page.keyboard.type(haven.username);
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('name')),
      'password',
      'Tab from the username field should move to the password field',
    );
    await page.keyboard.type(haven.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/login/totp'),
      page.keyboard.press('Enter'),
    ]);
    await page.getByLabel('Authentication code').waitFor();
    await page.getByRole('button', { name: 'Verify' }).waitFor();
    await checkA11y(page, 'TOTP step');
  });

  test('TOTP code signs in and shows staff home', async () => {
    const code = await freshTotp(haven.totpSecret);
    await page.getByLabel('Authentication code').fill(code);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/' || u.pathname === '/staff'),
      page.getByRole('button', { name: 'Verify' }).click(),
    ]);
    await page.getByRole('heading').first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const cookies = await context.cookies();
    assert.ok(cookies.length > 0, 'signed in, but no cookie was set');
    for (const c of cookies) {
      assert.ok(c.httpOnly, `cookie ${c.name} should be HttpOnly`);
      assert.ok(c.sameSite === 'Lax' || c.sameSite === 'Strict', `cookie ${c.name} should be SameSite=Lax or Strict (is ${c.sameSite})`);
    }
    await checkA11y(page, 'staff home');
  });

  test('person form is accessible', async () => {
    await page.goto('/staff/persons/new');
    for (const label of ['Name', 'Alias', 'Date of birth', 'Year of birth (approximate)', 'Gender', 'Nationalities', 'Languages', 'Phone', 'Residence status', 'Notes']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `person form: exactly one field labelled "${label}"`);
    }
    await page.getByRole('button', { name: /^Register (a )?person$/ }).waitFor();
    await checkA11y(page, 'person form');
  });

  test('invalid date of birth: error naming the field, nothing saved', async () => {
    await page.goto('/staff/persons/new');
    await page.getByLabel('Name', { exact: true }).fill(REJECTED.name);
    const dob = page.getByLabel('Date of birth', { exact: true });
    // Server-side validation is what is tested: let an impossible date through
    // the browser (a type=date input would refuse to hold it).
    await dob.evaluate((el) => {
      el.type = 'text';
      if (el.form) el.form.noValidate = true;
    });
    await dob.fill(REJECTED.badBirthDate);
    const resp = await submitPersonForm(page);
    assert.equal(resp.status(), 422, `invalid date of birth: expected HTTP 422, got ${resp.status()}`);
    assert.equal(new URL(page.url()).pathname.startsWith('/staff/persons'), true);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /date of birth/i, `the error summary should name "Date of birth"; it says: ${JSON.stringify(text)}`);
    // The form is re-rendered with what was typed.
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), REJECTED.name, 'the name typed should be kept');
    await checkA11y(page, 'person form with error');
    await screenshot(page, 'staff-person-form-with-error');

    await search(page, 'Invalidate-Kowalczyk');
    const links = await personLinks(page);
    assert.deepEqual(links.filter((l) => l.text.includes('Kowalczyk')), [], 'the rejected person must not have been saved');
    await checkA11y(page, 'search results (none)');
  });

  test('register a person with an Arabic alias', async () => {
    await page.goto('/staff/persons/new');
    await page.getByLabel('Name', { exact: true }).fill(PERSON.name);
    await page.getByLabel('Alias', { exact: true }).fill(PERSON.alias);
    await page.getByLabel('Date of birth', { exact: true }).fill(PERSON.birthDate);
    await page.getByLabel('Phone', { exact: true }).fill(PERSON.phone);
    await page.getByLabel('Notes', { exact: true }).fill(PERSON.notes);
    const resp = await submitPersonForm(page);
    assert.ok(resp.status() === 303 || resp.status() === 302 || resp.status() === 200, `register: HTTP ${resp.status()}`);
    await page.waitForURL((u) => /^\/staff\/persons\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
    personUrl = new URL(page.url()).pathname;
    const h1 = page.getByRole('heading', { level: 1 });
    assert.match(await h1.innerText(), /Mohammed Zafarani/);
    assert.ok((await page.locator('body').innerText()).includes(PERSON.alias), 'the Arabic alias should be shown on the person page');
    await checkA11y(page, 'person page');
  });

  test('find the person by a spelling variant and open their page', async () => {
    assert.ok(personUrl, 'needs the person registered by the previous test');
    await search(page, PERSON.searchVariant);
    const links = await personLinks(page);
    const hit = links.find((l) => new URL(l.href, haven.baseUrl).pathname === personUrl);
    assert.ok(hit, `searching "${PERSON.searchVariant}" should list ${personUrl}; found ${JSON.stringify(links)}`);
    await checkA11y(page, 'search results');
    await Promise.all([
      page.waitForURL((u) => u.pathname === personUrl),
      page.locator(`a[href="${hit.href}"]`).first().click(),
    ]);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Mohammed Zafarani/);
  });

  test('find the person by the Arabic alias', async () => {
    assert.ok(personUrl, 'needs the person registered earlier');
    await search(page, 'زعفراني');
    const links = await personLinks(page);
    assert.ok(
      links.some((l) => new URL(l.href, haven.baseUrl).pathname === personUrl),
      `searching the Arabic alias should list ${personUrl}; found ${JSON.stringify(links)}`,
    );
  });

  test('every page in the staff navigation is accessible', async () => {
    await page.goto('/staff/');
    const nav = page.getByRole('navigation').first();
    const hrefs = await nav.locator('a[href]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    assert.ok(hrefs.length > 0, 'the staff header has no navigation links');
    for (const href of hrefs) {
      const resp = await page.goto(href);
      assert.ok(resp && resp.status() < 400, `${href} answered ${resp?.status()}`);
      await checkA11y(page, `navigation page ${href}`);
    }
  });

  test('every offered language: pages declare it and stay accessible', async () => {
    assert.ok(personUrl, 'needs the person registered earlier');
    await page.goto('/staff/');
    const select = page.locator('footer select[name="lang"]');
    if ((await select.count()) === 0) return; // no language switch offered
    const codes = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    try {
      for (const code of codes) {
        await page.goto('/staff/');
        await select.selectOption(code);
        await Promise.all([page.waitForNavigation(), page.locator('footer button[type="submit"]').click()]);
        for (const path of ['/staff/', '/staff/persons/new', personUrl, `/staff/persons?q=${encodeURIComponent(PERSON.searchVariant)}`]) {
          await page.goto(path);
          const lang = await page.evaluate(() => document.documentElement.lang);
          assert.equal(lang, code, `${path} after choosing language "${code}" has <html lang="${lang}">`);
          await checkA11y(page, `${path} in "${code}"`);
        }
      }
    } finally {
      await page.goto('/staff/');
      if (codes.includes('en')) {
        await select.selectOption('en');
        await Promise.all([page.waitForNavigation(), page.locator('footer button[type="submit"]').click()]);
      }
    }
  });

  test('erase a person: confirm with the box, then their page says the data is gone', async () => {
    await page.goto('/staff/persons/new');
    await page.getByLabel('Name', { exact: true }).fill('Erasable Tesfamariam');
    await submitPersonForm(page);
    await page.waitForURL((u) => /^\/staff\/persons\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
    const url = new URL(page.url()).pathname;
    await page.getByText('Erase this person’s data', { exact: true }).first().click();
    const box = page.getByLabel(/erase it now/);
    await box.waitFor();
    await checkA11y(page, 'person page with the erase form open');
    await box.check();
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `${url}/erase`),
      page.getByRole('button', { name: 'Erase this person’s data' }).click(),
    ]);
    assert.equal(resp.status(), 303, `erase: HTTP ${resp.status()}`);
    await page.waitForLoadState('load');
    assert.match(await page.locator('main').innerText(), /has been erased/);
    await checkA11y(page, 'erased person page');
  });

  test('sign out ends the session', async () => {
    await page.goto('/staff/');
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/staff/persons')),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    await page.waitForLoadState('load');
    await page.goto('/staff/');
    assert.equal(new URL(page.url()).pathname, '/staff/login', `after signing out /staff/ should redirect to the login page, got ${page.url()}`);
  });
});
