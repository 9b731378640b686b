// Audit log: writes are recorded, the hash chain verifies, and tampering (on copies) is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, copyDb, dropTriggerSql, list, loginRaw, sqlite, uniq, zhucun, DB } from './lib.mjs';

async function someWrites() {
  const s = await as('ruijin_rrb');
  const name = `审计测试单位${uniq('')}`;
  const c = await api('POST', '/api/v1/units', { session: s, body: { name, level: 'county', type: 'other', region_code: '360781' } });
  assert.equal(c.status, 201, c.text);
  const p = await api('PATCH', `/api/v1/units/${c.body.id}`, { session: s, body: { type: 'institution' } });
  assert.equal(p.status, 200, p.text);
  return { id: c.body.id, name };
}

test('writes appear in the audit log with who, what and which record', async () => {
  const u = await someWrites();
  const a = await as('auditadmin');
  const rows = (await list(a, '/api/v1/audit?user=ruijin_rrb')).items;
  const create = rows.find((r) => r.action === 'unit.create' && r.entity_id === String(u.id));
  const update = rows.find((r) => r.action === 'unit.update' && r.entity_id === String(u.id));
  assert.ok(create, 'unit.create row');
  assert.ok(update, 'unit.update row');
  assert.equal(create.entity, 'unit');
  assert.ok(create.detail.includes(u.name));
  assert.ok(update.id > create.id);
  assert.match(create.time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});

test('each row of the log says in words who did what to what, beside its codes, and nothing else', async () => {
  const u = await someWrites();
  const stranger = uniq('nobody_');
  assert.equal((await loginRaw(stranger, 'wrong-password')).status, 401);
  const a = await as('auditadmin');
  const me = (await api('GET', '/api/v1/session', { session: await as('ruijin_rrb') })).body.user;
  const create = (await list(a, '/api/v1/audit?user=ruijin_rrb&action=unit.create')).items.find((r) => r.entity_id === String(u.id));
  assert.ok(create, 'unit.create row');
  assert.deepEqual(Object.keys(create).sort(), ['action', 'action_zh', 'at', 'detail', 'detail_zh', 'entity', 'entity_id', 'id',
    'ip', 'object_zh', 'time', 'username', 'who'].sort());
  assert.equal(typeof create.id, 'number');
  assert.equal(typeof create.at, 'number');
  assert.equal(typeof create.entity_id, 'string');
  assert.equal(create.username, 'ruijin_rrb');
  assert.equal(create.who, `${me.display_name}（${me.role_name}）`);
  assert.match(create.action_zh, /[\u4e00-\u9fff]/);
  assert.ok(create.object_zh.includes(u.name), create.object_zh);
  const failed = (await list(a, `/api/v1/audit?user=${stranger}`)).items;
  assert.equal(failed.length, 1, JSON.stringify(failed));
  assert.equal(failed[0].who, `未登录用户（输入的用户名：${stranger}）`);
  assert.equal((await list(a, '/api/v1/audit?user=ruijin_rrb&action=no.such.action')).items.length, 0);
});

test('GET /audit/verify (auditadmin) → ok true, and `zhucun audit verify --db` exits 0', async () => {
  await someWrites();
  const a = await as('auditadmin');
  const v = await api('GET', '/api/v1/audit/verify', { session: a });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.body.ok, true);
  assert.equal(v.body.first_bad_id, null);
  assert.ok(v.body.rows > 0);
  const r = zhucun(['audit', 'verify', '--db', DB]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /intact/);
});

test('the head of the chain is an anchor: cutting rows off the end passes a plain verify but not one against the anchor', async () => {
  await someWrites();
  const a = await as('auditadmin');
  const v = await api('GET', '/api/v1/audit/verify', { session: a });
  assert.match(v.body.head, /^\d+:[0-9a-f]{64}$/);
  const cli = zhucun(['audit', 'verify', '--db', DB]);
  const head = /head: (\d+:[0-9a-f]{64})/.exec(cli.stdout)[1];
  const anchorId = Number(head.split(':')[0]);
  assert.ok(anchorId >= Number(v.body.head.split(':')[0]), 'the CLI reads the same chain, a few rows later at most');
  await someWrites();
  const ok = zhucun(['audit', 'verify', '--db', DB, '--anchor', head]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /anchor found/);
  const viaApi = await api('GET', `/api/v1/audit/verify?anchor=${head}`, { session: a });
  assert.equal(viaApi.body.ok, true, viaApi.text);
  assert.equal(viaApi.body.anchor_checked, true);

  // someone with the file cuts the newest rows off, down to before the anchor: the chain still links up
  const copy = copyDb();
  const t = sqlite(copy, `${dropTriggerSql(copy, 'audit_no_delete', 'audit')} DELETE FROM audit WHERE id >= ${anchorId};`);
  assert.equal(t.status, 0, t.stderr);
  assert.equal(zhucun(['audit', 'verify', '--db', copy]).status, 0, 'a plain verify cannot see a cut end');
  const cut = zhucun(['audit', 'verify', '--db', copy, '--anchor', head]);
  assert.equal(cut.status, 1, cut.stdout + cut.stderr);
  assert.match(cut.stdout, /anchored row is gone/);
  // a wrong hash for a row that is there is a rewritten log
  const forged = `${anchorId - 1}:${'0'.repeat(64)}`;
  const rw = zhucun(['audit', 'verify', '--db', copy, '--anchor', forged]);
  assert.equal(rw.status, 1, rw.stdout + rw.stderr);
  assert.match(rw.stdout, /hash differs/);
  // malformed anchors are refused, not ignored
  assert.equal(zhucun(['audit', 'verify', '--db', DB, '--anchor', '12:abc']).status, 2);
  const bad = await api('GET', '/api/v1/audit/verify?anchor=x:y', { session: a });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'anchor');
});

test('a changed row in a copy: `audit verify` exits 1 and names that row', async () => {
  await someWrites();
  const copy = copyDb();
  const n = Number(sqlite(copy, 'SELECT count(*) FROM audit').stdout.trim());
  assert.ok(n >= 5);
  const target = Math.floor(n / 2);
  const t = sqlite(copy, `${dropTriggerSql(copy, 'audit_no_update', 'audit')} ${dropTriggerSql(copy, 'audit_no_delete', 'audit')} UPDATE audit SET detail = '{"forged":1}' WHERE id = ${target};`);
  assert.equal(t.status, 0, t.stderr);
  const r = zhucun(['audit', 'verify', '--db', copy]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`row ${target}\\b`));
  // the live database is untouched
  assert.equal(zhucun(['audit', 'verify', '--db', DB]).status, 0);
});

test('a deleted middle row in a copy: `audit verify` exits 1', async () => {
  const copy = copyDb();
  const n = Number(sqlite(copy, 'SELECT count(*) FROM audit').stdout.trim());
  const target = Math.floor(n / 2);
  const t = sqlite(copy, `${dropTriggerSql(copy, 'audit_no_update', 'audit')} ${dropTriggerSql(copy, 'audit_no_delete', 'audit')} DELETE FROM audit WHERE id = ${target};`);
  assert.equal(t.status, 0, t.stderr);
  const r = zhucun(['audit', 'verify', '--db', copy]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`row ${target + 1}\\b`));
});

test('a changed hash of the last row (with the triggers dropped) is caught', async () => {
  const copy = copyDb();
  const t = sqlite(copy, `${dropTriggerSql(copy, 'audit_no_update', 'audit')} UPDATE audit SET username = 'someone' WHERE id = (SELECT max(id) FROM audit);`);
  assert.equal(t.status, 0, t.stderr);
  const r = zhucun(['audit', 'verify', '--db', copy]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
});

test('on the live database UPDATE and DELETE of audit rows fail (triggers), and the chain stays intact', async () => {
  const before = sqlite(DB, 'SELECT detail FROM audit WHERE id = 1').stdout;
  const upd = sqlite(DB, "UPDATE audit SET detail = 'x' WHERE id = 1");
  assert.notEqual(upd.status, 0, 'UPDATE must fail');
  const del = sqlite(DB, 'DELETE FROM audit WHERE id = 1');
  assert.notEqual(del.status, 0, 'DELETE must fail');
  assert.equal(sqlite(DB, 'SELECT detail FROM audit WHERE id = 1').stdout, before);
  assert.equal(sqlite(DB, 'SELECT count(*) FROM audit WHERE id = 1').stdout.trim(), '1');
  const v = await api('GET', '/api/v1/audit/verify', { session: await as('auditadmin') });
  assert.equal(v.body.ok, true);
});

test('the audit log never holds passwords', async () => {
  const sys = await as('sysadmin');
  const pw = `Secret#${uniq('')}9`;
  const username = uniq('aud');
  const r = await api('POST', '/api/v1/users', {
    session: sys, body: { username, display_name: '审计', role: 'township_deputy', region_code: '360781101', password: pw },
  });
  assert.equal(r.status, 201, r.text);
  const rows = (await list(await as('auditadmin'), '/api/v1/audit?action=user.create')).items;
  const row = rows.find((x) => x.entity_id === String(r.body.id));
  assert.ok(row, 'user.create audited');
  assert.ok(row.detail.includes(username));
  assert.ok(!row.detail.includes(pw));
  assert.equal(sqlite(DB, `SELECT count(*) FROM audit WHERE detail LIKE '%${pw}%'`).stdout.trim(), '0');
});
