// F7 of the security review (2026-12): cadre phone numbers (`cadre.phone`) and members' health notes
// (`household_member.health`, sensitive personal information under PIPL) were stored in plain text, found
// by grep in the database and its WAL. Now both are sealed with the key file like the ID numbers: lists
// show them masked, the full value only through an audited reveal behind the same gate as an ID number
// (the password typed again, a per-user rate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { api, as, assertError, list, reauth, run, sqlite, DB, ON_PG } from './lib.mjs';
import { importHousehold } from './cases_lib.mjs';
import { randomHex } from '../clock.mjs';

/** Every byte of the database and its WAL; on PostgreSQL every row of every table (pg_dump). */
function dbBytes() {
  if (ON_PG) {
    const r = run('pg_dump', ['--data-only', DB], { maxBuffer: 1 << 30 });
    assert.equal(r.status, 0, `pg_dump: ${r.stderr}`);
    return Buffer.from(r.stdout);
  }
  return Buffer.concat([DB, `${DB}-wal`].filter(existsSync).map((f) => readFileSync(f)));
}

test('a demo cadre\'s phone: masked in the record, revealed in full after the password, and nowhere in the database file', async () => {
  const org = await as('ruijin_org');
  const cadres = (await list(org, '/api/v1/cadres')).items;
  const id = cadres[0].id;
  const d = await api('GET', `/api/v1/cadres/${id}`, { session: org });
  assert.equal(d.status, 200, d.text);
  assert.match(d.body.phone, /^1\d{2}\*{4}\d{4}$/, `masked: ${d.body.phone}`);
  // as an ID number (F8/F9): not without the password typed again
  assertError(await api('GET', `/api/v1/cadres/${id}/phone`, { session: org }), 403, 'reauth_required');
  await reauth(org);
  const r = await api('GET', `/api/v1/cadres/${id}/phone`, { session: org });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.phone, /^1\d{10}$/);
  assert.equal(r.body.phone.slice(0, 3) + '****' + r.body.phone.slice(-4), d.body.phone);
  // the plain number is in neither the database nor its WAL; the sealed column is all there is
  assert.ok(!dbBytes().includes(r.body.phone), 'the phone is not in the database file');
  assert.notEqual(sqlite(DB, 'SELECT phone FROM cadre LIMIT 1').status, 0, 'no plain phone column');
  assert.equal(sqlite(DB, 'SELECT count(*) FROM cadre WHERE phone_cipher IS NOT NULL AND phone_masked IS NULL').stdout.trim(), '0');
  const audit = (await list(await as('auditadmin'), '/api/v1/audit?action=cadre.reveal_phone')).items;
  const row = audit.find((x) => x.entity_id === String(id) && x.username === 'ruijin_org');
  assert.ok(row, 'the reveal is audited');
  assert.ok(!JSON.stringify(audit).includes(r.body.phone), 'the audit log keeps no phone');
});

test('a phone changed through the record is sealed too; "" clears it', async () => {
  const org = await as('ruijin_org');
  const id = (await list(org, '/api/v1/cadres')).items[1].id;
  const phone = `139${String(parseInt(randomHex(4), 16) % 100000000).padStart(8, '0')}`;
  const p = await api('PATCH', `/api/v1/cadres/${id}`, { session: org, body: { phone } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`);
  assert.ok(!dbBytes().includes(phone), 'the new phone is not in the database file');
  await reauth(org);
  assert.equal((await api('GET', `/api/v1/cadres/${id}/phone`, { session: org })).body.phone, phone);
  const c = await api('PATCH', `/api/v1/cadres/${id}`, { session: org, body: { phone: '' } });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.phone, '');
  assert.equal((await api('GET', `/api/v1/cadres/${id}/phone`, { session: org })).body.phone, '');
});

test('a member\'s health note: "****" in the household, the text only through the gate, audited, never in the file', async () => {
  const health = `慢性肾病透析${randomHex(3)}`;
  const h = await importHousehold({ health });
  const sec = await as('shazhouba_sec');
  const d = await api('GET', `/api/v1/households/${h.id}`, { session: sec });
  assert.equal(d.status, 200, d.text);
  assert.ok(!d.text.includes(health), 'the detail does not carry the note');
  const head = d.body.members.find((m) => m.relation === '户主');
  assert.equal(head.health, '****');
  assert.equal(d.body.members.find((m) => m.relation === '配偶').health, '****', '"健康" is a note too');
  assert.ok(!dbBytes().includes(health), 'the note is not in the database file');

  const path = `/api/v1/households/${h.id}/members/${head.id}/health`;
  const cadre = await as('cadre1');
  assertError(await api('GET', path, { session: cadre }), 403, 'reauth_required');
  await reauth(cadre);
  const r = await api('GET', path, { session: cadre });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.health, health);
  assert.equal(r.body.member_id, head.id);
  const rows = (await list(await as('auditadmin'), '/api/v1/audit?action=household.reveal_health')).items;
  const row = rows.find((x) => x.username === 'cadre1' && x.entity_id === String(h.id));
  assert.ok(row, 'the reveal is audited');
  assert.match(row.detail, new RegExp(`"member_id":${head.id}`));
  assert.ok(!JSON.stringify(rows).includes(health), 'the audit log keeps no health note');
  // a member of another household, or a role without household reading: no
  assertError(await api('GET', `/api/v1/households/${h.id}/members/999999999/health`, { session: cadre }), 404, 'not_found');
  assertError(await api('GET', path, { session: await as('sysadmin') }), 403, 'forbidden');
});

test('the household list and its search carry no health note and only the masked phone', async () => {
  const health = `糖尿病${randomHex(3)}`;
  const h = await importHousehold({ health, phone: '13955501234' });
  const sec = await as('shazhouba_sec');
  const l = await api('GET', `/api/v1/households?village=${h.village_code}&q=${h.household_no}`, { session: sec });
  assert.equal(l.status, 200, l.text);
  assert.equal(l.body.items.length, 1);
  assert.equal(l.body.items[0].phone, '139****1234');
  assert.ok(!l.text.includes(health) && !l.text.includes('13955501234'));
});
