// The cadre registry of section 1: ID numbers checked (GB 11643), unique, masked, revealed to the
// organization departments only and audited; a unit registers and reads only its own cadres.
// Also the policy in force (GET /api/v1/policy) and the views of 1.7 (coverage) and 1.1 (stability).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { addDays, api, as, assertError, createCadre, createUnit, createUser, idCheckChar, idNumber, login, reauth, todayCST, yearsBefore } from './lib.mjs';

const REGION = '369103';
const T = todayCST();

test('registry: a wrong check character → 400 id_checksum on id_number; a future birth date → 400; nothing is created', async () => {
  const org = await as('ruijin_org');
  const unit = await createUnit(org);
  const good = idNumber(REGION, '1985-07-07', 501);
  const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  assertError(await api('POST', '/api/v1/cadres', { session: org, body: { name: '校验位错', id_number: wrong, unit_id: unit.id } }), 400, 'id_checksum', 'id_number');
  const future = addDays(T, 1);
  const f17 = `${REGION}${future.replaceAll('-', '')}502`;
  assertError(await api('POST', '/api/v1/cadres', { session: org, body: { name: '未来出生', id_number: f17 + idCheckChar(f17), unit_id: unit.id } }), 400, 'id_birthdate', 'id_number');
  const bad = `${REGION}19850230503`;
  assertError(await api('POST', '/api/v1/cadres', { session: org, body: { name: '无效日期', id_number: bad + idCheckChar(bad), unit_id: unit.id } }), 400, 'id_birthdate', 'id_number');
  assertError(await api('POST', '/api/v1/cadres', { session: org, body: { name: '太短', id_number: good.slice(0, 17), unit_id: unit.id } }), 400, 'id_length', 'id_number');
  assertError(await api('POST', '/api/v1/cadres', { session: org, body: { name: '用工', id_number: good, unit_id: unit.id, employment_type: 'volunteer' } }), 400, 'field_invalid', 'employment_type');
  assertError(await api('POST', '/api/v1/cadres', { session: org, body: { name: '职级', id_number: good, unit_id: unit.id, rank: 'general' } }), 400, 'field_invalid', 'rank');
  const list = await api('GET', `/api/v1/cadres?unit=${unit.id}`, { session: org });
  assert.equal(list.body.total, 0, 'nothing created');
});

test('registry: the same ID number twice → 409; a lowercase x is the same number', async () => {
  const org = await as('ruijin_org');
  const unit = await createUnit(org);
  const c = await createCadre(org, { region: REGION, birth: '1984-04-04', unit_id: unit.id, name: '重复者' });
  const again = await api('POST', '/api/v1/cadres', { session: org, body: { name: '重复者二', id_number: c.id_number_full, unit_id: unit.id } });
  assertError(again, 409, 'conflict', 'id_number');
  // a number ending in X, registered with a lowercase x, is found again with the capital
  let x = null;
  for (let s = 0; s < 1000 && !x; s++) { const n = idNumber(REGION, '1983-03-03', s); if (n.endsWith('X')) x = n; }
  const first = await api('POST', '/api/v1/cadres', { session: org, body: { name: '末位X', id_number: x.slice(0, 17) + 'x', unit_id: unit.id } });
  if (first.status === 201) {
    assertError(await api('POST', '/api/v1/cadres', { session: org, body: { name: '末位X二', id_number: x, unit_id: unit.id } }), 409, 'conflict', 'id_number');
  } else {
    assert.equal(first.status, 409, first.text); // already registered by an earlier run against this database
  }
});

test('registry: a unit registers only its own cadres (403 for another unit) and cannot read another unit\'s (404)', async () => {
  const leader = await as('unit_leader1');
  const org = await as('ruijin_org');
  const other = await createUnit(org);
  const n = idNumber(REGION, '1986-06-06', 601);
  assertError(await api('POST', '/api/v1/cadres', { session: leader, body: { name: '越权登记', id_number: n, unit_id: other.id } }), 403, 'forbidden', 'unit_id');
  const mine = await createCadre(leader, { region: REGION, birth: '1986-06-07', name: '本单位干部' });
  assert.equal(mine.unit_id, leader.user.unit_id, 'a unit user\'s cadre belongs to their unit');
  const theirs = await createCadre(org, { region: REGION, birth: '1986-06-08', unit_id: other.id, name: '他单位干部' });
  assertError(await api('GET', `/api/v1/cadres/${theirs.id}`, { session: leader }), 404, 'not_found');
  assertError(await api('PATCH', `/api/v1/cadres/${theirs.id}`, { session: leader, body: { phone: '13800000000' } }), 404, 'not_found');
  assertError(await api('POST', `/api/v1/cadres/${theirs.id}/sanctions`, { session: leader, body: { kind: '警告', start_date: T } }), 404, 'not_found');
  assert.equal((await api('GET', `/api/v1/cadres/${mine.id}`, { session: leader })).status, 200);
  // the eligibility of another unit's cadre is not revealed either
  assert.equal((await api('GET', `/api/v1/eligibility?cadre=${theirs.id}&unit=${leader.user.unit_id}`, { session: leader })).status, 404);
});

test('registry: the ID number is masked; only an organization department reveals it, and every reveal is audited', async () => {
  const org = await as('ruijin_org');
  const unit = await createUnit(org);
  const c = await createCadre(org, { region: REGION, birth: '1987-08-08', unit_id: unit.id, name: '脱敏检查' });
  const full = c.id_number_full;
  const g = await api('GET', `/api/v1/cadres/${c.id}`, { session: org });
  assert.equal(g.status, 200);
  assert.equal(g.body.id_number, `${full.slice(0, 4)}**********${full.slice(14)}`);
  assert.ok(!g.text.includes(full), 'the full number is nowhere in the detail');
  for (const k of ['employment_type', 'rank', 'rural_experience', 'agri_expertise', 'sanctions', 'appraisals', 'assignments']) assert.ok(k in g.body, k);
  const list = await api('GET', `/api/v1/cadres?unit=${unit.id}`, { session: org });
  assert.ok(!list.text.includes(full));

  await reauth(org); // the password typed again before a reveal (F8/F9)
  const r = await api('GET', `/api/v1/cadres/${c.id}/id-number`, { session: org });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.id_number, full);
  assert.equal(r.body.id, c.id);
  const audit = await api('GET', '/api/v1/audit?action=cadre.reveal_id_number&page_size=50', { session: await as('auditadmin') });
  assert.equal(audit.status, 200, audit.text);
  const row = audit.body.items.find((x) => x.entity_id === String(c.id));
  assert.ok(row, 'an audit row for this reveal');
  assert.equal(row.username, 'ruijin_org');
  assert.equal(row.entity, 'cadre');
  assert.ok(!JSON.stringify(audit.body).includes(full), 'the audit log keeps no ID number');
  for (const who of ['unit_leader1', 'ruijin_rrb', 'shazhouba_sec', 'auditadmin']) {
    const s = await as(who);
    const x = await api('GET', `/api/v1/cadres/${c.id}/id-number`, { session: s });
    assertError(x, 403, 'forbidden');
  }
  const after = await api('GET', '/api/v1/audit?action=cadre.reveal_id_number&page_size=50', { session: await as('auditadmin') });
  assert.equal(after.body.items.filter((x) => x.entity_id === String(c.id)).length, 1, 'refused reads are not reveals');
});

test('registry: a cadre\'s phone is masked like a household\'s; the organization department reveals it, audited; the cadre sees their own (issue 11)', async () => {
  const org = await as('ruijin_org');
  const unit = await createUnit(org);
  const c = await createCadre(org, { region: REGION, birth: '1987-09-09', unit_id: unit.id, name: '手机脱敏' });
  const phone = '13912345678';
  const p = await api('PATCH', `/api/v1/cadres/${c.id}`, { session: org, body: { phone } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.phone, '139****5678', 'the answer to the edit is masked too');
  for (const who of ['ruijin_org', 'ruijin_rrb']) {
    const g = await api('GET', `/api/v1/cadres/${c.id}`, { session: await as(who) });
    assert.equal(g.status, 200, g.text);
    assert.equal(g.body.phone, '139****5678', `${who} sees the masked phone`);
    assert.ok(!g.text.includes(phone), `${who}: the full phone is nowhere in the detail`);
  }
  // the phone is revealed behind the same gate as an ID number (issue 17): the password typed again first
  // (a fresh account of the same department: the shared session may have typed it already, and the
  // pinned clock leaves ruijin_org's second factor only three codes for fresh logins)
  const fresh = await createUser({ role: 'org_county', region_code: '360781' });
  assertError(await api('GET', `/api/v1/cadres/${c.id}/phone`, { session: await login(fresh.username, fresh.password) }), 403, 'reauth_required');
  await reauth(org);
  const r = await api('GET', `/api/v1/cadres/${c.id}/phone`, { session: org });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.phone, phone);
  const audit = await api('GET', '/api/v1/audit?action=cadre.reveal_phone&page_size=50', { session: await as('auditadmin') });
  const rows = audit.body.items.filter((x) => x.entity_id === String(c.id));
  assert.equal(rows.length, 1, 'one audit row for the reveal');
  assert.equal(rows[0].username, 'ruijin_org');
  assert.ok(!JSON.stringify(audit.body).includes(phone), 'the audit log keeps no phone');
  for (const who of ['unit_leader1', 'ruijin_rrb', 'shazhouba_sec']) {
    assertError(await api('GET', `/api/v1/cadres/${c.id}/phone`, { session: await as(who) }), 403, 'forbidden');
  }
  // the cadre reads their own number in full
  const cadre = await as('cadre1');
  const own = await api('GET', `/api/v1/cadres/${cadre.user.cadre_id}`, { session: cadre });
  assert.equal(own.status, 200, own.text);
  assert.ok(!own.body.phone.includes('*'), `own phone unmasked: ${own.body.phone}`);
});

test('policy: GET /api/v1/policy gives the administrators every parameter with its clause, and the sha256 of the file in force', async () => {
  const s = await as('sysadmin');
  const r = await api('GET', '/api/v1/policy', { session: s });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.sha256, /^[0-9a-f]{64}$/);
  const file = readFileSync(new URL('../../policy/ganzhou.json', import.meta.url));
  assert.equal(r.body.sha256, createHash('sha256').update(file).digest('hex'), 'the hash of policy/ganzhou.json');
  const byId = Object.fromEntries(r.body.parameters.map((p) => [p.id, p]));
  const want = {
    term_years: ['1.1', 2], age_limit_city: ['1.3a', 50], age_limit_county: ['1.3a', 55], handover_days: ['1.6', 15],
    young_max_age: ['1.4', 40], appraisal_window_years: ['1.3c', 1],
  };
  for (const [id, [clause, value]] of Object.entries(want)) {
    assert.ok(byId[id], id);
    assert.equal(byId[id].clause, clause, id);
    assert.equal(byId[id].value, value, id);
  }
  for (const id of ['adjustment_reasons', 'poor_appraisal_results', 'blocked_employment_types', 'employment_types', 'rank_scale',
    'first_secretary_min_rank_level', 'priority_factors', 'handover_checklist', 'appraisal_results']) assert.ok(byId[id], id);
  for (const p of r.body.parameters) {
    // one clause id, or a range of them for a parameter that serves several (obligations: 2.2-5.7)
    assert.match(p.clause, /^\d+(\.\d+)?[a-z]?(-\d+(\.\d+)?[a-z]?)?$/, `${p.id} clause`);
    assert.ok(['strict', 'in_principle'].includes(p.strictness), p.id);
    assert.match(p.description_zh, /[\u4e00-\u9fff]/, p.id);
    assert.match(p.from, /^\d{4}-\d{2}-\d{2}$/, p.id);
  }
  assert.equal(byId.age_limit_county.strictness, 'in_principle', '原则上');
  assert.equal(byId.blocked_employment_types.strictness, 'strict', '不得');
  assert.deepEqual(byId.blocked_employment_types.value, ['temporary', 'odd_job']);
  assert.deepEqual(byId.adjustment_reasons.value.map((x) => x.code), ['illness', 'unit_change', 'failing_duties', 'other']);
});

test('1.7: coverage of 瑞金市 adds up per county and lists the villages without a first secretary', async () => {
  const org = await as('ruijin_org');
  const c = await api('GET', '/api/v1/coverage?region=360781', { session: org });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.clause, '1.7');
  assert.equal(c.body.items.length, 1);
  const row = c.body.items[0];
  assert.equal(row.county_code, '360781');
  assert.equal(row.county_name, '瑞金市');
  assert.ok(row.key_villages > 0);
  assert.equal(row.key_villages, row.with_first_secretary + row.without_first_secretary);
  assert.ok(row.without_team <= row.without_first_secretary, 'a village without any team has no first secretary');
  const missing = c.body.villages_without_first_secretary;
  assert.equal(missing.length, row.without_first_secretary, 'one listed village per missing first secretary');
  assert.equal(missing.filter((v) => !v.has_team).length, row.without_team);
  assert.equal(missing.filter((v) => v.only_in_handover).length, row.only_in_handover);
  for (const v of missing) {
    assert.match(v.village_code, /^360781\d{6}$/);
    assert.equal(typeof v.has_team, 'boolean');
    assert.equal(typeof v.only_in_handover, 'boolean');
    assert.equal(v.county_name, '瑞金市');
    assert.ok(v.village_name && v.township_name);
    const reg = await api('GET', `/api/v1/regions/${v.village_code}`, { session: org });
    assert.equal(reg.body.key_village, true, `${v.village_code} is a key village`);
  }
  // the city sees every county, each adding up
  const city = await api('GET', '/api/v1/coverage', { session: await as('city_org') });
  assert.equal(city.status, 200);
  assert.ok(city.body.items.length > 1);
  for (const r of city.body.items) assert.equal(r.key_villages, r.with_first_secretary + r.without_first_secretary, r.county_code);
  assert.deepEqual(city.body.items.find((r) => r.county_code === '360781'), row);
  const x = await api('GET', '/api/v1/coverage?region=360781&format=xlsx', { session: org });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.match(x.headers.get('content-disposition') || '', /^attachment/);
  assert.equal(x.buffer.subarray(0, 2).toString('latin1'), 'PK');
});

test('1.1: stability view and its Excel export', async () => {
  const org = await as('ruijin_org');
  const s = await api('GET', '/api/v1/stability?region=360781', { session: org });
  assert.equal(s.status, 200);
  assert.equal(s.body.clause, '1.1');
  for (const r of s.body.items) {
    assert.ok(['illness', 'unit_change', 'failing_duties', 'other'].includes(r.reason), r.reason);
    assert.ok(['调整', '召回'].includes(r.recall));
    assert.ok(r.count >= 1);
    assert.equal(r.county_code, '360781');
  }
  const x = await api('GET', '/api/v1/stability?region=360781&format=xlsx', { session: org });
  assert.equal(x.status, 200);
  assert.equal(x.buffer.subarray(0, 2).toString('latin1'), 'PK');
  void yearsBefore;
});
