// F4 of the security review (2026-12): five bad passwords locked any account (secadmin's too), a 423
// told which names exist, and nothing was ever rate limited (a 40-attempt spray: 40 × 401; a flood
// wrote 276 audit rows). Now failures lock a (name, address) pair, an unknown name answers exactly as
// a real one, and two throttles answer 429 with Retry-After before any password check: per address,
// and per name for the addresses that have failed on it.
// Loopback has all of 127/8: each test speaks from addresses of its own, as separate machines would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { BIN, DB, DEMO_PASSWORD, URL_BASE, api, as, assertError, copyDb, createUser, sqlite, uniq } from './lib.mjs';
import { NOW_S } from '../clock.mjs';

const SECURITY = JSON.parse(readFileSync(new URL('../../policy/security.json', import.meta.url)));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** POST /session from a chosen source address, against base (the suite's server by default). */
function loginFrom(addr, username, password, base = URL_BASE) {
  const { hostname, port } = new URL(base);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: '/api/v1/session', method: 'POST', localAddress: addr,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, body: json, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const summary = (r) => `${r.status} ${r.body?.error?.code ?? ''} ${r.body?.error?.message ?? ''}`;

test('a stranger\'s bad passwords from another address lock only that address out, secadmin included', async () => {
  const u = await createUser();
  const answers = [];
  for (let i = 0; i < SECURITY.lockout_attempts; i++) answers.push(await loginFrom('127.0.1.1', u.username, `Wrong#${i}pass`));
  for (const r of answers.slice(0, -1)) assertError(r, 401, 'login_failed');
  assertError(answers.at(-1), 423, 'account_locked');
  // the stranger's address stays locked, even with the right password
  assertError(await loginFrom('127.0.1.1', u.username, u.password), 423, 'account_locked');
  // the real user, from the user's own address, is not locked out
  const real = await loginFrom('127.0.1.2', u.username, u.password);
  assert.equal(real.status, 200, real.text);

  // the old finding: anyone could lock the security administrator, who is the one who unlocks
  for (let i = 0; i < SECURITY.lockout_attempts; i++) await loginFrom('127.0.1.3', 'secadmin', `Wrong#${i}pass`);
  assertError(await loginFrom('127.0.1.3', 'secadmin', DEMO_PASSWORD), 423, 'account_locked');
  const sec = await loginFrom('127.0.1.4', 'secadmin', DEMO_PASSWORD);
  assert.equal(sec.status, 200, sec.text);
});

test('an unknown name answers exactly as a real one, attempt by attempt (no oracle of which names exist)', async () => {
  const u = await createUser();
  const unknown = uniq('nosuch');
  const real = [], none = [];
  for (let i = 0; i < SECURITY.lockout_attempts + 2; i++) {
    real.push(summary(await loginFrom('127.0.2.1', u.username, `Wrong#${i}pass`)));
    none.push(summary(await loginFrom('127.0.2.2', unknown, `Wrong#${i}pass`)));
  }
  assert.deepEqual(none, real);
  assert.ok(real.some((s) => s.startsWith('423 account_locked')), `the real name was locked: ${real}`);
});

test('per address: once the burst is spent, 429 rate_limited with Retry-After, for any name, without an audit row; it refills', async () => {
  const addr = '127.0.3.1';
  const auditRows = () => Number(sqlite(DB, `SELECT count(*) FROM audit WHERE ip = '${addr}'`).stdout.trim());
  const before = auditRows();
  // a spray: a different name each time, so no (name, address) pair is locked. The bucket refills
  // while the spray runs (one token every login_address_refill_seconds), so a few more get through.
  const t0 = performance.now();
  let passed = 0, limited = null;
  // (each failed attempt hashes a password, slow under the sanitizers on a busy machine: the bound
  // grows with the tokens refilled so far, so it never stops before the bucket could be empty)
  const refilledSoFar = () => Math.ceil((performance.now() - t0) / 1000 / SECURITY.login_address_refill_seconds);
  while (passed < SECURITY.login_address_burst + refilledSoFar() + 2) {
    const r = await loginFrom(addr, uniq('spray'), 'Spray#2026pw');
    if (r.status === 429) { limited = r; break; }
    assertError(r, 401, 'login_failed');
    passed += 1;
  }
  const refilled = Math.ceil((performance.now() - t0) / 1000 / SECURITY.login_address_refill_seconds);
  assert.ok(limited, `no 429 after ${passed} failures from one address`);
  assert.ok(passed >= SECURITY.login_address_burst && passed <= SECURITY.login_address_burst + refilled,
    `429 after ${passed} failures (burst ${SECURITY.login_address_burst}, refilled ≤ ${refilled})`);
  assertError(limited, 429, 'rate_limited');
  const wait = Number(limited.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= SECURITY.login_address_refill_seconds, `Retry-After: ${limited.headers['retry-after']}`);
  assert.match(limited.body.error.message, new RegExp(`${wait} 秒后再试`));
  // the right password of a real account from that address too: refused before any check
  assertError(await loginFrom(addr, 'cadre1', DEMO_PASSWORD), 429, 'rate_limited');
  for (let i = 0; i < 10; i++) assertError(await loginFrom(addr, uniq('flood'), 'x'), 429, 'rate_limited');
  assert.equal(auditRows() - before, passed, 'a refused flood writes no audit rows');
  // another address is served
  assert.equal((await loginFrom('127.0.3.2', 'cadre1', DEMO_PASSWORD)).status, 200);
  // after Retry-After, one more attempt is let through
  await sleep(wait * 1000 + 200);
  assert.equal((await loginFrom(addr, 'cadre1', DEMO_PASSWORD)).status, 200);
});

test('per name: failures from many addresses spend the name\'s burst; the addresses that failed get 429, a clean one and the unlock go through', async () => {
  const u = await createUser();
  const addrs = Array.from({ length: 5 }, (_, i) => `127.0.4.${i + 1}`);
  const perAddr = Math.ceil(SECURITY.login_account_burst / addrs.length);
  assert.ok(perAddr < SECURITY.lockout_attempts, 'no pair gets locked on the way');
  let failed = 0;
  for (const a of addrs) {
    for (let i = 0; i < perAddr && failed < SECURITY.login_account_burst; i++, failed++) {
      assertError(await loginFrom(a, u.username, `Wrong#${i}pass`), 401, 'login_failed');
    }
  }
  const limited = await loginFrom(addrs[0], u.username, u.password);
  assertError(limited, 429, 'rate_limited');
  const wait = Number(limited.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= SECURITY.login_account_refill_seconds, `Retry-After ${wait}`);
  // the real user's first attempt from an address that never failed is not held back
  assert.equal((await loginFrom('127.0.4.99', u.username, u.password)).status, 200);
  // the security administrator's unlock gives the name its attempts back
  const sec = await as('secadmin');
  assert.equal((await api('POST', `/api/v1/users/${u.id}/unlock`, { session: sec })).status, 200);
  assert.equal((await loginFrom(addrs[0], u.username, u.password)).status, 200);
});

test('unlock by the security administrator lifts every address\'s lock of the account; the list shows it locked until then', async () => {
  const u = await createUser();
  for (const a of ['127.0.5.1', '127.0.5.2']) {
    for (let i = 0; i < SECURITY.lockout_attempts; i++) await loginFrom(a, u.username, `Wrong#${i}pass`);
    assertError(await loginFrom(a, u.username, u.password), 423, 'account_locked');
  }
  const sec = await as('secadmin');
  const listed = await api('GET', `/api/v1/users?q=${u.username}`, { session: sec });
  assert.equal(listed.body.items.find((x) => x.username === u.username).locked, true);
  const un = await api('POST', `/api/v1/users/${u.id}/unlock`, { session: sec });
  assert.equal(un.status, 200, un.text);
  assert.equal(un.body.locked, false);
  for (const a of ['127.0.5.1', '127.0.5.2']) assert.equal((await loginFrom(a, u.username, u.password)).status, 200);
});

/** Starts the binary on db at a fixed instant on a free port; resolves {url, stop}. */
function serveAt(db, now) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['serve', '--db', db, '--port', '0', '--now', now, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/[\d.]+:(\d+)\//.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => new Promise((r) => { p.on('close', r); p.kill('SIGTERM'); }) });
    });
    p.on('close', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

test('progressive delay: the same pair\'s second lock lasts twice the first (judged by the server\'s clock)', async () => {
  const db = copyDb();
  const iso = (s) => new Date((s + 8 * 3600) * 1000).toISOString().replace('Z', '+08:00').replace(/\.\d{3}/, '');
  const minutes = [];
  let at = NOW_S;
  for (let round = 0; round < 2; round++) {
    const s = await serveAt(db, iso(at));
    try {
      let last;
      for (let i = 0; i < SECURITY.lockout_attempts; i++) last = await loginFrom('127.0.6.1', 'cadre2', `Wrong#${i}pass`, s.url);
      assertError(last, 423, 'account_locked');
      minutes.push(Number(/请于 (\d+) 分钟后重试/.exec(last.body.error.message)[1]));
    } finally {
      await s.stop();
    }
    at += minutes.at(-1) * 60 + 60; // the lock has run out
  }
  assert.deepEqual(minutes, [SECURITY.lockout_minutes, 2 * SECURITY.lockout_minutes]);
});
