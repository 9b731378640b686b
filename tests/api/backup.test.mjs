// F5 of the security review (2026-12): `restore` accepted 6 of 6 corrupt files (exit 0), a restore onto
// the database of a running server silently dropped 1,375 acknowledged check-ins, `backup` could not
// finish while writes went on, and the files were 0644. Now (src/store/backup.c): the integrity check is
// stepped and must answer the single row "ok", the schema must be a zhucun one this binary knows, the
// server holds a lock that restore respects, the backup is one snapshot, and every file is 0600.
// On PostgreSQL (issue 16; ZHUCUN_DB a URL, src/store/backup_pg.c) the same promises with the server's tools:
// the backup is pg_dump's archive, read to its end before it is kept, restore replaces the database in one
// transaction, and the serve lock is an advisory lock held by the server's session. The corruptions are
// then of an archive, and "the copy is whole" is "the copy restores".
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, DB, KEY_FILE, ON_PG, api, as, copyDb, newDb, run, sqlite, tempDir, zhucun } from './lib.mjs';
import { NOW_MS } from '../clock.mjs';

const iso = (ms) => new Date(ms + 8 * 3600e3).toISOString().replace('Z', '+08:00').replace(/\.\d{3}/, '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mode = (p) => (statSync(p).mode & 0o777).toString(8);

/** The page size and the numbers of the leaf pages of a table or index (sqlite3's dbstat). */
function leafPages(db, name) {
  const pages = sqlite(db, `SELECT pageno FROM dbstat WHERE name='${name}' AND pagetype='leaf' ORDER BY pageno`);
  assert.equal(pages.status, 0, pages.stderr);
  return pages.stdout.trim().split('\n').map(Number);
}
function pageSize(db) { return Number(sqlite(db, 'PRAGMA page_size').stdout.trim()); }

/** Writes bytes at an offset of a file, as the reviewer's python one-liner did. */
function poke(path, offset, bytes) {
  const fd = openSync(path, 'r+');
  try { writeSync(fd, bytes, 0, bytes.length, offset); } finally { closeSync(fd); }
}

/** A backup made by the binary itself, checkpointed so that every page is in the main file. */
function freshBackup(db = DB) {
  const path = join(tempDir(), ON_PG ? 'bk.dump' : 'bk.db');
  const b = zhucun(['backup', path, '--db', db]);
  assert.equal(b.status, 0, b.stdout + b.stderr);
  return path;
}

/** True when nothing was written to a database named by newDb(): no file (or an empty one); on
 * PostgreSQL no table in its schema public. */
function untouched(target) {
  if (!ON_PG) return !existsSync(target) || statSync(target).size === 0;
  const r = sqlite(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() === '0';
}

/** A pg_dump archive of a database made by sql: an application's that is not zhucun's. */
function archiveOf(sql) {
  const db = newDb();
  assert.equal(sqlite(db, sql).status, 0);
  const p = join(tempDir(), 'other.dump');
  const d = run('pg_dump', ['--format=custom', `--file=${p}`, db]);
  assert.equal(d.status, 0, d.stderr);
  return p;
}

// Six corruptions, each of a kind the reviewer tried or a disk produces. Each returns the path of the
// corrupt copy and what the check must say about it.
const SQLITE_CORRUPTIONS = {
  'zero bytes in an index leaf page (integrity_check answers rows, the pragma itself succeeds)': () => {
    const p = freshBackup();
    const pg = leafPages(p, 'checkin_client')[3];
    poke(p, (pg - 1) * pageSize(p) + 3900, Buffer.alloc(16));
    assert.notEqual(sqlite(p, 'PRAGMA integrity_check').stdout.trim(), 'ok', 'the file really is corrupt');
    return { path: p, says: /完整性|损坏|integrity/ };
  },
  'zero bytes in a table leaf page (the rows of the audit table)': () => {
    const p = freshBackup();
    const pg = leafPages(p, 'audit')[2];
    // the cell pointers after the 8-byte page header: zeros there always break the page, where zeros at
    // a fixed offset inside the rows may land in a text value that no check reads
    poke(p, (pg - 1) * pageSize(p) + 8, Buffer.alloc(64));
    assert.notEqual(sqlite(p, 'PRAGMA integrity_check').stdout.trim(), 'ok', 'the file really is corrupt');
    return { path: p, says: /完整性|损坏|integrity/ };
  },
  'a wrong cell count in a b-tree page header': () => {
    const p = freshBackup();
    const pg = leafPages(p, 'region')[1];
    poke(p, (pg - 1) * pageSize(p) + 3, Buffer.from([0x7f, 0xff]));
    return { path: p, says: /完整性|损坏|integrity|无法/ };
  },
  'a file cut short (half its pages)': () => {
    const p = freshBackup();
    truncateSync(p, Math.floor(statSync(p).size / pageSize(p) / 2) * pageSize(p));
    return { path: p, says: /完整性|损坏|integrity|无法/ };
  },
  'not a database at all (text)': () => {
    const p = join(tempDir(), 'notes.db');
    writeFileSync(p, '这不是数据库 — not a database\n'.repeat(200));
    return { path: p, says: /无法|不是|not a database/ };
  },
  'an empty file': () => {
    const p = join(tempDir(), 'empty.db');
    writeFileSync(p, '');
    return { path: p, says: /不是本程序可恢复的备份|schema version/ };
  },
};

// A pg_dump archive (custom format) damaged the ways a disk or a copy damages a file: each must be refused
// before the database is touched, not half-way into a restore.
const PG_ARCHIVE = /不是可读的|损坏|not a readable|fails to read/;
const PG_CORRUPTIONS = {
  'zero bytes in the middle of the data (a compressed block breaks)': () => {
    const p = freshBackup();
    poke(p, Math.floor(statSync(p).size / 2), Buffer.alloc(4096));
    return { path: p, says: PG_ARCHIVE };
  },
  'a file cut short (half its bytes)': () => {
    const p = freshBackup();
    truncateSync(p, Math.floor(statSync(p).size / 2));
    return { path: p, says: PG_ARCHIVE };
  },
  'its header overwritten (not an archive any more)': () => {
    const p = freshBackup();
    poke(p, 0, Buffer.from('XXXXXXXX'));
    return { path: p, says: PG_ARCHIVE };
  },
  'not an archive at all (text)': () => {
    const p = join(tempDir(), 'notes.dump');
    writeFileSync(p, '这不是备份 — not a backup\n'.repeat(200));
    return { path: p, says: PG_ARCHIVE };
  },
  'an empty file': () => {
    const p = join(tempDir(), 'empty.dump');
    writeFileSync(p, '');
    return { path: p, says: PG_ARCHIVE };
  },
};
const CORRUPTIONS = ON_PG ? PG_CORRUPTIONS : SQLITE_CORRUPTIONS;

before(async () => {
  // every file the server and init made must already be owner-only
  if (ON_PG) assert.equal(sqlite(DB, 'SELECT count(*) FROM zhucun_schema').stdout.trim(), '1');
  else assert.ok(existsSync(DB));
});

for (const [kind, make] of Object.entries(CORRUPTIONS)) {
  test(`restore refuses a corrupt backup: ${kind}`, () => {
    const { path, says } = make();
    const target = newDb('target.db');
    const r = zhucun(['restore', path, '--db', target]);
    assert.notEqual(r.status, 0, `restore of a corrupt file: exit ${r.status}\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /zhucun restore: refused: /, r.stderr);
    assert.match(r.stderr, says, r.stderr);
    assert.match(r.stderr, /[\u4e00-\u9fff]/, 'the reason is said in Chinese');
    assert.ok(untouched(target), 'nothing was written to the target');
  });
}

test('backup of a corrupt database fails, says why, and leaves no file behind', { skip: ON_PG && 'a SQLite file' }, () => {
  const src = freshBackup();
  const pg = leafPages(src, 'checkin_client')[3];
  poke(src, (pg - 1) * pageSize(src) + 3900, Buffer.alloc(16));
  const target = join(tempDir(), 'of-corrupt.db');
  const r = zhucun(['backup', target, '--db', src]);
  assert.notEqual(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /完整性|integrity/, r.stderr);
  assert.ok(!existsSync(target), 'no backup file');
  assert.ok(!existsSync(`${target}.partial`), 'no partial file');
});

test('on PostgreSQL, a backup that restore would refuse is not kept: another application\'s database, a database that is not there', { skip: !ON_PG && 'a server' }, () => {
  const cases = [
    { db: newDb(), setup: 'CREATE TABLE t (x integer); INSERT INTO t VALUES (1)', says: /不是本程序可恢复的备份.*schema version -1/ },
    { db: DB.replace(/\/[^/]*$/, '/no_such_database'), says: /备份失败.*no_such_database/ },
  ];
  for (const { db, setup, says } of cases) {
    if (setup) assert.equal(sqlite(db, setup).status, 0);
    const target = join(tempDir(), 'of-other.dump');
    const r = zhucun(['backup', target, '--db', db]);
    assert.notEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, says, r.stderr);
    assert.ok(!existsSync(target), 'no backup file');
    assert.ok(!existsSync(`${target}.partial`), 'no partial file');
  }
});

test('a zhucun-looking database of another application is refused (not a schema this binary knows)', { skip: ON_PG && 'a SQLite file' }, () => {
  const p = join(tempDir(), 'other.db');
  assert.equal(sqlite(p, 'CREATE TABLE t(x); INSERT INTO t VALUES (1); PRAGMA user_version = 3;').status, 0);
  const r = zhucun(['restore', p, '--db', join(tempDir(), 'x.db')]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /不是本程序可恢复的备份/);
});

test('on PostgreSQL, an archive of another application, or of a schema newer than the binary, is refused', { skip: !ON_PG && 'a server' }, () => {
  const latest = Number(sqlite(DB, 'SELECT max(version) FROM zhucun_schema').stdout.trim());
  const cases = [
    ['CREATE TABLE t (x integer); CREATE TABLE zhucun_schema (version integer); INSERT INTO zhucun_schema VALUES (3)', /schema version -1/],
    [`CREATE TABLE "user" (x integer); CREATE TABLE audit (x integer); CREATE TABLE zhucun_schema (version integer);
      INSERT INTO zhucun_schema VALUES (${latest + 1})`, new RegExp(`schema version ${latest + 1}; this binary knows 1..${latest}`)],
  ];
  for (const [sql, says] of cases) {
    const target = newDb('x.db');
    const r = zhucun(['restore', archiveOf(sql), '--db', target]);
    assert.notEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /不是本程序可恢复的备份/, r.stderr);
    assert.match(r.stderr, says, r.stderr);
    assert.ok(untouched(target), 'nothing was written to the target');
  }
});

test('restore replaces the whole database: a row and a table written after the backup are gone, and it says what it did', () => {
  const db = copyDb();
  const backup = freshBackup(db);
  const before = sqlite(db, 'SELECT count(*) FROM checkin').stdout.trim();
  assert.equal(sqlite(db, `CREATE TABLE made_after (x integer); DELETE FROM checkin WHERE id = (SELECT max(id) FROM checkin)`).status, 0);
  assert.notEqual(sqlite(db, 'SELECT count(*) FROM checkin').stdout.trim(), before);
  const r = zhucun(['restore', backup, '--db', db]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^restored .+ from .+ \(schema version \d+/, r.stdout);
  assert.equal(sqlite(db, 'SELECT count(*) FROM checkin').stdout.trim(), before, 'the deleted check-in is back');
  assert.notEqual(sqlite(db, 'SELECT count(*) FROM made_after').status, 0, 'the table made after the backup is gone');
  const v = zhucun(['audit', 'verify', '--db', db]);
  assert.equal(v.status, 0, `the restored audit chain verifies: ${v.stdout}${v.stderr}`);
});

test('restore onto the database a server is serving is refused, and the server\'s data is untouched', async () => {
  const cadre = await as('cadre1');
  const backup = freshBackup();
  // a check-in acknowledged after the backup: the old restore threw such rows away
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  const clientId = randomUUID();
  const c = await api('POST', '/api/v1/checkins', { session: cadre, body: { client_id: clientId, at: iso(NOW_MS),
    sent_at: iso(NOW_MS), lat: me.body.assignment.lat, lng: me.body.assignment.lng, accuracy_m: 20, source: 'gps' } });
  assert.equal(c.status, 201, c.text);
  const r = zhucun(['restore', backup, '--db', DB]);
  assert.notEqual(r.status, 0, `restore while serving: exit ${r.status}\n${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /数据库正被运行中的服务使用.*请先停止服务/, r.stderr);
  assert.match(r.stderr, /pid \d+/, 'names the server\'s process');
  assert.equal(sqlite(DB, `SELECT count(*) FROM checkin WHERE client_id = '${clientId}'`).stdout.trim(), '1',
    'the acknowledged check-in is still there');
  // a second server on the same database is refused the same way
  const s = zhucun(['serve', '--db', DB, '--port', '0'], { timeout: 15000 });
  assert.notEqual(s.status, 0);
  assert.match(s.stderr, /数据库正被运行中的服务使用/);
});

/** The command lines (/proc/PID/cmdline, readable by any user) of PostgreSQL's client programs running now:
 * counts them, and keeps any that holds the secret. */
function watchCommandLines(secret, found) {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd;
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { continue; }
    if (!/^(\S*\/)?(pg_dump|pg_restore|psql) /.test(cmd)) continue;  // zhucun's own: the operator's choice
    found.seen += 1;
    if (cmd.includes(secret)) found.leaked.push(cmd);
  }
}

function runAsync(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, out }); });
  });
}

test('backup finishes while check-ins keep arriving, and the copy is whole', async () => {
  const cadre = await as('cadre1');
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  const { lat, lng } = me.body.assignment;
  const STORM_MAX_MS = 90_000;
  let stop = false, acked = 0, afterBackup = 0, backupDone = false;
  const t0 = performance.now();
  const writer = async () => {
    while (!stop && performance.now() - t0 < STORM_MAX_MS) {
      const r = await api('POST', '/api/v1/checkins', { session: cadre, body: { client_id: randomUUID(), at: iso(NOW_MS),
        sent_at: iso(NOW_MS), lat, lng, accuracy_m: 20, source: 'gps' } });
      if (r.status === 201) { acked += 1; if (backupDone) afterBackup += 1; }
    }
  };
  const writers = [writer(), writer(), writer(), writer()];
  await sleep(500);
  const before = acked;
  assert.ok(before > 0, 'the storm is on');
  const target = join(tempDir(), ON_PG ? 'under-load.dump' : 'under-load.db');
  // on PostgreSQL the URL carries a password (the test server's trust authentication ignores it): pg_dump and
  // pg_restore, whose command lines any user of the machine can read, must never show it
  const PASSWORD = 'NeverOnACommandLine7';
  const url = ON_PG ? DB.replace(/^(postgres(?:ql)?:\/\/[^@:/]+)@/, `$1:${PASSWORD}@`) : DB;
  if (ON_PG) assert.ok(url.includes(PASSWORD), url);
  const children = { seen: 0, leaked: [] };
  const watch = ON_PG ? setInterval(() => watchCommandLines(PASSWORD, children), 20) : null;
  const b = await runAsync(BIN, ['backup', target, '--db', url], STORM_MAX_MS);
  clearInterval(watch);
  const backupMs = performance.now() - t0;
  backupDone = true;
  const during = acked - before;
  await sleep(500);
  stop = true;
  await Promise.all(writers);
  assert.equal(b.status, 0, `backup under load: ${b.out}`);
  assert.ok(!b.out.includes(PASSWORD), 'the password is in no message');
  if (ON_PG) {
    assert.ok(children.seen > 0, 'the watch saw pg_dump or pg_restore running');
    assert.deepEqual(children.leaked, [], 'no command line holds the password');
  }
  assert.ok(afterBackup > 0, `the storm went on after the backup ended (${afterBackup}): it did not wait for it to stop`);
  assert.ok(during > 0, 'check-ins were acknowledged while the backup ran');
  // the copy is whole: SQLite's check answers ok; a server's archive restores (read to its end, in one transaction)
  let copy = target;
  if (ON_PG) {
    copy = newDb();
    const r = zhucun(['restore', target, '--db', copy]);
    assert.equal(r.status, 0, `the backup taken under load restores: ${r.stdout}${r.stderr}`);
  } else {
    assert.equal(sqlite(target, 'PRAGMA integrity_check').stdout.trim(), 'ok');
  }
  const copied = Number(sqlite(copy, 'SELECT count(*) FROM checkin').stdout.trim());
  assert.ok(copied > 1000, `${copied} check-ins in the copy`);
  console.log(`# backup under load: ${(backupMs / 1000).toFixed(1)} s with ${during} check-ins acknowledged meanwhile`);
});

test('the database, its WAL, the key, the serve lock and every backup are 0600', () => {
  const files = ON_PG ? [KEY_FILE] : [DB, `${DB}-wal`, KEY_FILE, `${DB}.lock`];
  for (const p of files) {
    if (existsSync(p)) assert.equal(mode(p), '600', `${p} is ${mode(p)}`);
  }
  if (ON_PG) {
    // the server's session holds the advisory lock, and says whose it is
    const h = sqlite(DB, `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objid = 7283462 AND a.datname = current_database()`);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stdout.trim(), /^zhucun serve pid \d+ @ /, 'the server holds its advisory lock');
  } else {
    assert.ok(existsSync(`${DB}.lock`), 'the server holds its lock file');
  }
  const bk = freshBackup();
  assert.equal(mode(bk), '600');
  const restored = newDb('restored.db');
  const r = zhucun(['restore', bk, '--db', restored]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  if (ON_PG) {
    assert.equal(readFileSync(bk).subarray(0, 5).toString(), 'PGDMP', 'a pg_dump archive');
    return;
  }
  assert.equal(mode(restored), '600');
  // a database made by an older zhucun under umask 022 is narrowed when it is next opened
  const old = copyDb();
  chmodSync(old, 0o644);
  const v = zhucun(['audit', 'verify', '--db', old]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.equal(mode(old), '600');
  assert.ok(readFileSync(bk).subarray(0, 15).toString() === 'SQLite format 3');
});
