// F6 of the security review (2026-12): the audit chain was plain SHA-256, so whoever could write the file
// rewrote a row, recomputed every later hash (a 20-line script, appendix B) and `audit verify` said
// "intact". Now every row also carries an HMAC-SHA-256 chain keyed from the key file (DB.key), which is
// kept apart from the database: the same script leaves the keyed chain broken at the rewritten row.
// The rows of an older database are keyed once by migration 065 (with an audit.chain_keyed row), and
// `audit anchor` prints the head to write down outside the system.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, as, copyDb, onServer, run, sqlite, tempDir, zhucun, DB } from './lib.mjs';
import { NOW_S } from '../clock.mjs';

// Appendix B of the review, verbatim: rewrite one row and recompute the SHA-256 chain after it.
const RECHAIN = String.raw`
import sqlite3, hashlib, sys
db, target = sys.argv[1], int(sys.argv[2]); c = sqlite3.connect(db)
c.executescript("drop trigger if exists audit_no_update; drop trigger if exists audit_no_delete;")
c.execute("update audit set username='nobody', detail='{\"reason\":\"rewritten\"}' where id=?", (target,))
prev = c.execute("select hash from audit where id=?", (target - 1,)).fetchone()[0]
for (i, at, uid, *parts) in c.execute("select id, at, coalesce(user_id,0), username, action, entity, entity_id, ip, detail from audit where id>=? order by id", (target,)).fetchall():
    h = hashlib.sha256(); h.update(prev.encode()); h.update(f"|{i}|{at}|{uid}|".encode())
    for p in parts: b = (p or '').encode(); h.update(f"{len(b)}:".encode()); h.update(b)
    prev = h.hexdigest(); c.execute("update audit set prev_hash=(select hash from audit where id=?-1), hash=? where id=?", (i, prev, i))
c.executescript("""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""")
c.commit()
`;

// The same script for a database on a PostgreSQL server, step for step: the triggers dropped, the row
// rewritten, each later hash recomputed from the one before it, the triggers made again.
const rechainSql = (target) => `
DROP TRIGGER IF EXISTS audit_no_update ON audit; DROP TRIGGER IF EXISTS audit_no_delete ON audit;
UPDATE audit SET username = 'nobody', detail = '{"reason":"rewritten"}' WHERE id = ${target};
DO $$ DECLARE prev text := (SELECT hash FROM audit WHERE id = ${target} - 1); r record; part text; msg text; BEGIN
  FOR r IN SELECT id, at, coalesce(user_id, 0) AS uid, username, action, entity, entity_id, ip, detail FROM audit WHERE id >= ${target} ORDER BY id LOOP
    msg := prev || '|' || r.id || '|' || r.at || '|' || r.uid || '|';
    FOREACH part IN ARRAY ARRAY[r.username, r.action, r.entity, r.entity_id, r.ip, r.detail] LOOP
      msg := msg || octet_length(coalesce(part, '')) || ':' || coalesce(part, '');
    END LOOP;
    prev := encode(sha256(convert_to(msg, 'UTF8')), 'hex');
    UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE id = r.id - 1), hash = prev WHERE id = r.id;
  END LOOP;
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OF id, at, user_id, username, action, entity, entity_id, ip, detail, prev_hash, hash ON audit FOR EACH ROW EXECUTE FUNCTION audit_no_update_fn();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_no_delete_fn();`;

function rechain(db, row) {
  if (onServer(db)) {
    const r = sqlite(db, rechainSql(row));
    assert.equal(r.status, 0, r.stderr);
    return;
  }
  const script = join(tempDir(), 'rechain.py');
  writeFileSync(script, RECHAIN);
  const r = run('python3', [script, db, String(row)]);
  assert.equal(r.status, 0, r.stderr);
}

const headOf = (out) => /head: (\d+:[0-9a-f]{64})/.exec(out)?.[1];

test('the review\'s re-chain (appendix B) on a copy: the SHA-256 chain links up again, the keyed chain names the row', () => {
  const copy = copyDb();
  const n = Number(sqlite(copy, 'SELECT count(*) FROM audit').stdout.trim());
  assert.ok(n >= 5, `rows: ${n}`);
  const target = Math.floor(n / 2);
  assert.equal(zhucun(['audit', 'verify', '--db', copy]).status, 0, 'the untouched copy verifies');
  rechain(copy, target);
  assert.equal(sqlite(copy, `SELECT username FROM audit WHERE id = ${target}`).stdout.trim(), 'nobody');
  const r = zhucun(['audit', 'verify', '--db', copy]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`BROKEN at row ${target}\\b`));
  assert.match(r.stdout, /keyed hash \(mac\)/);
  // the live database, untouched, verifies
  const live = zhucun(['audit', 'verify', '--db', DB]);
  assert.equal(live.status, 0, live.stdout + live.stderr);
  assert.match(live.stdout, /intact: \d+ rows.*keyed/);
});

test('recomputing the macs needs the key: a copy with another key file fails at row 1', () => {
  const copy = copyDb();
  // a copy on a PostgreSQL server shares the live key file (ZHUCUN_KEY_FILE): another one is named instead
  const other = onServer(copy) ? join(tempDir(), 'copy.db.key') : `${copy}.key`;
  writeFileSync(other, randomBytes(32), { mode: 0o600 });
  const r = zhucun(['audit', 'verify', '--db', copy], { env: { ...process.env, ZHUCUN_KEY_FILE: other } });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /BROKEN at row 1\b/);
});

test('`audit anchor` prints the head and the count; verify --anchor checks it, and a rewrite before it fails', async () => {
  const copy = copyDb();
  const a = zhucun(['audit', 'anchor', '--db', copy]);
  assert.equal(a.status, 0, a.stdout + a.stderr);
  const anchor = /anchor: (\d+:[0-9a-f]{64})/.exec(a.stdout)[1];
  const rows = Number(/rows: (\d+)/.exec(a.stdout)[1]);
  assert.equal(String(rows), sqlite(copy, 'SELECT count(*) FROM audit').stdout.trim());
  const v = zhucun(['audit', 'verify', '--db', copy]);
  assert.equal(headOf(v.stdout), anchor, 'verify prints the same head');
  assert.equal(anchor.split(':')[1], sqlite(copy, `SELECT mac FROM audit WHERE id = ${anchor.split(':')[0]}`).stdout.trim(),
    'the anchor is the keyed mac, not the plain hash');
  const ok = zhucun(['audit', 'verify', '--db', copy, '--anchor', anchor]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /anchor found/);
  // the web page's check takes the same anchor (the live chain has grown past it, the row is still there)
  const live = zhucun(['audit', 'anchor', '--db', DB]);
  const liveAnchor = /anchor: (\S+)/.exec(live.stdout)[1];
  const viaApi = await api('GET', `/api/v1/audit/verify?anchor=${liveAnchor}`, { session: await as('auditadmin') });
  assert.equal(viaApi.body.ok, true, viaApi.text);
  assert.equal(viaApi.body.anchor_checked, true);
  // a rewrite of a row before the anchor: broken at that row
  rechain(copy, 3);
  const bad = zhucun(['audit', 'verify', '--db', copy, '--anchor', anchor]);
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /BROKEN at row 3\b/);
  assert.equal(zhucun(['audit', 'anchor', '--db', copy, '--anchor', anchor]).status, 2, 'anchor takes no --anchor');
});

test('without its key file the chain cannot be checked: exit 1 naming the file, and no key is made', () => {
  const copy = copyDb();
  // on a PostgreSQL server the key file is the one ZHUCUN_KEY_FILE names: here one that is not there
  const key = onServer(copy) ? join(tempDir(), 'copy.db.key') : `${copy}.key`;
  run('rm', ['-f', key]);
  const r = zhucun(['audit', 'verify', '--db', copy], { env: { ...process.env, ZHUCUN_KEY_FILE: key } });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /key file .*copy\.db\.key/);
  assert.ok(!existsSync(key), 'verify never makes a key of its own');
});

// ---- upgrade: a database of schema 064 with a plain SHA-256 chain, plain cadre phones and health notes ----

function legacyHash(prev, row) {
  const h = createHash('sha256');
  h.update(prev);
  h.update(`|${row.id}|${row.at}|${row.uid}|`);
  for (const p of [row.username, row.action, row.entity, row.entity_id, row.ip, row.detail]) {
    h.update(`${Buffer.byteLength(p)}:`);
    h.update(p);
  }
  return h.digest('hex');
}

const q = (s) => `'${s.replaceAll("'", "''")}'`;

/** A database as zhucun before 065 left it; returns {db, legacyHead}. */
function legacyDatabase() {
  const dir = tempDir();
  const db = join(dir, 'old.db');
  writeFileSync(`${db}.key`, randomBytes(32), { mode: 0o600 });
  const schemaDir = new URL('../../src/store/schema/', import.meta.url).pathname;
  const files = readdirSync(schemaDir).filter((f) => /^\d{3}_.*\.sql$/.test(f) && Number(f.slice(0, 3)) < 65).sort();
  const version = Number(files.at(-1).slice(0, 3));
  let sql = files.map((f) => readFileSync(join(schemaDir, f), 'utf8')).join('\n');
  sql += `
INSERT INTO region (code, name, level, path) VALUES ('36', '江西省', 'province', '36');
INSERT INTO unit (id, name, level, type, region_code, created_at) VALUES (1, '旧单位', 'province', 'other', '36', ${NOW_S});
INSERT INTO cadre (id, name, id_cipher, id_lookup, id_masked, sex, birth_date, phone, unit_id, created_at)
  VALUES (1, '旧干部', x'00', x'01', '3607**********0011', 'M', '1980-01-01', '13700001111', 1, ${NOW_S});
INSERT INTO household (id, village_code, household_no, head_name, category, created_at, updated_at)
  VALUES (1, '36', 'H1', '旧户主', 'alleviated', ${NOW_S}, ${NOW_S});
INSERT INTO household_member (household_id, name, id_cipher, id_lookup, id_masked, sex, birth_date, relation, health)
  VALUES (1, '旧户主', x'02', x'03', '3607**********0022', 'M', '1960-01-01', '户主', '患有慢性肾病需透析');
`;
  let prev = '0'.repeat(64);
  for (let id = 1; id <= 3; id++) {
    const row = { id, at: NOW_S + id, uid: 0, username: 'console', action: 'user.create', entity: 'user', entity_id: `u${id}`,
      ip: 'console', detail: '{}' };
    const hash = legacyHash(prev, row);
    sql += `INSERT INTO audit (id, at, user_id, username, action, entity, entity_id, ip, detail, prev_hash, hash) VALUES
      (${id}, ${row.at}, NULL, 'console', 'user.create', 'user', ${q(row.entity_id)}, 'console', '{}', '${prev}', '${hash}');\n`;
    prev = hash;
  }
  sql += `PRAGMA user_version = ${version};\n`;
  const r = run('sqlite3', [db], { input: sql });
  assert.equal(r.status, 0, r.stderr);
  return { db, legacyHead: `3:${prev}` };
}

test('upgrade: the old chain is keyed once (audit.chain_keyed), old anchors still check, phones and health notes sealed', () => {
  const { db, legacyHead } = legacyDatabase();
  assert.ok(readFileSync(db).includes('13700001111'), 'the old file holds the phone in plain text');
  const v = zhucun(['audit', 'verify', '--db', db, '--anchor', legacyHead]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /intact: 4 rows, anchor found/);
  const keyed = sqlite(db, "SELECT entity_id, detail FROM audit WHERE action = 'audit.chain_keyed'").stdout.trim().split('\n');
  assert.equal(keyed.length, 1, 'one audit.chain_keyed row');
  assert.match(keyed[0], /^3\|.*"rows_keyed":3,"chain_intact":true/);
  assert.equal(sqlite(db, 'SELECT count(*) FROM audit WHERE mac IS NULL').stdout.trim(), '0');
  // opened again: nothing is keyed a second time
  assert.equal(zhucun(['audit', 'verify', '--db', db]).status, 0);
  assert.equal(sqlite(db, "SELECT count(*) FROM audit WHERE action = 'audit.chain_keyed'").stdout.trim(), '1');
  // the macs of an upgraded chain cannot be re-made without the key: the review's script breaks it
  rechain(db, 2);
  const broken = zhucun(['audit', 'verify', '--db', db]);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /BROKEN at row 2\b/);

  // F7: the same migrations sealed the plain phone and health note and dropped the plain columns
  assert.equal(sqlite(db, 'SELECT phone_masked, length(phone_cipher) > 11 FROM cadre WHERE id = 1').stdout.trim(), '137****1111|1');
  assert.equal(sqlite(db, 'SELECT health_cipher IS NOT NULL FROM household_member').stdout.trim(), '1');
  assert.notEqual(sqlite(db, 'SELECT phone FROM cadre').status, 0, 'cadre.phone is gone');
  assert.notEqual(sqlite(db, 'SELECT health FROM household_member').status, 0, 'household_member.health is gone');
  sqlite(db, 'PRAGMA wal_checkpoint(TRUNCATE)');
  for (const f of [db, `${db}-wal`].filter(existsSync)) {
    const bytes = readFileSync(f);
    assert.ok(!bytes.includes('13700001111'), `${f} holds no plain phone`);
    assert.ok(!bytes.includes('慢性肾病'), `${f} holds no plain health note`);
  }
});
