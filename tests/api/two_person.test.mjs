// F3 of the security review (2026-12): 三权分立 was walked around — the system administrator created an
// org_city account with a password it chose (or the security administrator reset one), logged in as it
// and revealed ID numbers. Now a new or reset credential needs both administrators (split knowledge):
// the proposer's part + the approver's part, made by the server and shown once; the account must set
// its own password before any business request; the audit administrator sees an alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, enrolSecondFactor, list, login, loginRaw, strongPassword, uniq } from './lib.mjs';

const newOrgCity = (password) => ({ username: uniq('oc'), display_name: '市委组织部测试', role: 'org_city',
  region_code: '3607', password });

test('the reviewer\'s chain: sysadmin creates an org_city account with its own password, and cannot log in as it', async () => {
  const sys = await as('sysadmin');
  const chosen = strongPassword();
  const body = newOrgCity(chosen);
  const r = await api('POST', '/api/v1/users', { session: sys, body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.pending_approval, 'create');
  assert.ok(r.body.must_change_password);
  assertError(await loginRaw(body.username, chosen), 401, 'login_failed');
  // nor can sysadmin approve its own proposal
  assertError(await api('POST', `/api/v1/users/${r.body.id}/approve`, { session: sys }), 403, 'two_person_rule');
  // secadmin approves: its part alone does not work either, nor does the proposer's
  const ok = await api('POST', `/api/v1/users/${r.body.id}/approve`, { session: await as('secadmin') });
  assert.equal(ok.status, 200, ok.text);
  const part = ok.body.password_part;
  assert.match(part, /^[A-Za-z0-9]{10}$/);
  assert.equal(ok.body.pending_approval, null);
  assertError(await loginRaw(body.username, chosen), 401, 'login_failed');
  assertError(await loginRaw(body.username, part), 401, 'login_failed');
  // both parts: a session that can do nothing but set its own password
  const s = await login(body.username, chosen + part);
  assert.ok(s.user.must_change_password);
  assertError(await api('GET', '/api/v1/cadres/5/id-number', { session: s }), 403, 'password_change_required');
  assertError(await api('GET', '/api/v1/cadres', { session: s }), 403, 'password_change_required');
  const own = strongPassword();
  assert.equal((await api('POST', '/api/v1/session/password', { session: s, body: { old_password: chosen + part, new_password: own } })).status, 204);
  // then, an org_city account, its own second factor (两步验证) before anything else
  assertError(await api('GET', '/api/v1/cadres?page_size=1', { session: s }), 403, 'second_factor_required');
  await enrolSecondFactor(s);
  assert.equal((await api('GET', '/api/v1/cadres?page_size=1', { session: s })).status, 200);
  // approving twice: nothing left to approve
  assertError(await api('POST', `/api/v1/users/${r.body.id}/approve`, { session: await as('secadmin') }), 409, 'nothing_to_approve');
});

test('a reset by secadmin is approved by sysadmin, never by secadmin; until then no password works', async () => {
  const u = await createUser();
  const sec = await as('secadmin');
  const temp = strongPassword();
  const r = await api('POST', `/api/v1/users/${u.id}/reset-password`, { session: sec, body: { password: temp } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.pending_approval, 'reset');
  for (const pw of [u.password, temp]) assertError(await loginRaw(u.username, pw), 401, 'login_failed');
  assertError(await api('POST', `/api/v1/users/${u.id}/approve`, { session: sec }), 403, 'two_person_rule');
  const ok = await api('POST', `/api/v1/users/${u.id}/approve`, { session: await as('sysadmin') });
  assert.equal(ok.status, 200, ok.text);
  const s = await login(u.username, temp + ok.body.password_part);
  assert.ok(s.user.must_change_password);
  // other roles cannot approve anything
  for (const who of ['auditadmin', 'city_org']) {
    assertError(await api('POST', `/api/v1/users/${u.id}/approve`, { session: await as(who) }), 403, 'forbidden');
  }
});

test('each issued credential raises alert.credential_issued in the audit log, naming both administrators', async () => {
  const u = await createUser();
  const audit = await as('auditadmin');
  const rows = (await list(audit, '/api/v1/audit?action=alert.credential_issued')).items;
  const row = rows.find((x) => x.entity_id === String(u.id));
  assert.ok(row, 'the alert is in the audit log');
  const detail = JSON.parse(row.detail);
  assert.equal(detail.kind, 'create');
  const users = (await list(await as('secadmin'), '/api/v1/users?role=sys_admin')).items;
  assert.equal(detail.proposed_by, users[0].id, 'proposed by the system administrator');
  assert.equal(row.username, 'secadmin', 'approved by the security administrator');
  // the parts of the password are never in the audit log
  assert.ok(!row.detail.includes(u.initial.slice(-10)));
});
