// Session: login, cookie attributes, logout, forced password change, password rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertError, createUser, login, loginFull, loginRaw, sessionCookieOf, uniq, DEMO_PASSWORD } from './lib.mjs';
import { readFileSync } from 'node:fs';

const SECURITY = JSON.parse(readFileSync(new URL('../../policy/security.json', import.meta.url)));

test('login sets an HttpOnly SameSite=Strict zc_session cookie and returns csrf_token, user and menu', async () => {
  const res = await loginFull('city_org'); // password, then the code of the second factor
  assert.equal(res.status, 200, res.text);
  const c = sessionCookieOf(res);
  assert.ok(c, 'no zc_session cookie');
  assert.ok(c.value.length >= 32, 'session token too short');
  assert.match(c.header, /;\s*HttpOnly/i);
  assert.match(c.header, /;\s*SameSite=Strict/i);
  assert.match(c.header, /;\s*Path=\//);
  assert.equal(typeof res.body.csrf_token, 'string');
  assert.ok(res.body.csrf_token.length >= 16);
  assert.notEqual(res.body.csrf_token, c.value, 'csrf token must not be the session token');
  assert.equal(res.body.user.username, 'city_org');
  assert.equal(res.body.user.role, 'org_city');
  assert.equal(res.body.user.region_code, '3607');
  assert.ok(!res.body.user.must_change_password);
  assert.ok(!('password_hash' in res.body.user));
  assert.ok(Array.isArray(res.body.menu));
  assert.ok(res.body.menu.includes('regions'));
  assert.ok(res.body.menu.includes('cadres'));
  assert.ok(!res.body.menu.includes('audit'), 'org_city must not see the audit menu');
  assert.ok(!res.body.menu.includes('users'));

  const again = await api('GET', '/api/v1/session', { session: { cookie: c.value } });
  assert.equal(again.status, 200);
  assert.equal(again.body.user.username, 'city_org');
  assert.equal(again.body.csrf_token, res.body.csrf_token);
});

test('the menu follows the role', async () => {
  const audit = await login('auditadmin');
  assert.ok(audit.menu.includes('audit'));
  assert.ok(!audit.menu.includes('cadres'));
  const cadre = await login('cadre1');
  assert.ok(!cadre.menu.includes('regions'));
  assert.ok(!cadre.menu.includes('users'));
  // issue 14: a cadre sees only their own screens, not the managers' lists holding one row of their own
  assert.deepEqual(cadre.menu, ['home', 'checkin', 'discipline', 'leaves', 'reports', 'villages', 'visits',
    'cases', 'village_work', 'plans', 'evaluations', 'allowances', 'basis']);
  const town = await login('shazhouba_sec');
  for (const k of ['cadres', 'assignments', 'presence', 'compliance', 'funds', 'training']) {
    assert.ok(town.menu.includes(k), `the township keeps ${k}: ${town.menu}`);
  }
});

test('wrong password and unknown user get the same 401 login_failed and the same message', async () => {
  const wrong = await loginRaw('shazhouba_dep', 'Wrong#Pass123');
  assertError(wrong, 401, 'login_failed');
  assert.equal(sessionCookieOf(wrong)?.value || '', '', 'no session cookie on failure');
  const unknown = await loginRaw(uniq('nobody'), 'Wrong#Pass123');
  assertError(unknown, 401, 'login_failed');
  assert.equal(unknown.body.error.message, wrong.body.error.message);
  assert.equal(unknown.body.error.field, wrong.body.error.field);
  // clear the failure count of shazhouba_dep so no other test is near a lockout
  const ok = await loginRaw('shazhouba_dep');
  assert.equal(ok.status, 200);
});

test('login with missing fields → 400; login with an unknown field → 400 field_unknown', async () => {
  const r1 = await api('POST', '/api/v1/session', { body: { username: 'city_org' } });
  assertError(r1, 400, 'field_required', 'password');
  const r2 = await api('POST', '/api/v1/session', { body: { username: 'city_org', password: DEMO_PASSWORD, x: 1 } });
  assertError(r2, 400, 'field_unknown', 'x');
});

test('GET /session without a cookie → 401 unauthenticated; a made-up cookie too', async () => {
  assertError(await api('GET', '/api/v1/session'), 401, 'unauthenticated');
  assertError(await api('GET', '/api/v1/session', { session: { cookie: 'f'.repeat(64) } }), 401, 'unauthenticated');
  assertError(await api('GET', '/api/v1/regions'), 401, 'unauthenticated');
});

// (a township account: the accounts with the second factor have only three codes at the pinned instant)
test('logout ends the session: the old cookie then gets 401', async () => {
  const s = await login('xianghu_sec');
  assert.equal((await api('GET', '/api/v1/regions', { session: s })).status, 200);
  const out = await api('DELETE', '/api/v1/session', { session: s });
  assert.equal(out.status, 204, out.text);
  const c = sessionCookieOf(out);
  assert.ok(c, 'logout clears the cookie');
  assert.equal(c.value, '');
  assertError(await api('GET', '/api/v1/session', { session: s }), 401, 'unauthenticated');
  assertError(await api('GET', '/api/v1/regions', { session: s }), 401, 'unauthenticated');
});

test('logout of one session leaves the other sessions of the user alive', async () => {
  const a = await login('xianghu_sec');
  const b = await login('xianghu_sec');
  assert.notEqual(a.cookie, b.cookie);
  assert.equal((await api('DELETE', '/api/v1/session', { session: a })).status, 204);
  assert.equal((await api('GET', '/api/v1/session', { session: b })).status, 200);
});

test('a new user must change the password before anything else', async () => {
  const u = await createUser({}, { changePassword: false });
  const s = await login(u.username, u.initial);
  assert.ok(s.user.must_change_password, 'must_change_password is set at first login');
  assertError(await api('GET', '/api/v1/regions', { session: s }), 403, 'password_change_required');
  assertError(await api('GET', '/api/v1/units', { session: s }), 403, 'password_change_required');
  assertError(await api('GET', '/api/v1/roles', { session: s }), 403, 'password_change_required');
  // GET /session is allowed and says so
  const me = await api('GET', '/api/v1/session', { session: s });
  assert.equal(me.status, 200);
  assert.ok(me.body.user.must_change_password);

  const newPw = 'Ab3$' + uniq('p').slice(-8) + 'x';
  const ch = await api('POST', '/api/v1/session/password', {
    session: s, body: { old_password: u.initial, new_password: newPw },
  });
  assert.equal(ch.status, 204, ch.text);
  const after = await api('GET', '/api/v1/regions', { session: s });
  assert.equal(after.status, 200, after.text);
  assert.deepEqual(after.body.items.map((r) => r.code), ['360781101']);
  const me2 = await api('GET', '/api/v1/session', { session: s });
  assert.ok(!me2.body.user.must_change_password);
  // the old password no longer works, the new one does
  assertError(await loginRaw(u.username, u.initial), 401, 'login_failed');
  assert.equal((await loginRaw(u.username, newPw)).status, 200);
});

test('changing the password ends the other sessions of the user', async () => {
  const u = await createUser();
  const a = await login(u.username, u.password);
  const b = await login(u.username, u.password);
  const ch = await api('POST', '/api/v1/session/password', {
    session: a, body: { old_password: u.password, new_password: 'Zz9!' + uniq('n') },
  });
  assert.equal(ch.status, 204, ch.text);
  assert.equal((await api('GET', '/api/v1/session', { session: a })).status, 200, 'the changing session stays');
  assertError(await api('GET', '/api/v1/session', { session: b }), 401, 'unauthenticated');
});

test('password rules: too short, too few classes, containing the username → 400 field new_password', async () => {
  const u = await createUser();
  const s = await login(u.username, u.password);
  const bad = [
    ['Ab1!x', 'password_too_short'],
    ['abcdefghijk', 'password_too_few_classes'],
    ['abcdefgh12', 'password_too_few_classes'],
    [`X1!${u.username}`, 'password_contains_username'],
    [`X1!${u.username.toUpperCase()}`, 'password_contains_username'],
  ];
  for (const [pw, code] of bad) {
    const r = await api('POST', '/api/v1/session/password', { session: s, body: { old_password: u.password, new_password: pw } });
    assertError(r, 400, code, 'new_password');
    // the message names what to meet (issue 14: not only 「密码长度不足」)
    if (code !== 'password_contains_username') {
      assert.match(r.body.error.message, new RegExp(`至少 ${SECURITY.password_min_length} 位`), r.body.error.message);
    }
  }
  // same as old
  const same = await api('POST', '/api/v1/session/password', { session: s, body: { old_password: u.password, new_password: u.password } });
  assertError(same, 400, 'password_reused', 'new_password');
  // nothing changed: the old password still logs in
  assert.equal((await loginRaw(u.username, u.password)).status, 200);
});

test('password change with a wrong old password → 400 and nothing changes', async () => {
  const u = await createUser();
  const s = await login(u.username, u.password);
  const newPw = 'Wq8&' + uniq('z');
  const r = await api('POST', '/api/v1/session/password', { session: s, body: { old_password: 'Not#The0ld1', new_password: newPw } });
  assertError(r, 400, 'password_wrong', 'old_password');
  assert.equal((await loginRaw(u.username, u.password)).status, 200);
  assertError(await loginRaw(u.username, newPw), 401, 'login_failed');
});

test('password change needs the CSRF token', async () => {
  const u = await createUser();
  const s = await login(u.username, u.password);
  const r = await api('POST', '/api/v1/session/password', {
    session: s, csrf: null, body: { old_password: u.password, new_password: 'Pp5%' + uniq('c') },
  });
  assertError(r, 403, 'csrf_required');
  assert.equal((await loginRaw(u.username, u.password)).status, 200);
});
