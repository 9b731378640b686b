// A database server that closes zhucun's connections (its restart, a failover, an administrator's
// pg_terminate_backend) does not stop zhucun (issue 16, store/pg): each worker's connection fails the statement
// that meets it closed — that request answers 500, named — and the worker connects again before its next
// statement. Here every connection of a server of the test's own (on a copy of the suite's database: the
// suite's server would meet its closed connections in the files after this one) is terminated from outside;
// the requests after it fail at most once per connection, then every answer is whole again, and a write goes
// through. Without the reconnection every request after the termination would answer 500 until zhucun was
// restarted.
// A SQLite file has no server to close its connections: on SQLite this file has nothing to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ON_PG, api, copyDb, login, run, serveAt, uniq } from './lib.mjs';

// requests at once, on connections of their own, reaching many of the server's 32 worker threads (each has
// its own database connection); under the 32 connections one address may hold (policy/security.json
// per_address_connections)
const WORKERS = 24;

function terminateAll(db) {
  const sql = 'SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity'
    + ' WHERE datname = current_database() AND pid <> pg_backend_pid()';
  const r = run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', db, '-c', sql]);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

if (ON_PG) {
  test('every connection terminated by the server: each fails at most one request, then all answer, and a write commits', async () => {
    const db = copyDb();
    const server = await serveAt(db, process.env.ZHUCUN_NOW);
    const base = server.url;
    try {
      await exercise(db, base);
    } finally {
      const end = await server.stop();
      assert.equal(end.code, 0, end.out);
    }
  });
}

async function exercise(db, base) {
  const town = await login('shazhouba_sec', undefined, base);
  const path = '/api/v1/cadres?page=1&page_size=1';
  // connections on many workers: a burst at once
  const warm = await Promise.all(Array.from({ length: WORKERS }, () => api('GET', path, { session: town, base })));
  for (const w of warm) assert.equal(w.status, 200, w.text);
  const total = warm[0].body.total;

  const terminated = terminateAll(db);
  assert.ok(terminated >= 1, `zhucun's connections were terminated: ${terminated}`);

  let failures = 0, inARow = 0;
  for (let i = 0; i < 4 * WORKERS && inARow < 2 * WORKERS; i++) {
    const r = await api('GET', path, { session: town, base });
    if (r.status === 200) {
      assert.equal(r.body.total, total, 'a whole answer after the reconnection');
      inARow++;
      continue;
    }
    assert.equal(r.status, 500, r.text);
    assert.equal(r.body.error.code, 'internal', r.text);
    failures++;
    inARow = 0;
  }
  assert.equal(inARow, 2 * WORKERS, `every request answers again (failures: ${failures})`);
  assert.ok(failures <= terminated, `at most one failed request per terminated connection: ${failures} > ${terminated}`);

  const org = await login('ruijin_org', undefined, base);
  const made = await api('POST', '/api/v1/units', { session: org, base,
    body: { name: `重连测试局${uniq('')}`, level: 'county', type: 'party_gov', region_code: '360781' } });
  assert.equal(made.status, 201, made.text);
  const unit = made.body;
  const back = await api('GET', `/api/v1/units/${unit.id}`, { session: org, base });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.name, unit.name);
}
