// Haven's outreach app: record contacts with or without a connection, keep them encrypted
// on the device, and send them when the connection returns. No framework, no build step.
import { Store, destroy, uuidv7 } from './store.js';

const M = JSON.parse(document.getElementById('messages').textContent);
const $ = (sel, root = document) => root.querySelector(sel);
const USER = 'haven-outreach-user';
const BASE_DELAY = Number(localStorage.getItem('haven-outreach-retry-ms')) || 5000;
const MAX_DELAY = 5 * 60 * 1000;
const BATCH = Number(localStorage.getItem('haven-outreach-batch')) || 200;

let store = null;
let config = null;
let csrf = '';
let signedOut = false;
let delay = BASE_DELAY;
let timer = null;
let syncing = false;
let editing = null;

// A counted message: the server sends its text for each plural category of the language.
function plural(id, n) {
  const forms = M[id] || {};
  const rule = new Intl.PluralRules(document.documentElement.lang).select(n);
  return (forms[rule] || forms.other || id).replaceAll('{count}', String(n));
}

function pendingText(n) {
  return plural('outreach-pending', n);
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) e.append(c);
  return e;
}

function notice(text) {
  const n = $('#notice');
  n.textContent = text || '';
  n.hidden = !text;
}

// ---------------------------------------------------------------- session and store

async function api(path, opts = {}) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (opts.body) headers['Content-Type'] = 'application/json';
  if (opts.method && opts.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  return fetch(path, { ...opts, headers, credentials: 'same-origin', cache: 'no-store' });
}

async function start() {
  let session = null;
  try {
    const r = await api('/api/v1/outreach/session');
    if (r.status === 401 || r.status === 403) signedOut = true;
    else if (r.ok) session = await r.json();
  } catch {
    // Offline: carry on with what the device holds.
  }
  const last = localStorage.getItem(USER);
  if (session) {
    if (last && last !== session.user_id) {
      // Another account used this device: its records stay, but its key goes, so they
      // can be read again only after that user signs in.
      try {
        const other = await Store.open(last);
        await other.dropKey();
        other.close();
      } catch {
        /* nothing to drop */
      }
    }
    localStorage.setItem(USER, session.user_id);
    csrf = session.csrf;
    $('#sign-out-csrf').value = csrf;
    store = await Store.open(session.user_id);
    await store.setKey(session.device_key);
    try {
      const r = await api('/api/v1/outreach/config');
      if (r.ok) {
        config = await r.json();
        await store.putMeta('config', config);
      }
    } catch {
      /* use the cached lists */
    }
    await loadCards();
  } else if (last) {
    store = await Store.open(last);
    if (signedOut) {
      await store.dropKey();
    } else if (!(await store.loadKey())) {
      store = null;
    }
  }
  if (!store || !store.key) {
    notice(M['outreach-signin']);
    showSignIn();
    return;
  }
  if (!config) config = await store.getMeta('config');
  if (!config) {
    notice(M['outreach-no-config']);
    return;
  }
  await store.expire(config.device_days || 14);
  fillLists(document);
  resetForm();
  await renderRecords();
  wire();
  if (navigator.onLine && !signedOut) syncNow();
  else schedule();
}

function showSignIn() {
  const a = el('a', { href: '/staff/login', text: M['outreach-signin'] });
  $('#notice').replaceChildren(a);
  $('#notice').hidden = false;
  $('#contact-form').hidden = true;
}

// ---------------------------------------------------------------- the form

function options(list) {
  if (list === 'targets') return config.targets.map((t) => ({ code: `${t.kind}:${t.id}`, label: t.name }));
  return config[list] || [];
}

function fillLists(root) {
  for (const fs of root.querySelectorAll('fieldset[data-list]')) {
    const list = fs.dataset.list;
    const name = list === 'workers' ? 'workers' : list;
    for (const o of options(list)) {
      fs.append(el('label', {}, el('input', { type: 'checkbox', name, value: o.code }), ` ${o.label}`));
    }
  }
  for (const sel of root.querySelectorAll('select[data-list]')) {
    for (const o of options(sel.dataset.list)) sel.append(el('option', { value: o.code, text: o.label }));
  }
  const area = $('select[name=area]', root);
  if (area && area.options.length === 0) {
    for (const o of config.areas) area.append(el('option', { value: o.code, text: o.label }));
  }
}

function localInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function addPerson(values) {
  const frag = $('#person-tpl').content.cloneNode(true);
  const fs = $('fieldset.person', frag);
  fillLists(fs);
  const remove = $('.remove-person', fs);
  remove.textContent = M['outreach-remove-person'];
  remove.addEventListener('click', () => {
    fs.remove();
    numberPersons();
  });
  $('#persons').append(fs);
  numberPersons();
  if (values) setPerson(fs, values);
  return fs;
}

function numberPersons() {
  [...document.querySelectorAll('#persons fieldset.person')].forEach((fs, i) => {
    $('legend', fs).textContent = `${M['outreach-person']} ${i + 1}`;
  });
}

function checked(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

function setChecked(root, name, values) {
  for (const i of root.querySelectorAll(`input[name="${name}"]`)) i.checked = values.includes(i.value);
}

function readPerson(fs) {
  const v = (n) => $(`[name=${n}]`, fs).value;
  return {
    alias: v('alias'),
    age_band: v('age_band'),
    gender: v('gender'),
    origin: v('origin'),
    language: v('language'),
    situations: checked(fs, 'situations'),
    needs: checked(fs, 'needs'),
    topics: checked(fs, 'topics'),
    project: v('project'),
    decision: v('decision'),
    decided_on: v('decided_on'),
    referrals: checked(fs, 'targets').map((s) => {
      const i = s.indexOf(':');
      return { kind: s.slice(0, i), id: s.slice(i + 1) };
    }),
  };
}

function setPerson(fs, p) {
  for (const n of ['alias', 'age_band', 'gender', 'origin', 'language', 'project', 'decision', 'decided_on']) {
    $(`[name=${n}]`, fs).value = p[n] || (n === 'gender' ? 'unknown' : '');
  }
  for (const n of ['situations', 'needs', 'topics']) setChecked(fs, n, p[n] || []);
  setChecked(fs, 'targets', (p.referrals || []).map((r) => `${r.kind}:${r.id}`));
}

function readForm() {
  const f = $('#contact-form');
  const when = new Date(f.when.value);
  const fu = f.followup_date.value ? new Date(`${f.followup_date.value}T12:00`) : null;
  const persons = [...document.querySelectorAll('#persons fieldset.person')].map(readPerson);
  return {
    contact_at: Math.floor(when.getTime() / 1000),
    area: f.area.value,
    workers: checked(f, 'workers'),
    people_count: Math.max(Number(f.people_count.value) || 1, persons.length),
    activities: checked(f, 'activities'),
    persons,
    followup_at: fu ? Math.floor(fu.getTime() / 1000) : null,
    followup_place: f.followup_place.value,
    notes: f.notes.value,
  };
}

function resetForm(alias) {
  const f = $('#contact-form');
  f.reset();
  f.hidden = false;
  editing = null;
  $('#editing').hidden = true;
  $('#cancel-edit').hidden = true;
  f.when.value = localInput(new Date());
  setChecked(f, 'workers', [localStorage.getItem(USER)]);
  $('#persons').replaceChildren();
  addPerson(alias ? { alias } : null);
  $('#form-errors').textContent = '';
}

function fillForm(c) {
  const f = $('#contact-form');
  f.when.value = localInput(new Date(c.contact_at * 1000));
  f.area.value = c.area;
  setChecked(f, 'workers', c.workers || []);
  f.people_count.value = c.people_count || 1;
  setChecked(f, 'activities', c.activities || []);
  $('#persons').replaceChildren();
  for (const p of c.persons || []) addPerson(p);
  f.followup_date.value = c.followup_at ? new Date(c.followup_at * 1000).toISOString().slice(0, 10) : '';
  f.followup_place.value = c.followup_place || '';
  f.notes.value = c.notes || '';
}

async function save(event) {
  event.preventDefault();
  const f = $('#contact-form');
  const errors = [];
  if (!f.when.value || Number.isNaN(new Date(f.when.value).getTime())) errors.push(f.when);
  if (!f.area.value) errors.push(f.area);
  for (const e of f.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  if (errors.length) {
    for (const e of errors) e.setAttribute('aria-invalid', 'true');
    $('#form-errors').textContent = M['outreach-errors'];
    errors[0].focus();
    return;
  }
  const contact = readForm();
  try {
    if (editing) {
      await store.put({ ...editing, state: 'queued', reason: null }, contact);
    } else {
      await store.put({ id: uuidv7(), state: 'queued', base_version: 0, version: null, reason: null }, contact);
    }
  } catch {
    $('#form-errors').textContent = M['outreach-storage-failed'];
    return;
  }
  resetForm();
  $('#form-errors').textContent = '';
  await renderRecords();
  setStatus(`${M['outreach-saved']} ${$('#sync-status').textContent}`);
  $('#h-record').focus();
  if (navigator.onLine) syncNow();
}

// ---------------------------------------------------------------- the device list

function activityText(c) {
  return (c.activities || []).map((a) => M[`outreach-activity-${a}`] || a).join(', ');
}

function areaLabel(code) {
  const a = config.areas.find((x) => x.code === code);
  return a ? a.label : code;
}

async function renderRecords() {
  const all = (await store.all()).sort((a, b) => b.updated - a.updated);
  const ul = $('#records');
  ul.replaceChildren();
  if (all.length === 0) ul.append(el('li', { text: M['outreach-none-recorded'] }));
  for (const r of all) {
    let c;
    try {
      c = await store.contact(r);
    } catch {
      continue;
    }
    const who = (c.persons || []).map((p) => p.alias || M['outreach-anonymous']).join(', ');
    const li = el(
      'li',
      { 'data-id': r.id, 'data-state': r.state },
      el('strong', { text: new Date(c.contact_at * 1000).toLocaleString(document.documentElement.lang) }),
      ` · ${areaLabel(c.area)} · `,
      el('bdi', { text: who }),
      ' · ',
      el('span', { class: `state-${r.state}`, text: M[`outreach-state-${r.state}`] }),
    );
    if (r.state === 'conflict') {
      li.append(el('p', { class: 'err', text: r.reason || '' }));
      const again = el('button', { type: 'button', text: M['outreach-resend-new'] });
      again.addEventListener('click', async () => {
        await store.remove(r.id);
        await store.put({ id: uuidv7(), state: 'queued', base_version: 0, version: null, reason: null }, c);
        await renderRecords();
        syncNow();
      });
      li.append(again, ' ');
    }
    if (r.state !== 'conflict' || r.version) {
      const edit = el('button', { type: 'button', text: M['outreach-edit'] });
      edit.addEventListener('click', () => {
        editing = { id: r.id, base_version: r.state === 'sent' ? r.version : r.base_version, version: r.version };
        fillForm(c);
        $('#editing').textContent = M['outreach-editing'];
        $('#editing').hidden = false;
        $('#cancel-edit').hidden = false;
        $('#h-record').focus();
      });
      li.append(edit, ' ');
    }
    if (r.state === 'conflict') {
      const drop = el('button', { type: 'button', text: M['outreach-discard'] });
      drop.addEventListener('click', async () => {
        await store.remove(r.id);
        await renderRecords();
      });
      li.append(drop);
    }
    ul.append(li);
  }
  await showCount();
}

async function queued() {
  return (await store.all()).filter((r) => r.state === 'queued');
}

function setStatus(text) {
  $('#sync-status').textContent = text;
}

async function showCount() {
  const n = (await queued()).length;
  const offline = !navigator.onLine;
  setStatus(n ? pendingText(n) + (offline ? ` · ${M['outreach-offline']}` : '') : M['outreach-all-sent']);
  document.body.dataset.pending = String(n);
}

// ---------------------------------------------------------------- sync

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(syncNow, delay);
}

// The CSRF token comes with the session; an app started offline has none yet.
async function refreshSession() {
  const r = await api('/api/v1/outreach/session');
  if (r.status === 401) return false;
  if (!r.ok) throw new Error(`session ${r.status}`);
  const s = await r.json();
  if (s.user_id !== localStorage.getItem(USER)) return false;
  csrf = s.csrf;
  $('#sign-out-csrf').value = csrf;
  return true;
}

async function syncNow() {
  if (syncing || !store || signedOut) return;
  syncing = true;
  clearTimeout(timer);
  try {
    let pending = await queued();
    if (pending.length && !csrf && !(await refreshSession())) {
      signedOut = true;
      showSignIn();
      return;
    }
    while (pending.length) {
      // Records are sent oldest first, so a creation always goes before its edits.
      pending.sort((a, b) => a.updated - b.updated);
      const batch = pending.slice(0, BATCH);
      const records = [];
      for (const r of batch) records.push({ id: r.id, base_version: r.base_version || 0, contact: await store.contact(r) });
      setStatus(M['outreach-sending']);
      const res = await api('/api/v1/outreach/sync', { method: 'POST', body: JSON.stringify({ records }) });
      if (res.status === 401) {
        signedOut = true;
        showSignIn();
        return;
      }
      if (res.status === 403) csrf = '';
      if (!res.ok) throw new Error(`sync ${res.status}`);
      const { results } = await res.json();
      for (const a of results) {
        const r = batch.find((x) => x.id === a.id);
        if (!r) continue;
        // A record leaves the queue only once the server has answered for it.
        if (a.status === 'stored') {
          await store.put({ ...r, state: 'sent', version: a.version, base_version: a.version, reason: null });
        } else {
          const why = a.message || a.fields.map((f) => `${f.field}: ${f.message}`).join('; ');
          await store.put({ ...r, state: 'conflict', reason: why });
        }
      }
      pending = await queued();
    }
    delay = BASE_DELAY;
    await renderRecords();
  } catch {
    await showCount();
    schedule();
    delay = Math.min(delay * 2, MAX_DELAY);
  } finally {
    syncing = false;
  }
}

// ---------------------------------------------------------------- returning person

async function find(event) {
  event.preventDefault();
  const alias = event.target.alias.value.trim();
  const out = $('#thread');
  out.replaceChildren();
  if (!alias) return;
  if (!navigator.onLine) {
    out.append(el('p', { text: M['outreach-find-offline'] }));
    return;
  }
  let entries;
  try {
    const r = await api(`/api/v1/outreach/thread?alias=${encodeURIComponent(alias)}`);
    if (!r.ok) throw new Error(String(r.status));
    entries = await r.json();
  } catch {
    out.append(el('p', { text: M['outreach-find-offline'] }));
    return;
  }
  if (entries.length === 0) {
    out.append(el('p', { text: M['outreach-find-none'] }));
  } else {
    out.append(el('h3', { text: M['outreach-thread-heading'] }));
    const ul = el('ul', { class: 'thread' });
    for (const e of entries) {
      const p = e.person;
      const bits = [
        new Date(e.contact_at * 1000).toLocaleDateString(document.documentElement.lang),
        areaLabel(e.area),
        activityText(e),
      ];
      if (p.topics.length) bits.push(`${M['outreach-topics']}: ${p.topics.map((t) => (config.topics.find((x) => x.code === t) || { label: t }).label).join(', ')}`);
      if (p.decision) bits.push(`${M['outreach-decision']}: ${M[`outreach-decision-${p.decision}`]}`);
      const li = el('li', {}, el('bdi', { text: p.alias || '' }), ` · ${bits.join(' · ')}`);
      if (p.project) li.append(el('br'), el('span', { dir: 'auto', text: `${M['outreach-project']}: ${p.project}` }));
      if (e.person_id) {
        // Online only: the contact's referral lines, where a referral with consent is made.
        li.append(' · ', M['outreach-registered-already'], ' · ',
          el('a', { href: `/staff/outreach/contacts/${encodeURIComponent(e.contact_id)}`, text: M['outreach-referral-lines'] }));
      }
      ul.append(li);
    }
    out.append(ul);
    const open = entries.filter((e) => !e.person_id);
    if (open.length) out.append(registerForm(alias, open));
  }
  const again = el('button', { type: 'button', text: M['outreach-new-with-alias'] });
  again.addEventListener('click', () => {
    resetForm(alias);
    $('#h-record').focus();
  });
  out.append(again);
}

function registerForm(alias, entries) {
  const f = el('form', { class: 'register' });
  const fs = el('fieldset', {}, el('legend', { text: M['outreach-register'] }));
  fs.append(el('label', {}, el('input', { type: 'checkbox', name: 'consent', required: true }), ` ${M['outreach-consent']}`));
  fs.append(el('label', {}, M['outreach-name'], el('input', { type: 'text', name: 'name', maxlength: '200', dir: 'auto' })));
  if (config.programmes.length) {
    const sel = el('select', { name: 'programme' }, el('option', { value: '', text: M['outreach-programme-none'] }));
    for (const p of config.programmes) sel.append(el('option', { value: p.code, text: p.label }));
    fs.append(el('label', {}, M['outreach-programme'], sel));
  }
  fs.append(el('button', { type: 'submit', text: M['outreach-register'] }));
  const status = el('p', { role: 'status' });
  f.append(fs, status);
  f.addEventListener('submit', async (event) => {
    event.preventDefault();
    const first = entries[0].person;
    const body = {
      consent: f.consent.checked,
      links: entries.map((e) => ({ contact_id: e.contact_id, ordinal: e.ordinal })),
      person: {
        name: f.name.value,
        alias,
        gender: first.gender,
        languages: first.language ? [first.language] : [],
        nationalities: first.origin ? [first.origin] : [],
      },
      programme_id: f.programme ? f.programme.value : null,
    };
    try {
      const r = await api('/api/v1/outreach/register', { method: 'POST', body: JSON.stringify(body) });
      const j = await r.json();
      if (r.ok) {
        status.textContent = M['outreach-registered'];
        fs.disabled = true;
      } else {
        status.textContent = [j.message, ...(j.fields || []).map((x) => x.message)].join(' ');
      }
    } catch {
      status.textContent = M['outreach-find-offline'];
    }
  });
  return f;
}

// ---------------------------------------------------------------- show mode

// The information cards of every language that has some, fetched while online and kept
// in the device store (sealed like everything else there, and deleted with it at sign-out)
// so that show mode works offline. A failed or partial fetch keeps what the device holds.
async function loadCards() {
  if (!store || !store.key) return;
  try {
    const r = await api('/api/v1/outreach/cards');
    if (!r.ok) return;
    const { languages } = await r.json();
    const sets = {};
    for (const l of languages) {
      const c = await api(`/api/v1/outreach/cards?lang=${encodeURIComponent(l.code)}`);
      if (!c.ok) return;
      sets[l.code] = (await c.json()).cards;
    }
    await store.putMeta('cards', { languages, sets });
  } catch {
    /* offline: keep the cards the device holds */
  }
}

const show = { languages: [], sets: {}, lang: null, index: 0 };

function renderCard() {
  const cards = show.sets[show.lang] || [];
  const card = cards[show.index];
  $('#show-empty').hidden = Boolean(card);
  $('#show-card').hidden = !card;
  $('#show-nav').hidden = !card;
  if (!card) return;
  const art = $('#show-card');
  // The card says which language it is really in (English when not yet translated).
  art.setAttribute('lang', card.lang);
  art.setAttribute('dir', card.dir);
  $('#show-card-title').textContent = card.title;
  $('#show-card-summary').textContent = card.summary;
  $('#show-pos').textContent = `${show.index + 1} / ${cards.length}`;
}

function fillLanguages() {
  const sel = $('#show-lang');
  sel.replaceChildren();
  for (const l of show.languages) {
    sel.append(el('option', { value: l.code, lang: l.code, dir: l.dir, text: l.name }));
  }
  sel.disabled = show.languages.length === 0;
  if (show.lang) sel.value = show.lang;
}

function step(by) {
  const n = (show.sets[show.lang] || []).length;
  if (!n) return;
  show.index = (show.index + by + n) % n;
  renderCard();
}

async function openShow() {
  const dialog = $('#show');
  if (dialog.open) return;
  // Full screen where the browser allows it (only straight after a click); the dialog
  // fills the window either way. It opens after the request settles so that it lies
  // above the full-screen page.
  const root = document.documentElement;
  if (root.requestFullscreen && !document.fullscreenElement) {
    await Promise.race([
      root.requestFullscreen({ navigationUI: 'hide' }).catch(() => {}),
      new Promise((resolve) => {
        setTimeout(resolve, 1000);
      }),
    ]);
  }
  if (dialog.open) return;
  dialog.showModal();
  let saved = null;
  try {
    if (store && store.key) saved = await store.getMeta('cards');
  } catch {
    saved = null;
  }
  show.languages = saved ? saved.languages : [];
  show.sets = saved ? saved.sets : {};
  if (!show.languages.some((l) => l.code === show.lang)) {
    const own = show.languages.find((l) => l.code === document.documentElement.lang);
    show.lang = (own || show.languages[0] || { code: null }).code;
    show.index = 0;
  }
  fillLanguages();
  renderCard();
  (show.languages.length ? $('#show-lang') : $('#show-close')).focus();
}

function closeShow() {
  const dialog = $('#show');
  if (dialog.open) dialog.close();
}

function wireShow() {
  const dialog = $('#show');
  // A shell cached before show mode existed has no dialog: the app works without it.
  if (!dialog) return;
  $('#show-open').addEventListener('click', openShow);
  $('#show-close').addEventListener('click', closeShow);
  $('#show-prev').addEventListener('click', () => step(-1));
  $('#show-next').addEventListener('click', () => step(1));
  $('#show-lang').addEventListener('change', (event) => {
    show.lang = event.target.value;
    show.index = 0;
    renderCard();
  });
  // Escape closes the dialog (its `cancel`); closing in any way leaves full screen and
  // puts the focus back on the button that opened it.
  dialog.addEventListener('close', () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    $('#show-open').focus();
  });
  // In full screen the browser takes the first Escape to leave it: that closes show mode
  // too, so Escape always means "back to the app".
  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement && dialog.open) dialog.close();
  });
}

wireShow();

// ---------------------------------------------------------------- wiring

function wire() {
  $('#contact-form').addEventListener('submit', save);
  $('#add-person').addEventListener('click', () => {
    const fs = addPerson();
    $('input[name=alias]', fs).focus();
  });
  $('#cancel-edit').addEventListener('click', () => resetForm());
  $('#find-form').addEventListener('submit', find);
  $('#sync-now').addEventListener('click', () => {
    delay = BASE_DELAY;
    syncNow();
  });
  window.addEventListener('online', () => {
    delay = BASE_DELAY;
    syncNow();
    loadCards();
  });
  window.addEventListener('offline', showCount);
  // A periodic check as well: `online` is not fired for every kind of outage.
  setInterval(() => {
    if (!syncing && navigator.onLine) queued().then((q) => q.length && syncNow());
  }, 60000);
}

$('#sign-out').addEventListener('submit', async (event) => {
  event.preventDefault();
  const n = store ? (await queued()).length : 0;
  if (n && !window.confirm(plural('outreach-sign-out-confirm', n))) return;
  // An app started offline has no CSRF token yet; without one the server would refuse the
  // sign-out and keep the session open.
  if (!csrf && navigator.onLine) await refreshSession().catch(() => false);
  const user = localStorage.getItem(USER);
  if (store) store.close();
  if (user) await destroy(user).catch(() => {});
  localStorage.removeItem(USER);
  if ('caches' in window) for (const k of await caches.keys()) await caches.delete(k);
  event.target.submit();
});

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/outreach/sw.js', { scope: '/outreach/' }).catch(() => {});
}

start().catch(() => notice(M['err-internal']));
