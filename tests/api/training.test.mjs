// 培训管理 (4.1–4.5): the county's plan filed once a year (evidence county_training_plan), events by
// type with participants picked from the cadres in post and attendance (evidence per attending
// cadre, by type), the 4.5 policy training of units' staff (evidence of the county), coverage per
// cadre against 30 September and per county; scope across counties, duplicates, stale versions,
// the month lock and bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, login, list, sqlite, DB, todayCST, addDays, uniq } from './lib.mjs';

const YEAR = Number(todayCST().slice(0, 4));
const TODAY = todayCST();
let org, city, leader, township, otherCounty, untrained, foreignCadre;

const live = (where) => sqlite(DB, `SELECT kind, party_type, party_id, done_on FROM obligation_evidence WHERE revoked_at IS NULL AND ${where} ORDER BY party_id`).stdout.trim();
const coverage = async (session, q = '') => (await list(session, `/api/v1/training-coverage?year=${YEAR}${q}`, { all: true })).items;
const event = (session, body) => api('POST', '/api/v1/training-events', { session, body: {
  type: 'county_rotation', title: `轮训${uniq('')}`, organizer_code: '360781', start_date: TODAY, end_date: TODAY, hours: 8,
  place: '瑞金市委党校', topics: ['xi_sannong', 'qianwan'], ...body } });

before(async () => {
  org = await as('ruijin_org');
  city = await as('city_org');
  leader = await as('unit_leader1');
  township = await as('shazhouba_sec');
  const made = await createUser({ role: 'org_county', region_code: '360703' });
  otherCounty = await login(made.username, made.password);
  untrained = await coverage(org, '&status=untrained');
  assert.ok(untrained.length >= 3, 'the demo leaves some Ruijin cadres untrained');
  foreignCadre = (await coverage(otherCounty))[0];
  assert.ok(foreignCadre && foreignCadre.county_code === '360703');
});

test('4.2a/4.4: a county records a rotation batch; attending cadres get evidence and leave the untrained list', async () => {
  const [a, b, absent] = untrained;
  const r = await event(org, { participants: [{ cadre_id: a.cadre_id }, { cadre_id: b.cadre_id, attended: true }, { cadre_id: absent.cadre_id, attended: false }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.type_name, '县级分期分批轮训');
  assert.equal(r.body.clause, '4.2a');
  assert.deepEqual(r.body.topic_names, ['习近平总书记关于“三农”工作的重要论述', '“千万工程”经验']);
  assert.equal(r.body.participants.length, 3);
  assert.equal(r.body.participants.filter((p) => p.attended).length, 2);
  const ids = [a.cadre_id, b.cadre_id].sort((x, y) => String(x).localeCompare(String(y)));
  assert.equal(live(`record_type = 'training_event' AND record_id = ${r.body.id}`),
    ids.map((id) => `training_county_rotation|cadre|${id}|${TODAY}`).join('\n'));
  const now = await coverage(org, '&status=untrained');
  assert.ok(!now.some((c) => c.cadre_id === a.cadre_id) && !now.some((c) => c.cadre_id === b.cadre_id), 'left the untrained list');
  assert.ok(now.some((c) => c.cadre_id === absent.cadre_id), 'the absent one stays');
  const row = (await coverage(org)).find((c) => c.cadre_id === a.cadre_id);
  assert.equal(row.types.county_rotation.done_on, TODAY);
  assert.equal(row.types.county_rotation.on_time, TODAY <= `${YEAR}-09-30`);
  assert.ok(!row.missing.includes('county_rotation'));
  // the records behind the row
  const mine = await list(org, `/api/v1/training-events?year=${YEAR}&cadre=${a.cadre_id}`);
  assert.ok(mine.items.some((e) => e.id === r.body.id));
  assert.equal(sqlite(DB, `SELECT count(*) FROM audit WHERE action = 'training_event.create' AND entity_id = '${r.body.id}'`).stdout.trim(), '1');
});

test('attendance is marked afterwards with the current version; a stale version is 409; withdrawal revokes', async () => {
  const [, , , c, d] = untrained;
  const r = await event(org, { participants: [{ cadre_id: c.cadre_id }, { cadre_id: d.cadre_id }] });
  assert.equal(r.status, 201, r.text);
  const put = (version, parts) => api('PUT', `/api/v1/training-events/${r.body.id}/participants`, { session: org, body: { version, participants: parts } });
  const ok = await put(r.body.version, [{ cadre_id: c.cadre_id, attended: true }, { cadre_id: d.cadre_id, attended: false }]);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.version, r.body.version + 1);
  assert.equal(live(`record_type = 'training_event' AND record_id = ${r.body.id}`), `training_county_rotation|cadre|${c.cadre_id}|${TODAY}`);
  assertError(await put(r.body.version, [{ cadre_id: c.cadre_id }]), 409, 'stale_version', 'version');
  assertError(await put(ok.body.version, [{ cadre_id: c.cadre_id }, { cadre_id: c.cadre_id }]), 400, 'field_invalid', 'participants');
  const w = await api('POST', `/api/v1/training-events/${r.body.id}/withdraw`, { session: org, body: { reason: '重复登记' } });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.status, 'withdrawn');
  assert.equal(live(`record_type = 'training_event' AND record_id = ${r.body.id}`), '', 'all evidence revoked');
  assertError(await api('POST', `/api/v1/training-events/${r.body.id}/withdraw`, { session: org, body: { reason: '再次' } }), 409, 'already_withdrawn');
  assert.ok((await coverage(org, '&status=untrained')).some((x) => x.cadre_id === c.cadre_id), 'untrained again');
});

test('scope: a county trains only its cadres, organizes only in its county, and does not see another county\'s events', async () => {
  assertError(await event(org, { participants: [{ cadre_id: foreignCadre.cadre_id }] }), 404, 'not_found', 'participants');
  assertError(await event(org, { organizer_code: '360703', participants: [] }), 404, 'not_found', 'organizer_code');
  const theirs = await event(otherCounty, { organizer_code: '360703', participants: [{ cadre_id: foreignCadre.cadre_id }] });
  assert.equal(theirs.status, 201, theirs.text);
  assertError(await api('GET', `/api/v1/training-events/${theirs.body.id}`, { session: org }), 404, 'not_found');
  assert.equal((await api('GET', `/api/v1/training-events/${theirs.body.id}`, { session: city })).status, 200);
  assertError(await event(township, { participants: [] }), 403, 'forbidden');
  assertError(await event(leader, { participants: [] }), 403, 'forbidden');
  // the city's classes reach every county: a county sees them
  const cityEvents = await list(org, `/api/v1/training-events?year=${YEAR - 1}&type=city_demo`); // a whole year, whatever today is
  assert.ok(cityEvents.items.length > 0 && cityEvents.items.every((e) => e.organizer_code === '3607'));
});

test('4.1a: the demonstration class is the city\'s, for first secretaries only', async () => {
  assertError(await event(org, { type: 'city_demo', participants: [] }), 400, 'field_invalid', 'organizer_code');
  const all = await coverage(city, '&region=360781');
  const member = all.find((c) => c.post !== 'first_secretary');
  const secretary = all.find((c) => c.post === 'first_secretary' && !c.types.city_demo.done_on);
  assertError(await event(city, { type: 'city_demo', organizer_code: '3607', participants: [{ cadre_id: member.cadre_id }] }), 400, 'field_invalid', 'participants');
  if (secretary) {
    const r = await event(city, { type: 'city_demo', organizer_code: '3607', participants: [{ cadre_id: secretary.cadre_id }] });
    assert.equal(r.status, 201, r.text);
    assert.equal(live(`record_type = 'training_event' AND record_id = ${r.body.id}`), `training_city_demo|cadre|${secretary.cadre_id}|${TODAY}`);
    const after = (await coverage(org)).find((c) => c.cadre_id === secretary.cadre_id);
    assert.equal(after.types.city_demo.done_on, TODAY);
  }
});

test('4.5: the biennial policy training of a county\'s own units\' deputy leaders and HR heads is evidence of the county', async () => {
  const units = (await list(org, '/api/v1/units?region=360781')).items;
  const body = { type: 'policy_biennial', staff: [{ name: '张分管', unit_id: units[0].id, role: 'unit_deputy' }, { name: '李人事', unit_id: units[0].id, role: 'unit_hr' }] };
  assertError(await event(org, { ...body, participants: [{ cadre_id: untrained[0].cadre_id }] }), 400, 'field_invalid', 'participants');
  assertError(await event(org, { ...body, staff: [{ name: '王', unit_id: units[0].id, role: 'boss' }] }), 400, 'field_invalid', 'staff');
  const r = await event(org, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(live(`record_type = 'training_event' AND record_id = ${r.body.id}`), `policy_training_biennial|county|360781|${TODAY}`);
  const county = (await list(org, `/api/v1/training-counties?year=${YEAR}`)).items;
  assert.equal(county.length, 1);
  assert.equal(county[0].policy_training_on, TODAY);
});

test('4.5 「各地每两年要对本级派出单位分管领导、组织人事部门负责人开展政策培训」: the city trains its own units\' staff and owes it too; each level only its own units', async () => {
  const cityUnits = (await list(city, '/api/v1/units?region=3607', { all: true })).items;
  const cityUnit = cityUnits.find((u) => u.level === 'city');
  const countyUnit = cityUnits.find((u) => u.level === 'county' && u.region_code === '360781');
  assert.ok(cityUnit && countyUnit, 'the demo has city and county units');
  const staff = (unit) => [{ name: '赵分管', unit_id: unit.id, role: 'unit_deputy' }, { name: '钱人事', unit_id: unit.id, role: 'unit_hr' }];
  const body = { type: 'policy_biennial', organizer_code: '3607', place: '赣州市委党校' };
  // the city may not train a county's units, nor a county the city's: 本级 only
  assertError(await event(city, { ...body, staff: staff(countyUnit) }), 400, 'field_invalid', 'staff');
  assertError(await event(org, { type: 'policy_biennial', staff: staff(cityUnit) }), 404, 'not_found', 'staff');
  const before = await api('GET', `/api/v1/compliance/cells?obligation=city_policy_training_biennial&from=${TODAY}&to=${TODAY}&page_size=200`, { session: city });
  assert.equal(before.status, 200, before.text);
  const owed = before.body.items.find((c) => c.party_id === '3607');
  assert.ok(owed, 'the city owes 4.5 for its own units');
  assert.equal(owed.party_type, 'city');
  assert.equal(owed.obligation_clause, '4.5');
  const r = await event(city, { ...body, staff: staff(cityUnit) });
  assert.equal(r.status, 201, r.text);
  assert.equal(live(`record_type = 'training_event' AND record_id = ${r.body.id}`), `policy_training_biennial|city|3607|${TODAY}`);
  const after = await api('GET', `/api/v1/compliance/cells?obligation=city_policy_training_biennial&from=${TODAY}&to=${TODAY}&page_size=200`, { session: city });
  const cell = after.body.items.find((c) => c.party_id === '3607');
  assert.ok(['met', 'met_late'].includes(cell.status), JSON.stringify(cell));
  // a county does not see the city's duty as its own
  const county = await api('GET', `/api/v1/compliance/cells?obligation=city_policy_training_biennial&from=${TODAY}&to=${TODAY}&page_size=200`, { session: org });
  assert.equal(county.status, 200, county.text);
  assert.equal(county.body.items.length, 0);
});

test('4.2a: one plan per county and year, filed once (evidence); in scope only', async () => {
  const year = YEAR - 3; // the demo writes plans for this year and the last only
  const make = (session, county, extra = {}) => api('POST', '/api/v1/training-plans', { session, body: { county_code: county, year, title: `${year}年度驻村干部培训计划`, ...extra } });
  const draft = await make(org, '360781');
  assert.equal(draft.status, 201, draft.text);
  assert.equal(draft.body.status, 'draft');
  assert.equal(live(`record_type = 'training_plan' AND record_id = ${draft.body.id}`), '');
  assertError(await make(org, '360781'), 409, 'duplicate', 'year');
  assertError(await make(org, '360703'), 404, 'not_found', 'county_code');
  assertError(await make(city, '360781104'), 400, 'field_invalid', 'county_code');
  assertError(await make(township, '360781'), 403, 'forbidden');
  assertError(await make(otherCounty, '360703', { filed_on: TODAY }), 400, 'field_required', 'doc_no');
  const file = (doc, on) => api('POST', `/api/v1/training-plans/${draft.body.id}/file`, { session: org, body: { doc_no: doc, filed_on: on } });
  assertError(await file('瑞驻组字〔2023〕1号', addDays(TODAY, 3)), 400, 'field_invalid', 'filed_on');
  const filed = await file('瑞驻组字〔2023〕1号', TODAY);
  assert.equal(filed.status, 200, filed.text);
  assert.equal(filed.body.status, 'filed');
  assert.equal(live(`record_type = 'training_plan' AND record_id = ${draft.body.id}`), `county_training_plan|county|360781|${TODAY}`);
  assertError(await file('又一个文号', TODAY), 409, 'already_filed');
  assertError(await api('GET', `/api/v1/training-plans/${draft.body.id}`, { session: otherCounty }), 404, 'not_found');
});

test('bad input, duplicates and the month lock', async () => {
  const p = [{ cadre_id: untrained[0].cadre_id }];
  assertError(await event(org, { participants: p, end_date: addDays(TODAY, -1) }), 400, 'field_invalid', 'end_date');
  assertError(await event(org, { participants: p, start_date: addDays(TODAY, 1), end_date: addDays(TODAY, 1) }), 400, 'field_invalid', 'start_date');
  assertError(await event(org, { participants: p, hours: 0 }), 400, 'field_invalid', 'hours');
  assertError(await event(org, { participants: p, topics: ['football'] }), 400, 'field_invalid', 'topics');
  assertError(await event(org, { participants: p, topics: 'qianwan' }), 400, 'field_type', 'topics');
  assertError(await event(org, { participants: p, type: 'picnic' }), 400, 'field_invalid', 'type');
  assertError(await event(org, { participants: p, title: undefined }), 400, 'field_required', 'title');
  assertError(await event(org, { participants: [{ cadre_id: 'x' }] }), 400, 'field_type', 'participants');
  const old = addDays(TODAY, -80);
  assertError(await event(org, { participants: p, start_date: old, end_date: old }), 423, 'period_locked', 'end_date');
  const doc = uniq('瑞驻训');
  const first = await event(org, { participants: [], doc_no: doc });
  assert.equal(first.status, 201, first.text);
  assertError(await event(org, { participants: [], doc_no: doc }), 409, 'duplicate', 'doc_no');
  assertError(await api('GET', `/api/v1/training-coverage?status=lazy`, { session: org }), 400, 'field_invalid', 'status');
});

test('coverage: per county roll-up for the city, per cadre with the deadline, and Excel exports', async () => {
  const counties = (await list(city, `/api/v1/training-counties?year=${YEAR}`)).items;
  assert.equal(counties.length, 18, 'every county of Ganzhou');
  for (const k of counties) {
    assert.ok(k.trained_on_time <= k.trained && k.trained <= k.cadres);
    assert.ok(k.first_secretaries_demo <= k.first_secretaries);
    assert.equal(k.rate, Math.round((k.trained_on_time / k.cadres) * 10000) / 10000);
  }
  const res = await api('GET', `/api/v1/training-coverage?year=${YEAR}&status=untrained`, { session: org });
  assert.equal(res.body.deadline, `${YEAR}-09-30`);
  assert.equal(res.body.due, TODAY > `${YEAR}-09-30`);
  for (const c of res.body.items) {
    assert.equal(c.status, 'untrained');
    assert.equal(c.overdue, res.body.due);
    assert.ok(c.missing.includes('lecture_hall') && c.missing.includes('county_rotation'));
    assert.equal(c.missing.includes('city_demo'), c.post === 'first_secretary', '4.1a only for first secretaries');
  }
  // a unit sees only its cadres
  const unitRows = await coverage(leader);
  assert.ok(unitRows.length > 0 && unitRows.every((c) => c.unit_id === leader.user.unit_id));
  for (const path of ['training-coverage', 'training-counties', 'training-events', 'training-plans']) {
    const x = await api('GET', `/api/v1/${path}?year=${YEAR}&format=xlsx`, { session: org });
    assert.equal(x.status, 200, path);
    assert.equal(x.buffer.subarray(0, 2).toString(), 'PK', path);
  }
});
