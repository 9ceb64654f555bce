// The device store: one IndexedDB database per user, every record encrypted with
// AES-256-GCM under a key the server derives for that user. The key is imported as
// non-extractable and kept (as a CryptoKey object) only while the user is signed in:
// the app deletes it when the server says the session has ended or another user signs in.

const RECORDS = 'records';
const META = 'meta';
const enc = new TextEncoder();
const dec = new TextDecoder();

function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export function dbName(userId) {
  return `haven-outreach-${userId}`;
}

export class Store {
  constructor(db, key) {
    this.db = db;
    this.key = key;
  }

  static async open(userId) {
    const open = indexedDB.open(dbName(userId), 1);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore(RECORDS, { keyPath: 'id' });
      db.createObjectStore(META);
    };
    const db = await req(open);
    return new Store(db, null);
  }

  tx(store, mode = 'readonly') {
    return this.db.transaction(store, mode).objectStore(store);
  }

  async setKey(raw) {
    const bytes = Uint8Array.from(atob(raw), (c) => c.charCodeAt(0));
    this.key = await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
    await req(this.tx(META, 'readwrite').put(this.key, 'key'));
  }

  async loadKey() {
    this.key = (await req(this.tx(META).get('key'))) || null;
    return this.key !== null;
  }

  async dropKey() {
    this.key = null;
    await req(this.tx(META, 'readwrite').delete('key'));
  }

  async seal(value, aad) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: enc.encode(aad) },
      this.key,
      enc.encode(JSON.stringify(value)),
    );
    return { iv, ct };
  }

  async unseal({ iv, ct }, aad) {
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(aad) }, this.key, ct);
    return JSON.parse(dec.decode(pt));
  }

  async putMeta(name, value) {
    await req(this.tx(META, 'readwrite').put(await this.seal(value, `meta:${name}`), name));
  }

  async getMeta(name) {
    const v = await req(this.tx(META).get(name));
    return v ? this.unseal(v, `meta:${name}`) : null;
  }

  // A record: { id, state: 'queued' | 'sent' | 'conflict', base_version, version, reason,
  // updated, sealed }. Only `sealed` holds what was recorded.
  async put(rec, contact) {
    const sealed = contact === undefined ? rec.sealed : await this.seal(contact, `record:${rec.id}`);
    await req(this.tx(RECORDS, 'readwrite').put({ ...rec, sealed, updated: Date.now() }));
  }

  async contact(rec) {
    return this.unseal(rec.sealed, `record:${rec.id}`);
  }

  async all() {
    return req(this.tx(RECORDS).getAll());
  }

  async get(id) {
    return req(this.tx(RECORDS).get(id));
  }

  async remove(id) {
    await req(this.tx(RECORDS, 'readwrite').delete(id));
  }

  // Sent records older than `days` leave the device; queued and conflicting ones stay
  // until they are sent or the worker discards them.
  async expire(days) {
    const limit = Date.now() - days * 86400000;
    for (const r of await this.all()) {
      if (r.state === 'sent' && r.updated < limit) await this.remove(r.id);
    }
  }

  close() {
    this.db.close();
  }
}

export async function destroy(userId) {
  await req(indexedDB.deleteDatabase(dbName(userId)));
}

// A UUIDv7: 48 bits of milliseconds, version 7, variant 10, the rest random.
export function uuidv7() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
