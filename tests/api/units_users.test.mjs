// Units (create, read, patch, search, Excel) and accounts (create, roles, reset, disable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, approveCredential, as, assertError, createUser, list, login, loginRaw, strongPassword, uniq } from './lib.mjs';

test('ruijin_org creates, reads, patches and finds a county unit', async () => {
  const s = await as('ruijin_org');
  const name = `瑞金市测试局${uniq('')}`;
  const c = await api('POST', '/api/v1/units', { session: s, body: { name, level: 'county', type: 'party_gov', region_code: '360781' } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.name, name);
  assert.equal(c.body.level, 'county');
  assert.equal(c.body.region_code, '360781');
  assert.ok(Number.isInteger(c.body.id));

  const g = await api('GET', `/api/v1/units/${c.body.id}`, { session: s });
  assert.equal(g.status, 200);
  assert.equal(g.body.name, name);
  assert.equal(g.body.type, 'party_gov');

  const parent = (await list(s, '/api/v1/units?region=360781')).items.find((u) => u.id !== c.body.id);
  const newName = `${name}改`;
  const p = await api('PATCH', `/api/v1/units/${c.body.id}`, { session: s, body: { name: newName, type: 'institution', parent_id: parent.id } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.name, newName);
  assert.equal(p.body.type, 'institution');
  assert.equal(p.body.parent_id, parent.id);
  assert.equal(p.body.level, 'county', 'untouched fields stay');
  const g2 = await api('GET', `/api/v1/units/${c.body.id}`, { session: s });
  assert.equal(g2.body.name, newName);

  const q = await api('GET', `/api/v1/units?q=${encodeURIComponent(newName)}`, { session: s });
  assert.equal(q.status, 200);
  assert.equal(q.body.total, 1);
  assert.equal(q.body.items[0].id, c.body.id);
  // the city sees it too; another county does not
  const city = await as('city_org');
  assert.equal((await api('GET', `/api/v1/units/${c.body.id}`, { session: city })).status, 200);
  // a unit cannot become its own parent
  const cyc = await api('PATCH', `/api/v1/units/${c.body.id}`, { session: s, body: { parent_id: c.body.id } });
  assertError(cyc, 400, 'field_invalid', 'parent_id');
});

test('township and unit roles cannot create units (403)', async () => {
  for (const who of ['xianghu_sec', 'unit_leader1', 'sysadmin']) {
    const s = await as(who);
    const name = `越权单位${uniq('')}`;
    const r = await api('POST', '/api/v1/units', { session: s, body: { name, level: 'county', type: 'other', region_code: '360781' } });
    assertError(r, 403, 'forbidden');
  }
});

test('Excel export of units: xlsx content type, attachment, body starting with PK', async () => {
  const s = await as('ruijin_org');
  const r = await api('GET', '/api/v1/units?format=xlsx', { session: s });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition') || '', /^attachment/);
  assert.equal(r.buffer.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(r.buffer.length > 200);
  // an unpermitted role gets no file
  const c = await api('GET', '/api/v1/units?format=xlsx', { session: await as('cadre1') });
  assertError(c, 403, 'forbidden');
});

test('sysadmin creates a township_secretary for 360781101 (201); a region of the wrong level → 400', async () => {
  const sys = await as('sysadmin');
  const username = uniq('ts');
  const r = await api('POST', '/api/v1/users', {
    session: sys, body: { username, display_name: '瑞林镇书记', role: 'township_secretary', region_code: '360781101', password: strongPassword() },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.username, username);
  assert.equal(r.body.role, 'township_secretary');
  assert.equal(r.body.region_code, '360781101');
  assert.ok(r.body.must_change_password);
  assert.ok(!('password' in r.body) && !('password_hash' in r.body));

  for (const region of ['360781', '360781101200', '3607']) {
    const u2 = uniq('ts');
    const bad = await api('POST', '/api/v1/users', {
      session: sys, body: { username: u2, display_name: 'x', role: 'township_secretary', region_code: region, password: strongPassword() },
    });
    assertError(bad, 400, 'field_invalid', 'region_code');
    assert.equal((await list(sys, `/api/v1/users?q=${u2}`)).total, 0);
  }
  // a duplicate user name → 409
  const dup = await api('POST', '/api/v1/users', {
    session: sys, body: { username, display_name: 'x', role: 'township_secretary', region_code: '360781101', password: strongPassword() },
  });
  assertError(dup, 409, 'conflict');
  // only sysadmin creates accounts
  const sec = await as('secadmin');
  const bySec = await api('POST', '/api/v1/users', {
    session: sec, body: { username: uniq('x'), display_name: 'x', role: 'township_secretary', region_code: '360781101', password: strongPassword() },
  });
  assertError(bySec, 403, 'forbidden');
});

test('creating an administrator account through the API → 403', async () => {
  const sys = await as('sysadmin');
  for (const role of ['sys_admin', 'sec_admin', 'audit_admin']) {
    const username = uniq('adm');
    const r = await api('POST', '/api/v1/users', { session: sys, body: { username, display_name: '管理员', role, password: strongPassword() } });
    assertError(r, 403, 'forbidden');
    assert.equal((await list(sys, `/api/v1/users?q=${username}`)).total, 0);
  }
  // nor can an administrator account be changed
  const users = (await list(sys, '/api/v1/users?role=audit_admin')).items;
  assert.equal(users.length, 1);
  const r = await api('PATCH', `/api/v1/users/${users[0].id}`, { session: sys, body: { disabled: true } });
  assertError(r, 403, 'forbidden');
  assert.equal((await loginRaw('auditadmin')).status, 200);
});

test('secadmin reset-password: the user must change the password at next login', async () => {
  const u = await createUser();
  const s = await login(u.username, u.password);
  const sec = await as('secadmin');
  const temp = strongPassword();
  const r = await api('POST', `/api/v1/users/${u.id}/reset-password`, { session: sec, body: { password: temp } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.must_change_password);
  assert.equal(r.body.pending_approval, 'reset');
  // the old session and password are gone
  assertError(await api('GET', '/api/v1/session', { session: s }), 401, 'unauthenticated');
  assertError(await loginRaw(u.username, u.password), 401, 'login_failed');
  // the reset password works only with the system administrator's part (two-person rule, F3)
  assertError(await loginRaw(u.username, temp), 401, 'login_failed');
  const full = temp + await approveCredential(u.id, 'sysadmin');
  const s2 = await login(u.username, full);
  assert.ok(s2.user.must_change_password);
  assertError(await api('GET', '/api/v1/regions', { session: s2 }), 403, 'password_change_required');
  const ch = await api('POST', '/api/v1/session/password', { session: s2, body: { old_password: full, new_password: strongPassword() } });
  assert.equal(ch.status, 204, ch.text);
  assert.equal((await api('GET', '/api/v1/regions', { session: s2 })).status, 200);
  // sysadmin may not reset passwords (三权分立); a weak password is refused
  const sys = await as('sysadmin');
  assertError(await api('POST', `/api/v1/users/${u.id}/reset-password`, { session: sys, body: { password: strongPassword() } }), 403, 'forbidden');
  assertError(await api('POST', `/api/v1/users/${u.id}/reset-password`, { session: sec, body: { password: 'short' } }), 400, 'password_too_short', 'password');
});

test('sysadmin disables a user: their session ends (401) and login fails', async () => {
  const u = await createUser();
  const s = await login(u.username, u.password);
  assert.equal((await api('GET', '/api/v1/regions', { session: s })).status, 200);
  const sys = await as('sysadmin');
  const d = await api('PATCH', `/api/v1/users/${u.id}`, { session: sys, body: { disabled: true } });
  assert.equal(d.status, 200, d.text);
  assert.ok(d.body.disabled);
  assertError(await api('GET', '/api/v1/regions', { session: s }), 401, 'unauthenticated');
  const l = await loginRaw(u.username, u.password);
  assertError(l, 401, 'login_failed');
  const unknown = await loginRaw(uniq('ghost'), u.password);
  assert.equal(l.body.error.message, unknown.body.error.message, 'a disabled account looks like any failure');
  // enabled again, the user can log in
  const e = await api('PATCH', `/api/v1/users/${u.id}`, { session: sys, body: { disabled: false } });
  assert.equal(e.status, 200);
  assert.equal((await loginRaw(u.username, u.password)).status, 200);
});

test('secadmin cannot disable users; sysadmin changes a display name', async () => {
  const u = await createUser();
  const sec = await as('secadmin');
  assertError(await api('PATCH', `/api/v1/users/${u.id}`, { session: sec, body: { disabled: true } }), 403, 'forbidden');
  assert.equal((await loginRaw(u.username, u.password)).status, 200);
  const sys = await as('sysadmin');
  const p = await api('PATCH', `/api/v1/users/${u.id}`, { session: sys, body: { display_name: '新名字' } });
  assert.equal(p.status, 200);
  assert.equal(p.body.display_name, '新名字');
  assertError(await api('PATCH', `/api/v1/users/${u.id}`, { session: sys, body: { role: 'org_city' } }), 400, 'field_unknown', 'role');
});

test('a unit role needs a unit; a cadre role needs a cadre', async () => {
  const sys = await as('sysadmin');
  const r1 = await api('POST', '/api/v1/users', { session: sys, body: { username: uniq('ul'), display_name: 'x', role: 'unit_hr', password: strongPassword() } });
  assertError(r1, 400, 'field_required', 'unit_id');
  const r2 = await api('POST', '/api/v1/users', { session: sys, body: { username: uniq('cd'), display_name: 'x', role: 'cadre', password: strongPassword() } });
  assertError(r2, 400, 'field_required', 'cadre_id');
  const r3 = await api('POST', '/api/v1/users', { session: sys, body: { username: uniq('nr'), display_name: 'x', role: 'no_such_role', password: strongPassword() } });
  assertError(r3, 400, 'field_invalid', 'role');
});
