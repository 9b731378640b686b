// 年度定点帮扶计划 (5.9): drafted by the team with the village 两委, submitted, reviewed by the party
// committee of the unit of the village's first secretary — returned with comments, edited,
// resubmitted, approved — then progress against each item; stale reviews refused; another unit
// cannot review. Resources the unit brings (3.3, 5.10) show in the plan's progress.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, list, login, todayCST } from './lib.mjs';

const VILLAGE = '360781104200';
const today = todayCST();
const next = Number(today.slice(0, 4)) + 1; // the demo holds this year's plan already
let cadre, sec, reviewer, otherUnit, planUnit;

const items = (year) => [
  { kind: 'project', title: '脐橙冷库建设', target: '建成 500 吨冷库 1 座', amount: 800000, due_month: `${year}-06`, responsible: '第一书记' },
  { kind: 'people', title: '电商人才培训', target: '培训 60 人次', due_month: `${year}-09` },
];

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  const v = await api('GET', `/api/v1/villages/${VILLAGE}`, { session: sec });
  const first = (v.body.team || []).find((t) => t.post === 'first_secretary');
  const c = await api('GET', `/api/v1/cadres/${first ? first.cadre_id : cadre.user.cadre_id}`, { session: sec });
  planUnit = c.body.unit_id;
  const made = await createUser({ role: 'unit_leader', unit_id: planUnit, region_code: undefined });
  reviewer = await login(made.username, made.password);
  const units = await list(await as('ruijin_org'), '/api/v1/units?region=360781');
  const other = units.items.find((u) => u.id !== planUnit);
  const o = await createUser({ role: 'unit_leader', unit_id: other.id, region_code: undefined });
  otherUnit = await login(o.username, o.password);
});

test('5.9: draft → submit → return with comments → edit → resubmit → approve → progress, versioned', async () => {
  const c = await api('POST', '/api/v1/plans', { session: cadre, body: {
    year: next, goals: '巩固脱贫成果，发展脐橙产业', drafted_with: '村支书、村主任', items: items(next) } });
  assert.equal(c.status, 201, c.text);
  const id = c.body.id;
  assert.equal(c.body.status, 'draft');
  assert.equal(c.body.unit_id, planUnit, 'reviewed by the unit of the first secretary');
  assert.equal(c.body.item_list.length, 2);
  assert.equal(c.body.version, 1);
  assertError(await api('POST', '/api/v1/plans', { session: cadre, body: { year: next, goals: 'x', items: items(next) } }), 409, 'duplicate', 'year');
  // not submitted: nothing to review; no progress before approval
  assertError(await api('POST', `/api/v1/plans/${id}/review`, { session: reviewer, body: { version: 1, decision: 'approve' } }), 409, 'not_submitted');
  const itemId = c.body.item_list[0].id;
  assertError(await api('POST', `/api/v1/plans/${id}/items/${itemId}/progress`, { session: cadre, body: { on_date: today, percent: 10, note: '启动' } }), 409, 'not_approved');
  let r = await api('POST', `/api/v1/plans/${id}/submit`, { session: cadre, body: { version: 1 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'submitted');
  assert.equal(r.body.version, 2);
  assertError(await api('PUT', `/api/v1/plans/${id}`, { session: cadre, body: { version: 2, goals: 'x', items: items(next) } }), 409, 'not_editable');
  assertError(await api('POST', `/api/v1/plans/${id}/submit`, { session: cadre, body: { version: 2 } }), 409, 'not_editable');
  // returned with comments (a comment is required)
  assertError(await api('POST', `/api/v1/plans/${id}/review`, { session: reviewer, body: { version: 2, decision: 'return' } }), 400, 'field_required', 'comment');
  r = await api('POST', `/api/v1/plans/${id}/review`, { session: reviewer, body: { version: 2, decision: 'return', comment: '请补充资金来源' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'returned');
  assert.equal(r.body.review_comment, '请补充资金来源');
  // edited: the first item kept (by id, with a new amount), one added
  const edited = [{ ...items(next)[0], id: itemId, amount: 600000 }, items(next)[1],
    { kind: 'funds', title: '单位帮扶资金', target: '落实 30 万元', amount: 300000, due_month: `${next}-12` }];
  r = await api('PUT', `/api/v1/plans/${id}`, { session: cadre, body: { version: 3, goals: '巩固脱贫成果，发展脐橙产业，资金由单位自筹', items: edited } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.version, 4);
  assert.equal(r.body.item_list.length, 3);
  assert.equal(r.body.item_list[0].id, itemId);
  assert.equal(r.body.item_list[0].amount, 600000);
  r = await api('POST', `/api/v1/plans/${id}/submit`, { session: cadre, body: { version: 4 } });
  assert.equal(r.body.status, 'submitted');
  // a review of the version before the edit is stale
  assertError(await api('POST', `/api/v1/plans/${id}/review`, { session: reviewer, body: { version: 2, decision: 'approve' } }), 409, 'stale', 'version');
  r = await api('POST', `/api/v1/plans/${id}/review`, { session: reviewer, body: { version: 5, decision: 'approve', comment: '同意' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'approved');
  assertError(await api('POST', `/api/v1/plans/${id}/review`, { session: reviewer, body: { version: 6, decision: 'return', comment: 'x' } }), 409, 'not_submitted');
  assert.deepEqual(r.body.events.map((e) => e.action), ['create', 'submit', 'return', 'edit', 'submit', 'approve']);
  // progress against each item
  r = await api('POST', `/api/v1/plans/${id}/items/${itemId}/progress`, { session: cadre, body: { on_date: today, percent: 40, amount: 200000, note: '主体完工' } });
  assert.equal(r.status, 201, r.text);
  const item = r.body.item_list.find((i) => i.id === itemId);
  assert.equal(item.percent, 40);
  assert.equal(item.amount_done, 200000);
  assert.equal(item.progress.length, 1);
  assertError(await api('POST', `/api/v1/plans/${id}/items/${itemId}/progress`, { session: cadre, body: { on_date: today, percent: 140, note: 'x' } }), 400, 'field_invalid', 'percent');
  assertError(await api('POST', `/api/v1/plans/${id}/items/999999/progress`, { session: cadre, body: { on_date: today, percent: 10, note: 'x' } }), 404, 'not_found');
  // the unit's resources show in the plan's progress (3.3, 5.10)
  const res = await api('POST', '/api/v1/resources', { session: reviewer, body: {
    village_code: VILLAGE, kind: 'funds', title: '单位帮扶资金第一批', amount: 150000, brought_on: today, plan_item_id: itemId } });
  assert.equal(res.status, 201, res.text);
  const p = await api('GET', `/api/v1/plans/${id}`, { session: cadre });
  assert.ok(p.body.item_list.find((i) => i.id === itemId).resources.some((x) => x.id === res.body.id));
  assertError(await api('POST', '/api/v1/resources', { session: reviewer, body: { village_code: VILLAGE, kind: 'funds', title: '无金额', brought_on: today } }), 400, 'field_required', 'amount');
  assertError(await api('POST', '/api/v1/resources', { session: reviewer, body: { village_code: VILLAGE, kind: 'gold', title: 'x', brought_on: today } }), 400, 'field_invalid', 'kind');
  const listed = await list(sec, `/api/v1/resources?village=${VILLAGE}`, { all: true });
  assert.ok(listed.items.some((x) => x.id === res.body.id && x.kind_name === '资金' && x.unit_id === planUnit));
});

test('5.9: scope — another unit cannot see or review the plan, the township cannot review, bad input changes nothing', async () => {
  const mine = await list(cadre, `/api/v1/plans?village=${VILLAGE}`, { all: true });
  const plan = mine.items.find((p) => p.year === Number(today.slice(0, 4)));
  assert.ok(plan, "the demo's plan of this year");
  assertError(await api('GET', `/api/v1/plans/${plan.id}`, { session: otherUnit }), 404, 'not_found');
  assertError(await api('POST', `/api/v1/plans/${plan.id}/review`, { session: otherUnit, body: { version: plan.version, decision: 'approve' } }), 404, 'not_found');
  assertError(await api('POST', `/api/v1/plans/${plan.id}/review`, { session: sec, body: { version: plan.version, decision: 'approve' } }), 403, 'forbidden');
  const theirs = await list(otherUnit, '/api/v1/plans', { all: true });
  assert.ok(theirs.items.every((p) => p.unit_id !== planUnit));
  const reviewerList = await list(reviewer, '/api/v1/plans', { all: true });
  assert.ok(reviewerList.items.every((p) => p.unit_id === planUnit));
  const bad = [
    [{ year: next - 5, goals: 'x', items: items(next - 5) }, 400, 'field_invalid', 'year'],
    [{ year: next, goals: '', items: items(next) }, 400, 'field_required', 'goals'],
    [{ year: next, goals: 'x', items: [] }, 400, 'field_invalid', 'items'],
    [{ year: next, goals: 'x', items: [{ ...items(next)[0], due_month: `${next - 1}-05` }] }, 400, 'field_invalid', 'items'],
    [{ year: next, goals: 'x', items: [{ ...items(next)[0], kind: 'wish' }] }, 400, 'field_invalid', 'items'],
    [{ year: next, goals: 'x', items: items(next), bonus: 1 }, 400, 'field_unknown', undefined],
  ];
  for (const [body, status, code, field] of bad)
    assertError(await api('POST', '/api/v1/plans', { session: cadre, body }), status, code, field);
  assertError(await api('POST', '/api/v1/plans', { session: await as('xianghu_sec'), body: { village_code: VILLAGE, year: next, goals: 'x', items: items(next) } }), 403, 'forbidden');
  const xl = await api('GET', '/api/v1/plans?format=xlsx', { session: sec });
  assert.match(xl.headers.get('content-type'), /spreadsheetml/);
});
