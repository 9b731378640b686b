// 两步验证 — the TOTP second factor (issue 17, F2 of the 2026-12 review: no second factor for anyone,
// while 等保2.0 三级 身份鉴别 d asks two factors of administrators). The roles of
// policy/security.json's second_factor_roles must enrol before anything else; an enrolled account logs
// in with its password, then a code (POST /session/totp) or a recovery code; a code works once; a
// wrong code is a failed login of the (name, address) pair; the security administrator resets it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import {
  api, as, assertError, copyDb, createUser, DB, enrolSecondFactor, list, login, loginRaw, nextCode, sessionCookieOf,
  sqlite, stepAt, strongPassword, totpCode, URL_BASE, zhucun,
} from './lib.mjs';

const SECURITY = JSON.parse(readFileSync(new URL('../../policy/security.json', import.meta.url)));

/** A code of secret that is none of the three the server accepts now. */
function codeOutsideWindow(secret) {
  const good = [-1, 0, 1].map((d) => totpCode(secret, stepAt() + d));
  for (let d = 5; ; d++) { const c = totpCode(secret, stepAt() + d); if (!good.includes(c)) return c; }
}

/** POST path from a chosen source address (127.0.x.y), so that a lock stays on this test's pair. */
function postFrom(addr, path, body) {
  const { hostname, port } = new URL(URL_BASE);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: 'POST', localAddress: addr,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { out += d; });
      res.on('end', () => { let json = null; try { json = JSON.parse(out); } catch { /* not JSON */ } resolve({ status: res.statusCode, body: json, text: out }); });
    });
    req.on('error', reject);
    req.end(text);
  });
}

const secondStep = (pending, fields) => api('POST', '/api/v1/session/totp', { body: { pending_token: pending, ...fields } });

async function auditActions(username) {
  return (await list(await as('auditadmin'), `/api/v1/audit?user=${username}`)).items.map((x) => x.action);
}

test('policy: the three administrators and the city and county departments must use the second factor', () => {
  assert.deepEqual([...SECURITY.second_factor_roles].sort(),
    ['audit_admin', 'org_city', 'org_county', 'rrb_city', 'rrb_county', 'sec_admin', 'sys_admin']);
});

test('a required role may do nothing but enrol; enrolment shows a QR URI, takes a first code and gives 10 recovery codes once', async () => {
  const u = await createUser({ role: 'org_county', region_code: '360781', display_name: '县委组织部测试' }, { changePassword: false });
  const s = await login(u.username, u.initial);
  const own = strongPassword();
  assert.equal((await api('POST', '/api/v1/session/password', { session: s, body: { old_password: u.initial, new_password: own } })).status, 204);
  const me = await api('GET', '/api/v1/session', { session: s });
  assert.equal(me.body.user.must_enrol_second_factor, true);
  assertError(await api('GET', '/api/v1/regions', { session: s }), 403, 'second_factor_required');
  assertError(await api('GET', '/api/v1/cadres', { session: s }), 403, 'second_factor_required');
  assertError(await api('POST', '/api/v1/session/reauth', { session: s, body: { password: own } }), 403, 'second_factor_required');
  const status = await api('GET', '/api/v1/session/second-factor', { session: s });
  assert.equal(status.status, 200);
  assert.deepEqual(status.body, { enrolled: false, started: false, required: true, recovery_codes_left: 0 });
  assertError(await api('POST', '/api/v1/session/second-factor/confirm', { session: s, body: { code: '123456' } }), 409, 'second_factor_not_started');

  const start = await api('POST', '/api/v1/session/second-factor', { session: s });
  assert.equal(start.status, 200, start.text);
  assert.match(start.body.secret, /^[A-Z2-7]{32}$/);
  assert.equal(start.body.otpauth_uri,
    `otpauth://totp/${encodeURIComponent('赣州驻村帮扶')}:${u.username}?secret=${start.body.secret}&issuer=${encodeURIComponent('赣州驻村帮扶')}&algorithm=SHA1&digits=6&period=30`);
  assertError(await api('POST', '/api/v1/session/second-factor/confirm', { session: s, body: { code: codeOutsideWindow(start.body.secret) } }), 400, 'second_factor_failed', 'code');
  assertError(await api('POST', '/api/v1/session/second-factor/confirm', { session: s, body: { code: '12a456' } }), 400, 'field_invalid', 'code');
  assertError(await api('GET', '/api/v1/regions', { session: s }), 403, 'second_factor_required');
  const ok = await api('POST', '/api/v1/session/second-factor/confirm', { session: s, body: { code: totpCode(start.body.secret, stepAt()) } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.recovery_codes.length, 10);
  for (const c of ok.body.recovery_codes) assert.match(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  assert.equal(new Set(ok.body.recovery_codes).size, 10);
  // now the same session may work, and the factor cannot be started again by the user
  assert.equal((await api('GET', '/api/v1/regions', { session: s })).status, 200);
  assertError(await api('POST', '/api/v1/session/second-factor', { session: s }), 409, 'second_factor_enrolled');
  const after = await api('GET', '/api/v1/session/second-factor', { session: s });
  assert.deepEqual(after.body, { enrolled: true, started: false, required: true, recovery_codes_left: 10 });
  const actions = await auditActions(u.username);
  assert.ok(actions.includes('user.second_factor_started') && actions.includes('user.second_factor_enrolled'), actions.join(','));
});

test('login of an enrolled account: password, then a code; a wrong code and a used code are refused', async () => {
  const u = await createUser({ role: 'rrb_county', region_code: '360781', display_name: '县乡村振兴局测试' });
  assert.ok(u.secret, 'createUser enrolled the required role');
  const first = await loginRaw(u.username, u.password);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.second_factor_required, true);
  assert.match(first.body.pending_token, /^[0-9a-f]{64}$/);
  assert.equal(first.body.expires_in_seconds, SECURITY.second_factor_pending_minutes * 60);
  assert.equal(sessionCookieOf(first), null, 'no session before the second step');
  assert.ok(!('user' in first.body));

  assertError(await secondStep(first.body.pending_token, { code: codeOutsideWindow(u.secret) }), 401, 'second_factor_failed');
  assertError(await secondStep(first.body.pending_token, {}), 400, 'field_required');
  assertError(await secondStep('a'.repeat(64), { code: '123456' }), 401, 'second_factor_expired');
  const code = nextCode(u.username);
  const ok = await secondStep(first.body.pending_token, { code });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.user.username, u.username);
  assert.ok(sessionCookieOf(ok)?.value, 'the session comes with the second step');
  // the pending login is spent, and the same code is refused on a new one: replay
  assertError(await secondStep(first.body.pending_token, { code }), 401, 'second_factor_expired');
  const again = await loginRaw(u.username, u.password);
  assertError(await secondStep(again.body.pending_token, { code }), 401, 'second_factor_failed');
  // a later code still works
  assert.equal((await secondStep(again.body.pending_token, { code: nextCode(u.username) })).status, 200);
  const actions = await auditActions(u.username);
  assert.ok(actions.includes('session.password_ok') && actions.includes('session.login_failed'), actions.join(','));
});

test('a recovery code logs in once; re-authentication before a reveal takes a code', async () => {
  const u = await createUser({ role: 'org_city', region_code: '3607', display_name: '市委组织部恢复码测试' }, { changePassword: false });
  const s = await login(u.username, u.initial);
  const own = strongPassword();
  assert.equal((await api('POST', '/api/v1/session/password', { session: s, body: { old_password: u.initial, new_password: own } })).status, 204);
  const { recovery_codes: codes, secret } = await enrolSecondFactor(s);
  const p1 = await loginRaw(u.username, own);
  const r1 = await secondStep(p1.body.pending_token, { recovery_code: codes[3].toUpperCase().replace('-', ' ') });
  assert.equal(r1.status, 200, r1.text);
  const p2 = await loginRaw(u.username, own);
  assertError(await secondStep(p2.body.pending_token, { recovery_code: codes[3] }), 401, 'second_factor_failed');
  assertError(await secondStep(p2.body.pending_token, { recovery_code: 'abcde-fghjk' }), 401, 'second_factor_failed');
  const left = await api('GET', '/api/v1/session/second-factor', { session: s });
  assert.equal(left.body.recovery_codes_left, 9);
  // reauth: a wrong code is refused, a fresh one opens the reveal
  assertError(await api('GET', '/api/v1/cadres/5/id-number', { session: s }), 403, 'reauth_required');
  assertError(await api('POST', '/api/v1/session/reauth', { session: s, body: { code: codeOutsideWindow(secret) } }), 400, 'second_factor_failed', 'code');
  assertError(await api('GET', '/api/v1/cadres/5/id-number', { session: s }), 403, 'reauth_required');
  assert.equal((await api('POST', '/api/v1/session/reauth', { session: s, body: { code: nextCode(u.username) } })).status, 204);
  assert.equal((await api('GET', '/api/v1/cadres/5/id-number', { session: s })).status, 200);
  // an account without the factor cannot reauthenticate by code
  const town = await as('shazhouba_sec');
  assertError(await api('POST', '/api/v1/session/reauth', { session: town, body: { code: '123456' } }), 400, 'second_factor_not_enrolled', 'code');
});

test('wrong codes count towards the lock of the (name, address) pair; the pending login is bound to its address', async () => {
  const u = await createUser({ role: 'org_county', region_code: '360781', display_name: '县委组织部锁定测试' });
  const addr = '127.0.17.1';
  const first = await postFrom(addr, '/api/v1/session', { username: u.username, password: u.password });
  assert.equal(first.body.second_factor_required, true, first.text);
  // the token does not travel to another address (the code is not spent: the server never judged it)
  const right = totpCode(u.secret, stepAt());
  assertError(await secondStep(first.body.pending_token, { code: right }), 401, 'second_factor_expired');
  const wrong = codeOutsideWindow(u.secret);
  let last;
  for (let i = 0; i < SECURITY.lockout_attempts; i++) {
    last = await postFrom(addr, '/api/v1/session/totp', { pending_token: first.body.pending_token, code: wrong });
  }
  assert.equal(last.status, 423, last.text);
  assert.equal(last.body.error.code, 'account_locked');
  // locked: even a right code from that address is refused now
  const locked = await postFrom(addr, '/api/v1/session/totp', { pending_token: first.body.pending_token, code: right });
  assert.equal(locked.status, 423, locked.text);
  // from another address the real user still gets in
  assert.equal((await login(u.username, u.password)).user.username, u.username);
  assert.ok((await auditActions(u.username)).includes('session.locked'));
});

test('the security administrator resets a second factor: sessions end, the account must enrol again', async () => {
  const u = await createUser({ role: 'org_county', region_code: '360781', display_name: '县委组织部重置测试' });
  const s = await login(u.username, u.password);
  const sec = await as('secadmin');
  assertError(await api('POST', `/api/v1/users/${u.id}/second-factor/reset`, { session: await as('sysadmin') }), 403, 'forbidden');
  const r = await api('POST', `/api/v1/users/${u.id}/second-factor/reset`, { session: sec });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.second_factor_enrolled, false);
  assertError(await api('GET', '/api/v1/regions', { session: s }), 401, 'unauthenticated');
  assertError(await api('POST', `/api/v1/users/${u.id}/second-factor/reset`, { session: sec }), 409, 'second_factor_not_enrolled');
  const users = (await list(sec, `/api/v1/users?q=${u.username}`)).items;
  assert.equal(users[0].second_factor_enrolled, false);
  // the password alone now opens a session, which may only enrol
  const back = await login(u.username, u.password);
  assert.equal(back.user.must_enrol_second_factor, true);
  assertError(await api('GET', '/api/v1/regions', { session: back }), 403, 'second_factor_required');
  await enrolSecondFactor(back);
  assert.equal((await api('GET', '/api/v1/regions', { session: back })).status, 200);
  const reset = (await list(await as('auditadmin'), '/api/v1/audit?action=user.second_factor_reset')).items;
  assert.ok(reset.some((x) => x.entity_id === String(u.id) && x.username === 'secadmin'), JSON.stringify(reset.slice(0, 3)));
});

test('an optional role may turn the second factor on; its login then asks for a code', async () => {
  const u = await createUser({ role: 'township_secretary', region_code: '360781101' });
  const s = await login(u.username, u.password);
  assert.equal(s.user.must_enrol_second_factor, false);
  assert.equal(s.user.second_factor_required, false);
  assert.equal((await api('GET', '/api/v1/regions', { session: s })).status, 200);
  await enrolSecondFactor(s);
  const first = await loginRaw(u.username, u.password);
  assert.equal(first.body.second_factor_required, true);
  assert.equal((await secondStep(first.body.pending_token, { code: nextCode(u.username) })).status, 200);
});

test('demo administrators log in with the second step', async () => {
  const first = await loginRaw('secadmin');
  assert.equal(first.status, 200);
  assert.equal(first.body.second_factor_required, true);
  assert.equal(sessionCookieOf(first), null);
  const s = await as('secadmin');
  assert.equal(s.user.second_factor_enrolled, true);
});

test('the secret is kept encrypted; an administrator\'s factor is reset at the console', async () => {
  const u = await createUser({ role: 'rrb_city', region_code: '3607', display_name: '市乡村振兴局密钥测试' });
  const hex = sqlite(DB, `SELECT hex(secret_cipher) FROM user_totp WHERE user_id = ${u.id}`).stdout.trim();
  assert.ok(hex.length > 80, `a cipher text: ${hex}`);
  assert.ok(!Buffer.from(hex, 'hex').toString('latin1').includes(u.secret), 'the secret is not stored as text');
  const copy = copyDb();
  const r = zhucun(['user', 'reset-second-factor', '--username', 'secadmin', '--db', copy]);
  assert.equal(r.status, 0, r.stderr);
  const left = sqlite(copy, "SELECT count(*) FROM user_totp t JOIN \"user\" u ON u.id = t.user_id WHERE u.username = 'secadmin'");
  assert.equal(left.stdout.trim(), '0');
  const audit = sqlite(copy, "SELECT count(*) FROM audit WHERE action = 'user.second_factor_reset' AND entity_id = 'secadmin'");
  assert.equal(audit.stdout.trim(), '1');
});
