// 表彰激励 (3.7): awards and recommendations of cadres and units recorded by the county or city
// departments, read in scope (the county, the cadre's unit, the city); duplicates by document
// number, withdrawal, bad input, the month lock and the Excel export.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, login, list, sqlite, DB, todayCST, addDays, uniq } from './lib.mjs';

const TODAY = todayCST();
let org, city, leader, township, otherCounty, cadre, foreignCadre;

const commend = (session, body) => api('POST', '/api/v1/commendations', { session, body: {
  subject: 'cadre', kind: 'award', level: 'county', date: TODAY, doc_no: uniq('瑞组字'), title: '优秀驻村工作队员',
  reason: '帮扶成效明显', ...body } });

before(async () => {
  org = await as('ruijin_org');
  city = await as('city_org');
  leader = await as('unit_leader1');
  township = await as('shazhouba_sec');
  const made = await createUser({ role: 'org_county', region_code: '360703' });
  otherCounty = await login(made.username, made.password);
  cadre = (await list(leader, '/api/v1/cadres')).items.find((c) => c.village_code);
  assert.ok(cadre, 'a stationed cadre of unit_leader1');
  foreignCadre = (await list(otherCounty, '/api/v1/cadres')).items.find((c) => c.village_code);
});

test('3.7: the county commends a cadre; the cadre\'s unit and the city see it, another county does not', async () => {
  const r = await commend(org, { cadre_id: cadre.id, doc_no: uniq('瑞组字') });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.cadre_name, cadre.name);
  assert.equal(r.body.kind_name, '评先评优');
  assert.equal(r.body.level_name, '县级');
  const mine = await list(leader, `/api/v1/commendations?cadre=${cadre.id}`);
  assert.ok(mine.items.some((m) => m.id === r.body.id), 'the unit sees its cadre\'s record');
  assert.equal((await api('GET', `/api/v1/commendations/${r.body.id}`, { session: city })).status, 200);
  assertError(await api('GET', `/api/v1/commendations/${r.body.id}`, { session: otherCounty }), 404, 'not_found');
  assert.ok(!(await list(otherCounty, '/api/v1/commendations')).items.some((m) => m.id === r.body.id));
  assert.equal(sqlite(DB, `SELECT count(*) FROM audit WHERE action = 'commendation.create' AND entity_id = '${r.body.id}'`).stdout.trim(), '1');
});

test('a unit may be commended; only the departments record; out of scope is 404', async () => {
  const r = await commend(org, { subject: 'unit', unit_id: leader.user.unit_id, title: '驻村帮扶先进派出单位' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.subject, 'unit');
  assert.ok((await list(leader, '/api/v1/commendations')).items.some((m) => m.id === r.body.id));
  assertError(await commend(leader, { cadre_id: cadre.id }), 403, 'forbidden');
  assertError(await commend(township, { cadre_id: cadre.id }), 403, 'forbidden');
  assertError(await commend(org, { cadre_id: foreignCadre.id }), 404, 'not_found', 'cadre_id');
  const theirUnit = (await list(otherCounty, '/api/v1/units?region=360703')).items[0];
  assertError(await commend(org, { subject: 'unit', unit_id: theirUnit.id }), 404, 'not_found');
});

test('no double entry, withdrawal, bad input and the month lock', async () => {
  const doc = uniq('赣组字');
  const first = await commend(city, { cadre_id: cadre.id, doc_no: doc, level: 'city' });
  assert.equal(first.status, 201, first.text);
  assertError(await commend(city, { cadre_id: cadre.id, doc_no: doc }), 409, 'duplicate', 'doc_no');
  const w = await api('POST', `/api/v1/commendations/${first.body.id}/withdraw`, { session: city, body: { reason: '文号录错' } });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.status, 'withdrawn');
  assert.ok(!(await list(org, `/api/v1/commendations?cadre=${cadre.id}`)).items.some((m) => m.id === first.body.id), 'hidden once withdrawn');
  assert.ok((await list(org, `/api/v1/commendations?cadre=${cadre.id}&withdrawn=1`)).items.some((m) => m.id === first.body.id));
  assertError(await api('POST', `/api/v1/commendations/${first.body.id}/withdraw`, { session: city, body: { reason: '再次' } }), 409, 'already_withdrawn');
  // the document may be used again once the first entry is withdrawn
  assert.equal((await commend(city, { cadre_id: cadre.id, doc_no: doc })).status, 201);

  assertError(await commend(org, { cadre_id: cadre.id, kind: 'medal' }), 400, 'field_invalid', 'kind');
  assertError(await commend(org, { cadre_id: cadre.id, level: 'galaxy' }), 400, 'field_invalid', 'level');
  assertError(await commend(org, { cadre_id: cadre.id, subject: 'team' }), 400, 'field_invalid', 'subject');
  assertError(await commend(org, { cadre_id: cadre.id, reason: '' }), 400, 'field_required', 'reason');
  assertError(await commend(org, { cadre_id: cadre.id, date: addDays(TODAY, 1) }), 400, 'field_invalid', 'date');
  assertError(await commend(org, {}), 400, 'field_required', 'cadre_id');
  assertError(await commend(org, { cadre_id: cadre.id, unit_id: leader.user.unit_id }), 400, 'field_invalid', 'unit_id');
  assertError(await commend(org, { cadre_id: cadre.id, date: addDays(TODAY, -80) }), 423, 'period_locked', 'date');
  assertError(await api('GET', '/api/v1/commendations?cadre=abc', { session: org }), 400, 'field_invalid', 'cadre');
});

test('list and Excel export', async () => {
  const all = await list(city, '/api/v1/commendations');
  assert.ok(all.total > 0, 'the demo has commendations');
  assert.ok(all.items.every((m) => m.kind_name && m.level_name && m.doc_no));
  const x = await api('GET', '/api/v1/commendations?format=xlsx', { session: org });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
});
