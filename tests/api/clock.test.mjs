// Time is an input: the server and every command judge by the one clock (src/core/clock.c), fixed
// with --now or ZHUCUN_NOW; the demo is a function of (seed, now); nothing else reads the time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, as, login, run, sqlite, tempDir, zhucun } from './lib.mjs';
import { NOW, NOW_MS, NOW_S, isoCST, today } from '../clock.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The release build: libfaketime and ASan cannot both be preloaded into one process.
const RELEASE_BIN = process.env.ZHUCUN_RELEASE_BIN;

test('GET /health reports the instant the server judges by: the pinned one', async () => {
  const r = await api('GET', '/api/v1/health');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.now, isoCST(NOW_MS));
  assert.equal(r.body.today, today());
  assert.equal(r.body.clock_fixed, true);
});

test('the session carries the server\'s today, which the UI uses instead of the phone\'s', async () => {
  const s = await login('cadre1');
  assert.equal(s.user.username, 'cadre1');
  const r = await api('GET', '/api/v1/session', { session: s });
  assert.equal(r.body.today, today());
  assert.equal(r.body.now, isoCST(NOW_MS));
});

test('records are stamped with the pinned instant, not the machine\'s', async () => {
  const s = await as('cadre1');
  const r = await api('GET', '/api/v1/me/today', { session: s });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.date, today());
  // the audit row of this login carries the pinned instant
  const audit = await as('auditadmin');
  const rows = await api('GET', '/api/v1/audit?page_size=5', { session: audit });
  assert.equal(rows.status, 200, rows.text);
  assert.ok(rows.body.items.length > 0);
  for (const row of rows.body.items) assert.equal(row.at, NOW_S, JSON.stringify(row));
});

test('--now must be an instant with its offset; a bad one is refused before anything runs', () => {
  for (const bad of ['2027-01-01', '2027-01-01T09:00:00', '2027-02-30T09:00:00+08:00', 'tomorrow', '1999-12-31T23:59:59Z']) {
    const r = zhucun(['--now', bad, 'user', 'list', '--db', join(tempDir(), 'x.db')]);
    assert.equal(r.status, 2, `${bad}: ${r.stdout} ${r.stderr}`);
    assert.match(r.stderr, /--now must be an instant/);
  }
  const env = { ...process.env, ZHUCUN_NOW: 'soon' };
  const r = zhucun(['user', 'list', '--db', join(tempDir(), 'x.db')], { env });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ZHUCUN_NOW must be an instant/);
});

// Every table but the secrets, whose bytes are random by design (nonces, salts, a per-database
// key): the plaintext behind them is the same.
const SECRET = new Set(['id_cipher', 'id_lookup', 'phone_cipher', 'health_cipher', 'password_hash', 'token_hash', 'hash', 'prev_hash', 'mac']);
// Two sqlite3 runs a database (the columns of every table, then one script of every table's rows), not two
// a table: a run starts a process, and three dumps of 85 tables took most of this file's time.
function dump(db) {
  const columns = new Map();
  const listed = sqlite(db, "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p"
    + " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid");
  assert.equal(listed.status, 0, listed.stderr);
  for (const line of listed.stdout.trim().split('\n')) {
    const [table, column] = line.split('|');
    if (!columns.has(table)) columns.set(table, []);
    if (!SECRET.has(column)) columns.get(table).push(column);
  }
  let script = '';
  for (const [table, cols] of columns) {
    script += `SELECT '== ${table}';\n`;
    if (cols.length) script += `SELECT ${cols.join(',')} FROM "${table}" ORDER BY ${cols.map((_, i) => i + 1).join(',')};\n`;
  }
  const rows = run('sqlite3', [db, script], { maxBuffer: 256 << 20 });  // the whole demo, past the 1 MB default
  assert.equal(rows.status, 0, rows.stderr);
  return rows.stdout;
}
const SMALL = ['--key-villages', '5', '--households-per-village', '2', '--checkin-days', '5', '--visit-days', '5'];

test('the demo is a function of (seed, now): the same --now on two far-apart real dates gives the same data', () => {
  assert.ok(RELEASE_BIN, 'ZHUCUN_RELEASE_BIN is set by tests/run_all.sh');
  const made = [];
  for (const real of ['2027-02-15 08:00:00', '2028-07-01 20:00:00']) {
    const db = join(tempDir(), 'demo.db');
    const r = run('faketime', [real, RELEASE_BIN, 'init', '--demo', '--db', db, '--now', NOW, ...SMALL]);
    assert.equal(r.status, 0, r.stderr);
    made.push(dump(db));
  }
  assert.ok(made[0].includes('== checkin') && made[0].length > 10000, 'the dump has the demo');
  assert.equal(made[0], made[1]);
  // ...and another instant gives other data: the demo moves with now, not with the machine
  const db = join(tempDir(), 'later.db');
  const later = new Date(NOW_MS + 40 * 86400e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
  assert.equal(run(RELEASE_BIN, ['init', '--demo', '--db', db, '--now', later, ...SMALL]).status, 0);
  assert.notEqual(dump(db), made[0]);
});

test('the demo\'s teams are in the middle of their term at any now', () => {
  for (const at of ['2027-05-31T23:30:00+08:00', '2027-06-01T00:00:00+08:00', '2028-02-29T12:00:00+08:00']) {
    const db = join(tempDir(), 'term.db');
    const r = run(RELEASE_BIN, ['init', '--demo', '--db', db, '--now', at, ...SMALL]);  // the demo's data, not its memory: the release build
    assert.equal(r.status, 0, r.stderr);
    const day = at.slice(0, 10);
    const [start, end, active] = sqlite(db, `SELECT min(start_date), max(term_end), count(*) FROM assignment WHERE status = 'active'`)
      .stdout.trim().split('|');
    assert.ok(Number(active) > 0);
    assert.ok(start <= day && day < end, `${at}: term ${start}..${end}`);
    // no check-in, log or record after now
    const future = sqlite(db, `SELECT (SELECT count(*) FROM checkin WHERE date > '${day}') + (SELECT count(*) FROM work_log WHERE date > '${day}')`);
    assert.equal(future.stdout.trim(), '0', at);
  }
});

test('the clock check fails when a handler reads the system time', () => {
  const copy = tempDir('zhucun-clock-');
  for (const d of ['src', 'ui/src', 'tests/api', 'tests/e2e']) cpSync(join(ROOT, d), join(copy, d), { recursive: true });
  cpSync(join(ROOT, 'tests/clock.mjs'), join(copy, 'tests/clock.mjs'));
  const clean = run('bash', [join(ROOT, 'tests/check_clock.sh'), copy]);
  assert.equal(clean.status, 0, clean.stdout);
  const handler = join(copy, 'src/http/h_leaves.c');
  writeFileSync(handler, readFileSync(handler, 'utf8') + '\nstatic long when(void) { return (long)time(NULL); }\n');
  const bad = run('bash', [join(ROOT, 'tests/check_clock.sh'), copy]);
  assert.equal(bad.status, 1, bad.stdout);
  assert.match(bad.stdout, /src\/http\/h_leaves\.c:\d+:.*time\(NULL\)/);
  // ...and in the UI, and in SQL
  writeFileSync(handler, readFileSync(join(ROOT, 'src/http/h_leaves.c'), 'utf8'));
  const view = join(copy, 'ui/src/views/Home.vue');
  writeFileSync(view, readFileSync(view, 'utf8') + '\n<!-- {{ new Date() }} -->\n'); // clock-ok: the fault this test plants
  assert.equal(run('bash', [join(ROOT, 'tests/check_clock.sh'), copy]).status, 1);
});
