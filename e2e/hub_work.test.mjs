// The safe-reporting hub's work in a real browser, on the demo (issue 15, part 2):
//
//   hub officer:    the casework page of the demo's worked report (triage, counselling, a
//                   permit application, an accompaniment with its police reference, a
//                   repeat-perpetrator flag, the hand-over); records counselling through
//                   its form, is refused a hand-over of the residence status the reporter
//                   did not choose to include; the figures page with withheld counts;
//   police liaison: the list of hand-overs to the unit and the one hand-over, exactly its
//                   fields and nothing else of the report.
//
// Each page in English and Arabic, the hub officer's also in Tigrinya (a partial staff
// locale: the hub's pages and the chrome), with axe-core (WCAG 2.0/2.1 A + AA) on every page reached.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startHaven, launchBrowser, checkA11y, runSql, signInDemo, visit as visitChecked,
} from './lib.mjs';

let haven;
let browser;

const signIn = (browser, username) => signInDemo(browser, haven.baseUrl, username);

async function language(page, code) {
  await page.goto('/staff/account');
  await page.getByLabel(/Language|اللغة/).first().selectOption(code);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('form[action="/staff/account/language"] button[type=submit]').first().click(),
  ]);
}

/** Opens `path` (checked as `visit` does): the text of its main part. */
async function visit(page, path, what) {
  await visitChecked(page, path, what);
  return page.locator('main').innerText();
}

function uuid(sql) {
  const out = runSql(haven, sql).stdout;
  const m = out.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  assert.ok(m, `no id in ${out}`);
  return m[0];
}

describe('the hub at work and the police liaison', { concurrency: false }, () => {
  before(async () => {
    haven = await startHaven({ label: 'hub-work', demo: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (haven) {
      await haven.stop();
      if (process.env.HAVEN_E2E_VERBOSE) console.log(haven.log());
    }
  });

  test('the hub officer works a report and reads the figures, in English and Arabic', async () => {
    const report = uuid('SELECT report_id FROM hub_triage LIMIT 1');
    const page = await signIn(browser, 'hub');
    const text = await visit(page, `/staff/hub/reports/${report}/casework`, 'casework page');
    for (const want of ['Urgent', 'Residence permit for victims of trafficking', 'PL-2026-10417', 'also named in report', 'Rivierstad Police Liaison Unit']) {
      assert.ok(text.includes(want), `casework page lacks ${want}`);
    }
    // Counselling through its form: a missing topic is named, then saved.
    await page.getByRole('link', { name: 'Record legal counselling' }).click();
    await checkA11y(page, 'counselling form');
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('Day').fill(today);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('.error-summary').innerText(), /Topic/);
    await checkA11y(page, 'counselling form with an error');
    await page.getByLabel('Topic').fill('Shelter for victims');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/casework'));
    assert.ok((await page.locator('main').innerText()).includes('Shelter for victims'));
    // A hand-over of the status the reporter did not choose to include is refused.
    await page.getByRole('link', { name: 'Prepare the hand-over' }).click();
    await checkA11y(page, 'hand-over form');
    await page.getByLabel('What happened').check();
    await page.getByLabel('Residence status', { exact: true }).first().check();
    await page.locator('select[name=residence_status]').selectOption('undocumented');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('.error-summary').innerText(), /did not choose/);
    await checkA11y(page, 'hand-over form refused');

    const figures = await visit(page, '/staff/hub/figures', 'hub figures');
    assert.match(figures, /fewer than 5/);

    await language(page, 'ar');
    await visit(page, `/staff/hub/reports/${report}/casework`, 'casework page in Arabic');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await visit(page, `/staff/hub/reports/${report}/handover-consent`, 'consent form in Arabic');
    const ar = await visit(page, '/staff/hub/figures', 'hub figures in Arabic');
    assert.match(ar, /أقل من/);
    await language(page, 'ti');
    await visit(page, `/staff/hub/reports/${report}/casework`, 'casework page in Tigrinya');
    assert.equal(await page.getAttribute('html', 'lang'), 'ti');
    assert.match(await visit(page, '/staff/hub/figures', 'hub figures in Tigrinya'), /ካብ 5 ዝወሓደ/);
    await page.context().close();
  });

  test('the police liaison sees only what was handed over, in English and Arabic', async () => {
    const page = await signIn(browser, 'police');
    const list = await visit(page, '/staff/police/handovers', 'police hand-overs');
    assert.ok(list.includes('Rivierstad Safe Reporting Hub'));
    await page.locator('main table a').first().click();
    await page.waitForURL((u) => /\/staff\/police\/handovers\/[0-9a-f-]+$/.test(u.pathname));
    await checkA11y(page, 'police hand-over');
    const text = await page.locator('main').innerText();
    for (const want of ['PL-2026-10417', 'Kwekerij Van Dam B.V.', 'picked tomatoes']) {
      assert.ok(text.includes(want), `hand-over lacks ${want}`);
    }
    for (const never of ['Greenhouses east of Rivierstad', 'day centre on Havenstraat', 'Afraid of losing', 'Residence status']) {
      assert.ok(!text.includes(never), `hand-over shows ${never}`);
    }
    // The hub's own pages stay closed to the police.
    const resp = await page.goto('/staff/hub/figures');
    assert.equal(resp.status(), 403);
    await language(page, 'ar');
    await visit(page, '/staff/police/handovers', 'police hand-overs in Arabic');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.locator('main table a').first().click();
    await page.waitForLoadState('load');
    await checkA11y(page, 'police hand-over in Arabic');
    await page.context().close();
  });
});
