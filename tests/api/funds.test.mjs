// 经费保障 and 人身意外伤害保险 (3.4a, 3.4b, 3.5): the unit records for the teams where its cadres are
// in post, the county and city for any team in their region; duplicates, the month lock, scope
// across units and counties, and the evidence rows the obligation engine counts (work_funds with
// its amount, accident_insurance once every cadre of the team is covered), revoked on withdrawal.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, login, list, sqlite, DB, todayCST, addDays, uniq } from './lib.mjs';

const YEAR = Number(todayCST().slice(0, 4));
let org, city, leader, township, otherCounty, ownTeams, foreignTeam, otherCountyTeam;

const teams = async (session, q = '') => (await list(session, `/api/v1/team-funds?year=${YEAR}${q}`, { all: true })).items;
const team = async (session, code) => (await teams(session)).find((t) => t.village_code === code);
// the amount printed as sqlite3 prints a real (1000.0) and the live flag as 0/1: the same text from psql
const evidence = (where) => sqlite(DB, `SELECT kind, party_type, party_id, done_on, CASE WHEN amount IS NULL THEN '' ELSE printf('%.1f', amount) END,
  CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END FROM obligation_evidence WHERE ${where} ORDER BY id`).stdout.trim();
const fund = (session, body) => api('POST', '/api/v1/funds', { session, body: { kind: 'work_funds', amount: 1000, paid_on: todayCST(), doc_no: uniq('文号'), ...body } });

before(async () => {
  org = await as('ruijin_org');
  city = await as('city_org');
  leader = await as('unit_leader1');
  township = await as('shazhouba_sec');
  const made = await createUser({ role: 'org_county', region_code: '360703' }); // 南康区
  otherCounty = await login(made.username, made.password);
  ownTeams = await teams(leader);
  assert.ok(ownTeams.length > 0, 'the unit has teams');
  const all = await teams(org);
  foreignTeam = all.find((t) => !ownTeams.some((o) => o.village_code === t.village_code));
  assert.ok(foreignTeam, 'a Ruijin team without cadres of the unit');
  otherCountyTeam = (await teams(otherCounty))[0];
  assert.ok(otherCountyTeam && otherCountyTeam.village_code.startsWith('360703'));
});

test('3.4a: the unit records work funds for its team; the sum reaches 10,000 and the flag clears; evidence with the amount', async () => {
  const short = ownTeams.find((t) => t.below_min) || ownTeams[0];
  const need = Math.max(10000 - short.work_funds, 1);
  const r = await fund(leader, { village_code: short.village_code, amount: need });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.payer_unit_id, leader.user.unit_id, 'paid by the unit itself');
  assert.equal(r.body.kind_name, '工作经费');
  const after = await team(leader, short.village_code);
  assert.equal(after.work_funds, short.work_funds + need);
  assert.equal(after.below_min, false);
  assert.ok(!after.flags.some((f) => f.code === 'below_min'));
  assert.equal(after.reached_on, todayCST());
  // reached today, after 31 March: still late (3.5)
  assert.equal(after.late, todayCST() > `${YEAR}-03-31`);
  if (after.late) assert.ok(after.flags.some((f) => f.code === 'late' && f.clause === '3.5'));
  assert.equal(evidence(`record_type = 'fund_entry' AND record_id = ${r.body.id}`),
    `work_funds|team|${short.village_code}|${todayCST()}|${need}.0|1`);
});

test('3.4a: a unit may not fund a team without its cadres, nor pay as another unit; a township may not record', async () => {
  assertError(await fund(leader, { village_code: foreignTeam.village_code }), 404, 'not_found', 'village_code');
  assertError(await fund(leader, { village_code: ownTeams[0].village_code, payer_unit_id: leader.user.unit_id + 1 }), 403, 'forbidden', 'payer_unit_id');
  assertError(await fund(township, { village_code: ownTeams[0].village_code }), 403, 'forbidden');
});

test('scope: a county records only in its county and sees only its teams and records', async () => {
  assertError(await fund(org, { village_code: otherCountyTeam.village_code, payer_name: '瑞金市财政局' }), 404, 'not_found', 'village_code');
  const r = await fund(otherCounty, { village_code: otherCountyTeam.village_code, payer_name: '南康区财政局' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.payer_unit_id, null);
  assert.equal(r.body.payer_name, '南康区财政局');
  assertError(await api('GET', `/api/v1/funds/${r.body.id}`, { session: org }), 404, 'not_found');
  assertError(await api('GET', `/api/v1/funds/${r.body.id}`, { session: leader }), 404, 'not_found');
  assert.equal((await api('GET', `/api/v1/funds/${r.body.id}`, { session: city })).status, 200);
  assert.ok((await teams(org)).every((t) => t.village_code.startsWith('360781')));
  assert.ok((await teams(otherCounty)).every((t) => t.village_code.startsWith('360703')));
  // a county official names the payer: a unit, or a payer by name
  assertError(await fund(org, { village_code: foreignTeam.village_code }), 400, 'field_required', 'payer_name');
});

test('no double entry: the same document number for the same team and kind is 409 and changes nothing', async () => {
  const doc = uniq('瑞农字');
  const first = await fund(leader, { village_code: ownTeams[0].village_code, doc_no: doc });
  assert.equal(first.status, 201, first.text);
  const before = await team(leader, ownTeams[0].village_code);
  assertError(await fund(leader, { village_code: ownTeams[0].village_code, doc_no: doc }), 409, 'duplicate', 'doc_no');
  const after = await team(leader, ownTeams[0].village_code);
  assert.equal(after.work_funds, before.work_funds);
  assert.equal(after.entries, before.entries);
  // the same document for another kind is another payment
  const assistance = await fund(leader, { village_code: ownTeams[0].village_code, doc_no: doc, kind: 'assistance_funds' });
  assert.equal(assistance.status, 201, assistance.text);
  assert.equal(evidence(`record_type = 'fund_entry' AND record_id = ${assistance.body.id}`), '', 'assistance funds are not work funds evidence');
});

test('bad input is refused with the field, a Chinese message and a code', async () => {
  const v = ownTeams[0].village_code;
  assertError(await fund(leader, { village_code: v, amount: undefined }), 400, 'field_required', 'amount');
  assertError(await fund(leader, { village_code: v, amount: -5 }), 400, 'field_invalid', 'amount');
  assertError(await fund(leader, { village_code: v, amount: '1000' }), 400, 'field_type', 'amount');
  assertError(await fund(leader, { village_code: v, paid_on: '2026-02-30' }), 400, 'field_invalid', 'paid_on');
  assertError(await fund(leader, { village_code: v, paid_on: addDays(todayCST(), 2) }), 400, 'field_invalid', 'paid_on');
  assertError(await fund(leader, { village_code: v, kind: 'bonus' }), 400, 'field_invalid', 'kind');
  assertError(await fund(leader, { village_code: v, doc_no: '' }), 400, 'field_required', 'doc_no');
  assertError(await fund(leader, { village_code: v, extra: 1 }), 400, 'field_unknown', 'extra');
  assertError(await fund(leader, { village_code: v, kind: 'living_allowance' }), 400, 'field_required', 'cadre_id');
  assertError(await fund(leader, { village_code: v, cadre_id: 1 }), 400, 'field_invalid', 'cadre_id');
  const raw = await api('POST', '/api/v1/funds', { session: leader, raw: '{"village_code":' });
  assert.equal(raw.status, 400, raw.text);
  assertError(await api('GET', `/api/v1/team-funds?year=99`, { session: org }), 400, 'field_invalid', 'year');
  assertError(await api('GET', `/api/v1/team-funds?flag=all`, { session: org }), 400, 'field_invalid', 'flag');
});

test('the month lock: a payment dated in a closed month is 423 period_locked', async () => {
  const old = addDays(todayCST(), -75);
  assertError(await fund(leader, { village_code: ownTeams[0].village_code, paid_on: old }), 423, 'period_locked', 'paid_on');
});

test('the month lock holds for a withdrawal too, and reopening the month for the village of the entry lets it through', async () => {
  const v = ownTeams[0].village_code;
  const r = await fund(leader, { village_code: v, amount: 555 });
  assert.equal(r.status, 201, r.text);
  const old = addDays(todayCST(), -220);
  assert.equal(sqlite(DB, `UPDATE fund_entry SET paid_on = '${old}' WHERE id = ${r.body.id}`).status, 0);
  const withdraw = () => api('POST', `/api/v1/funds/${r.body.id}/withdraw`, { session: leader, body: { reason: '补录有误' } });
  assertError(await withdraw(), 423, 'period_locked');
  const unlock = { region_code: v, month: old.slice(0, 7), until: addDays(todayCST(), 2), reason: '文号录错，经市委组织部同意更正' };
  const u = await api('POST', '/api/v1/period-unlocks', { session: city, body: unlock });
  assert.equal(u.status, 201, u.text);
  const w = await withdraw();
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.status, 'withdrawn');
});

test('3.4b: an allowance is per cadre of the team; withdrawal revokes work funds evidence', async () => {
  const v = ownTeams[0].village_code;
  const cadres = (await list(leader, `/api/v1/cadres?region=${v}`)).items.filter((c) => c.village_code === v && c.unit_id === leader.user.unit_id);
  assert.ok(cadres.length > 0);
  const allowance = await fund(leader, { village_code: v, kind: 'living_allowance', cadre_id: cadres[0].id, amount: 3000 });
  assert.equal(allowance.status, 201, allowance.text);
  assert.equal(allowance.body.cadre_name, cadres[0].name);
  const outsider = (await list(org, `/api/v1/cadres?region=${foreignTeam.village_code}`)).items[0];
  assertError(await fund(leader, { village_code: v, kind: 'living_allowance', cadre_id: outsider.id }), 404, 'not_found', 'cadre_id');

  const before = await team(leader, v);
  const r = await fund(leader, { village_code: v, amount: 777 });
  assert.equal((await team(leader, v)).work_funds, before.work_funds + 777);
  const w = await api('POST', `/api/v1/funds/${r.body.id}/withdraw`, { session: leader, body: { reason: '录入错误' } });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.status, 'withdrawn');
  assert.equal((await team(leader, v)).work_funds, before.work_funds);
  assert.match(evidence(`record_type = 'fund_entry' AND record_id = ${r.body.id}`), /\|0$/, 'evidence revoked');
  assertError(await api('POST', `/api/v1/funds/${r.body.id}/withdraw`, { session: leader, body: { reason: '再次' } }), 409, 'already_withdrawn');
  assertError(await api('POST', `/api/v1/funds/${r.body.id}/withdraw`, { session: leader, body: {} }), 400, 'field_required', 'reason');
  const audit = sqlite(DB, `SELECT count(*) FROM audit WHERE action IN ('funds.create','funds.withdraw') AND entity_id = '${r.body.id}'`).stdout.trim();
  assert.equal(audit, '2', 'both writes audited');
});

test('3.5: a policy covering every cadre in post insures the team (evidence); partial cover is flagged; withdrawal revokes', async () => {
  const all = await teams(org);
  const uninsured = all.find((t) => t.insurance === 'missing' && t.cadres > 1);
  assert.ok(uninsured, 'a team without insurance');
  const cadres = (await list(org, `/api/v1/cadres?region=${uninsured.village_code}`)).items.filter((c) => c.village_code === uninsured.village_code);
  const body = (ids, no) => ({ village_code: uninsured.village_code, year: YEAR, insurer: '中国人寿赣州分公司', policy_no: no,
    cover_start: `${todayCST().slice(0, 8)}01`, cover_end: `${YEAR}-12-31`, cadre_ids: ids, payer_name: '瑞金市财政局' });
  const partial = await api('POST', '/api/v1/insurance', { session: org, body: body([cadres[0].id], uniq('P')) });
  assert.equal(partial.status, 201, partial.text);
  let t = await team(org, uninsured.village_code);
  assert.equal(t.insurance, 'partial');
  assert.ok(t.flags.some((f) => f.code === 'insurance_partial' && f.clause === '3.5'));
  assert.equal(evidence(`kind = 'accident_insurance' AND party_id = '${uninsured.village_code}' AND done_on >= '${YEAR}-01-01'`), '', 'not yet covered');

  const no = uniq('P');
  const rest = await api('POST', '/api/v1/insurance', { session: org, body: body(cadres.slice(1).map((c) => c.id), no) });
  assert.equal(rest.status, 201, rest.text);
  assert.deepEqual(rest.body.cadres.map((c) => c.id).sort(), cadres.slice(1).map((c) => c.id).sort());
  t = await team(org, uninsured.village_code);
  assert.equal(t.insurance, 'ok');
  assert.ok(!t.flags.some((f) => f.code.startsWith('insurance')));
  assert.match(evidence(`kind = 'accident_insurance' AND party_id = '${uninsured.village_code}' AND record_id = ${rest.body.id}`),
    new RegExp(`^accident_insurance\\|team\\|${uninsured.village_code}\\|${todayCST().slice(0, 8)}01\\|\\|1$`));

  assertError(await api('POST', '/api/v1/insurance', { session: org, body: body([cadres[0].id], no) }), 409, 'duplicate', 'policy_no');
  const outsider = (await list(org, `/api/v1/cadres?region=${foreignTeam.village_code}`)).items.find((c) => c.village_code === foreignTeam.village_code);
  if (outsider && foreignTeam.village_code !== uninsured.village_code)
    assertError(await api('POST', '/api/v1/insurance', { session: org, body: body([outsider.id], uniq('P')) }), 404, 'not_found', 'cadre_ids');
  assertError(await api('POST', '/api/v1/insurance', { session: org, body: { ...body([cadres[0].id], uniq('P')), cover_end: '2000-01-01' } }), 400, 'field_invalid', 'cover_end');
  assertError(await api('POST', '/api/v1/insurance', { session: org, body: { ...body([], uniq('P')) } }), 400, 'field_invalid', 'cadre_ids');

  const w = await api('POST', `/api/v1/insurance/${rest.body.id}/withdraw`, { session: org, body: { reason: '保单退保' } });
  assert.equal(w.status, 200, w.text);
  assert.match(evidence(`record_type = 'insurance_policy' AND record_id = ${rest.body.id}`), /\|0$/, 'revoked');
  assert.equal((await team(org, uninsured.village_code)).insurance, 'partial');
});

test('the team view: filters by flag, clauses on every flag, Excel export, and the records behind a row', async () => {
  const flagged = await teams(org, '&flag=below_min');
  assert.ok(flagged.length > 0);
  assert.ok(flagged.every((t) => t.below_min && t.flags.some((f) => f.code === 'below_min' && f.clause === '3.4a')));
  const res = await api('GET', `/api/v1/team-funds?year=${YEAR}&flag=any`, { session: org });
  assert.equal(res.status, 200);
  assert.equal(res.body.summary.year, YEAR);
  assert.equal(res.body.summary.deadline, `${YEAR}-03-31`);
  assert.ok(res.body.summary.below_min >= flagged.length - 0 && res.body.summary.teams >= res.body.total);
  const x = await api('GET', `/api/v1/team-funds?year=${YEAR}&flag=any&format=xlsx`, { session: org });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
  const row = flagged[0];
  const records = await list(org, `/api/v1/funds?year=${YEAR}&village=${row.village_code}&kind=work_funds`);
  assert.equal(records.items.reduce((s, f) => s + f.amount, 0), row.work_funds, 'the rows behind the total');
  const ledger = await api('GET', `/api/v1/funds?year=${YEAR}&format=xlsx`, { session: leader });
  assert.equal(ledger.status, 200);
  assert.equal(ledger.buffer.subarray(0, 2).toString(), 'PK');
});

test('by dispatching unit: which units have teams not funded by 31 March, and their teams', async () => {
  const units = (await list(org, `/api/v1/unit-funds?year=${YEAR}`, { all: true })).items;
  assert.ok(units.length > 0);
  const mine = units.find((u) => u.unit_id === leader.user.unit_id);
  assert.ok(mine, 'the unit is listed for its teams in Ruijin');
  const itsTeams = await teams(org, `&unit=${mine.unit_id}`);
  // the unit answers for the teams it leads (牵头单位, issue 11); where it is a co-unit it is not blamed
  const led = itsTeams.filter((t) => t.lead_unit_id === mine.unit_id);
  assert.equal(itsTeams.length, mine.teams + mine.co_teams);
  assert.equal(led.length, mine.teams);
  assert.equal(led.filter((t) => t.below_min).length, mine.below_min);
  assert.equal(led.filter((t) => t.late).length, mine.late);
  assert.equal(led.filter((t) => t.insurance !== 'ok').length, mine.insurance);
  assert.deepEqual(itsTeams.map((t) => t.village_code).sort(), ownTeams.map((t) => t.village_code).sort());
  const late = (await list(org, `/api/v1/unit-funds?year=${YEAR}&flag=late`, { all: true })).items;
  assert.ok(late.every((u) => u.late > 0));
  // a unit sees only itself
  const own = (await list(leader, `/api/v1/unit-funds?year=${YEAR}`)).items;
  assert.deepEqual(own.map((u) => u.unit_id), [leader.user.unit_id]);
  const x = await api('GET', `/api/v1/unit-funds?year=${YEAR}&format=xlsx`, { session: org });
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
});

// Issue 11: a team with cadres of several units has one lead unit (the first secretary's dispatching
// unit) that answers for its funds; the others are co-units, listed but never counted as failing it.
test('a mixed team is blamed on its lead unit only (the first secretary\'s unit); the others are co-units', async () => {
  const all = await teams(org);
  const mixed = all.filter((t) => t.co_units);
  assert.ok(mixed.length > 0, 'the demo has teams of several units');
  const units = (await list(org, `/api/v1/unit-funds?year=${YEAR}`, { all: true })).items;
  const byId = Object.fromEntries(units.map((u) => [u.unit_id, u]));
  for (const t of all) {
    assert.ok(t.lead_unit_id && t.lead_unit_name, `${t.village_code} has a lead unit`);
    assert.ok(!(t.co_units || '').split('、').includes(t.lead_unit_name), 'the lead is not also a co-unit');
  }
  // the lead is the first secretary's dispatching unit
  const t0 = mixed[0];
  const posts = await list(org, `/api/v1/assignments?village=${t0.village_code}`, { all: true });
  const fs = posts.items.find((a) => a.post === 'first_secretary' && ['active', 'handover'].includes(a.status));
  assert.ok(fs, JSON.stringify(posts.items.map((a) => [a.post, a.status])));
  assert.equal(t0.lead_unit_id, fs.unit_id);
  // every failing team is counted once, against its lead unit: the units' flags add up to the teams'
  const sum = (k) => units.reduce((s, u) => s + u[k], 0);
  assert.equal(sum('teams'), all.length, 'each team has exactly one lead');
  assert.equal(sum('below_min'), all.filter((t) => t.below_min).length);
  assert.equal(sum('late'), all.filter((t) => t.late).length);
  assert.equal(sum('insurance'), all.filter((t) => t.insurance !== 'ok').length);
  const coUnit = units.find((u) => u.co_teams > 0);
  assert.ok(coUnit && byId[coUnit.unit_id], 'a unit that is co-unit somewhere');
});

test('a cadre sees their team\'s funds and insurance and their own allowances, not a colleague\'s', async () => {
  const cadre = await as('cadre1');
  // last year: whole, whatever today is (this year's payments may all be ahead on 3 January)
  const own = (await list(cadre, `/api/v1/funds?year=${YEAR - 1}`, { all: true })).items;
  assert.ok(own.some((f) => f.kind === 'work_funds'), 'the team\'s work funds');
  assert.ok(own.every((f) => f.cadre_id === null || f.cadre_id === cadre.user.cadre_id));
  assert.ok(own.every((f) => f.village_code === own[0].village_code), 'one team');
  const team = (await list(org, `/api/v1/funds?year=${YEAR - 1}&village=${own[0].village_code}&kind=living_allowance`)).items;
  const colleague = team.find((f) => f.cadre_id !== cadre.user.cadre_id);
  assert.ok(colleague, 'a colleague with an allowance');
  assertError(await api('GET', `/api/v1/funds/${colleague.id}`, { session: cadre }), 404, 'not_found');
  assertError(await fund(cadre, { village_code: own[0].village_code }), 403, 'forbidden');
  const views = await teams(cadre);
  assert.deepEqual(views.map((t) => t.village_code), [own[0].village_code]);
});
