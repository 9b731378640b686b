// A store call that fails is a 500 with the house error body, never an empty 200/201
// (http/request's reply rule, issue 16). The failure is real: on a copy of the database the table
// that the new batch's read-back reads (assignment, counted per batch) is dropped, so the write
// succeeds and the read after it fails in the store; the server must not answer 201 with no body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, copyDb, dropTableSql, login, serveAt, sqlite, uniq } from './lib.mjs';

const INTERNAL = { error: { code: 'internal', message: '服务器内部错误，请稍后重试', field: null } };

test('a read-back that fails in the store answers 500 with the error body, and is logged', async () => {
  const db = copyDb('reply_null.db');
  const drop = sqlite(db, dropTableSql(db, 'assignment'));
  assert.equal(drop.status, 0, drop.stderr);
  const s = await serveAt(db, '2026-06-10T11:00:00+08:00');
  let end;
  try {
    const org = await login('ruijin_org', undefined, s.url);
    const body = { name: uniq('批次'), opens_on: '2026-06-10', closes_on: '2026-07-10', term_start: '2026-08-01' };
    const r = await api('POST', '/api/v1/batches', { session: org, body, base: s.url });
    assert.equal(r.status, 500, `POST /api/v1/batches with its read-back failing: ${r.status} ${r.text}`);
    assert.deepEqual(r.body, INTERNAL);
    // a read that is whole still answers as before
    const health = await api('GET', '/api/v1/health', { base: s.url });
    assert.equal(health.status, 200, health.text);
  } finally {
    end = await s.stop();
  }
  assert.ok(!/Sanitizer/.test(end.out), end.out);
  assert.match(end.out, /reply: POST \/api\/v1\/batches: no body for status 201/);
});
