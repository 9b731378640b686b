// Section 1 of the notice end to end through the API: a rotation window (1.1), the engine's verdicts at
// nomination (1.3, 1.9), both departments' approvals (1.5), an adjustment for a reason of 1.2, the 15-day
// handover (1.6), recall permissions (1.8), coverage (1.7) and stability (1.1).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError } from './lib.mjs';
import { randomInt, today as pinnedToday } from '../clock.mjs';

let org, rrb, unit, township, unitId, batchId;
let eligible, overAge, blocked;   // candidate cadre ids of unit_leader1's unit
let village;                      // a key village of 瑞金市 (沙洲坝镇)

const today = () => pinnedToday();
const plus = (days) => pinnedToday(days);

before(async () => {
  org = await as('ruijin_org');
  rrb = await as('ruijin_rrb');
  unit = await as('unit_leader1');
  township = await as('shazhouba_sec');
  unitId = unit.user.unit_id;
  const b = await api('POST', '/api/v1/batches', {
    session: org, body: { name: `轮换-${randomInt()}`, opens_on: plus(-10), closes_on: plus(30), term_start: plus(0) },
  });
  assert.equal(b.status, 201, b.text);
  batchId = b.body.items[0].id;
  const c = await api('GET', `/api/v1/candidates?unit=${unitId}&post=first_secretary`, { session: unit });
  assert.equal(c.status, 200, c.text);
  const pick = (v) => c.body.items.find((x) => x.verdict === v && !x.reasons.some((r) => r.clause === '1.9' && r.outcome !== 'eligible'));
  eligible = pick('eligible')?.id;
  overAge = c.body.items.find((x) => x.verdict === 'needs_justification' && x.reasons.some((r) => r.clause === '1.3a' && r.outcome === 'needs_justification'))?.id;
  blocked = c.body.items.find((x) => x.verdict === 'blocked')?.id;
  const r = await api('GET', '/api/v1/regions?parent=360781104', { session: org });
  village = r.body.items.filter((x) => x.level === 'village' && x.key_village)[2].code;
});

test('candidates are ranked: eligible, then needs justification, then blocked; every check has its clause', async () => {
  const c = await api('GET', `/api/v1/candidates?unit=${unitId}&post=first_secretary`, { session: unit });
  const order = { eligible: 0, needs_justification: 1, blocked: 2 };
  const ranks = c.body.items.map((x) => order[x.verdict]);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  for (const x of c.body.items) {
    const clauses = x.reasons.map((r) => r.clause);
    for (const k of ['1.3a', '1.3b', '1.3c', '1.3d', '1.9']) assert.ok(clauses.includes(k), `${k} in ${clauses}`);
    assert.equal(x.priority.clause, '1.4');
  }
});

test('1.1: a nomination outside a batch and without an adjustment is refused', async () => {
  const r = await api('POST', '/api/v1/assignments', {
    session: unit, body: { cadre_id: eligible, unit_id: unitId, village_code: village, post: 'team_member' },
  });
  assertError(r, 400, 'outside_rotation');
});

test('1.3: a blocked candidate cannot be nominated and nothing is created', async () => {
  assert.ok(blocked, 'the demo has a blocked candidate');
  const before = await api('GET', `/api/v1/assignments?batch=${batchId}`, { session: org });
  const r = await api('POST', '/api/v1/assignments', {
    session: unit, body: { cadre_id: blocked, unit_id: unitId, village_code: village, post: 'team_member', batch_id: batchId },
  });
  assertError(r, 422, 'not_eligible');
  assert.ok(r.body.error.reasons.some((x) => x.outcome === 'blocked'));
  const after = await api('GET', `/api/v1/assignments?batch=${batchId}`, { session: org });
  assert.equal(after.body.total, before.body.total);
});

test('1.5: both departments approve once each; stale and duplicate decisions are refused', async () => {
  const n = await api('POST', '/api/v1/assignments', {
    session: unit, body: { cadre_id: eligible, unit_id: unitId, village_code: village, post: 'team_member', batch_id: batchId },
  });
  assert.equal(n.status, 201, n.text);
  assert.equal(n.body.status, 'pending');
  const id = n.body.id;
  const city = await as('city_org');
  assertError(await api('POST', `/api/v1/assignments/${id}/decision`, { session: city, body: { decision: 'approve', version: 1 } }), 403, 'not_approver');
  assertError(await api('POST', `/api/v1/assignments/${id}/decision`, { session: unit, body: { decision: 'approve', version: 1 } }), 403, 'forbidden');
  const inbox = await api('GET', '/api/v1/assignments?inbox=1', { session: org });
  assert.ok(inbox.body.items.some((x) => x.id === id));
  const a1 = await api('POST', `/api/v1/assignments/${id}/decision`, { session: org, body: { decision: 'approve', version: 1 } });
  assert.equal(a1.status, 200, a1.text);
  assert.equal(a1.body.status, 'pending');
  assertError(await api('POST', `/api/v1/assignments/${id}/decision`, { session: org, body: { decision: 'approve', version: 2 } }), 409, 'duplicate_decision');
  assertError(await api('POST', `/api/v1/assignments/${id}/decision`, { session: rrb, body: { decision: 'approve', version: 1 } }), 409, 'stale');
  const a2 = await api('POST', `/api/v1/assignments/${id}/decision`, { session: rrb, body: { decision: 'approve', version: 2 } });
  assert.equal(a2.body.status, 'active');
  assert.deepEqual(a2.body.timeline.map((t) => t.action), ['nominate', 'approve', 'approve', 'approve_all', 'take_effect']);
  const cadre = await api('GET', `/api/v1/cadres/${eligible}`, { session: org });
  assert.equal(cadre.body.village_code, village);
});

test('1.2 + 1.6 + 1.3a: adjustment, a justified over-age replacement, and the 15-day handover', async () => {
  const list = await api('GET', `/api/v1/assignments?status=active&village=${village}`, { session: org });
  const outgoing = list.body.items.find((x) => x.cadre_id === eligible);
  assert.ok(outgoing, 'the post approved above');
  assertError(await api('POST', `/api/v1/assignments/${outgoing.id}/adjustment`, { session: unit, body: { reason: 'other' } }), 400, 'field_required', 'explanation');
  assertError(await api('POST', `/api/v1/assignments/${outgoing.id}/adjustment`, { session: unit, body: { reason: 'holiday' } }), 400, 'field_invalid', 'reason');
  const adj = await api('POST', `/api/v1/assignments/${outgoing.id}/adjustment`, { session: unit, body: { reason: 'illness', explanation: '住院治疗' } });
  assert.equal(adj.status, 201, adj.text);
  assert.ok(overAge, 'the demo has an over-age candidate');
  const noWhy = await api('POST', '/api/v1/assignments', { session: unit, body: { cadre_id: overAge, unit_id: unitId, adjustment_id: adj.body.id } });
  assertError(noWhy, 400, 'justification_required', 'justification');
  const rep = await api('POST', '/api/v1/assignments', {
    session: unit, body: { cadre_id: overAge, unit_id: unitId, adjustment_id: adj.body.id, justification: '熟悉农业，身体健康' },
  });
  assert.equal(rep.status, 201, rep.text);
  const id = rep.body.id;
  assertError(await api('POST', `/api/v1/assignments/${id}/decision`, { session: org, body: { decision: 'approve', version: 1 } }), 400, 'exception_signoff_required');
  await api('POST', `/api/v1/assignments/${id}/decision`, { session: org, body: { decision: 'approve', version: 1, exception_approved: true } });
  const done = await api('POST', `/api/v1/assignments/${id}/decision`, { session: rrb, body: { decision: 'approve', version: 2, exception_approved: true } });
  assert.equal(done.body.status, 'handover');
  const h = await api('GET', `/api/v1/handovers/${done.body.handover_id}`, { session: township });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.body.starts_on, today());
  assert.equal(h.body.ends_on, plus(14), '15 days, both included');
  assert.equal(h.body.outgoing.status, 'handover');
  assertError(await api('POST', `/api/v1/handovers/${h.body.id}/complete`, { session: township }), 409, 'checklist_open');
  for (let i = 0; i < h.body.checklist.length; i++) {
    const t = await api('POST', `/api/v1/handovers/${h.body.id}/checklist`, { session: township, body: { item: i, done: true } });
    assert.equal(t.status, 200, t.text);
  }
  const c = await api('POST', `/api/v1/handovers/${h.body.id}/complete`, { session: township });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.confirmed_on, today());
  assert.equal(c.body.outgoing.status, 'handover', 'the checklist does not end the 15 days early');
  const stab = await api('GET', '/api/v1/stability?region=360781', { session: org });
  assert.ok(stab.body.items.some((x) => x.reason === 'illness' && x.reason_name === '因病'));
});

test('1.8: only the county or city departments recall, with an explanation and the accountability', async () => {
  const list = await api('GET', '/api/v1/assignments?status=active&village=' + village, { session: org });
  const post = list.body.items[0];
  assertError(await api('POST', `/api/v1/assignments/${post.id}/recall`, { session: unit, body: { explanation: 'x', accountability: 'y' } }), 403, 'forbidden');
  assertError(await api('POST', `/api/v1/assignments/${post.id}/recall`, { session: org, body: { explanation: '长期不在岗' } }), 400, 'field_required', 'accountability');
  const r = await api('POST', `/api/v1/assignments/${post.id}/recall`, { session: org, body: { explanation: '长期不在岗', accountability: '诫勉谈话' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.recall, true);
  assert.equal(r.body.reason, 'failing_duties');
});

test('1.7: coverage per county adds up, and exports to Excel', async () => {
  const c = await api('GET', '/api/v1/coverage?region=360781', { session: org });
  assert.equal(c.body.clause, '1.7');
  for (const row of c.body.items) assert.equal(row.key_villages, row.with_first_secretary + row.without_first_secretary);
  const x = await api('GET', '/api/v1/coverage?region=360781&format=xlsx', { session: org });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
});
