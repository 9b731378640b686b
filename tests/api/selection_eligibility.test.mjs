// Eligibility of a cadre for a post (GET /api/v1/eligibility) as tables of named cases, boundaries included:
// age limits by the dispatching unit's level (1.3a), the employer (1.3b), sanctions and appraisals (1.3c),
// employment type (1.3d), the first secretary's rank (1.9), the four priorities (1.4), and the ranking of
// GET /api/v1/candidates. Every cadre and unit is created here; no demo candidate is used or changed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, as, addDays, assertError, createCadre, createUnit, eligibility, reasonOf, todayCST, yearsBefore,
} from './lib.mjs';
import { randomInt } from '../clock.mjs';

const REGION = '369101'; // region part of this file's ID numbers
const T = todayCST();
const THIS_YEAR = Number(T.slice(0, 4));
const inYears = (n) => yearsBefore(T, -n);

let org, cityOrg;
let U;          // a county organ of 瑞金市 (the dispatching unit of most cases)
let CITY;       // 赣州市农业农村局, a city organ
let SUB, SUBSUB, TOWN, OTHER, SOE, INST;

before(async () => {
  org = await as('ruijin_org');
  cityOrg = await as('city_org');
  U = await createUnit(org, { name: `资格审查测试局${randomInt()}` });
  SUB = await createUnit(org, { type: 'institution', parent_id: U.id });
  SUBSUB = await createUnit(org, { type: 'institution', parent_id: SUB.id });
  TOWN = await createUnit(org, { level: 'township', region_code: '360781104' });
  OTHER = await createUnit(org);
  SOE = await createUnit(org, { type: 'soe' });
  INST = await createUnit(org, { type: 'institution' });
  const q = await api('GET', `/api/v1/units?q=${encodeURIComponent('赣州市农业农村局')}`, { session: cityOrg });
  assert.equal(q.status, 200, q.text);
  CITY = q.body.items.find((u) => u.name === '赣州市农业农村局' && u.level === 'city');
  assert.ok(CITY, 'the city unit 赣州市农业农村局');
});

const CLAUSES = ['1.3a', '1.3b', '1.3c', '1.3d', '1.9'];
const WITH_PARAMETER = ['age', 'appraisal', 'employment', 'rank'];

/** The shape every verdict has: all checks, each with outcome, parameter and a Chinese message. */
function assertShape(v, post) {
  assert.ok(['eligible', 'needs_justification', 'blocked'].includes(v.verdict), v.verdict);
  assert.match(v.verdict_name, /[\u4e00-\u9fff]/);
  const clauses = v.reasons.map((r) => r.clause);
  for (const c of CLAUSES) assert.ok(clauses.includes(c), `clause ${c} in ${clauses}`);
  for (const r of v.reasons) {
    assert.ok(['eligible', 'needs_justification', 'blocked'].includes(r.outcome), JSON.stringify(r));
    assert.equal(typeof r.parameter, 'string', JSON.stringify(r));
    assert.equal(typeof r.code, 'string');
    assert.match(r.message, /[\u4e00-\u9fff]/, JSON.stringify(r));
  }
  for (const check of WITH_PARAMETER) {
    if (check === 'rank' && post !== 'first_secretary') continue; // 1.9 is not applied: no parameter
    if (check === 'age' && v.reasons.find((r) => r.check === 'employer')?.code === 'unit_township') continue;
    assert.notEqual(reasonOf(v, check).parameter, '', `${check} names its parameter`);
  }
  // the verdict is the worst outcome of the checks
  const order = { eligible: 0, needs_justification: 1, blocked: 2 };
  const worst = v.reasons.reduce((m, r) => Math.max(m, order[r.outcome]), 0);
  assert.equal(order[v.verdict], worst, 'verdict = worst outcome');
  assert.equal(v.post, post);
  assert.equal(v.priority.clause, '1.4');
}

/**
 * A row: name; cadre (fields of POST /cadres, with birth); sanctions; appraisals {year: result};
 * unit (dispatching unit, a function of the units above); as (session); post; date;
 * then the expected verdict, and for one check: {check, outcome, code, parameter, age}.
 */
async function runRow(row) {
  const session = row.city ? cityOrg : org;
  const employer = row.employer ? row.employer() : row.city ? CITY : U;
  const dispatching = row.unit ? row.unit() : employer;
  const c = await createCadre(session, {
    region: REGION, rank: 'section', employment_type: 'established', ...row.cadre, unit_id: employer.id,
  });
  for (const s of row.sanctions || []) {
    const r = await api('POST', `/api/v1/cadres/${c.id}/sanctions`, { session, body: { kind: '警告', ...s } });
    assert.equal(r.status, 201, r.text);
  }
  for (const [year, result] of Object.entries(row.appraisals || {})) {
    const r = await api('PUT', `/api/v1/cadres/${c.id}/appraisals/${year}`, { session, body: { result } });
    assert.equal(r.status, 200, r.text);
  }
  const post = row.post || 'first_secretary';
  const v = await eligibility(session, c.id, dispatching.id, post, row.date);
  assertShape(v, post);
  assert.equal(v.date, row.date || T);
  assert.equal(v.unit_id, dispatching.id);
  assert.equal(v.verdict, row.verdict, `${row.name}: ${JSON.stringify(v.reasons)}`);
  if (row.age !== undefined) assert.equal(v.age, row.age);
  if (row.expect) {
    const r = reasonOf(v, row.expect.check);
    for (const k of ['clause', 'outcome', 'code', 'parameter']) {
      if (row.expect[k] !== undefined) assert.equal(r[k], row.expect[k], `${row.name}: ${k} of ${JSON.stringify(r)}`);
    }
    if (row.expect.message) assert.match(r.message, row.expect.message);
  }
  if (row.verdict === 'eligible') for (const r of v.reasons) assert.equal(r.outcome, 'eligible');
  return v;
}

// ---- 1.3a age at the date of dispatch ----
const AGE = [
  { name: '1.3a county: exactly 55 today → eligible', cadre: { birth: yearsBefore(T, 55) }, verdict: 'eligible', age: 55,
    expect: { check: 'age', clause: '1.3a', outcome: 'eligible', code: 'ok', parameter: 'age_limit_county=55' } },
  { name: '1.3a county: turns 56 today → needs_justification', cadre: { birth: yearsBefore(T, 56) }, verdict: 'needs_justification', age: 56,
    expect: { check: 'age', clause: '1.3a', outcome: 'needs_justification', code: 'age_over_limit', parameter: 'age_limit_county=55', message: /56/ } },
  { name: '1.3a county: the day before the 56th birthday → eligible', cadre: { birth: addDays(yearsBefore(T, 56), 1) }, verdict: 'eligible', age: 55,
    expect: { check: 'age', outcome: 'eligible', parameter: 'age_limit_county=55' } },
  { name: '1.3a county: 55 today, 56 at a dispatch date a year ahead → needs_justification', cadre: { birth: yearsBefore(T, 55) },
    date: inYears(1), verdict: 'needs_justification', age: 56, expect: { check: 'age', outcome: 'needs_justification', parameter: 'age_limit_county=55' } },
  { name: '1.3a county: 55 today, still 55 the day before the next birthday → eligible', cadre: { birth: yearsBefore(T, 55) },
    date: addDays(inYears(1), -1), verdict: 'eligible', age: 55 },
  { name: '1.3a county: 54 today, 55 at a dispatch date a year ahead → eligible', cadre: { birth: yearsBefore(T, 54) },
    date: inYears(1), verdict: 'eligible', age: 55 },
  { name: '1.3a city: exactly 50 today → eligible', city: true, cadre: { birth: yearsBefore(T, 50) }, verdict: 'eligible', age: 50,
    expect: { check: 'age', outcome: 'eligible', parameter: 'age_limit_city=50' } },
  { name: '1.3a city: 51 today → needs_justification', city: true, cadre: { birth: yearsBefore(T, 51) }, verdict: 'needs_justification', age: 51,
    expect: { check: 'age', outcome: 'needs_justification', code: 'age_over_limit', parameter: 'age_limit_city=50' } },
  { name: '1.3a city: the day before the 51st birthday → eligible', city: true, cadre: { birth: addDays(yearsBefore(T, 51), 1) }, verdict: 'eligible', age: 50 },
  { name: '1.3a city: 50 today, 51 at a dispatch date a year ahead → needs_justification', city: true, cadre: { birth: yearsBefore(T, 50) },
    date: inYears(1), verdict: 'needs_justification', age: 51, expect: { check: 'age', parameter: 'age_limit_city=50' } },
  { name: '1.3a city: 53 today is over the city limit but under the county one → needs_justification', city: true,
    cadre: { birth: yearsBefore(T, 53) }, verdict: 'needs_justification', age: 53 },
];
for (const row of AGE) test(row.name, () => runRow(row));

// ---- 1.3b the employer must be the dispatching unit itself ----
const EMPLOYER = [
  { name: '1.3b own unit → eligible', verdict: 'eligible', expect: { check: 'employer', clause: '1.3b', outcome: 'eligible', code: 'ok' } },
  { name: '1.3b employed by a subordinate unit → blocked', employer: () => SUB, unit: () => U, verdict: 'blocked',
    expect: { check: 'employer', clause: '1.3b', outcome: 'blocked', code: 'employer_subordinate' } },
  { name: '1.3b employed two levels below → blocked', employer: () => SUBSUB, unit: () => U, verdict: 'blocked',
    expect: { check: 'employer', outcome: 'blocked', code: 'employer_subordinate' } },
  { name: '1.3b employed by a township-level unit → blocked', employer: () => TOWN, unit: () => U, verdict: 'blocked',
    expect: { check: 'employer', outcome: 'blocked', code: 'employer_township' } },
  { name: '1.3b employed by an unrelated unit → blocked', employer: () => OTHER, unit: () => U, verdict: 'blocked',
    expect: { check: 'employer', outcome: 'blocked', code: 'employer_other' } },
  { name: '1.3b employed by the parent of the dispatching unit → blocked', employer: () => U, unit: () => SUB, verdict: 'blocked',
    expect: { check: 'employer', outcome: 'blocked' } },
  { name: '1.3b a township unit dispatching its own cadre → blocked', employer: () => TOWN, unit: () => TOWN, verdict: 'blocked',
    expect: { check: 'employer', outcome: 'blocked', code: 'unit_township' } },
];
for (const row of EMPLOYER) test(row.name, () => runRow(row));

// ---- 1.3c sanctions (in force from start to end, both inclusive) and the last appraisal ----
const Y = THIS_YEAR;
const CONDUCT = [
  { name: '1.3c sanction in force today → blocked', sanctions: [{ start_date: addDays(T, -30), end_date: addDays(T, 30) }], verdict: 'blocked',
    expect: { check: 'sanction', clause: '1.3c', outcome: 'blocked', code: 'sanction_in_force' } },
  { name: '1.3c sanction ending today (its last day) → blocked', sanctions: [{ start_date: addDays(T, -30), end_date: T }], verdict: 'blocked',
    expect: { check: 'sanction', outcome: 'blocked', code: 'sanction_in_force' } },
  { name: '1.3c sanction ended yesterday → eligible', sanctions: [{ start_date: addDays(T, -400), end_date: addDays(T, -1) }], verdict: 'eligible',
    expect: { check: 'sanction', outcome: 'eligible', code: 'ok' } },
  { name: '1.3c sanction starting tomorrow → eligible today', sanctions: [{ start_date: addDays(T, 1), end_date: addDays(T, 180) }], verdict: 'eligible',
    expect: { check: 'sanction', outcome: 'eligible' } },
  { name: '1.3c sanction starting tomorrow → blocked at a dispatch date of tomorrow', sanctions: [{ start_date: addDays(T, 1), end_date: addDays(T, 180) }],
    date: addDays(T, 1), verdict: 'blocked', expect: { check: 'sanction', outcome: 'blocked', code: 'sanction_in_force' } },
  { name: '1.3c sanction starting today → blocked', sanctions: [{ start_date: T, end_date: addDays(T, 180) }], verdict: 'blocked',
    expect: { check: 'sanction', outcome: 'blocked' } },
  { name: '1.3c open-ended sanction → blocked', sanctions: [{ start_date: addDays(T, -700) }], verdict: 'blocked',
    expect: { check: 'sanction', outcome: 'blocked', code: 'sanction_in_force' } },
  { name: '1.3c one old and one current sanction → blocked', sanctions: [{ start_date: '2015-01-01', end_date: '2016-01-01' }, { start_date: addDays(T, -5), end_date: addDays(T, 5) }],
    verdict: 'blocked', expect: { check: 'sanction', outcome: 'blocked' } },
  { name: '1.3c last appraisal 基本称职 this year → blocked', appraisals: { [Y]: 'basically_competent' }, verdict: 'blocked',
    expect: { check: 'appraisal', clause: '1.3c', outcome: 'blocked', code: 'appraisal_poor', parameter: 'poor_appraisal_results=basically_competent,incompetent;appraisal_window_years=1' } },
  { name: '1.3c last appraisal 基本称职 last year → blocked', appraisals: { [Y - 1]: 'basically_competent' }, verdict: 'blocked',
    expect: { check: 'appraisal', outcome: 'blocked', code: 'appraisal_poor' } },
  { name: '1.3c last appraisal 不称职 last year → blocked', appraisals: { [Y - 2]: 'excellent', [Y - 1]: 'incompetent' }, verdict: 'blocked',
    expect: { check: 'appraisal', outcome: 'blocked', code: 'appraisal_poor' } },
  { name: '1.3c 基本称职 two years ago, nothing since → eligible (outside the look-back)', appraisals: { [Y - 2]: 'basically_competent' }, verdict: 'eligible',
    expect: { check: 'appraisal', outcome: 'eligible' } },
  { name: '1.3c 基本称职 last year but 称职 this year → eligible (the last one counts)', appraisals: { [Y - 1]: 'basically_competent', [Y]: 'competent' }, verdict: 'eligible',
    expect: { check: 'appraisal', outcome: 'eligible' } },
  { name: '1.3c 称职 last year → eligible', appraisals: { [Y - 1]: 'competent' }, verdict: 'eligible', expect: { check: 'appraisal', outcome: 'eligible', code: 'ok' } },
];
for (const row of CONDUCT) test(row.name, () => runRow(row));

// ---- 1.3d employment type ----
const EMPLOYMENT = [
  { name: '1.3d 临聘 (temporary) → blocked', cadre: { employment_type: 'temporary' }, verdict: 'blocked',
    expect: { check: 'employment', clause: '1.3d', outcome: 'blocked', code: 'employment_blocked', parameter: 'blocked_employment_types=temporary,odd_job' } },
  { name: '1.3d 勤杂 (odd_job) → blocked', cadre: { employment_type: 'odd_job' }, verdict: 'blocked',
    expect: { check: 'employment', outcome: 'blocked', code: 'employment_blocked' } },
  { name: '1.3d 聘用 (contract) → eligible', cadre: { employment_type: 'contract' }, verdict: 'eligible',
    expect: { check: 'employment', outcome: 'eligible', code: 'ok', parameter: 'blocked_employment_types=temporary,odd_job' } },
  { name: '1.3d 在编 (established) → eligible', cadre: { employment_type: 'established' }, verdict: 'eligible',
    expect: { check: 'employment', outcome: 'eligible' } },
  { name: '1.3d 劳务派遣 (agency) → eligible (not on the blocked list)', cadre: { employment_type: 'agency' }, verdict: 'eligible',
    expect: { check: 'employment', outcome: 'eligible' } },
  { name: '1.3d temporary is blocked for a team member too', cadre: { employment_type: 'temporary' }, post: 'team_member', verdict: 'blocked',
    expect: { check: 'employment', outcome: 'blocked' } },
];
for (const row of EMPLOYMENT) test(row.name, () => runRow(row));

// ---- 1.9 the first secretary's rank, by the dispatching unit's type and level ----
const RANK = [
  { name: '1.9 科员 as first secretary from a county organ → needs_justification', cadre: { rank: 'clerk' }, verdict: 'needs_justification',
    expect: { check: 'rank', clause: '1.9', outcome: 'needs_justification', code: 'rank_below_minimum', parameter: 'first_secretary_min_rank_level[party_gov.county]=2' } },
  { name: '1.9 科员 as team member → eligible (rule not applied)', cadre: { rank: 'clerk' }, post: 'team_member', verdict: 'eligible',
    expect: { check: 'rank', clause: '1.9', outcome: 'eligible', code: 'ok' } },
  { name: '1.9 科员 as team leader → eligible (rule not applied)', cadre: { rank: 'clerk' }, post: 'team_leader', verdict: 'eligible',
    expect: { check: 'rank', outcome: 'eligible' } },
  { name: '1.9 副科 from a county organ → eligible', cadre: { rank: 'deputy_section' }, verdict: 'eligible',
    expect: { check: 'rank', outcome: 'eligible', parameter: 'first_secretary_min_rank_level[party_gov.county]=2' } },
  { name: '1.9 副科 from a city organ → needs_justification', city: true, cadre: { rank: 'deputy_section', birth: yearsBefore(T, 40) }, verdict: 'needs_justification',
    expect: { check: 'rank', outcome: 'needs_justification', code: 'rank_below_minimum', parameter: 'first_secretary_min_rank_level[party_gov.city]=3' } },
  { name: '1.9 正科 from a city organ → eligible', city: true, cadre: { rank: 'section', birth: yearsBefore(T, 40) }, verdict: 'eligible',
    expect: { check: 'rank', outcome: 'eligible', parameter: 'first_secretary_min_rank_level[party_gov.city]=3' } },
  { name: '1.9 中层 from a state-owned enterprise → eligible', employer: () => SOE, cadre: { rank: 'middle_manager' }, verdict: 'eligible',
    expect: { check: 'rank', outcome: 'eligible', parameter: 'first_secretary_min_rank_level[soe]=3' } },
  { name: '1.9 一般人员 from a state-owned enterprise → needs_justification', employer: () => SOE, cadre: { rank: 'staff' }, verdict: 'needs_justification',
    expect: { check: 'rank', outcome: 'needs_justification', code: 'rank_below_minimum', parameter: 'first_secretary_min_rank_level[soe]=3' } },
  { name: '1.9 一般人员 from an institution → needs_justification', employer: () => INST, cadre: { rank: 'staff' }, verdict: 'needs_justification',
    expect: { check: 'rank', outcome: 'needs_justification', code: 'rank_below_minimum', parameter: 'first_secretary_min_rank_level[institution]=3' } },
  { name: '1.9 中层 from an institution → eligible', employer: () => INST, cadre: { rank: 'middle_manager' }, verdict: 'eligible',
    expect: { check: 'rank', outcome: 'eligible' } },
  { name: '1.9 no rank recorded, county organ → needs_justification', cadre: { rank: undefined }, verdict: 'needs_justification',
    expect: { check: 'rank', outcome: 'needs_justification', code: 'rank_unknown' } },
  { name: '1.9 a rank of another scale (中层 in an organ) → needs_justification', cadre: { rank: 'middle_manager' }, verdict: 'needs_justification',
    expect: { check: 'rank', outcome: 'needs_justification', code: 'rank_unknown' } },
];
for (const row of RANK) test(row.name, () => runRow(row));

// ---- 1.4 the four priorities ----
const PRIORITY = [
  { name: '1.4 none of the four → score 0', cadre: { birth: yearsBefore(T, 41) }, p: { excellent: false, young: false, party_member: false, rural: false, score: 0 } },
  { name: '1.4 young: exactly 40 → young', cadre: { birth: yearsBefore(T, 40) }, p: { young: true, score: 1 } },
  { name: '1.4 young: 41 today → not young', cadre: { birth: yearsBefore(T, 41) }, p: { young: false, score: 0 } },
  { name: '1.4 young: 40 today, 41 at a date a year ahead → not young', cadre: { birth: yearsBefore(T, 40) }, date: inYears(1), p: { young: false } },
  { name: '1.4 party member', cadre: { birth: yearsBefore(T, 45), party_member: true }, p: { party_member: true, score: 1 } },
  { name: '1.4 rural experience', cadre: { birth: yearsBefore(T, 45), rural_experience: true }, p: { rural: true, score: 1 } },
  { name: '1.4 agricultural expertise counts as rural', cadre: { birth: yearsBefore(T, 45), agri_expertise: true }, p: { rural: true, score: 1 } },
  { name: '1.4 excellent last year', cadre: { birth: yearsBefore(T, 45) }, appraisals: { [Y - 1]: 'excellent' }, p: { excellent: true, score: 1 } },
  { name: '1.4 excellent only three years ago → not excellent', cadre: { birth: yearsBefore(T, 45) }, appraisals: { [Y - 3]: 'excellent', [Y - 1]: 'competent' }, p: { excellent: false, score: 0 } },
  { name: '1.4 all four → score 4', cadre: { birth: yearsBefore(T, 30), party_member: true, rural_experience: true, agri_expertise: true },
    appraisals: { [Y]: 'excellent' }, p: { excellent: true, young: true, party_member: true, rural: true, score: 4 } },
];
for (const row of PRIORITY) {
  test(row.name, async () => {
    const v = await runRow({ ...row, verdict: 'eligible' });
    for (const [k, want] of Object.entries(row.p)) assert.equal(v.priority[k], want, `priority.${k}`);
    const sum = ['excellent', 'young', 'party_member', 'rural'].filter((k) => v.priority[k]).length;
    assert.equal(v.priority.score, sum, 'score = number of factors met');
  });
}

// ---- requests the engine cannot judge ----
test('eligibility: a dispatch date before the birth date → 400; a malformed date or post → 400 field_invalid', async () => {
  const c = await createCadre(org, { region: REGION, birth: '2005-03-15', unit_id: U.id, rank: 'section' });
  assertError(await api('GET', `/api/v1/eligibility?cadre=${c.id}&unit=${U.id}&date=2004-01-01`, { session: org }), 400, 'input_invalid', 'date');
  assertError(await api('GET', `/api/v1/eligibility?cadre=${c.id}&unit=${U.id}&date=2026-02-30`, { session: org }), 400, 'field_invalid', 'date');
  assertError(await api('GET', `/api/v1/eligibility?cadre=${c.id}&unit=${U.id}&post=captain`, { session: org }), 400, 'field_invalid', 'post');
  assertError(await api('GET', `/api/v1/eligibility?unit=${U.id}`, { session: org }), 400, 'field_required', 'cadre');
  // a cadre outside the caller's scope is absent
  const cityCadre = await createCadre(cityOrg, { region: REGION, birth: '1990-03-16', unit_id: CITY.id, rank: 'section' });
  assert.equal((await api('GET', `/api/v1/eligibility?cadre=${cityCadre.id}&unit=${U.id}`, { session: org })).status, 404);
});

// ---- GET /candidates: eligible first, then needs justification, then blocked; higher score, then younger ----
test('1.4 candidates: ranked by verdict, then priority score, then age; every row carries its checks', async () => {
  const R = await createUnit(org, { name: `排序测试局${randomInt()}` });
  const mk = (birthAge, fields = {}, excellent = false) => createCadre(org, {
    region: REGION, birth: yearsBefore(T, birthAge), unit_id: R.id, rank: 'section', ...fields,
  }).then(async (c) => {
    if (excellent) await api('PUT', `/api/v1/cadres/${c.id}/appraisals/${Y - 1}`, { session: org, body: { result: 'excellent' } });
    return c.id;
  });
  // created in an order unlike the expected one
  const g = await mk(45, { employment_type: 'odd_job' });                                              // blocked, 0
  const e = await mk(57);                                                                             // needs_justification, 0
  const b = await mk(45, { party_member: true });                                                     // eligible, 1, 45
  const f = await mk(30, { employment_type: 'temporary', party_member: true, rural_experience: true }, true); // blocked, 4
  const a = await mk(30, { party_member: true, rural_experience: true });                            // eligible, 3
  const d = await mk(57, { party_member: true }, true);                                               // needs_justification, 2
  const c = await mk(42, { party_member: true });                                                     // eligible, 1, 42
  const r = await api('GET', `/api/v1/candidates?unit=${R.id}&post=first_secretary`, { session: org });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.total, 7);
  assert.deepEqual(r.body.items.map((x) => x.id), [a, c, b, d, e, f, g]);
  assert.deepEqual(r.body.items.map((x) => x.rank), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(r.body.items.map((x) => x.verdict),
    ['eligible', 'eligible', 'eligible', 'needs_justification', 'needs_justification', 'blocked', 'blocked']);
  assert.deepEqual(r.body.items.map((x) => x.priority.score), [3, 1, 1, 2, 0, 4, 0]);
  for (const x of r.body.items) {
    assertShape({ ...x, post: 'first_secretary' }, 'first_secretary');
    assert.equal(x.priority_score, x.priority.score);
    assert.match(x.id_number, /^\d{4}\*{10}\d{3}[\dX]$/, 'masked ID number');
  }
  // for team members the rank rule does not apply, the order of verdicts stays
  const t = await api('GET', `/api/v1/candidates?unit=${R.id}&post=team_member`, { session: org });
  assert.equal(t.status, 200);
  assert.equal(t.body.total, 7);
  for (const x of t.body.items) assert.equal(reasonOf(x, 'rank').outcome, 'eligible');
  // the ranking exports to Excel
  const x = await api('GET', `/api/v1/candidates?unit=${R.id}&post=first_secretary&format=xlsx`, { session: org });
  assert.equal(x.status, 200);
  assert.equal(x.buffer.subarray(0, 2).toString('latin1'), 'PK');
});
