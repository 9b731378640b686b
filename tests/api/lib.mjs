// Shared helpers of the black-box API tests. Only Node 20 built-ins.
// Environment (set by tests/run_all.sh): ZHUCUN_URL, ZHUCUN_DB, ZHUCUN_BIN.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOW_S, randomHex, today } from '../clock.mjs';
import { mismatches, observe } from './openapi_check.mjs';

export const URL_BASE = process.env.ZHUCUN_URL || 'http://127.0.0.1:18181';
export const DB = process.env.ZHUCUN_DB;
export const BIN = process.env.ZHUCUN_BIN;
export const DEMO_PASSWORD = 'Zhucun@2026';

/** A unique suffix for names of accounts and records a test creates. */
let counter = 0;
export function uniq(prefix = 't') {
  counter += 1;
  return `${prefix}${randomHex(4)}${process.pid.toString(36)}${counter}`;
}

/** Low-level request. Returns {status, headers, body (parsed JSON or null), text, buffer}. */
export async function api(method, path, { session, body, headers = {}, raw, csrf, base = URL_BASE } = {}) {
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
  // A pooled keep-alive connection the server closed at its idle timeout (10 s) while this process sat in a
  // synchronous child (run: a database copied, psql, the CLI — slow on PostgreSQL) for longer looks open until
  // the event loop turns and reads the close: let it turn first, so that the request goes out on a live one.
  if (blockedSinceLastRequest) {
    blockedSinceLastRequest = false;
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const send = () => fetch(base + path, { method, headers: h, body: payload, redirect: 'manual' });
  let res;
  for (let tries = 1; !res; tries++) {
    try {
      res = await send();
    } catch (e) {
      // Such a connection whose close arrived as the request went out: the request met the close before any
      // handler saw it, and is sent again (each stale connection of the pool fails once and is gone); any other
      // failure stands, its cause named.
      if (tries >= 4 || e?.cause?.code !== 'UND_ERR_SOCKET' || !/other side closed/.test(e.cause.message ?? '')) {
        e.message += ` (${method} ${path}: ${e?.cause?.code ?? ''} ${e?.cause?.message ?? ''})`;
        throw e;
      }
    }
  }
  const buffer = Buffer.from(await res.arrayBuffer());
  const text = buffer.toString('utf8');
  let json = null;
  if ((res.headers.get('content-type') || '').includes('json') && text.length) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  const out = { status: res.status, headers: res.headers, body: json, text, buffer };
  observe(method, path, out);
  return out;
}

// The document cannot drift (docs/openapi.json): when the tests of a file are over, every answer they saw
// must be one the document describes — its status listed, its body valid against the schema. Checked at
// the process's exit, after every hook of the file has cleaned up (a failing after() hook would keep the
// file's own after() hooks, which stop its servers, from running): the file fails with exit code 1, each
// mismatch printed once as a line starting "openapi:".
process.on('exit', () => {
  const bad = mismatches();
  if (!bad.length) return;
  for (const line of bad) console.error(`openapi: ${line}`);
  console.error(`openapi: ${bad.length} answer(s) that docs/openapi.json does not describe`);
  process.exitCode = 1;
});

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

// ---- the second factor (两步验证, schema 060) ----
// `init --demo --demo-known-passwords` enrols the accounts whose role must use it with this published
// secret (src/store/demo.h). The server's clock is pinned, so at its instant only three codes exist —
// the steps before, at and after it — and each is accepted once, in increasing order. The steps spent
// are kept in a file beside the database (test files run one after another), and the demo accounts
// with the factor share one session across the suite's files (as()), logging in afresh only when a
// test asks for it (login()).
export const DEMO_TOTP_SECRET = 'ZHUCUNDEMOTOTPSECRETFORTESTSONLY';
export const DEMO_SECOND_FACTOR = ['sysadmin', 'secadmin', 'auditadmin', 'city_org', 'city_rrb', 'ruijin_org', 'ruijin_rrb'];

/** Base32 (RFC 4648) text to bytes. */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${text}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1, 6 digits) of a base32 secret at a 30-second step. */
export function totpCode(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1e6).padStart(6, '0');
}

const INSTANTS = new Map(); // base URL of a serveAt server → its pinned instant (s)
/** The 30-second step of the instant the server at base is pinned at. */
export function stepAt(base = URL_BASE) { return Math.floor((INSTANTS.get(base) ?? NOW_S) / 30); }

// files of the suite's state beside its database: on PostgreSQL (a URL) beside its key file instead
const STATE_BASE = /^postgres(ql)?:\/\//.test(DB ?? '') ? process.env.ZHUCUN_KEY_FILE : DB;
const STATE_FILE = STATE_BASE ? `${STATE_BASE}.totp.json` : null;
const memState = {};
function loadState(shared) {
  if (!shared) return memState;
  return existsSync(STATE_FILE) ? JSON.parse(readFileSync(STATE_FILE, 'utf8')) : {};
}
function saveState(shared, state) { if (shared) writeFileSync(STATE_FILE, JSON.stringify(state)); }
const stateKey = (username, base) => (base === URL_BASE ? username : `${base}|${username}`);

function secretOf(username) {
  const known = loadState(Boolean(STATE_FILE))[username]?.secret ?? memState[username]?.secret;
  return known ?? (DEMO_SECOND_FACTOR.includes(username) ? DEMO_TOTP_SECRET : null);
}

/** Records the secret of an account a test enrolled (its steps start afresh: a new secret has none spent). */
export function rememberSecret(username, secret) {
  const shared = Boolean(STATE_FILE);
  const state = loadState(shared);
  state[username] = { secret, next: -1 };
  saveState(shared, state);
  if (!shared) memState[username] = state[username];
}

/** The next unspent code of username on the server at base. */
export function nextCode(username, base = URL_BASE) {
  const shared = base === URL_BASE && Boolean(STATE_FILE);
  const state = loadState(shared);
  const key = stateKey(username, base);
  const e = state[key] ?? { secret: secretOf(username), next: -1 };
  assert.ok(e.secret, `${username}: no known second-factor secret`);
  assert.ok(e.next <= 1, `${username}: the three codes of the pinned instant are spent; share a session (as()) instead`);
  const code = totpCode(e.secret, stepAt(base) + e.next);
  state[key] = { ...e, next: e.next + 1 };
  saveState(shared, state);
  return code;
}

/** A login through both steps: the reply of POST /session, or of POST /session/totp when the account
 * has the second factor on. */
export async function loginFull(username, password = DEMO_PASSWORD, base = URL_BASE) {
  const first = await api('POST', '/api/v1/session', { body: { username, password }, base });
  if (first.status !== 200 || !first.body?.second_factor_required) return first;
  return api('POST', '/api/v1/session/totp', {
    body: { pending_token: first.body.pending_token, code: nextCode(username, base) }, base,
  });
}

/** Logs in (with the second step when the account has it) and returns {cookie, csrf, user, menu};
 * fails the test on anything but 200. */
export async function login(username, password = DEMO_PASSWORD, base = URL_BASE) {
  const res = await loginFull(username, password, base);
  assert.equal(res.status, 200, `login ${username}: ${res.status} ${res.text}`);
  const c = sessionCookieOf(res);
  assert.ok(c && c.value, `login ${username}: no zc_session cookie`);
  return { cookie: c.value, csrf: res.body.csrf_token, user: res.body.user, menu: res.body.menu, username };
}

/** Starts and confirms the second factor of the logged-in session's account; returns
 * {secret, recovery_codes}. */
export async function enrolSecondFactor(session) {
  const st = await api('POST', '/api/v1/session/second-factor', { session });
  assert.equal(st.status, 200, `start second factor ${session.username}: ${st.status} ${st.text}`);
  rememberSecret(session.username, st.body.secret);
  const ok = await api('POST', '/api/v1/session/second-factor/confirm', {
    session, body: { code: nextCode(session.username) },
  });
  assert.equal(ok.status, 200, `confirm second factor ${session.username}: ${ok.status} ${ok.text}`);
  return { secret: st.body.secret, recovery_codes: ok.body.recovery_codes };
}

const SESSIONS_FILE = STATE_BASE ? `${STATE_BASE}.sessions.json` : null;
/** A session of a demo account with the second factor, shared by the suite's files while it lives
 * (the browser tests put it in the page's cookies: tests/e2e/helpers.mjs). */
export async function sharedSession(username) {
  const all = SESSIONS_FILE && existsSync(SESSIONS_FILE) ? JSON.parse(readFileSync(SESSIONS_FILE, 'utf8')) : {};
  const kept = all[username];
  if (kept && (await api('GET', '/api/v1/session', { session: kept })).status === 200) return kept;
  const s = await login(username);
  if (SESSIONS_FILE) writeFileSync(SESSIONS_FILE, JSON.stringify({ ...all, [username]: s }));
  return s;
}

const cache = new Map();
/** A cached session of a demo account (logged in once per test file; once per suite for the accounts
 * with the second factor). */
export async function as(username) {
  if (!cache.has(username)) {
    cache.set(username, await (DEMO_SECOND_FACTOR.includes(username) ? sharedSession(username) : login(username)));
  }
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
  const first = strongPassword();
  const body = {
    username, display_name: '测试账号', role: 'township_secretary', region_code: '360781101', password: first,
    ...fields,
  };
  const res = await api('POST', '/api/v1/users', { session: sys, body });
  assert.equal(res.status, 201, `create user: ${res.status} ${res.text}`);
  // two-person rule (F3): the password given is the first part, secadmin's approval makes the second
  const part = await approveCredential(res.body.id, 'secadmin');
  const initial = first + part;
  let password = initial;
  let secret = null;
  if (changePassword) {
    const s = await login(username, initial);
    password = strongPassword();
    const ch = await api('POST', '/api/v1/session/password', {
      session: s, body: { old_password: initial, new_password: password },
    });
    assert.equal(ch.status, 204, `change password: ${ch.status} ${ch.text}`);
    // a role the policy requires the second factor of enrols it next, as its user would
    const me = await api('GET', '/api/v1/session', { session: s });
    if (me.body?.user?.must_enrol_second_factor) secret = (await enrolSecondFactor(s)).secret;
  }
  return { id: res.body.id, username, password, initial, user: res.body, secret };
}

/**
 * Approves the proposed credential of account id as approver (secadmin for a new account, sysadmin
 * for a reset) and returns the approver's part of the initial password.
 */
export async function approveCredential(id, approver) {
  const r = await api('POST', `/api/v1/users/${id}/approve`, { session: await as(approver) });
  assert.equal(r.status, 200, `approve ${id} as ${approver}: ${r.status} ${r.text}`);
  assert.match(r.body.password_part, /^[A-Za-z0-9]{10}$/);
  return r.body.password_part;
}

/** Types the password again (POST /session/reauth), as a full ID number reveal requires (F8/F9). */
export async function reauth(session, password = DEMO_PASSWORD) {
  const r = await api('POST', '/api/v1/session/reauth', { session, body: { password } });
  assert.equal(r.status, 204, `reauth ${session.username}: ${r.status} ${r.text}`);
}

/** Runs a command; returns {status, stdout, stderr}. The limit only ends a hung command: the sanitizer
 * build rebuilding a demo's facts takes minutes on a machine as busy as CI's with its suites side by side. */
let blockedSinceLastRequest = false;  // a synchronous child ran since the last request (api)
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300000, ...opts });
  blockedSinceLastRequest = true;
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the zhucun binary. */
export function zhucun(args, opts = {}) {
  return run(BIN, args, opts);
}

/** True when the suite's server runs on PostgreSQL (the api_pg suite: ZHUCUN_DB is a server's URL). */
export const ON_PG = /^postgres(ql)?:\/\//.test(DB ?? '');

/** The key file of the suite's database: DB.key beside a SQLite file, ZHUCUN_KEY_FILE for a server. */
export const KEY_FILE = ON_PG ? process.env.ZHUCUN_KEY_FILE : `${DB}.key`;

/** Runs SQL on a database: sqlite3 on a file, psql on a PostgreSQL URL (rows as sqlite3 prints them: the
 * values of a row joined by |). The text must mean the same on both (e.g. the table "user" quoted). */
export function sqlite(dbPath, sql) {
  if (/^postgres(ql)?:\/\//.test(dbPath)) return run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', dbPath, '-c', sql]);
  return run('sqlite3', [dbPath, sql]);
}

/** True when dbPath names a database on a PostgreSQL server rather than a file. */
export const onServer = (dbPath) => /^postgres(ql)?:\/\//.test(dbPath);

/** SQL that drops the trigger NAME of TABLE (PostgreSQL's DROP TRIGGER names the table, SQLite's may not). */
export const dropTriggerSql = (dbPath, name, table) => (onServer(dbPath) ? `DROP TRIGGER ${name} ON ${table};` : `DROP TRIGGER ${name};`);

/** SQL that drops TABLE though other tables refer to it: SQLite with its foreign keys off; PostgreSQL with
 * CASCADE, which drops the references (and the views that read it) but no row of another table. */
export const dropTableSql = (dbPath, table) => (onServer(dbPath) ? `DROP TABLE ${table} CASCADE;` : `PRAGMA foreign_keys = OFF; DROP TABLE ${table};`);

/** SQL of a trigger NAME that refuses an INSERT into TABLE whose new row meets WHEN (NEW.column …): SQLite's
 * RAISE(ABORT, 'planted'); on PostgreSQL a PL/pgSQL function raising the same message. */
export function refuseInsertSql(dbPath, name, table, when) {
  if (!onServer(dbPath)) return `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'planted'); END;`;
  return `CREATE OR REPLACE FUNCTION planted_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'planted'; END $$;
CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION planted_refuse();`;
}

/** A fresh temporary directory. */
// Each test file runs in its own process: the directories it made (copies of the suite's database
// among them, hundreds of MB each) go when it ends, so that a run cannot fill the disk.
const madeDirs = [];
process.on('exit', () => { for (const d of madeDirs) rmSync(d, { recursive: true, force: true }); });

export function tempDir(prefix = 'zhucun-api-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/**
 * Another server, on `dbPath` (a copy: see copyDb), whose clock is fixed at `nowIso` — the way a
 * test sees what the days ahead do (a handover's day 16, a recall taking effect, a term's end)
 * without waiting for them. Returns {url, stop()}; the port is the one the server took.
 */
export async function serveAt(dbPath, nowIso, extraArgs = []) {
  // the copy is the system at another instant, maybe earlier than the suite's: the codes of the second
  // factor spent at the suite's instant were not spent then (each account's last step starts afresh)
  const reset = sqlite(dbPath, 'UPDATE user_totp SET last_step = 0');
  assert.equal(reset.status, 0, `reset the last steps of ${dbPath}: ${reset.stderr}`);
  const child = spawn(BIN, ['--now', nowIso, 'serve', '--db', dbPath, '--port', '0', '--ui', '/nonexistent', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serveAt ${nowIso}: no address in 60 s: ${out}`)), 60000);
    const look = (chunk) => {
      out += chunk;
      const m = /http:\/\/([0-9.]+):([0-9]+)\//.exec(out);
      if (m && m[2] !== '0') { clearTimeout(timer); resolve(`http://${m[1]}:${m[2]}`); }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serveAt ${nowIso}: exit ${code}: ${out}`)); });
  });
  child.removeAllListeners('exit');
  INSTANTS.set(url, Math.floor(Date.parse(nowIso) / 1000));
  const stop = () => new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
    child.kill('SIGTERM');
  });
  return { url, stop };
}

/**
 * A copy of the live database made with sqlite3's online backup, with its key file (DB.key: it keys the
 * audit chain and seals ID numbers, phones and health notes); never tamper with the live file.
 */
export function copyDb(name = 'copy.db') {
  if (ON_PG) return copyPgDb();
  const dir = tempDir();
  const path = join(dir, name);
  const r = sqlite(DB, `.backup '${path}'`);
  assert.equal(r.status, 0, `sqlite3 .backup: ${r.stderr}`);
  copyFileSync(`${DB}.key`, `${path}.key`);
  return path;
}

/** On PostgreSQL: a new database on the same server with the live one's rows (pg_dump into it), dropped
 * when the test file ends; its key is the live database's (ZHUCUN_KEY_FILE, inherited by every child). */
const madeDbs = [];
process.on('exit', () => { for (const u of madeDbs) run('psql', ['-X', '-q', DB, '-c', `DROP DATABASE IF EXISTS ${u.split('/').pop()} WITH (FORCE)`]); });
function copyPgDb() {
  const name = `copy_${process.pid}_${madeDbs.length}`;
  const url = DB.replace(/\/[^/]*$/, `/${name}`);
  let r = run('psql', ['-X', '-q', DB, '-c', `CREATE DATABASE ${name}`]);
  assert.equal(r.status, 0, `CREATE DATABASE ${name}: ${r.stderr}`);
  madeDbs.push(url);
  r = run('bash', ['-o', 'pipefail', '-c', 'pg_dump --no-owner "$0" | psql -X -q -v ON_ERROR_STOP=1 "$1" > /dev/null', DB, url]);
  assert.equal(r.status, 0, `pg_dump into ${name}: ${r.stderr}`);
  return url;
}

/** A name for a new, empty database: a path in a fresh directory (no file yet) on SQLite; on PostgreSQL an
 * empty database made on the suite's server (dropped when the test file ends), by its URL. */
export function newDb(name = 'new.db') {
  if (!ON_PG) return join(tempDir(), name);
  const db = `new_${process.pid}_${madeDbs.length}`;
  const r = run('psql', ['-X', '-q', DB, '-c', `CREATE DATABASE ${db}`]);
  assert.equal(r.status, 0, `CREATE DATABASE ${db}: ${r.stderr}`);
  const url = DB.replace(/\/[^/]*$/, `/${db}`);
  madeDbs.push(url);
  return url;
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

// ---- Selection and assignment (section 1 of the notice) ----

/** Today in China Standard Time, YYYY-MM-DD: the pinned instant's (tests/clock.mjs). */
export function todayCST() {
  return today();
}

/** iso + n days, YYYY-MM-DD. */
export function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The same month and day n years before iso (a birth date that makes someone exactly n on iso). */
export function yearsBefore(iso, n) {
  const y = Number(iso.slice(0, 4)) - n;
  const md = iso.slice(5);
  // 29 February in a year that has none: the birthday falls on 1 March
  if (md === '02-29' && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return `${y}-03-01`;
  return `${String(y).padStart(4, '0')}-${md}`;
}

/** The GB 11643 check character of a 17-digit string. */
export function idCheckChar(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return '10X98765432'[s % 11];
}

/** An 18-character ID number: region (6 digits) + birth date + 3-digit sequence + check char. */
export function idNumber(region, birthIso, seq) {
  const first17 = `${region}${birthIso.replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

let idSeq = Math.floor(Math.random() * 1000);
/**
 * Creates a cadre through POST /api/v1/cadres and returns its detail. `birth` (YYYY-MM-DD) and `region`
 * (the 6-digit region part of the ID number; give each test file its own) build the ID number; the
 * sequence moves on when a number is already registered (a re-run against the same database).
 * Other fields go into the body as they are.
 */
export async function createCadre(session, { birth = '1990-05-01', region = '369900', ...fields } = {}) {
  for (let attempt = 0; attempt < 60; attempt++) {
    idSeq = (idSeq + 1) % 1000;
    const id_number = idNumber(region, birth, idSeq);
    const body = { name: fields.name || '测试干部', id_number, ...fields };
    const r = await api('POST', '/api/v1/cadres', { session, body });
    if (r.status === 409) continue;
    assert.equal(r.status, 201, `create cadre: ${r.status} ${r.text}`);
    return { ...r.body, id_number_full: id_number };
  }
  throw new Error('no free ID number sequence');
}

/** Creates a dispatching unit (default: a county organ of 瑞金市) and returns it. */
export async function createUnit(session, fields = {}) {
  const body = { name: `测试单位${uniq('')}`, level: 'county', type: 'party_gov', region_code: '360781', ...fields };
  const r = await api('POST', '/api/v1/units', { session, body });
  assert.equal(r.status, 201, `create unit: ${r.status} ${r.text}`);
  return r.body;
}

/** Creates a rotation batch of the caller's city/county and returns it (the reply lists all batches). */
export async function createBatch(session, { opensIn = -1, closesIn = 30, startsIn = 0, ...fields } = {}) {
  const t = todayCST();
  const name = fields.name || `测试轮换批次${uniq('')}`;
  const body = { name, opens_on: addDays(t, opensIn), closes_on: addDays(t, closesIn), term_start: addDays(t, startsIn), ...fields };
  const r = await api('POST', '/api/v1/batches', { session, body });
  assert.equal(r.status, 201, `create batch: ${r.status} ${r.text}`);
  const b = r.body.items.find((x) => x.name === name);
  assert.ok(b, `batch ${name} in the reply`);
  return b;
}

/** GET /api/v1/eligibility; fails the test on anything but 200. */
export async function eligibility(session, cadre, unit, post = 'first_secretary', date) {
  const q = `cadre=${cadre}&unit=${unit}&post=${post}${date ? `&date=${date}` : ''}`;
  const r = await api('GET', `/api/v1/eligibility?${q}`, { session });
  assert.equal(r.status, 200, `eligibility ${q}: ${r.status} ${r.text}`);
  return r.body;
}

/** The reason of a verdict for one check (age, employer, sanction, appraisal, employment, rank). */
export function reasonOf(verdict, check) {
  const r = verdict.reasons.find((x) => x.check === check);
  assert.ok(r, `no reason for check ${check}: ${JSON.stringify(verdict.reasons)}`);
  return r;
}

/** Nominates, then both departments approve; returns the assignment as it stands at the end. */
export async function nominateAndApprove(nominator, body, { org, rrb, exception = false } = {}) {
  const n = await api('POST', '/api/v1/assignments', { session: nominator, body });
  assert.equal(n.status, 201, `nominate: ${n.status} ${n.text}`);
  const extra = exception ? { exception_approved: true } : {};
  const a1 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, {
    session: org, body: { decision: 'approve', comment: '同意', version: n.body.version, ...extra },
  });
  assert.equal(a1.status, 200, `org approves: ${a1.status} ${a1.text}`);
  const a2 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, {
    session: rrb, body: { decision: 'approve', comment: '同意', version: a1.body.version, ...extra },
  });
  assert.equal(a2.status, 200, `rrb approves: ${a2.status} ${a2.text}`);
  return a2.body;
}

// ---- a ZIP with stored (uncompressed) entries, and a minimal .xlsx roster built with it ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3) of a Buffer. */
export function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of [{name, data}] with every entry stored (method 0). */
export function storedZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    const crc = crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);          // version needed
    local.writeUInt16LE(0x0800, 6);      // flags: UTF-8 names
    local.writeUInt16LE(0, 8);           // method: stored
    local.writeUInt16LE(0, 10);          // time
    local.writeUInt16LE(0x21, 12);       // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);        // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt16LE(0, 30);        // extra
    central.writeUInt16LE(0, 32);        // comment
    central.writeUInt16LE(0, 34);        // disk
    central.writeUInt16LE(0, 36);        // internal attributes
    central.writeUInt32LE(0, 38);        // external attributes
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, cd, end]);
}

const xmlEscape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A minimal .xlsx workbook with one sheet whose cells are inline strings; rows: array of arrays. */
export function xlsxOf(rows) {
  const col = (i) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));
  const sheetRows = rows.map((cells, r) => `<row r="${r + 1}">${cells.map((v, c) =>
    `<c r="${col(c)}${r + 1}" t="inlineStr"><is><t>${xmlEscape(v)}</t></is></c>`).join('')}</row>`).join('');
  const X = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  return storedZip([
    { name: '[Content_Types].xml', data: `${X}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + '</Types>' },
    { name: '_rels/.rels', data: `${X}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
      + '</Relationships>' },
    { name: 'xl/workbook.xml', data: `${X}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
      + ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      + '<sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>' },
    { name: 'xl/_rels/workbook.xml.rels', data: `${X}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
      + '</Relationships>' },
    { name: 'xl/worksheets/sheet1.xml', data: `${X}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
      + `<sheetData>${sheetRows}</sheetData></worksheet>` },
  ]);
}
