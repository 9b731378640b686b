// 防返贫监测帮扶 (5.7): a risk → monitoring case through every step (民主评议 → 公示 → 乡镇审核 →
// 县级审定), a skipped step refused with the missing step named, the notice's minimum days, the
// time limit (overdue) and stalled cases, measures, each closure criterion failing on its own,
// closure through its own procedure (入户核实 → 民主评议 → 公示 → 审核确认, none skipped) and
// reversal with the household's history, the printed 公示 without ID numbers,
// phones or health details, department lists, and scope.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, list, todayCST, addDays } from './lib.mjs';
import { VILLAGE, closingCase, importHousehold, monitoredCase, step } from './cases_lib.mjs';
import { NOW_MS, randomHex } from '../clock.mjs';

let cadre, sec, dep, org, rrb, otherSec, unit;
const today = todayCST();
const year = Number(today.slice(0, 4));

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  dep = await as('shazhouba_dep');
  org = await as('ruijin_org');
  rrb = await as('ruijin_rrb'); // 5.7: the county rural revitalization department decides and closes
  otherSec = await as('xianghu_sec');
  unit = await as('unit_hr1');
});

const raise = (session, body) => api('POST', '/api/v1/cases', { session, body });

test('5.7: every step in order, each a state change on the timeline with who and when', async () => {
  const h = await importHousehold();
  const c = await raise(cadre, { household_id: h.id, source: 'cadre_screening', risks: ['illness', 'accident'],
    lead_on: addDays(today, -10), description: '户主车祸受伤住院' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.state, 'found');
  assert.equal(c.body.next_step, 'review');
  assert.deepEqual(c.body.risk_names, ['因病', '因意外事故']);
  const id = c.body.id;
  let r = await step(cadre, id, { action: 'review', on_date: addDays(today, -9), result: 'agree', participants: '村两委 5 人、村民代表 8 人' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'reviewed');
  r = await step(cadre, id, { action: 'notice', on_date: addDays(today, -8) });
  assert.equal(r.body.state, 'noticed');
  assert.equal(r.body.notice_days, 5, 'default: public_notice_min_days');
  assert.equal(r.body.notice_ends, addDays(today, -3));
  r = await step(cadre, id, { action: 'objection', on_date: addDays(today, -6), note: '邻居反映其子女在外务工收入较高' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'noticed');
  r = await step(dep, id, { action: 'check', on_date: addDays(today, -2), result: 'agree', note: '经核实子女收入不稳定' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'checked');
  r = await step(rrb, id, { action: 'decide', on_date: addDays(today, -1), result: 'agree', category: 'sudden' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'monitored');
  assert.equal(r.body.category_name, '突发严重困难户');
  assert.equal(r.body.identified_on, addDays(today, -1));
  assert.equal(r.body.overdue, false, '9 days from lead to decision');
  const steps = r.body.steps.map((s) => s.step);
  assert.deepEqual(steps, ['found', 'review', 'notice', 'objection', 'check', 'decide']);
  for (const s of r.body.steps) {
    assert.ok(s.user_name, 'who');
    assert.match(s.at, /^\d{4}-\d\d-\d\dT/, 'when');
  }
  assert.equal(r.body.steps[3].note, '邻居反映其子女在外务工收入较高');
  // the county decision marks the household monitored with its category, version + 1, history 'case'
  const hh = await api('GET', `/api/v1/households/${h.id}`, { session: sec });
  assert.equal(hh.body.monitored, true);
  assert.equal(hh.body.category, 'sudden');
  assert.ok(hh.body.version > h.version);
  assert.ok(hh.body.history.some((x) => x.source === 'case'), JSON.stringify(hh.body.history));
});

test('5.7: a skipped step is refused with the missing step named, and nothing changes', async () => {
  const h = await importHousehold();
  const c = await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['schooling'] });
  assert.equal(c.status, 201, c.text);
  const id = c.body.id;
  let r = await step(cadre, id, { action: 'notice', on_date: today });
  assertError(r, 409, 'step_skipped', 'action');
  assert.equal(r.body.error.missing, 'review');
  assert.match(r.body.error.message, /民主评议/);
  r = await step(rrb, id, { action: 'decide', on_date: today, result: 'agree', category: 'marginal' });
  assertError(r, 409, 'step_skipped');
  assert.equal(r.body.error.missing, 'review');
  r = await step(sec, id, { action: 'check', on_date: today, result: 'agree' });
  assertError(r, 409, 'step_skipped');
  await step(cadre, id, { action: 'review', on_date: today, result: 'agree', participants: '村民代表 9 人' });
  r = await step(rrb, id, { action: 'decide', on_date: today, result: 'agree', category: 'marginal' });
  assertError(r, 409, 'step_skipped');
  assert.equal(r.body.error.missing, 'notice');
  assert.match(r.body.error.message, /公示/);
  r = await step(cadre, id, { action: 'close', on_date: today });
  assertError(r, 403, 'forbidden', 'action'); // a cadre never closes: the county does
  r = await step(rrb, id, { action: 'close', on_date: today });
  assertError(r, 409, 'step_skipped');
  assert.equal(r.body.error.missing, 'notice');
  const got = await api('GET', `/api/v1/cases/${id}`, { session: cadre });
  assert.equal(got.body.state, 'reviewed');
  assert.equal(got.body.steps.length, 2);
  // a step already taken cannot be taken again
  r = await step(cadre, id, { action: 'review', on_date: today, result: 'agree', participants: '再次评议' });
  assertError(r, 409, 'wrong_state');
});

test('5.7: who takes which step — the township checks, the county rural revitalization department (not the org dept) decides', async () => {
  const h = await importHousehold();
  const c = await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'], lead_on: addDays(today, -8) });
  const id = c.body.id;
  await step(cadre, id, { action: 'review', on_date: addDays(today, -7), result: 'agree', participants: '村民代表' });
  await step(cadre, id, { action: 'notice', on_date: addDays(today, -6), days: 5 });
  assertError(await step(cadre, id, { action: 'check', on_date: today, result: 'agree' }), 403, 'forbidden');
  assertError(await step(org, id, { action: 'check', on_date: today, result: 'agree' }), 403, 'forbidden');
  assert.equal((await step(sec, id, { action: 'check', on_date: today, result: 'agree' })).status, 200);
  assertError(await step(sec, id, { action: 'decide', on_date: today, result: 'agree', category: 'marginal' }), 403, 'forbidden');
  // the county organization department does not decide: 防返贫监测 is the rural revitalization department's (5.7)
  assertError(await step(org, id, { action: 'decide', on_date: today, result: 'agree', category: 'marginal' }), 403, 'forbidden');
  // a decision to take in needs a category; a refusal must not carry one
  assertError(await step(rrb, id, { action: 'decide', on_date: today, result: 'agree' }), 400, 'field_required', 'category');
  assertError(await step(rrb, id, { action: 'decide', on_date: today, result: 'agree', category: 'rich' }), 400, 'field_invalid', 'category');
  const no = await step(rrb, id, { action: 'decide', on_date: today, result: 'disagree', note: '经审定收入高于标准' });
  assert.equal(no.status, 200, no.text);
  assert.equal(no.body.state, 'dismissed');
  assert.equal(no.body.next_step, null);
  const hh = await api('GET', `/api/v1/households/${h.id}`, { session: sec });
  assert.equal(hh.body.monitored, false, 'not taken in');
  // the household may be raised again once the case is finished
  const again = await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'] });
  assert.equal(again.status, 201, again.text);
  const dup = await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'] });
  assertError(dup, 409, 'case_open', 'household_id');
  assert.equal(dup.body.error.existing, again.body.id);
});

test('5.7: the notice runs at least public_notice_min_days before the township checks', async () => {
  const h = await importHousehold();
  const c = await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['disaster'], lead_on: addDays(today, -3) });
  const id = c.body.id;
  await step(cadre, id, { action: 'review', on_date: addDays(today, -3), result: 'agree', participants: '村民代表' });
  assertError(await step(cadre, id, { action: 'notice', on_date: addDays(today, -2), days: 3 }), 400, 'field_invalid', 'days');
  assert.equal((await step(cadre, id, { action: 'notice', on_date: addDays(today, -2), days: 5 })).status, 200);
  const r = await step(sec, id, { action: 'check', on_date: today, result: 'agree' });
  assertError(r, 409, 'notice_not_over', 'on_date');
  assert.match(r.body.error.message, new RegExp(addDays(today, 3)));
  // dates run forward: not before the last step, not in the future
  assertError(await step(cadre, id, { action: 'objection', on_date: addDays(today, -5), note: '异议' }), 400, 'field_invalid', 'on_date');
  assertError(await step(cadre, id, { action: 'objection', on_date: addDays(today, 1), note: '异议' }), 400, 'field_invalid', 'on_date');
});

test('5.7: time limits — overdue past case_decision_max_days, stalled after case_stalled_days without a step', async () => {
  const h1 = await importHousehold();
  const h2 = await importHousehold();
  const late = await raise(cadre, { household_id: h1.id, source: 'cadre_screening', risks: ['illness'], lead_on: addDays(today, -16) });
  assert.equal(late.body.overdue, true);
  assert.equal(late.body.age_days, 16);
  assert.equal(late.body.stalled, true, 'no step for 16 days');
  const fresh = await raise(cadre, { household_id: h2.id, source: 'cadre_screening', risks: ['illness'], lead_on: addDays(today, -15) });
  assert.equal(fresh.body.overdue, false, '15 days is within the limit');
  await step(cadre, fresh.body.id, { action: 'review', on_date: today, result: 'agree', participants: '村民代表' });
  const overdue = await list(org, `/api/v1/cases?village=${VILLAGE}&overdue=1`, { all: true });
  assert.ok(overdue.items.some((x) => x.id === late.body.id));
  assert.ok(!overdue.items.some((x) => x.id === fresh.body.id));
  assert.ok(overdue.items.every((x) => x.overdue === true));
  const stalled = await list(org, `/api/v1/cases?village=${VILLAGE}&stalled=1`, { all: true });
  assert.ok(stalled.items.some((x) => x.id === late.body.id));
  assert.ok(!stalled.items.some((x) => x.id === fresh.body.id), 'a step today');
  const sum = await api('GET', `/api/v1/cases/summary?village=${VILLAGE}`, { session: org });
  assert.equal(sum.status, 200);
  assert.ok(sum.body.overdue >= 1 && sum.body.stalled >= 1);
  assert.equal(sum.body.pending, sum.body.age_0_7 + sum.body.age_8_15 + sum.body.age_16_30 + sum.body.age_over_30);
  // the Excel export of the open cases
  const x = await api('GET', `/api/v1/cases?village=${VILLAGE}&state=open&format=xlsx`, { session: org });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
});

test('5.7: closure goes through 入户核实 → 民主评议 → 公示 → 审核确认, in order, each by its side', async () => {
  const h = await importHousehold({ income: 13000 });
  const c = await monitoredCase(h.id, { lead: 250 });
  const id = c.id;
  assert.equal(c.next_step, 'close_verify');
  let r = await step(cadre, id, { action: 'measure', on_date: addDays(today, -10), type: 'employment', content: '推荐到县工业园区就业', responsible: '第一书记' });
  assert.equal(r.status, 200, r.text);
  // the county cannot close a monitored case in one step: the home check is named as missing
  r = await step(rrb, id, { action: 'close', on_date: today });
  assertError(r, 409, 'step_skipped', 'action');
  assert.equal(r.body.error.missing, 'close_verify');
  assert.match(r.body.error.message, /入户核实/);
  assert.match(r.body.error.message, /风险消除程序不得跳过/);
  r = await step(cadre, id, { action: 'close_notice', on_date: addDays(today, -8), days: 5 });
  assertError(r, 409, 'step_skipped');
  assert.equal(r.body.error.missing, 'close_verify');
  // 入户核实: the team or the township, never the county; who checked and what they found
  assertError(await step(rrb, id, { action: 'close_verify', on_date: addDays(today, -8), verifiers: '县乡村振兴局', note: '核实' }), 403, 'forbidden', 'action');
  assertError(await step(cadre, id, { action: 'close_verify', on_date: addDays(today, -8), note: '核实' }), 400, 'field_required', 'verifiers');
  assertError(await step(cadre, id, { action: 'close_verify', on_date: addDays(today, -8), verifiers: '第一书记' }), 400, 'field_required', 'note');
  r = await step(cadre, id, { action: 'close_verify', on_date: addDays(today, -8), verifiers: '第一书记、村监督委员会主任', note: '入户核实：务工收入稳定' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'close_verified');
  assert.equal(r.body.closing, true);
  assert.equal(r.body.next_step, 'close_review');
  // no measures once the closure is under way; the review cannot be skipped
  assertError(await step(cadre, id, { action: 'measure', on_date: today, type: 'health', content: 'x', responsible: 'y' }), 409, 'wrong_state');
  r = await step(cadre, id, { action: 'close_notice', on_date: addDays(today, -7), days: 5 });
  assertError(r, 409, 'step_skipped');
  assert.equal(r.body.error.missing, 'close_review');
  r = await step(rrb, id, { action: 'close', on_date: today });
  assertError(r, 409, 'step_skipped');
  assert.equal(r.body.error.missing, 'close_review');
  r = await step(cadre, id, { action: 'close_review', on_date: addDays(today, -7), result: 'agree', participants: '村两委、村民代表 12 人' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.close_review_result, 'agree');
  r = await step(rrb, id, { action: 'close', on_date: today });
  assertError(r, 409, 'step_skipped');
  assert.equal(r.body.error.missing, 'close_notice');
  // 公示 of at least public_notice_min_days (5)
  assertError(await step(cadre, id, { action: 'close_notice', on_date: addDays(today, -6), days: 3 }), 400, 'field_invalid', 'days');
  r = await step(cadre, id, { action: 'close_notice', on_date: addDays(today, -6), days: 5 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'close_noticed');
  assert.equal(r.body.close_notice_ends, addDays(today, -1));
  assert.equal(r.body.closure.all_met, true);
  // 审核确认: the county RRB only, not the organization department nor the team
  assertError(await step(org, id, { action: 'close', on_date: today }), 403, 'forbidden', 'action');
  assertError(await step(cadre, id, { action: 'close', on_date: today }), 403, 'forbidden', 'action');
  // not while the notice runs
  r = await step(rrb, id, { action: 'close', on_date: addDays(today, -2) });
  assertError(r, 409, 'notice_not_over', 'on_date');
  r = await step(rrb, id, { action: 'close', on_date: today, note: '审核确认，风险消除' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'closed');
  assert.equal(r.body.closed_on, today);
  assert.equal(r.body.next_step, 'reopen');
  assert.deepEqual(r.body.steps.map((s) => s.step).slice(-4), ['close_verify', 'close_review', 'close_notice', 'close']);
  assert.deepEqual(r.body.steps.slice(-4).map((s) => s.to_state), ['close_verified', 'close_reviewed', 'close_noticed', 'closed']);
  assert.equal(r.body.steps.at(-4).step_name, '风险消除入户核实');
  const house = await api('GET', `/api/v1/households/${h.id}`, { session: sec });
  assert.equal(house.body.monitored, false);
});

test('5.7: the village review or the county against closing returns the case to monitored', async () => {
  const h = await importHousehold({ income: 13000 });
  const c = await monitoredCase(h.id, { lead: 250 });
  await step(cadre, c.id, { action: 'close_verify', on_date: addDays(today, -8), verifiers: '驻村工作队', note: '入户核实' });
  let r = await step(cadre, c.id, { action: 'close_review', on_date: addDays(today, -7), result: 'disagree', participants: '村民代表 10 人' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'monitored');
  assert.equal(r.body.closing, false);
  let house = await api('GET', `/api/v1/households/${h.id}`, { session: sec });
  assert.equal(house.body.monitored, true);
  await step(cadre, c.id, { action: 'measure', on_date: addDays(today, -7), type: 'employment', content: '公益性岗位', responsible: '第一书记' });
  await closingCase(c.id, { start: 7 }); // the notice from -5 for 5 days: over today
  r = await step(rrb, c.id, { action: 'close', on_date: today, result: 'disagree', note: '收入来源尚不稳定' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'monitored');
  assert.equal(r.body.closed_on, null);
  house = await api('GET', `/api/v1/households/${h.id}`, { session: sec });
  assert.equal(house.body.monitored, true);
});

test('5.7: closure — each criterion is checked at the county confirmation, with its clause; met, it closes; reversal takes the household in again', async () => {
  const h = await importHousehold({ income: 6800 });
  const c = await monitoredCase(h.id, { lead: 250 });
  assert.equal(c.state, 'monitored');
  const id = c.id;
  const codes = (r) => Object.fromEntries(r.body.error.criteria.map((x) => [x.code, x.met]));
  // no measure, income below the threshold: every step taken, and still the confirmation is refused
  await closingCase(id);
  let r = await step(rrb, id, { action: 'close', on_date: today });
  assertError(r, 409, 'closure_criteria_unmet', 'action');
  for (const x of r.body.error.criteria) {
    assert.equal(x.clause, '5.7');
    assert.ok(x.name_zh && x.detail);
  }
  let met = codes(r);
  assert.equal(met.measure_applied, false);
  assert.equal(met.income_stable, false);
  assert.equal(met.monitored_long_enough, true);
  assert.equal(met.guarantees_secure, true);
  assert.equal(met.has_labour, true);
  assert.equal((await api('GET', `/api/v1/cases/${id}`, { session: cadre })).body.state, 'close_noticed');

  // a second case of another household: a measure, then the procedure; the facts change meanwhile
  const h2 = await importHousehold({ income: 6800 });
  const c2 = await monitoredCase(h2.id, { lead: 250 });
  r = await step(cadre, c2.id, { action: 'measure', on_date: addDays(today, -10), type: 'employment', content: '推荐到县工业园区就业', responsible: '第一书记' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.measures.length, 1);
  assert.equal(r.body.measures[0].type_name, '就业帮扶');
  assertError(await step(cadre, c2.id, { action: 'measure', on_date: today, type: 'magic', content: 'x', responsible: 'y' }), 400, 'field_invalid', 'type');
  await closingCase(c2.id);
  // the income of this year above the threshold; water now unsafe
  const hh = await api('GET', `/api/v1/households/${h2.id}`, { session: sec });
  let p = await api('PATCH', `/api/v1/households/${h2.id}`, { session: sec, body: { version: hh.body.version, income: { year, per_capita: 12600 }, water: false } });
  assert.equal(p.status, 200, p.text);
  r = await step(rrb, c2.id, { action: 'close', on_date: today });
  assertError(r, 409, 'closure_criteria_unmet');
  met = codes(r);
  assert.deepEqual(met, { income_stable: true, monitored_long_enough: true, measure_applied: true, guarantees_secure: false, has_labour: true });
  // the detail view shows the same check while closing
  const view = await api('GET', `/api/v1/cases/${c2.id}`, { session: cadre });
  assert.equal(view.body.closure.all_met, false);
  p = await api('PATCH', `/api/v1/households/${h2.id}`, { session: sec, body: { version: p.body.version, water: true } });
  assert.equal(p.status, 200, p.text);
  r = await step(rrb, c2.id, { action: 'close', on_date: today, note: '风险消除' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'closed');
  assert.equal(r.body.next_step, 'reopen');
  let house = await api('GET', `/api/v1/households/${h2.id}`, { session: sec });
  assert.equal(house.body.monitored, false);
  // 返贫: the closure reversed, the household taken in again; the history stays
  assertError(await step(rrb, c2.id, { action: 'reopen', on_date: today }), 400, 'field_required', 'note');
  r = await step(rrb, c2.id, { action: 'reopen', on_date: today, note: '户主再次住院，返贫风险重现' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.state, 'monitored');
  assert.equal(r.body.identified_on, today);
  assert.deepEqual(r.body.steps.map((s) => s.step).slice(-6), ['measure', 'close_verify', 'close_review', 'close_notice', 'close', 'reopen']);
  house = await api('GET', `/api/v1/households/${h2.id}`, { session: sec });
  assert.equal(house.body.monitored, true);
  assert.ok(house.body.history.filter((x) => x.source === 'case').length >= 3, 'decision, closure, reversal');
  // just taken in again: not monitored for half a year, so it cannot be closed — shown while monitored
  r = await api('GET', `/api/v1/cases/${c2.id}`, { session: cadre });
  assert.equal(r.body.next_step, 'close_verify');
  assert.equal(r.body.closure.criteria.find((x) => x.code === 'monitored_long_enough').met, false);
});

test('5.7: a household with no able-bodied member is never closed; stale versions are refused', async () => {
  const h = await importHousehold({ able: '否', income: 13000 });
  const c = await monitoredCase(h.id, { lead: 240 });
  await step(cadre, c.id, { action: 'measure', on_date: addDays(today, -10), type: 'social_security', content: '纳入低保', responsible: '乡镇民政' });
  const closing = await closingCase(c.id);
  const r = await step(rrb, c.id, { action: 'close', on_date: today });
  assertError(r, 409, 'closure_criteria_unmet');
  const labour = r.body.error.criteria.find((x) => x.code === 'has_labour');
  assert.equal(labour.met, false);
  assert.match(labour.detail, /无劳动力/);
  assert.ok(r.body.error.criteria.filter((x) => !x.met).length === 1, JSON.stringify(r.body.error.criteria));
  const stale = await api('POST', `/api/v1/cases/${c.id}/steps`, { session: rrb, body: {
    version: closing.version - 1, action: 'close', on_date: today, result: 'disagree' } });
  assertError(stale, 409, 'stale', 'version');
});

test('5.7: a risk seen on a visit becomes a case with the visit and its risks', async () => {
  const h = await importHousehold();
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  const a = me.body.assignment;
  const now = new Date(NOW_MS);
  const v = await api('POST', '/api/v1/visits', { session: cadre, body: {
    client_id: `c45e${randomHex(6)}`, household_id: h.id, at: now.toISOString(), sent_at: now.toISOString(),
    lat: a.lat, lng: a.lng, accuracy_m: 10, source: 'gps', findings: '户主腿伤未愈，不能务工', risks: ['accident', 'labour_loss'] } });
  assert.equal(v.status, 201, v.text);
  const c = await raise(cadre, { source: 'visit', visit_id: v.body.id });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.household_id, h.id);
  assert.equal(c.body.visit_id, v.body.id);
  assert.deepEqual(c.body.risks, ['accident', 'labour_loss']);
  assert.equal(c.body.source_name, '走访发现');
  assertError(await raise(cadre, { source: 'visit' }), 400, 'field_required', 'visit_id');
  assertError(await raise(cadre, { source: 'visit', visit_id: 999999999 }), 404, 'not_found', 'visit_id');
});

test('5.7: bad input is refused and nothing is written', async () => {
  const h = await importHousehold();
  const before = await list(cadre, `/api/v1/cases?household=${h.id}`);
  assertError(await raise(cadre, { household_id: h.id, source: 'rumour', risks: ['illness'] }), 400, 'field_invalid', 'source');
  assertError(await raise(cadre, { household_id: h.id, source: 'self_reported', risks: [] }), 400, 'field_invalid', 'risks');
  assertError(await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['bad_luck'] }), 400, 'field_invalid', 'risks');
  assertError(await raise(cadre, { household_id: h.id, source: 'self_reported', risks: 'illness' }), 400, 'field_type', 'risks');
  assertError(await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'], lead_on: addDays(today, 1) }), 400, 'field_invalid', 'lead_on');
  assertError(await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'], lead_on: '2026-02-30' }), 400, 'field_invalid', 'lead_on');
  assertError(await raise(cadre, { household_id: h.id, source: 'department', risks: ['illness'] }), 400, 'field_required', 'department');
  assertError(await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'], extra: 1 }), 400, 'field_unknown');
  assertError(await api('POST', '/api/v1/cases', { session: cadre, raw: '{"household_id":' }), 400, 'json_malformed');
  const after = await list(cadre, `/api/v1/cases?household=${h.id}`);
  assert.equal(after.total, before.total);
  assertError(await api('GET', '/api/v1/cases?state=flying', { session: cadre }), 400, 'field_invalid', 'state');
});

test('5.7: scope — another township, another unit and a cadre of another village see no such case', async () => {
  const h = await importHousehold();
  const c = await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'] });
  const id = c.body.id;
  assertError(await api('GET', `/api/v1/cases/${id}`, { session: otherSec }), 404, 'not_found');
  assertError(await api('POST', `/api/v1/cases/${id}/steps`, { session: otherSec, body: { version: 1, action: 'review', on_date: today, result: 'agree', participants: 'x' } }), 404, 'not_found');
  assertError(await raise(otherSec, { household_id: h.id, source: 'self_reported', risks: ['illness'] }), 404, 'not_found', 'household_id');
  const theirs = await list(otherSec, '/api/v1/cases', { all: true });
  assert.ok(theirs.items.every((x) => !x.village_code.startsWith('360781104')), 'only 象湖镇');
  assert.equal((await api('GET', `/api/v1/cases/${id}`, { session: org })).status, 200, 'the county sees its villages');
  const u = await api('GET', `/api/v1/cases/${id}`, { session: unit });
  assert.ok(u.status === 200 || u.status === 404);
  const mine = await list(unit, '/api/v1/cases', { all: true });
  if (u.status === 404) assert.ok(!mine.items.some((x) => x.id === id));
});

test('5.7: the printed 公示 lists the households in notice and never an ID number, phone, bank account or health detail', async () => {
  const h = await importHousehold({ health: '尿毒症透析', phone: '13955556666' });
  const c = await raise(cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'], lead_on: addDays(today, -2) });
  await step(cadre, c.body.id, { action: 'review', on_date: addDays(today, -2), result: 'agree', participants: '村民代表' });
  await step(cadre, c.body.id, { action: 'notice', on_date: addDays(today, -1), days: 7 });
  const r = await api('GET', `/api/v1/cases/notice?village=${VILLAGE}`, { session: cadre });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const html = r.text;
  assert.match(html, /拟纳入防返贫监测对象公示/);
  assert.ok(html.includes('测试户主'), 'the head of the household is named');
  assert.ok(html.includes('因病'));
  assert.ok(html.includes(`${addDays(today, -1)} 至 ${addDays(today, 5)}（7 天）`));
  const detail = await api('GET', `/api/v1/households/${h.id}`, { session: sec });
  for (const idn of h.id_numbers) {
    assert.ok(!html.includes(idn), 'no full ID number');
  }
  for (const m of detail.body.members) if (m.id_masked) assert.ok(!html.includes(m.id_masked), 'no masked ID number');
  assert.ok(!html.includes('13955556666') && !html.includes('1395'), 'no phone');
  if (detail.body.phone_masked) assert.ok(!html.includes(detail.body.phone_masked));
  assert.ok(!html.includes('尿毒症') && !html.includes('透析'), 'no health detail');
  assert.ok(!/\d{15,}/.test(html), 'no long number (ID, bank account)');
  assert.ok(!/银行|账号|卡号|身份证|电话|健康/.test(html), 'no such columns');
  assertError(await api('GET', `/api/v1/cases/notice?village=${VILLAGE}`, { session: otherSec }), 404, 'not_found', 'village');
});

test('5.7: a department list (部门预警) is imported as csv, all or nothing; households with an open case are skipped', async () => {
  const h1 = await importHousehold();
  const h2 = await importHousehold();
  await raise(cadre, { household_id: h2.id, source: 'self_reported', risks: ['illness'] });
  const good = `户编号,风险类型,预警部门,预警日期,说明\n${h1.household_no},因病、因学,县医保局,${addDays(today, -1)},医疗费用超过 2 万元\n${h2.household_no},因病,县医保局,${today},\n`;
  const bad = `户编号,风险类型,预警部门,预警日期\n${h1.household_no},因病,县医保局,${today}\nNOPE,因穷,,2020-13-01\n`;
  let r = await api('POST', `/api/v1/cases/import?village=${VILLAGE}`, { session: cadre, raw: bad, headers: { 'content-type': 'text/csv' } });
  assertError(r, 422, 'import_invalid');
  assert.deepEqual([...new Set(r.body.error.errors.map((e) => e.row))], [3]);
  assert.equal((await list(cadre, `/api/v1/cases?household=${h1.id}`)).total, 0, 'nothing written');
  r = await api('POST', `/api/v1/cases/import?village=${VILLAGE}`, { session: cadre, raw: good, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.created, 1);
  assert.equal(r.body.skipped.length, 1);
  assert.equal(r.body.skipped[0].household_no, h2.household_no);
  const made = await list(cadre, `/api/v1/cases?household=${h1.id}`);
  assert.equal(made.items[0].source, 'department');
  assert.equal(made.items[0].department, '县医保局');
  assert.deepEqual(made.items[0].risks, ['illness', 'schooling']);
});

test('5.7: the demo\'s closed cases carry the whole closure path', async () => {
  const closed = await list(cadre, `/api/v1/cases?village=${VILLAGE}&state=closed`);
  assert.ok(closed.items.length >= 1, 'a closed demo case');
  for (const row of closed.items) {
    const got = await api('GET', `/api/v1/cases/${row.id}`, { session: cadre });
    const steps = got.body.steps.map((s) => s.step);
    const i = steps.lastIndexOf('close');
    assert.deepEqual(steps.slice(i - 3, i + 1), ['close_verify', 'close_review', 'close_notice', 'close'], JSON.stringify(steps));
    assert.ok(got.body.close_notice_start < got.body.closed_on, 'the notice before the confirmation');
  }
  // the reopened demo case went through it too before its reversal
  const reopened = await list(cadre, `/api/v1/cases?village=${VILLAGE}&state=monitored`);
  const withReopen = [];
  for (const row of reopened.items) {
    const got = await api('GET', `/api/v1/cases/${row.id}`, { session: cadre });
    if (got.body.steps.some((s) => s.step === 'reopen')) withReopen.push(got.body.steps.map((s) => s.step));
  }
  assert.ok(withReopen.some((s) => s.join().includes('close_verify,close_review,close_notice,close,reopen')), JSON.stringify(withReopen));
});
