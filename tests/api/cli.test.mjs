// The command line: version, help, option checking, backup/restore, schema guard, import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { copyDb, newDb, onServer, sqlite, tempDir, zhucun, DB, KEY_FILE, ON_PG } from './lib.mjs';

const REPO = new URL('../../', import.meta.url).pathname;

test('--version prints the version and exits 0', () => {
  const r = zhucun(['--version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^zhucun 0\.1\.0/);
});

test('--help of the command and of every sub-command exits 0 and prints usage', () => {
  const r = zhucun(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage/);
  for (const cmd of ['serve', 'init', 'import', 'user', 'backup', 'restore', 'audit']) {
    const h = zhucun([cmd, '--help']);
    assert.equal(h.status, 0, `${cmd} --help: ${h.stderr}`);
    assert.match(h.stdout, new RegExp(`usage: zhucun ${cmd}`), `${cmd} --help`);
  }
});

test('an unknown option or command exits 2', () => {
  for (const args of [['audit', 'verify', '--db', DB, '--frobnicate'], ['backup', '/tmp/never.db', '--nope'],
    ['serve', '--no-such-option'], ['no-such-command'], ['import', 'regions', '--within', '360781', '--bogus', 'x', '--db', DB]]) {
    const r = zhucun(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.status} ${r.stderr}`);
    assert.ok(r.stderr.length > 0, 'says why');
  }
  assert.equal(zhucun([]).status, 2);
});

test('backup while the server runs; the copy has the same places; restore into a fresh path works', () => {
  const dir = tempDir();
  const backup = join(dir, 'backup.db');
  const count = (p) => sqlite(p, 'SELECT count(*) FROM region').stdout.trim();
  const users = (p) => sqlite(p, 'SELECT count(*) FROM "user"').stdout.trim();
  const usersThen = users(DB);
  const b = zhucun(['backup', backup, '--db', DB]);
  assert.equal(b.status, 0, b.stdout + b.stderr);
  assert.ok(existsSync(backup));
  // a database file is read as it is; a server's backup is pg_dump's archive, read once restored (below)
  if (!ON_PG) {
    assert.equal(count(backup), count(DB));
    assert.ok(Number(count(backup)) > 1000);
  }
  // refuses to overwrite
  const again = zhucun(['backup', backup, '--db', DB]);
  assert.notEqual(again.status, 0);

  const fresh = newDb('restored.db');
  const r = zhucun(['restore', backup, '--db', fresh]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(count(fresh), count(DB));
  assert.ok(Number(count(fresh)) > 1000);
  assert.equal(users(fresh), ON_PG ? usersThen : users(backup));
  // the backup does not carry the key file (OPERATIONS.md): the chain is keyed with it, so verify needs it
  // back — beside a file (FILE.key), or named by ZHUCUN_KEY_FILE for a server's database
  const keyless = zhucun(['audit', 'verify', '--db', fresh], { env: { ...process.env, ZHUCUN_KEY_FILE: '' } });
  assert.equal(keyless.status, 1, keyless.stdout + keyless.stderr);
  assert.match(keyless.stderr, /key file/);
  if (!ON_PG) copyFileSync(KEY_FILE, `${fresh}.key`);
  const v = zhucun(['audit', 'verify', '--db', fresh], { env: { ...process.env, ZHUCUN_KEY_FILE: ON_PG ? KEY_FILE : '' } });
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('restore of a missing file fails', () => {
  const dir = tempDir();
  const r = zhucun(['restore', join(dir, 'absent.db'), '--db', join(dir, 'x.db')]);
  assert.notEqual(r.status, 0);
});

test('a database of a newer schema (user_version 999) is refused with a message saying "newer"', () => {
  const copy = copyDb();
  // the schema's version: PRAGMA user_version in a file, the one row of zhucun_schema on a server
  const [setVersion, version] = onServer(copy)
    ? ['UPDATE zhucun_schema SET version = 999', 'SELECT max(version) FROM zhucun_schema']
    : ['PRAGMA user_version = 999', 'PRAGMA user_version'];
  assert.equal(sqlite(copy, setVersion).status, 0);
  const r = zhucun(['audit', 'verify', '--db', copy]);
  assert.notEqual(r.status, 0);
  assert.match(r.stdout + r.stderr, /newer/);
  // and the file was not touched
  assert.equal(sqlite(copy, version).stdout.trim(), '999');
  const restore = zhucun(['restore', copy, '--db', join(tempDir(), 'r.db')]);
  assert.notEqual(restore.status, 0, 'restore refuses a newer backup too');
});

test('import regions --within 360781 on a copy is idempotent ("0 added")', () => {
  const copy = copyDb();
  const before = sqlite(copy, 'SELECT count(*) FROM region').stdout.trim();
  const r = zhucun(['import', 'regions', '--within', '360781', '--db', copy], { cwd: REPO });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\b0 added\b/);
  assert.equal(sqlite(copy, 'SELECT count(*) FROM region').stdout.trim(), before);
  const r2 = zhucun(['import', 'regions', '--within', '360781', '--db', copy], { cwd: REPO });
  assert.equal(r2.status, 0);
  assert.match(r2.stdout, /\b0 added\b/);
});

test('init --demo: every demo account must change the published password at first login; --demo-known-passwords (tests only) keeps it', () => {
  const SMALL = ['--key-villages', '5', '--households-per-village', '2', '--checkin-days', '5', '--visit-days', '5'];
  const counts = (db) => sqlite(db, 'SELECT count(*), sum(must_change_password) FROM "user"').stdout.trim();
  const forced = join(tempDir(), 'demo.db');
  assert.equal(zhucun(['init', '--demo', '--db', forced, ...SMALL]).status, 0);
  const [n, must] = counts(forced).split('|').map(Number);
  assert.ok(n >= 14, `${n} demo accounts`);
  assert.equal(must, n, 'all must change the password');
  const known = join(tempDir(), 'demo.db');
  assert.equal(zhucun(['init', '--demo', '--demo-known-passwords', '--db', known, ...SMALL]).status, 0);
  assert.equal(counts(known).split('|')[1], '0');
  // the option alone means nothing and is refused
  assert.equal(zhucun(['init', '--demo-known-passwords', '--db', join(tempDir(), 'x.db')]).status, 2);
  // the suite's own server was made with the option (its tests log in as demo users)
  assert.equal(sqlite(DB, "SELECT must_change_password FROM \"user\" WHERE username = 'cadre1'").stdout.trim(), '0');
});
