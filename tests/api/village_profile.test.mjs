// 村情档案 (5.8 分析本村发展存在的短板弱项, issue 11): the village profile — collective income,
// population, industries, infrastructure, the 两委, the weak points — each change dated, earlier
// values kept; the profile of a past day; the demo fills it; validation changes nothing; scope.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, todayCST, addDays } from './lib.mjs';

const VILLAGE = '360781104200'; // 沙洲坝村, cadre1's village
const OTHER = '360781104201';   // same township, not cadre1's
const today = todayCST();
let cadre, sec, otherSec, org;

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  otherSec = await as('xianghu_sec');
  org = await as('ruijin_org');
});

const profile = (session, code = VILLAGE, q = '') => api('GET', `/api/v1/villages/${code}/profile${q}`, { session });
const change = (session, body, code = VILLAGE) => api('POST', `/api/v1/villages/${code}/profile`, { session, body });

test('5.8: the demo fills every field of the profile, with a dated history', async () => {
  const r = await profile(org);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.clause, '5.8');
  assert.deepEqual(r.body.field_names.map((f) => f.code),
    ['collective_income', 'population', 'industries', 'infrastructure', 'committee', 'weak_points']);
  for (const f of r.body.field_names) assert.ok(r.body.fields[f.code], `${f.name} is filled`);
  assert.ok(r.body.history.length >= 6);
  assert.ok(r.body.history.every((h) => /^\d{4}-\d{2}-\d{2}$/.test(h.as_of) && h.as_of <= today));
  // collective income: last year's and the year before, both kept; the current is the later
  const incomes = r.body.history.filter((h) => h.field === 'collective_income');
  assert.equal(incomes.length, 2);
  assert.equal(r.body.fields.collective_income.id, incomes[0].id);
});

test('5.8: a change is dated and kept; the previous value stays; the profile of an earlier day shows it', async () => {
  const before = (await profile(cadre)).body;
  const old = before.fields.population;
  assert.ok(old, 'the demo\'s population');
  const value = { households: old.value.households + 5, people: old.value.people + 19 };
  const r = await change(cadre, { field: 'population', value, as_of: today, note: '新增5户' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.fields.population.value, value);
  assert.equal(r.body.fields.population.as_of, today);
  assert.equal(r.body.fields.population.note, '新增5户');
  // nothing overwritten: the old row is still in the history, unchanged
  const kept = r.body.history.find((h) => h.id === old.id);
  assert.deepEqual(kept.value, old.value);
  assert.equal(r.body.history.length, before.history.length + 1);
  // the profile of the day before shows the old value
  const y = await profile(cadre, VILLAGE, `?on=${addDays(today, -1)}`);
  assert.equal(y.status, 200, y.text);
  if (old.as_of < today) assert.deepEqual(y.body.fields.population.value, old.value);
  // a change back-dated before the current one does not replace the current value
  const back = await change(sec, { field: 'population', value: { households: 1, people: 1 }, as_of: addDays(old.as_of, -1) });
  assert.equal(back.status, 201, back.text);
  assert.deepEqual(back.body.fields.population.value, value, 'the latest as_of is the current value');
  // and the audit log has the changes
  const audit = await api('GET', '/api/v1/audit?action=village_profile.change&page_size=10', { session: await as('auditadmin') });
  assert.ok(audit.body.items.length >= 2);
});

test('5.8: each field\'s shape is checked; a refused change writes nothing', async () => {
  const n = (await profile(cadre)).body.history.length;
  const bad = [
    [{ field: 'population', value: { households: 10 } }, 'value'],
    [{ field: 'population', value: { households: 10, people: 5 } }, 'value'],
    [{ field: 'collective_income', value: { year: 1999, amount: 5 } }, 'value'],
    [{ field: 'collective_income', value: { year: 2025, amount: -1 } }, 'value'],
    [{ field: 'industries', value: [] }, 'value'],
    [{ field: 'infrastructure', value: [{ item: '道路', status: 'good' }] }, 'value'],
    [{ field: 'committee', value: [{ name: '张三' }] }, 'value'],
    [{ field: 'weak_points', value: 'x' }, 'value'],
    [{ field: 'mood', value: [] }, 'field'],
    [{ field: 'industries', value: ['脐橙'], as_of: addDays(today, 1) }, 'as_of'],
    [{ field: 'industries', value: ['脐橙'], as_of: '2026-02-30' }, 'as_of'],
  ];
  for (const [body, field] of bad) assertError(await change(cadre, body), 400, 'field_invalid', field);
  assertError(await change(cadre, { field: 'industries' }), 400, 'field_required', 'value');
  assertError(await change(cadre, { field: 'industries', value: ['脐橙'], extra: 1 }), 400, 'field_unknown', 'extra');
  assert.equal((await profile(cadre)).body.history.length, n, 'nothing written');
  // the canonical value: unknown keys are dropped
  const ok = await change(cadre, { field: 'infrastructure', value: [{ item: '安全饮水', status: 'done', colour: 'blue' }] });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.body.fields.infrastructure.value, [{ item: '安全饮水', status: 'done' }]);
});

test('5.8: scope — another township and another team see nothing; a unit leader cannot write', async () => {
  assertError(await profile(otherSec), 404, 'not_found');
  assertError(await change(otherSec, { field: 'industries', value: ['脐橙'] }), 404, 'not_found');
  assertError(await profile(cadre, OTHER), 404, 'not_found');
  assertError(await change(cadre, { field: 'industries', value: ['脐橙'] }, OTHER), 404, 'not_found');
  assertError(await change(await as('unit_leader1'), { field: 'industries', value: ['脐橙'] }), 403, 'forbidden');
  assertError(await profile(org, '999999999999'), 404, 'not_found');
});

// 5.8 → 5.9: a plan names the weak points it addresses, only those of the village's profile.
test('5.9: a plan names weak points of the profile; one not in the profile is refused; the demo plan names its village\'s', async () => {
  const year = Number(today.slice(0, 4));
  const prof = (await profile(cadre)).body;
  const weak = prof.fields.weak_points.value;
  // the demo's plan of this year addresses the village's weak points
  const plans = await api('GET', `/api/v1/plans?village=${VILLAGE}&year=${year}`, { session: cadre });
  assert.equal(plans.status, 200, plans.text);
  const demo = await api('GET', `/api/v1/plans/${plans.body.items[0].id}`, { session: cadre });
  assert.deepEqual(demo.body.weak_points, weak);
  // a new plan (last year's, which the demo leaves free)
  const items = [{ kind: 'project', title: '村集体光伏电站', target: '建成 100 千瓦', amount: 400000, due_month: `${year - 1}-10` }];
  const body = { year: year - 1, goals: '壮大村集体经济', items };
  assertError(await api('POST', '/api/v1/plans', { session: cadre, body: { ...body, weak_points: ['不在档案中的短板'] } }), 400, 'field_invalid', 'weak_points');
  assertError(await api('POST', '/api/v1/plans', { session: cadre, body: { ...body, weak_points: 'x' } }), 400, 'field_type', 'weak_points');
  const made = await api('POST', '/api/v1/plans', { session: cadre, body: { ...body, weak_points: weak.slice(0, 1) } });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual(made.body.weak_points, weak.slice(0, 1));
  // the team records a new weak point; the plan may then name it
  const added = await change(cadre, { field: 'weak_points', value: [...weak, '农田灌溉设施老化'], note: '汛后调研' });
  assert.equal(added.status, 201, added.text);
  const put = await api('PUT', `/api/v1/plans/${made.body.id}`, { session: cadre, body: { version: made.body.version, goals: body.goals, items, weak_points: ['农田灌溉设施老化'] } });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body.weak_points, ['农田灌溉设施老化']);
  // the plan keeps its own copy: removing the weak point from the profile does not rewrite the plan
  await change(cadre, { field: 'weak_points', value: weak });
  const again = await api('GET', `/api/v1/plans/${made.body.id}`, { session: cadre });
  assert.deepEqual(again.body.weak_points, ['农田灌溉设施老化']);
});
