// Shared helpers of the black-box API tests. Only Node 20 built-ins.
// Environment (set by tests/run_all.sh): ZHUCUN_URL, ZHUCUN_DB, ZHUCUN_BIN.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const URL_BASE = process.env.ZHUCUN_URL || 'http://127.0.0.1:18181';
export const DB = process.env.ZHUCUN_DB;
export const BIN = process.env.ZHUCUN_BIN;
export const DEMO_PASSWORD = 'Zhucun@2026';

/** A unique suffix for names of accounts and records a test creates. */
let counter = 0;
export function uniq(prefix = 't') {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
}

/** Low-level request. Returns {status, headers, body (parsed JSON or null), text, buffer}. */
export async function api(method, path, { session, body, headers = {}, raw, csrf } = {}) {
  const h = { ...headers };
  if (session?.cookie) h.cookie = `zc_session=${session.cookie}`;
  const token = csrf !== undefined ? csrf : session?.csrf;
  if (token !== null && token !== undefined && method !== 'GET' && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = token;
  let payload;
  if (raw !== undefined) {
    payload = raw;
    if (!('content-type' in h)) h['content-type'] = 'application/json';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['content-type'] = 'application/json';
  }
  const res = await fetch(URL_BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
  const buffer = Buffer.from(await res.arrayBuffer());
  const text = buffer.toString('utf8');
  let json = null;
  if ((res.headers.get('content-type') || '').includes('json') && text.length) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  return { status: res.status, headers: res.headers, body: json, text, buffer };
}

/** The zc_session value from a Set-Cookie header, or null. */
export function sessionCookieOf(res) {
  const all = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || ''];
  for (const c of all) {
    const m = /^zc_session=([^;]*)/.exec(c);
    if (m) return { value: m[1], header: c };
  }
  return null;
}

/** Raw login: returns the response. */
export function loginRaw(username, password = DEMO_PASSWORD) {
  return api('POST', '/api/v1/session', { body: { username, password } });
}

/** Logs in and returns {cookie, csrf, user, menu}; fails the test on anything but 200. */
export async function login(username, password = DEMO_PASSWORD) {
  const res = await loginRaw(username, password);
  assert.equal(res.status, 200, `login ${username}: ${res.status} ${res.text}`);
  const c = sessionCookieOf(res);
  assert.ok(c && c.value, `login ${username}: no zc_session cookie`);
  return { cookie: c.value, csrf: res.body.csrf_token, user: res.body.user, menu: res.body.menu, username };
}

const cache = new Map();
/** A cached session of a demo account (logged in once per test file). */
export async function as(username) {
  if (!cache.has(username)) cache.set(username, await login(username));
  return cache.get(username);
}

/** Asserts an error reply of the documented shape. */
export function assertError(res, status, code, field) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${res.text}`);
  assert.ok(res.body && res.body.error, `no error object: ${res.text}`);
  assert.equal(res.body.error.code, code, `error code: ${res.text}`);
  assert.equal(typeof res.body.error.message, 'string');
  assert.match(res.body.error.message, /[\u4e00-\u9fff]/, `message has no Chinese: ${res.body.error.message}`);
  assert.ok('field' in res.body.error, `error.field missing: ${res.text}`);
  if (field !== undefined) assert.equal(res.body.error.field, field, `error.field: ${res.text}`);
}

/** A strong password that passes the rules and does not contain the user name. */
export function strongPassword() {
  return `Qx7#${Math.random().toString(36).slice(2, 8)}Lm9`;
}

/**
 * Creates a user through sysadmin and completes the first-login password change.
 * Returns {id, username, password, user}. Extra fields go into the POST body.
 */
export async function createUser(fields = {}, { changePassword = true } = {}) {
  const sys = await as('sysadmin');
  const username = fields.username || uniq('u');
  const initial = strongPassword();
  const body = {
    username, display_name: '测试账号', role: 'township_secretary', region_code: '360781101', password: initial,
    ...fields,
  };
  const res = await api('POST', '/api/v1/users', { session: sys, body });
  assert.equal(res.status, 201, `create user: ${res.status} ${res.text}`);
  let password = initial;
  if (changePassword) {
    const s = await login(username, initial);
    password = strongPassword();
    const ch = await api('POST', '/api/v1/session/password', {
      session: s, body: { old_password: initial, new_password: password },
    });
    assert.equal(ch.status, 204, `change password: ${ch.status} ${ch.text}`);
  }
  return { id: res.body.id, username, password, initial, user: res.body };
}

/** Runs a command; returns {status, stdout, stderr}. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000, ...opts });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the zhucun binary. */
export function zhucun(args, opts = {}) {
  return run(BIN, args, opts);
}

/** Runs sqlite3 on a database file. */
export function sqlite(dbPath, sql) {
  return run('sqlite3', [dbPath, sql]);
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'zhucun-api-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A copy of the live database made with sqlite3's online backup; never tamper with the live file. */
export function copyDb(name = 'copy.db') {
  const dir = tempDir();
  const path = join(dir, name);
  const r = sqlite(DB, `.backup '${path}'`);
  assert.equal(r.status, 0, `sqlite3 .backup: ${r.stderr}`);
  return path;
}

/** The first page (up to 200 rows) of a list, or all pages when all=true. */
export async function list(session, path, { all = false } = {}) {
  const sep = path.includes('?') ? '&' : '?';
  const first = await api('GET', `${path}${sep}page_size=200&page=1`, { session });
  assert.equal(first.status, 200, `${path}: ${first.status} ${first.text}`);
  const items = [...first.body.items];
  if (all) {
    for (let p = 2; items.length < first.body.total; p++) {
      const r = await api('GET', `${path}${sep}page_size=200&page=${p}`, { session });
      assert.equal(r.status, 200);
      if (!r.body.items.length) break;
      items.push(...r.body.items);
    }
  }
  return { items, total: first.body.total };
}
