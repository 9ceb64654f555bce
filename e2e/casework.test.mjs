// A case manager's morning in a real browser, on top of what an administrator and a
// team lead set up through the pages:
//
//   administrator: a shelter programme and a shelter site (with a refused form first), an
//                  e-mail address and the organisation's retention period (refused first);
//   case manager:  registers a person and opens a case from the person's page;
//   team lead:     sees the case waiting on the team page and assigns the case manager;
//   case manager:  adds a goal (a non-existent due date first: 422 with an error summary);
//   the morning:   caseload -> the case -> update the goal -> record the person's decision;
//   coordinator:   puts the person on the waiting list and admits them from it;
//   then the placement shows on the site page, the shelter board and the case page,
//   and the case page and caseload are checked again in Arabic (right to left).
//
// axe-core (WCAG 2.0/2.1 A + AA) runs on every page reached. Every account is in the
// same organisation; each signs in (password + TOTP) in its own browser context.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHaven, launchBrowser, newContext, checkA11y, screenshot, pathOf,
  signInWithTotp, visit, submit, assertRedirected,
} from './lib.mjs';

const ORG = 'E2E Municipality';
const ADMIN = { username: 'e2e-admin', displayName: 'E2E Administrator', roles: ['administrator'], org: ORG };
const LEAD = { username: 'e2e-lead', displayName: 'E2E Team Lead', roles: ['team_lead'], org: ORG };
const COORD = { username: 'e2e-coord', displayName: 'E2E Shelter Coordinator', roles: ['shelter_coordinator'], org: ORG };

const PROGRAMME = { name: 'E2E LVV shelter', targetGroup: 'Adults without a residence permit', maxMonths: '18' };
const SITE = { name: 'E2E Wibautstraat', neighbourhood: 'Oost', capacity: '4', targetGroup: 'Adults' };
const PERSON = { name: 'Amina Haddad-Okafor', alias: 'أمينة حداد', birthDate: '1991-08-23' };
const GOAL = { title: 'Dutch language course, level A2', progress: 'Enrolled at the library course; attends twice a week.' };
const DECISION = {
  migrationProject: 'Came to Europe to work and support her family.',
  currentSituation: 'Sleeping at the shelter, no income, in good health.',
  legalOptions: 'No-fault permit; repeat asylum application; voluntary return.',
  decision: 'I want to try the no-fault permit first.',
};
const REFERRAL = 'Night shelter outreach team';

/** Today and a date N days away, year-month-day in UTC (the server's calendar). */
function isoDay(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

let haven;
let browser;
const pages = {}; // role -> page, each in its own context
const touched = new Set(); // roles whose page the current test used (screenshotted after it)
let caseUrl;
let personUrl;
let siteUrl;

/** Signs `user` in on `page` and checks the staff home page. */
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

/** The page of an already signed-in role. */
function pageOf(who) {
  assert.ok(pages[who], `the ${who} has not signed in (an earlier step failed)`);
  touched.add(who);
  return pages[who];
}

/** The text of a table's body rows, as arrays of cell texts. */
async function rowsOf(table) {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.replace(/\s+/g, ' ').trim())),
  );
}

/** The table following the h2 with this text. */
function tableAfter(page, heading) {
  return page.locator(`xpath=//h2[normalize-space()="${heading}"]/following-sibling::*[1]//table`);
}

describe("a case manager's morning", { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'casework', users: [ADMIN, LEAD, COORD] });
    browser = await launchBrowser();
  });

  afterEach(async (t) => {
    for (const who of touched) await screenshot(pages[who], `casework-${t?.name ?? 'step'}-${who}`);
    touched.clear();
  });

  after(async () => {
    await browser?.close();
    if (haven) {
      await haven.stop();
      if (process.env.HAVEN_E2E_VERBOSE) console.log(haven.log());
    }
  });

  test('administrator configures a shelter programme', async () => {
    const page = await newPage('admin');
    await signIn(page, haven.users[ADMIN.username], 'administrator');
    await visit(page, '/staff/admin/programmes', 'programmes (none yet)');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/admin/programmes/new'),
      page.getByRole('link', { name: 'New programme' }).click(),
    ]);
    await checkA11y(page, 'new programme form');
    await page.getByLabel('Name', { exact: true }).fill(PROGRAMME.name);
    await page.getByLabel('Target group', { exact: true }).fill(PROGRAMME.targetGroup);
    await page.getByLabel('Maximum duration (months)', { exact: true }).fill(PROGRAMME.maxMonths);
    await page.getByLabel('Includes a shelter place', { exact: true }).check();
    const resp = await submit(page, page.getByRole('button', { name: 'Add programme' }));
    assertRedirected(resp, 'add programme');
    assert.equal(pathOf(page.url()), '/staff/admin/programmes');
    const rows = await rowsOf(page.locator('main table'));
    const row = rows.find((r) => r[0] === PROGRAMME.name);
    assert.ok(row, `the new programme should be listed; rows: ${JSON.stringify(rows)}`);
    assert.equal(row[2], '18 months');
    assert.equal(row[4], 'Yes', 'the programme includes a shelter place');
    await checkA11y(page, 'programmes list');
  });

  test('administrator adds a shelter site (a refused form first)', async () => {
    const page = pageOf('admin');
    await visit(page, '/staff/admin/shelter-sites', 'shelter sites (none yet)');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/admin/shelter-sites/new'),
      page.getByRole('link', { name: 'New shelter site' }).click(),
    ]);
    await checkA11y(page, 'new shelter site form');
    await page.getByLabel('Name', { exact: true }).fill(SITE.name);
    await page.getByLabel('Neighbourhood', { exact: true }).fill(SITE.neighbourhood);
    await page.getByLabel('Places', { exact: true }).fill('four');
    await page.getByLabel('Operating organisation', { exact: true }).selectOption({ label: ORG });
    await page.getByLabel('Target group', { exact: true }).fill(SITE.targetGroup);
    let resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(resp.status(), 422, `a site with "four" places: expected HTTP 422, got ${resp.status()}`);
    const alert = page.getByRole('alert').first();
    assert.match(await alert.innerText(), /Places/, 'the error summary should name the "Places" field');
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), SITE.name, 'what was typed is kept');
    await checkA11y(page, 'shelter site form with an error');

    await page.getByLabel('Places', { exact: true }).fill(SITE.capacity);
    resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'add shelter site');
    assert.equal(pathOf(page.url()), '/staff/admin/shelter-sites');
    const rows = await rowsOf(page.locator('main table'));
    const row = rows.find((r) => r[0] === SITE.name);
    assert.ok(row, `the new site should be listed; rows: ${JSON.stringify(rows)}`);
    assert.deepEqual(row.slice(1, 5), [SITE.neighbourhood, ORG, SITE.targetGroup, SITE.capacity]);
    await checkA11y(page, 'shelter sites list');
  });

  test('administrator gives the team lead an e-mail address (a refused form first)', async () => {
    const page = pageOf('admin');
    await visit(page, '/staff/admin/users', 'staff accounts');
    await Promise.all([
      page.waitForURL((u) => /^\/staff\/admin\/users\/[^/]+$/.test(u.pathname)),
      page.getByRole('link', { name: LEAD.displayName }).click(),
    ]);
    await checkA11y(page, 'staff account form');
    // The browser accepts an address without a dot in the domain; Haven does not.
    await page.getByLabel('Email', { exact: true }).fill('lead@nodot');
    let resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(resp.status(), 422, `an address without a dot: expected HTTP 422, got ${resp.status()}`);
    assert.match(await page.locator('#e-email').innerText(), /e-mail address/);
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), 'lead@nodot', 'what was typed is kept');
    await checkA11y(page, 'staff account form with an e-mail error');
    await page.getByLabel('Email', { exact: true }).fill('lead@example.org');
    assert.ok(await page.getByLabel('E-mail about new notifications', { exact: true }).isChecked());
    resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'save the e-mail address');
    const rows = await rowsOf(page.locator('main table'));
    const row = rows.find((r) => r[0] === LEAD.displayName);
    assert.ok(row && row.includes('lead@example.org'), `the address should be listed; rows: ${JSON.stringify(rows)}`);
    await checkA11y(page, 'staff accounts with an address');
  });

  test('administrator sets how long the organisation keeps personal data (a refused form first)', async () => {
    const page = pageOf('admin');
    await visit(page, '/staff/admin/organisations', 'organisations');
    await Promise.all([
      page.waitForURL((u) => /^\/staff\/admin\/organisations\/[^/]+$/.test(u.pathname)),
      page.getByRole('link', { name: ORG, exact: true }).click(),
    ]);
    const field = page.getByLabel('Keep personal data for (months)', { exact: true });
    assert.equal(await field.inputValue(), '24', 'a new organisation keeps data for 24 months');
    assert.match(await page.locator('#retention-due').innerText(), /No person of this organisation is due/);
    await checkA11y(page, 'organisation form');
    await field.fill('200');
    let resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(resp.status(), 422, `200 months: expected HTTP 422, got ${resp.status()}`);
    assert.match(await page.locator('#e-retention_months').innerText(), /from 1 to 120/);
    assert.equal(await field.inputValue(), '200', 'what was typed is kept');
    await checkA11y(page, 'organisation form with a retention error');
    await field.fill('36');
    resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'save the retention period');
    const rows = await rowsOf(page.locator('main table'));
    const row = rows.find((r) => r[0] === ORG);
    assert.ok(row && row[3] === '36', `the period should be listed; rows: ${JSON.stringify(rows)}`);
    await checkA11y(page, 'organisations with a retention period');
  });

  test('case manager registers a person and opens a case in the shelter programme', async () => {
    const page = await newPage('cm');
    await signIn(page, haven, 'case manager');
    await visit(page, '/staff/persons/new', 'person form');
    await page.getByLabel('Name', { exact: true }).fill(PERSON.name);
    await page.getByLabel('Alias', { exact: true }).fill(PERSON.alias);
    await page.getByLabel('Date of birth', { exact: true }).fill(PERSON.birthDate);
    let resp = await submit(page, page.getByRole('button', { name: /^Register (a )?person$/ }));
    assertRedirected(resp, 'register person');
    personUrl = new URL(page.url()).pathname;
    assert.match(personUrl, /^\/staff\/persons\/[^/]+$/);
    await checkA11y(page, 'person page');

    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/cases/new'),
      page.getByRole('link', { name: 'Open a case' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Open a case' }).waitFor();
    await checkA11y(page, 'intake form');
    await page.getByLabel('Programme', { exact: true }).selectOption({ label: PROGRAMME.name });
    assert.equal(await page.getByLabel('Start of the programme', { exact: true }).inputValue(), isoDay(), 'the start date defaults to today');
    await page.getByLabel('What the screening found', { exact: true }).fill('Sleeping rough for two weeks; referred by the night shelter.');
    resp = await submit(page, page.getByRole('button', { name: 'Open a case' }));
    assertRedirected(resp, 'open a case');
    caseUrl = new URL(page.url()).pathname;
    assert.match(caseUrl, /^\/staff\/cases\/[^/]+$/, `after opening a case: ${page.url()}`);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Amina Haddad-Okafor/);
    const facts = await page.locator('main dl.facts').first().innerText();
    assert.match(facts, /No case manager yet/, 'nobody is assigned yet');
    await checkA11y(page, 'new case page');

    // Nobody assigned yet: not on the case manager's caseload.
    await visit(page, '/staff/cases', 'empty caseload');
    assert.equal(await page.locator(`main a[href="${caseUrl}"]`).count(), 0);
    // The team page is the team lead's, not the case manager's.
    const team = await page.goto('/staff/cases/team');
    assert.equal(team.status(), 403, `a case manager opening the team page: HTTP ${team.status()}`);
    await checkA11y(page, 'team page refused to a case manager');
  });

  test('team lead assigns the case manager from the team page', async () => {
    const page = await newPage('lead');
    await signIn(page, haven.users[LEAD.username], 'team lead');
    await visit(page, '/staff/cases/team', 'team page');
    const waiting = page.locator('main li').filter({ has: page.locator(`a[href="${caseUrl}"]`) });
    assert.equal(await waiting.count(), 1, 'the new case waits for a case manager on the team page');
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${caseUrl}/assign`),
      waiting.getByRole('link', { name: 'Assign a case manager' }).click(),
    ]);
    await checkA11y(page, 'assign form');
    await page.getByLabel('Case manager', { exact: true }).selectOption({ label: haven.displayName });
    const resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'assign');
    assert.equal(new URL(page.url()).pathname, caseUrl);
    assert.match(await page.locator('main dl.facts').first().innerText(), new RegExp(haven.displayName));
    await checkA11y(page, 'case page seen by the team lead');

    await visit(page, '/staff/cases/team', 'team page after assigning');
    assert.match(await page.locator('main').innerText(), /Every open case has a case manager/);
    const load = (await rowsOf(page.locator('main table'))).find((r) => r[0] === haven.displayName);
    assert.ok(load, 'the case manager has a row on the team page');
    assert.equal(load[1], '1 / 50', `one case of the cap of 50 in the programme: ${JSON.stringify(load)}`);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/cases/team' && u.search.includes('manager=')),
      page.getByRole('link', { name: haven.displayName }).click(),
    ]);
    await checkA11y(page, "team page with one case manager's cases");
  });

  test('case manager adds a goal (a date that does not exist is refused first)', async () => {
    const page = pageOf('cm');
    await visit(page, caseUrl, 'case page');
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${caseUrl}/goals/new`),
      page.getByRole('link', { name: 'Add a goal' }).click(),
    ]);
    await checkA11y(page, 'new goal form');
    await page.getByLabel('Goal', { exact: true }).fill(GOAL.title);
    await page.getByLabel('Domain', { exact: true }).selectOption({ label: 'Language' });
    await page.getByLabel('Term', { exact: true }).selectOption({ label: 'Short term' });
    // Server-side validation: let an impossible date through the browser's date input.
    const due = page.getByLabel('Due date', { exact: true });
    await due.evaluate((el) => {
      el.type = 'text';
      if (el.form) el.form.noValidate = true;
    });
    await due.fill('2027-02-30');
    let resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assert.equal(resp.status(), 422, `a due date of 2027-02-30: expected HTTP 422, got ${resp.status()}`);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    assert.match(await alert.innerText(), /Due date/, 'the error summary names "Due date"');
    assert.equal(await page.getByLabel('Goal', { exact: true }).inputValue(), GOAL.title, 'what was typed is kept');
    assert.equal(await page.getByLabel('Due date', { exact: true }).getAttribute('aria-invalid'), 'true');
    await checkA11y(page, 'goal form with an error');
    await screenshot(page, 'casework-goal-form-with-error');

    // Follow the error summary's link to the field, then correct it.
    await page.getByRole('alert').getByRole('link').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-due_on', 'the summary link leads to the field');
    await page.getByLabel('Due date', { exact: true }).fill(isoDay(45));
    resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'add goal');
    assert.equal(new URL(page.url()).pathname, caseUrl);
    const goals = (await rowsOf(tableAfter(page, 'Action plan'))).filter((r) => r[1] === GOAL.title);
    assert.equal(goals.length, 1, 'exactly one goal: the refused form saved nothing');
    assert.deepEqual(goals[0].slice(0, 6), ['Language', GOAL.title, 'Short term', haven.displayName, isoDay(45), 'Open']);
    await checkA11y(page, 'case page with a goal');
  });

  test('morning: open the caseload and the case', async () => {
    const page = pageOf('cm');
    await page.goto('/staff/');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/staff/cases'),
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Caseload' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Caseload' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Open cases: 1\./);
    const rows = await rowsOf(page.locator('#caseload'));
    assert.equal(rows.length, 1, `one case on the caseload: ${JSON.stringify(rows)}`);
    assert.equal(rows[0][0], PERSON.name);
    assert.equal(rows[0][2], PROGRAMME.name);
    await checkA11y(page, 'caseload');
    await Promise.all([
      page.waitForURL((u) => u.pathname === caseUrl),
      page.locator('#caseload').getByRole('link', { name: PERSON.name }).click(),
    ]);
    await checkA11y(page, 'case page from the caseload');
  });

  test('morning: update the goal', async () => {
    const page = pageOf('cm');
    const plan = tableAfter(page, 'Action plan');
    await Promise.all([
      page.waitForURL((u) => u.pathname.startsWith(`${caseUrl}/goals/`)),
      plan.getByRole('row').filter({ hasText: GOAL.title }).getByRole('link', { name: 'Update goal' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Update goal' }).waitFor();
    await checkA11y(page, 'update goal form');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'In progress' });
    await page.getByLabel('Progress note', { exact: true }).fill(GOAL.progress);
    const resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'update goal');
    assert.equal(new URL(page.url()).pathname, caseUrl);
    const row = (await rowsOf(plan)).find((r) => r[1] === GOAL.title);
    assert.equal(row?.[5], 'In progress', `goal status after the update: ${JSON.stringify(row)}`);
    assert.ok(row[6].includes(GOAL.progress), `the progress note is shown: ${JSON.stringify(row)}`);
    await checkA11y(page, 'case page with the goal updated');
  });

  test("morning: record the person's own decision", async () => {
    const page = pageOf('cm');
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${caseUrl}/perspective`),
      page.getByRole('navigation', { name: 'Case actions' }).getByRole('link', { name: 'Record perspective and decision' }).click(),
    ]);
    await checkA11y(page, 'perspective form');
    await page.getByLabel('Perspective', { exact: true }).selectOption({ label: 'Regularisation' });
    await page.getByLabel('Migration project', { exact: true }).fill(DECISION.migrationProject);
    await page.getByLabel('Current situation', { exact: true }).fill(DECISION.currentSituation);
    await page.getByLabel('Legal options discussed', { exact: true }).fill(DECISION.legalOptions);
    await page.getByLabel("The person's own decision", { exact: true }).fill(DECISION.decision);
    await page.getByLabel("Stage of the person's decision", { exact: true }).selectOption({ label: 'Decided' });
    const resp = await submit(page, page.getByRole('button', { name: 'Save' }));
    assertRedirected(resp, 'record perspective');
    assert.equal(new URL(page.url()).pathname, caseUrl);
    const card = page.locator('main article.card').first();
    assert.equal((await card.getByRole('heading', { level: 3 }).innerText()).trim(), 'Regularisation · Decided');
    const text = await card.innerText();
    for (const v of Object.values(DECISION)) assert.ok(text.includes(v), `the case page shows ${JSON.stringify(v)}`);
    assert.ok(text.includes(haven.displayName), 'the record says who recorded it');
    assert.match(await page.locator('main dl.facts').first().innerText(), /Perspective\s+Regularisation/);
    await checkA11y(page, 'case page with the decision');
  });

  test('morning: put the person on the waiting list and admit them from it', async () => {
    const page = await newPage('coord');
    await signIn(page, haven.users[COORD.username], 'shelter coordinator');
    await visit(page, '/staff/shelters', 'shelter board');
    let sites = await rowsOf(page.locator('main table').first());
    assert.deepEqual(sites.find((r) => r[0] === SITE.name)?.slice(3, 6), [SITE.capacity, '0', SITE.capacity], 'all places free');
    assert.match(await page.locator('main').innerText(), /Nobody is waiting\./);

    const form = page.locator('form[action="/staff/waiting-list"]');
    await form.getByLabel('Case', { exact: true }).selectOption({ label: `${PERSON.name} · ${PROGRAMME.name}` });
    await form.getByLabel('Priority', { exact: true }).selectOption({ label: '2 – high' });
    await form.getByLabel('Referred by', { exact: true }).fill(REFERRAL);
    let resp = await submit(page, form.getByRole('button', { name: 'Add to the waiting list' }));
    assertRedirected(resp, 'add to the waiting list');
    assert.equal(pathOf(page.url()), '/staff/shelters');
    const waitingTable = tableAfter(page, 'Waiting list');
    const waiting = await rowsOf(waitingTable);
    assert.equal(waiting.length, 1, `one person waiting: ${JSON.stringify(waiting)}`);
    assert.deepEqual(waiting[0].slice(0, 4), ['2 – high', PERSON.name, REFERRAL, '']);
    await checkA11y(page, 'shelter board with someone waiting');

    // Admitting from the waiting list is one action.
    const row = waitingTable.getByRole('row').filter({ hasText: PERSON.name });
    await row.getByLabel('Site', { exact: true }).selectOption({ label: `${SITE.name} (${SITE.capacity} free)` });
    resp = await submit(page, row.getByRole('button', { name: 'Admit' }));
    assertRedirected(resp, 'admit from the waiting list');
    siteUrl = new URL(page.url()).pathname;
    assert.match(siteUrl, /^\/staff\/shelters\/[^/]+$/, `after admitting: ${page.url()}`);
    await page.getByRole('heading', { level: 1, name: SITE.name }).waitFor();
    const places = await rowsOf(tableAfter(page, 'Places'));
    const taken = places.filter((r) => r[1] === PERSON.name);
    assert.equal(taken.length, 1, `the person holds exactly one place: ${JSON.stringify(places)}`);
    assert.equal(taken[0][2], isoDay(), 'admitted today');
    assert.match(taken[0][3], /^\d{4}-\d{2}-\d{2}$/, 'the stay has a last day (18-month programme)');
    await checkA11y(page, 'shelter site page after the admission');

    await visit(page, '/staff/shelters', 'shelter board after the admission');
    sites = await rowsOf(page.locator('main table').first());
    const site = sites.find((r) => r[0] === SITE.name);
    assert.deepEqual(site?.slice(3, 6), [SITE.capacity, '1', String(Number(SITE.capacity) - 1)], `one place taken: ${JSON.stringify(site)}`);
    assert.match(site[6], /^1 today/, `one arrival today: ${JSON.stringify(site)}`);
    assert.match(await page.locator('main').innerText(), /Nobody is waiting\./, 'the waiting list is empty again');
  });

  test('the placement shows on the case page', async () => {
    const page = pageOf('cm');
    await visit(page, caseUrl, 'case page with the placement');
    const rows = await rowsOf(tableAfter(page, 'Shelter placement'));
    assert.equal(rows.length, 1, `one placement: ${JSON.stringify(rows)}`);
    assert.equal(rows[0][0], `${SITE.name} (${SITE.neighbourhood})`);
    assert.equal(rows[0][2], isoDay());
    assert.equal(rows[0][6], '', 'not discharged');
    // The coordinator (same organisation) sees the same case page.
    await visit(pageOf('coord'), caseUrl, 'case page seen by the shelter coordinator');
  });

  test('the case page and the caseload in Arabic', async () => {
    const page = pageOf('cm');
    await page.goto(caseUrl);
    await page.locator('footer select[name="lang"]').selectOption('ar');
    await Promise.all([page.waitForNavigation(), page.locator('footer button[type="submit"]').click()]);
    try {
      assert.equal(new URL(page.url()).pathname, caseUrl, 'switching language stays on the page');
      await page.getByRole('heading', { level: 2, name: 'خطة العمل' }).waitFor();
      for (const [name, path] of [['case', caseUrl], ['caseload', '/staff/cases'], ['perspective-form', `${caseUrl}/perspective`]]) {
        await page.goto(path);
        const { lang, dir } = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
        assert.equal(lang, 'ar', `${path} in Arabic has <html lang="${lang}">`);
        assert.equal(dir, 'rtl', `${path} in Arabic has <html dir="${dir}">`);
        assert.ok(!(await page.locator('main').innerText()).includes('Action plan'), `${path} is still in English`);
        await checkA11y(page, `${path} in Arabic`);
        await screenshot(page, `casework-arabic-${name}`);
      }
    } finally {
      await page.goto(caseUrl);
      await page.locator('footer select[name="lang"]').selectOption('en');
      await Promise.all([page.waitForNavigation(), page.locator('footer button[type="submit"]').click()]);
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });
});
