// Lockout after repeated failures; unlock by the security administrator; audit rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, list, loginRaw } from './lib.mjs';

async function lockOut(u) {
  const answers = [];
  for (let i = 0; i < 6; i++) {
    const r = await loginRaw(u.username, `Wrong#${i}pass`);
    answers.push(r);
    if (r.status === 423) break;
  }
  const statuses = answers.map((r) => r.status);
  const first423 = statuses.indexOf(423);
  assert.ok(first423 === 4 || first423 === 5, `the 5th or 6th answer is 423, got ${statuses}`);
  for (const r of answers.slice(0, 4)) assertError(r, 401, 'login_failed');
  assertError(answers[first423], 423, 'account_locked');
  return answers;
}

test('5 wrong passwords lock the account; the right one then gets 423; secadmin unlocks', async () => {
  const u = await createUser();
  await lockOut(u);
  const right = await loginRaw(u.username, u.password);
  assertError(right, 423, 'account_locked');
  assert.ok(!/zc_session=[^;]/.test(right.headers.get('set-cookie') || ''), 'no session for a locked account');

  // the account shows as locked to the administrators
  const sec = await as('secadmin');
  const users = await list(sec, `/api/v1/users?q=${u.username}`);
  const row = users.items.find((x) => x.username === u.username);
  assert.ok(row, 'user listed');
  assert.ok(row.locked, 'user listed as locked');

  // only sec_admin may unlock
  const sys = await as('sysadmin');
  assertError(await api('POST', `/api/v1/users/${u.id}/unlock`, { session: sys }), 403, 'forbidden');
  assertError(await loginRaw(u.username, u.password), 423, 'account_locked');

  const un = await api('POST', `/api/v1/users/${u.id}/unlock`, { session: sec });
  assert.equal(un.status, 200, un.text);
  assert.ok(!un.body.locked);
  const ok = await loginRaw(u.username, u.password);
  assert.equal(ok.status, 200, ok.text);
});

test('a success resets the failure count (4 failures, success, 4 failures: not locked)', async () => {
  const u = await createUser();
  for (let i = 0; i < 4; i++) assertError(await loginRaw(u.username, 'Bad#pass1'), 401, 'login_failed');
  assert.equal((await loginRaw(u.username, u.password)).status, 200);
  for (let i = 0; i < 4; i++) assertError(await loginRaw(u.username, 'Bad#pass1'), 401, 'login_failed');
  assert.equal((await loginRaw(u.username, u.password)).status, 200);
});

test('the audit log has session.login_failed and session.locked rows for the locked user', async () => {
  const u = await createUser();
  await lockOut(u);
  const audit = await as('auditadmin');
  const rows = (await list(audit, `/api/v1/audit?user=${u.username}`)).items;
  assert.ok(rows.length >= 5, `rows: ${rows.length}`);
  for (const r of rows) assert.equal(r.username, u.username);
  const failed = rows.filter((r) => r.action === 'session.login_failed');
  const locked = rows.filter((r) => r.action === 'session.locked');
  assert.ok(failed.length >= 4, `login_failed rows: ${failed.length}`);
  assert.equal(locked.length, 1, 'one session.locked row');
  assert.equal(locked[0].entity, 'user');
  assert.equal(locked[0].entity_id, String(u.id));
  // filtered by action
  const byAction = (await list(audit, `/api/v1/audit?user=${u.username}&action=session.locked`)).items;
  assert.equal(byAction.length, 1);
  assert.equal(byAction[0].id, locked[0].id);
  // no password in the audit log
  for (const r of rows) assert.ok(!String(r.detail).includes('Wrong#'), 'attempted password not logged');
  // unlock it again so the account is tidy
  const sec = await as('secadmin');
  assert.equal((await api('POST', `/api/v1/users/${u.id}/unlock`, { session: sec })).status, 200);
});
