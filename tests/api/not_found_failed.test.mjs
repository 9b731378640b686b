// A single-record read that fails in the store is a logged 500, never a 404 (issue 16, http/not_found):
// the store answers NULL both for a missing record and for a failed read, and reports the failure on the
// connection. The failure is real: on a copy of the database the table of the funds' records is dropped,
// so GET /funds/:id fails in the store; before the rule it answered 404 "经费记录不存在", telling a county
// official that a record was missing when the database could not be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, copyDb, dropTableSql, login, serveAt, sqlite } from './lib.mjs';

const INTERNAL = { error: { code: 'internal', message: '服务器内部错误，请稍后重试', field: null } };

test('a record read that fails answers 500 and is logged; a missing record still answers 404', async () => {
  const db = copyDb('not_found_failed.db');
  const id = Number(sqlite(db, 'SELECT max(id) FROM fund_entry').stdout.trim()) || 1;
  const drop = sqlite(db, dropTableSql(db, 'fund_entry'));
  assert.equal(drop.status, 0, drop.stderr);
  const s = await serveAt(db, '2026-06-10T11:00:00+08:00');
  let end;
  try {
    const township = await login('shazhouba_sec', undefined, s.url);
    const r = await api('GET', `/api/v1/funds/${id}`, { session: township, base: s.url });
    assert.equal(r.status, 500, `GET /api/v1/funds/${id} with its table gone: ${r.status} ${r.text}`);
    assert.deepEqual(r.body, INTERNAL);
    // a record that is simply not there, in a table that is whole, is still 404
    const missing = await api('GET', '/api/v1/households/987654321', { session: township, base: s.url });
    assert.equal(missing.status, 404, missing.text);
    assert.equal(missing.body.error.code, 'not_found');
  } finally {
    end = await s.stop();
  }
  assert.ok(!/Sanitizer/.test(end.out), end.out);
  assert.match(end.out, /a record read failed: \/api\/v1\/funds\/:id answered 500, not 404/);
});
