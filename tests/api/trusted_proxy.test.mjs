// F10 of the security review (2026-12), second half: behind nginx every client was the proxy's
// 127.0.0.1 (one rate limit and one lockout for the whole county, the audit's ip useless), and the
// cookie's Secure was all or nothing. Now `serve --trusted-proxy ADDR[,CIDR…]` believes X-Forwarded-For
// (the client's address for rate limits, lockout and the audit) and X-Forwarded-Proto: https (the cookie
// Secure, HSTS) from those peers only; from any other address both headers are ignored.
// Loopback has all of 127/8: 127.0.9.1 plays the proxy, 127.0.9.2 a client that speaks directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, DEMO_PASSWORD, copyDb, sqlite, tempDir, uniq, zhucun } from './lib.mjs';

const PROXY = '127.0.9.1';
const DIRECT = '127.0.9.2';

/** A policy directory whose login throttle allows `burst` failures per address (and many per name). */
function policyWithBurst(burst) {
  const dir = tempDir('zhucun-policy-');
  cpSync(new URL('../../policy/', import.meta.url).pathname, dir, { recursive: true });
  const s = JSON.parse(readFileSync(join(dir, 'security.json')));
  Object.assign(s, { login_address_burst: burst, login_address_refill_seconds: 3600, login_account_burst: 1000 });
  writeFileSync(join(dir, 'security.json'), JSON.stringify(s));
  return dir;
}

/** serve on a copy of the database with extra options; {url, db, stop()}. */
function serve(args) {
  const db = copyDb();
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['serve', '--db', db, '--port', '0', '--ui', '/nonexistent', '--bind', '127.0.0.1', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const grab = (d) => {
      out += d;
      const m = /http:\/\/[\d.]+:(\d+)\//.exec(out);
      if (m && m[1] !== '0') {
        resolve({ port: Number(m[1]), db, out: () => out, stop: () => new Promise((r) => { p.on('close', r); p.kill('SIGTERM'); }) });
      }
    };
    p.stdout.on('data', grab);
    p.stderr.on('data', grab);
    p.on('close', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/** POST /session from a chosen source address with extra headers. */
function loginFrom(port, from, headers, username, password) {
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/session', method: 'POST', localAddress: from,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const auditIps = (db, username) => sqlite(db, `SELECT ip FROM audit WHERE username = '${username}' ORDER BY id`).stdout.trim().split('\n');
const cookieOf = (r) => (r.headers['set-cookie'] || []).find((c) => c.startsWith('zc_session=')) || '';

test('from an address that is not a trusted proxy, a spoofed X-Forwarded-For changes nothing: throttle, lockout and audit see the real address', async () => {
  const s = await serve(['--trusted-proxy', PROXY, '--policy-dir', policyWithBurst(3)]);
  try {
    const name = uniq('nobody');
    const answers = [];
    for (let i = 1; i <= 4; i++) {
      answers.push(await loginFrom(s.port, DIRECT, { 'X-Forwarded-For': `203.0.113.${i}` }, `${name}${i}`, 'Wrong#pass1'));
    }
    assert.deepEqual(answers.map((r) => r.status), [401, 401, 401, 429], answers.map((r) => r.text).join('\n'));
    assert.ok(Number(answers[3].headers['retry-after']) > 0);
    assert.deepEqual(auditIps(s.db, `${name}1`), [DIRECT], 'the audit has the real address, not the claimed one');
    // the same from the proxy: each forwarded client has a throttle of its own
    const viaProxy = [];
    for (let i = 1; i <= 4; i++) {
      viaProxy.push(await loginFrom(s.port, PROXY, { 'X-Forwarded-For': `198.51.100.${i}` }, `${name}p${i}`, 'Wrong#pass1'));
    }
    assert.deepEqual(viaProxy.map((r) => r.status), [401, 401, 401, 401], viaProxy.map((r) => r.text).join('\n'));
    assert.deepEqual(auditIps(s.db, `${name}p2`), ['198.51.100.2'], 'the audit has the forwarded client');
    // a client behind the proxy is throttled on its own address: its 4th failure is refused
    const one = [];
    for (let i = 1; i <= 4; i++) one.push(await loginFrom(s.port, PROXY, { 'X-Forwarded-For': '198.51.100.77' }, `${name}q${i}`, 'Wrong#pass1'));
    assert.deepEqual(one.map((r) => r.status), [401, 401, 401, 429]);
  } finally {
    await s.stop();
  }
});

test('through a trusted proxy, only the rightmost untrusted hop counts: what the client wrote to the left is ignored', async () => {
  const s = await serve(['--trusted-proxy', `10.1.0.0/16,${PROXY}`]);
  try {
    const name = uniq('chain');
    // the client claims 1.2.3.4; nginx appended the address it saw, 198.51.100.9; an inner proxy 10.1.2.3
    await loginFrom(s.port, PROXY, { 'X-Forwarded-For': '1.2.3.4, 198.51.100.9, 10.1.2.3' }, name, 'Wrong#pass1');
    assert.deepEqual(auditIps(s.db, name), ['198.51.100.9']);
    // a header that is not an address is ignored: the peer's own address is used
    const junk = uniq('junk');
    await loginFrom(s.port, PROXY, { 'X-Forwarded-For': 'not-an-address' }, junk, 'Wrong#pass1');
    assert.deepEqual(auditIps(s.db, junk), [PROXY]);
  } finally {
    await s.stop();
  }
});

test('the cookie is Secure, and HSTS sent, only when a trusted proxy says the browser spoke https', async () => {
  const s = await serve(['--trusted-proxy', PROXY]);
  try {
    const https = await loginFrom(s.port, PROXY, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.20' }, 'cadre1', DEMO_PASSWORD);
    assert.equal(https.status, 200, https.text);
    assert.match(cookieOf(https), /; Secure/);
    assert.match(https.headers['strict-transport-security'] || '', /max-age=\d+/);
    const plain = await loginFrom(s.port, PROXY, { 'X-Forwarded-For': '198.51.100.21' }, 'shazhouba_sec', DEMO_PASSWORD);
    assert.equal(plain.status, 200, plain.text);
    assert.doesNotMatch(cookieOf(plain), /Secure/, 'the proxy did not say https');
    assert.equal(plain.headers['strict-transport-security'], undefined);
    const spoofed = await loginFrom(s.port, DIRECT, { 'X-Forwarded-Proto': 'https' }, 'cadre1', DEMO_PASSWORD);
    assert.equal(spoofed.status, 200, spoofed.text);
    assert.doesNotMatch(cookieOf(spoofed), /Secure/, 'not believed from an untrusted peer');
    assert.equal(spoofed.headers['strict-transport-security'], undefined);
  } finally {
    await s.stop();
  }
});

test('without --trusted-proxy the headers are never believed, and --secure-cookie still makes every cookie Secure', async () => {
  const s = await serve(['--secure-cookie']);
  try {
    const name = uniq('direct');
    const r = await loginFrom(s.port, PROXY, { 'X-Forwarded-For': '203.0.113.50', 'X-Forwarded-Proto': 'http' }, name, 'Wrong#pass1');
    assert.equal(r.status, 401);
    assert.deepEqual(auditIps(s.db, name), [PROXY]);
    const ok = await loginFrom(s.port, PROXY, {}, 'cadre1', DEMO_PASSWORD);
    assert.match(cookieOf(ok), /; Secure/);
  } finally {
    await s.stop();
  }
});

test('a bad --trusted-proxy is refused at start (exit 2) with the entry named', () => {
  for (const bad of ['127.0.0.1,banana', '10.0.0.0/33', '::1/129']) {
    const r = zhucun(['serve', '--db', copyDb(), '--port', '0', '--trusted-proxy', bad], { timeout: 15000 });
    assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /trusted proxy '/);
  }
});
