// Nominations and their life (POST /api/v1/assignments and after): rotation windows (1.1), the two
// departments' approvals (1.5), justification and sign-off for 原则上 rules, adjustments for a reason of
// 1.2 with a replacement and the 15-day handover (1.6), and recalls (1.8). Every cadre, unit and batch
// is created here; nominations go to ordinary (not key) villages of 沙洲坝镇 so coverage is untouched.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, as, addDays, assertError, createBatch, createCadre, createUnit, nominateAndApprove, todayCST, yearsBefore,
} from './lib.mjs';
import { randomInt, today } from '../clock.mjs';

const REGION = '369102';
const T = todayCST();
let org, rrb, cityOrg, unitLeader, township;
let NU;            // a county organ of 瑞金市 created for this file
let batch;         // an open rotation batch of 瑞金市
let villages;      // ordinary villages of 瑞金市 outside 沙洲坝镇, one per nomination
let homeVillage;   // the ordinary village of 沙洲坝镇 (360781104), for the handover its secretary confirms
let foreignVillage; // a village of another county

const cadre = (fields = {}) => createCadre(org, { region: REGION, birth: yearsBefore(T, 40), unit_id: NU.id, rank: 'section', ...fields });
const nominate = (session, body) => api('POST', '/api/v1/assignments', { session, body });
const decide = (session, id, body) => api('POST', `/api/v1/assignments/${id}/decision`, { session, body });
const getA = async (id) => {
  const r = await api('GET', `/api/v1/assignments/${id}`, { session: org });
  assert.equal(r.status, 200, r.text);
  return r.body;
};
let vi = 0;
const nextVillage = () => villages[vi++ % villages.length];

before(async () => {
  org = await as('ruijin_org');
  rrb = await as('ruijin_rrb');
  cityOrg = await as('city_org');
  unitLeader = await as('unit_leader1');
  township = await as('shazhouba_sec');
  NU = await createUnit(org, { name: `选派测试局${randomInt()}` });
  // the term starts today, so that approved posts take effect at once (1.5); post_life tests the wait
  batch = await createBatch(org, { opensIn: -1, closesIn: 30, startsIn: 0 });
  const v = await api('GET', '/api/v1/regions?parent=360781104', { session: org });
  assert.equal(v.status, 200, v.text);
  homeVillage = v.body.items.find((x) => x.level === 'village' && !x.key_village)?.code;
  assert.ok(homeVillage, 'an ordinary village in 沙洲坝镇, whose secretary confirms the handover');
  // one first secretary per village (1.7): every other nomination gets a village of its own, from
  // the other townships of 瑞金市
  villages = [];
  const ruijinTowns = await api('GET', '/api/v1/regions?parent=360781', { session: org });
  for (const t of ruijinTowns.body.items.filter((x) => x.code !== '360781104')) {
    const vs = await api('GET', `/api/v1/regions?parent=${t.code}`, { session: org });
    villages.push(...vs.body.items.filter((x) => x.level === 'village' && !x.key_village).map((x) => x.code));
    if (villages.length >= 40) break;
  }
  assert.ok(villages.length >= 20, 'ordinary villages in 瑞金市');
  const counties = await api('GET', '/api/v1/regions?parent=3607', { session: cityOrg });
  const other = counties.body.items.find((x) => x.level === 'county' && x.code !== '360781');
  const towns = await api('GET', `/api/v1/regions?parent=${other.code}`, { session: cityOrg });
  const vs = await api('GET', `/api/v1/regions?parent=${towns.body.items[0].code}`, { session: cityOrg });
  foreignVillage = vs.body.items.find((x) => x.level === 'village').code;
});

test('1.5: a nomination in a window is pending until the same-level org dept and RRB both approve, each once', async () => {
  const c = await cadre();
  const village = nextVillage();
  const n = await nominate(org, { cadre_id: c.id, unit_id: NU.id, village_code: village, post: 'first_secretary', batch_id: batch.id });
  assert.equal(n.status, 201, n.text);
  assert.equal(n.body.status, 'pending');
  assert.equal(n.body.kind, 'rotation');
  assert.equal(n.body.verdict, 'eligible');
  assert.equal(n.body.batch_id, batch.id);
  assert.equal(n.body.start_date, batch.term_start, 'the term starts with the batch');
  assert.equal(n.body.approval_region, '360781');
  assert.equal(n.body.org_decision, null);
  assert.equal(n.body.rrb_decision, null);
  const id = n.body.id;
  let v = n.body.version;
  // nothing takes effect before both approve: the cadre is not stationed
  assert.equal((await api('GET', `/api/v1/cadres/${c.id}`, { session: org })).body.village_code, null);
  // only the two departments of the unit's own level decide
  assertError(await decide(cityOrg, id, { decision: 'approve', version: v }), 403, 'not_approver');
  assertError(await decide(await as('city_rrb'), id, { decision: 'approve', version: v }), 403, 'not_approver');
  assertError(await decide(unitLeader, id, { decision: 'approve', version: v }), 403, 'forbidden');
  assertError(await decide(township, id, { decision: 'approve', version: v }), 403, 'forbidden');
  // both inboxes hold it
  for (const s of [org, rrb]) {
    const inbox = await api('GET', '/api/v1/assignments?inbox=1&page_size=200', { session: s });
    assert.equal(inbox.status, 200);
    assert.ok(inbox.body.items.some((x) => x.id === id), `${s.username} inbox`);
  }
  const a1 = await decide(org, id, { decision: 'approve', comment: '同意', version: v });
  assert.equal(a1.status, 200, a1.text);
  assert.equal(a1.body.status, 'pending', 'one approval leaves it pending');
  assert.equal(a1.body.org_decision, 'approved');
  assert.ok(a1.body.version > v);
  assert.equal((await api('GET', `/api/v1/cadres/${c.id}`, { session: org })).body.village_code, null);
  const orgInbox = await api('GET', '/api/v1/assignments?inbox=1&page_size=200', { session: org });
  assert.ok(!orgInbox.body.items.some((x) => x.id === id), 'gone from the org inbox');
  // a second decision by the same department, at the current version
  assertError(await decide(org, id, { decision: 'approve', version: a1.body.version }), 409, 'duplicate_decision');
  assertError(await decide(org, id, { decision: 'reject', comment: '改变主意', version: a1.body.version }), 409, 'duplicate_decision');
  // the RRB on a stale screen
  assertError(await decide(rrb, id, { decision: 'approve', version: v }), 409, 'stale', 'version');
  v = a1.body.version;
  const a2 = await decide(rrb, id, { decision: 'approve', comment: '同意', version: v });
  assert.equal(a2.status, 200, a2.text);
  assert.equal(a2.body.status, 'active');
  assert.equal(a2.body.rrb_decision, 'approved');
  assert.deepEqual(a2.body.timeline.map((t) => t.action), ['nominate', 'approve', 'approve', 'approve_all', 'take_effect']);
  const cd = await api('GET', `/api/v1/cadres/${c.id}`, { session: org });
  assert.equal(cd.body.village_code, village);
  assert.equal(cd.body.post, 'first_secretary');
  assert.ok(cd.body.assignments.some((x) => x.id === id && x.status === 'active'));
  assertError(await decide(rrb, id, { decision: 'approve', version: a2.body.version }), 409, 'duplicate_decision');
  // the stationed cadre is no longer a candidate of the unit
  const cand = await api('GET', `/api/v1/candidates?unit=${NU.id}`, { session: org });
  assert.ok(!cand.body.items.some((x) => x.id === c.id));
});

test('1.5: a rejection needs a comment and ends the nomination; the cadre may be nominated again', async () => {
  const c = await cadre();
  const n = await nominate(org, { cadre_id: c.id, unit_id: NU.id, village_code: nextVillage(), post: 'team_member', batch_id: batch.id });
  assert.equal(n.status, 201, n.text);
  assertError(await decide(rrb, n.body.id, { decision: 'reject', version: n.body.version }), 400, 'field_required', 'comment');
  assertError(await decide(rrb, n.body.id, { decision: 'reject', comment: '', version: n.body.version }), 400, 'field_required', 'comment');
  assertError(await decide(rrb, n.body.id, { decision: 'maybe', comment: 'x', version: n.body.version }), 400, 'field_invalid', 'decision');
  assert.equal((await getA(n.body.id)).status, 'pending', 'the refused requests changed nothing');
  const r = await decide(rrb, n.body.id, { decision: 'reject', comment: '人选与村情不匹配', version: n.body.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'rejected');
  assert.equal(r.body.rrb_decision, 'rejected');
  assert.equal(r.body.rrb_comment, '人选与村情不匹配');
  assertError(await decide(org, n.body.id, { decision: 'approve', version: r.body.version }), 409, 'not_pending');
  assert.equal((await api('GET', `/api/v1/cadres/${c.id}`, { session: org })).body.village_code, null);
  const again = await nominate(org, { cadre_id: c.id, unit_id: NU.id, village_code: nextVillage(), post: 'team_member', batch_id: batch.id });
  assert.equal(again.status, 201, again.text);
});

test('1.3a + 1.5: a needs-justification candidate needs a written justification and the approvers\' sign-off', async () => {
  const c = await cadre({ birth: yearsBefore(T, 57) });
  const village = nextVillage();
  const body = { cadre_id: c.id, unit_id: NU.id, village_code: village, post: 'first_secretary', batch_id: batch.id };
  const before = await api('GET', `/api/v1/assignments?batch=${batch.id}&page_size=200`, { session: org });
  const r = await nominate(org, body);
  assertError(r, 400, 'justification_required', 'justification');
  assert.ok(r.body.error.reasons.some((x) => x.clause === '1.3a' && x.outcome === 'needs_justification'));
  assertError(await nominate(org, { ...body, justification: '' }), 400, 'justification_required');
  const after = await api('GET', `/api/v1/assignments?batch=${batch.id}&page_size=200`, { session: org });
  assert.equal(after.body.total, before.body.total, 'nothing created');
  assert.deepEqual((await api('GET', `/api/v1/cadres/${c.id}`, { session: org })).body.assignments, []);

  const n = await nominate(org, { ...body, justification: '长期从事农业技术推广，身体健康，熟悉村情' });
  assert.equal(n.status, 201, n.text);
  assert.equal(n.body.status, 'pending');
  assert.equal(n.body.verdict, 'needs_justification');
  assert.equal(n.body.justification, '长期从事农业技术推广，身体健康，熟悉村情');
  assert.ok(n.body.reasons.some((x) => x.clause === '1.3a' && x.outcome === 'needs_justification'), 'the reasons are kept');
  assertError(await decide(org, n.body.id, { decision: 'approve', version: n.body.version }), 400, 'exception_signoff_required', 'exception_approved');
  assertError(await decide(org, n.body.id, { decision: 'approve', version: n.body.version, exception_approved: false }), 400, 'exception_signoff_required');
  const a1 = await decide(org, n.body.id, { decision: 'approve', version: n.body.version, exception_approved: true });
  assert.equal(a1.status, 200, a1.text);
  assertError(await decide(rrb, n.body.id, { decision: 'approve', version: a1.body.version }), 400, 'exception_signoff_required');
  const a2 = await decide(rrb, n.body.id, { decision: 'approve', version: a1.body.version, exception_approved: true });
  assert.equal(a2.status, 200, a2.text);
  assert.equal(a2.body.status, 'active');
});

test('1.3: a blocked candidate cannot be nominated (422 not_eligible with the reasons), nothing is created', async () => {
  for (const [name, fields] of [['临聘', { employment_type: 'temporary' }], ['勤杂', { employment_type: 'odd_job' }]]) {
    const c = await cadre(fields);
    const r = await nominate(org, { cadre_id: c.id, unit_id: NU.id, village_code: nextVillage(), post: 'team_member', batch_id: batch.id });
    assertError(r, 422, 'not_eligible');
    assert.ok(r.body.error.reasons.some((x) => x.clause === '1.3d' && x.outcome === 'blocked'), name);
    assert.deepEqual((await api('GET', `/api/v1/cadres/${c.id}`, { session: org })).body.assignments, [], name);
  }
  // 1.3b: a cadre of another unit
  const other = await createUnit(org);
  const c = await createCadre(org, { region: REGION, birth: yearsBefore(T, 40), unit_id: other.id, rank: 'section' });
  const r = await nominate(org, { cadre_id: c.id, unit_id: NU.id, village_code: nextVillage(), post: 'team_member', batch_id: batch.id });
  assertError(r, 422, 'not_eligible');
  assert.ok(r.body.error.reasons.some((x) => x.clause === '1.3b' && x.outcome === 'blocked'));
  // a township-level unit cannot dispatch at all
  const town = await createUnit(org, { level: 'township', region_code: '360781104' });
  const tc = await createCadre(org, { region: REGION, birth: yearsBefore(T, 40), unit_id: town.id, rank: 'section' });
  const t = await nominate(org, { cadre_id: tc.id, unit_id: town.id, village_code: nextVillage(), post: 'team_member', batch_id: batch.id });
  assert.equal(t.status >= 400 && t.status < 500, true, t.text);
  assert.deepEqual((await api('GET', `/api/v1/cadres/${tc.id}`, { session: org })).body.assignments, []);
});

test('1.1: outside a rotation window nothing is nominated without an adjustment', async () => {
  const c = await cadre();
  const base = { cadre_id: c.id, unit_id: NU.id, village_code: nextVillage(), post: 'team_member' };
  assertError(await nominate(org, base), 400, 'outside_rotation');
  const closed = await createBatch(org, { opensIn: -20, closesIn: -1, startsIn: -10 });
  assertError(await nominate(org, { ...base, batch_id: closed.id }), 409, 'outside_window', 'batch_id');
  const future = await createBatch(org, { opensIn: 1, closesIn: 20, startsIn: 5 });
  assertError(await nominate(org, { ...base, batch_id: future.id }), 409, 'outside_window', 'batch_id');
  // closes today: still open (the last day counts)
  const lastDay = await createBatch(org, { opensIn: -5, closesIn: 0, startsIn: 0 });
  const ok = await nominate(org, { ...base, batch_id: lastDay.id });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.status, 'pending');
  // the same cadre again while pending
  assertError(await nominate(org, { ...base, village_code: nextVillage(), batch_id: batch.id }), 409, 'conflict');

  const c2 = await cadre();
  const b2 = { cadre_id: c2.id, unit_id: NU.id, post: 'team_member', batch_id: batch.id };
  assertError(await nominate(org, { ...b2, village_code: foreignVillage }), 400, 'field_invalid', 'village_code');
  assertError(await nominate(org, { ...b2, village_code: '360781104' }), 400, 'field_invalid', 'village_code');
  assertError(await nominate(org, { ...b2, village_code: '360781104999' }), 400, 'field_invalid', 'village_code');
  assertError(await nominate(org, { ...b2, village_code: nextVillage(), batch_id: 99999999 }), 400, 'field_invalid', 'batch_id');
  assertError(await nominate(org, { ...b2, village_code: nextVillage(), post: 'mayor' }), 400, 'field_invalid', 'post');
  assert.deepEqual((await api('GET', `/api/v1/cadres/${c2.id}`, { session: org })).body.assignments, []);
  // an active cadre cannot be nominated again
  const active = await nominateAndApprove(org, { ...b2, village_code: nextVillage() }, { org, rrb });
  assert.equal(active.status, 'active');
  assertError(await nominate(org, { ...b2, village_code: nextVillage() }), 409, 'conflict');
});

test('candidates: a cadre awaiting a post (pending nomination) is not listed', async () => {
  const c = await cadre();
  const n = await nominate(org, { cadre_id: c.id, unit_id: NU.id, village_code: nextVillage(), post: 'team_member', batch_id: batch.id });
  assert.equal(n.status, 201, n.text);
  const cand = await api('GET', `/api/v1/candidates?unit=${NU.id}&post=team_member`, { session: org });
  assert.equal(cand.status, 200);
  // API.md: "the unit's own cadres not holding or awaiting a post"
  assert.ok(!cand.body.items.some((x) => x.id === c.id), 'a cadre with a pending nomination is still offered as a candidate');
});

test('1.2 + 1.6: an adjustment for a reason, a replacement, both approve, the 15-day handover with its checklist', async () => {
  const U2 = await createUnit(org, { name: `调整测试局${randomInt()}` });
  const village = homeVillage;
  const c1 = await createCadre(org, { region: REGION, birth: yearsBefore(T, 40), unit_id: U2.id, rank: 'section' });
  const c2 = await createCadre(org, { region: REGION, birth: yearsBefore(T, 35), unit_id: U2.id, rank: 'section' });
  const out = await nominateAndApprove(org, { cadre_id: c1.id, unit_id: U2.id, village_code: village, post: 'first_secretary', batch_id: batch.id }, { org, rrb });
  assert.equal(out.status, 'active');
  const adjust = (body) => api('POST', `/api/v1/assignments/${out.id}/adjustment`, { session: org, body });
  assertError(await adjust({ reason: 'other' }), 400, 'field_required', 'explanation');
  assertError(await adjust({ reason: 'other', explanation: '' }), 400, 'field_required', 'explanation');
  assertError(await adjust({ reason: 'holiday', explanation: 'x' }), 400, 'field_invalid', 'reason');
  assertError(await adjust({ explanation: 'x' }), 400, 'field_required', 'reason');
  const adj = await adjust({ reason: 'unit_change', explanation: '调任县委办' });
  assert.equal(adj.status, 201, adj.text);
  assert.equal(adj.body.reason, 'unit_change');
  assert.equal(adj.body.recall, false);
  assert.equal(adj.body.status, 'open');
  assert.equal(adj.body.outgoing_assignment_id, out.id);
  assertError(await adjust({ reason: 'illness', explanation: '再次' }), 409, 'conflict');
  // an adjustment of a post that is not active
  const pend = await nominate(org, { cadre_id: (await createCadre(org, { region: REGION, birth: yearsBefore(T, 39), unit_id: U2.id, rank: 'section' })).id,
    unit_id: U2.id, village_code: nextVillage(), post: 'team_member', batch_id: batch.id });
  assertError(await api('POST', `/api/v1/assignments/${pend.body.id}/adjustment`, { session: org, body: { reason: 'illness' } }), 409, 'not_active');

  // the replacement takes the outgoing post's village and post
  const rep = await nominate(org, { cadre_id: c2.id, unit_id: U2.id, adjustment_id: adj.body.id });
  assert.equal(rep.status, 201, rep.text);
  assert.equal(rep.body.status, 'pending');
  assert.equal(rep.body.kind, 'adjustment');
  assert.equal(rep.body.village_code, village);
  assert.equal(rep.body.post, 'first_secretary');
  assert.equal(rep.body.adjustment_id, adj.body.id);
  const c3 = await createCadre(org, { region: REGION, birth: yearsBefore(T, 36), unit_id: U2.id, rank: 'section' });
  assertError(await nominate(org, { cadre_id: c3.id, unit_id: U2.id, adjustment_id: adj.body.id }), 409, 'conflict');
  const a1 = await decide(org, rep.body.id, { decision: 'approve', version: rep.body.version });
  const a2 = await decide(rrb, rep.body.id, { decision: 'approve', version: a1.body.version });
  assert.equal(a2.status, 200, a2.text);
  assert.equal(a2.body.status, 'handover', 'the replacement enters the handover');
  assert.equal((await getA(out.id)).status, 'handover', 'the outgoing post too');
  const hid = a2.body.handover_id;
  assert.ok(hid);
  const h = await api('GET', `/api/v1/handovers/${hid}`, { session: township });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.body.starts_on, T);
  assert.equal(h.body.ends_on, addDays(T, 14), '15 days, day 1 and day 15 included');
  assert.equal(h.body.incoming.id, rep.body.id);
  assert.equal(h.body.outgoing.id, out.id);
  const policy = await api('GET', '/api/v1/policy/values', { session: org });
  const items = policy.body.parameters.find((p) => p.id === 'handover_checklist').value;
  assert.deepEqual(h.body.checklist.map((x) => x.item), items);
  assert.ok(h.body.checklist.every((x) => x.done === false));
  // both cadres are in the village during the overlap
  assert.equal((await api('GET', `/api/v1/cadres/${c1.id}`, { session: org })).body.village_code, village);
  assert.equal((await api('GET', `/api/v1/cadres/${c2.id}`, { session: org })).body.village_code, village);

  const complete = (s = township) => api('POST', `/api/v1/handovers/${hid}/complete`, { session: s });
  assertError(await complete(), 409, 'checklist_open');
  assertError(await complete(unitLeader), 403, 'forbidden');
  for (let i = 0; i < items.length - 1; i++) {
    const t = await api('POST', `/api/v1/handovers/${hid}/checklist`, { session: township, body: { item: i, done: true } });
    assert.equal(t.status, 200, t.text);
    assert.equal(t.body.checklist[i].done, true);
    assert.equal(t.body.checklist[i].by, 'shazhouba_sec');
  }
  assertError(await complete(), 409, 'checklist_open');
  assertError(await api('POST', `/api/v1/handovers/${hid}/checklist`, { session: township, body: { item: items.length, done: true } }), 409, 'conflict');
  const last = await api('POST', `/api/v1/handovers/${hid}/checklist`, { session: township, body: { item: items.length - 1, done: true } });
  assert.equal(last.status, 200, last.text);
  // confirming the checklist records it; the dates, not the confirmation, end the handover (day 16:
  // tests/api/post_life.test.mjs)
  const done = await complete();
  assert.equal(done.status, 200, done.text);
  assert.equal(done.body.confirmed_on, T);
  assert.equal(done.body.completed_on, null);
  assert.equal(done.body.outgoing.status, 'handover');
  assert.equal(done.body.incoming.status, 'handover');
  assert.equal((await api('GET', `/api/v1/cadres/${c1.id}`, { session: org })).body.village_code, village);
  assertError(await complete(), 409, 'already_done');
  // 1.1: the adjustment is counted with its reason
  const st = await api('GET', '/api/v1/stability?region=360781', { session: org });
  assert.equal(st.status, 200);
  assert.equal(st.body.clause, '1.1');
  const row = st.body.items.find((x) => x.unit_name === U2.name);
  assert.ok(row, JSON.stringify(st.body.items));
  assert.equal(row.reason, 'unit_change');
  assert.equal(row.reason_name, '工作单位变动');
  assert.equal(row.recall, '调整');
  assert.equal(row.count, 1);
  assert.equal(row.county_code, '360781');
});

test('1.8: a recall by the county departments needs an explanation and the accountability; a unit cannot recall', async () => {
  const unitId = unitLeader.user.unit_id;
  const c = await createCadre(unitLeader, { region: REGION, birth: yearsBefore(T, 38), rank: 'section' });
  assert.equal(c.unit_id, unitId);
  const post = await nominateAndApprove(unitLeader, { cadre_id: c.id, unit_id: unitId, village_code: nextVillage(), post: 'team_member', batch_id: batch.id }, { org, rrb });
  assert.equal(post.status, 'active');
  const recall = (s, body) => api('POST', `/api/v1/assignments/${post.id}/recall`, { session: s, body });
  assertError(await recall(unitLeader, { explanation: '长期不在岗', accountability: '诫勉谈话' }), 403, 'forbidden');
  assertError(await recall(await as('unit_hr1'), { explanation: '长期不在岗', accountability: '诫勉谈话' }), 403, 'forbidden');
  assertError(await recall(township, { explanation: '长期不在岗', accountability: '诫勉谈话' }), 403, 'forbidden');
  assertError(await recall(org, { accountability: '诫勉谈话' }), 400, 'field_required', 'explanation');
  assertError(await recall(org, { explanation: '长期不在岗' }), 400, 'field_required', 'accountability');
  assertError(await recall(org, { explanation: '长期不在岗', accountability: '诫勉谈话', reason: 'illness' }), 400, 'field_unknown');
  assert.equal((await getA(post.id)).open_adjustment, null, 'refused recalls changed nothing');
  const r = await recall(org, { explanation: '长期不在岗，群众反映强烈', accountability: '诫勉谈话，年度考核不得评为优秀' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.recall, true);
  assert.equal(r.body.reason, 'failing_duties');
  assert.equal(r.body.accountability, '诫勉谈话，年度考核不得评为优秀');
  assert.equal(r.body.explanation, '长期不在岗，群众反映强烈');
  assert.equal(r.body.outgoing_assignment_id, post.id);
  assert.equal(r.body.effective_on, T, 'without a date the recall takes effect today');
  // effective today: the post ends at once, its last day the eve (1.8); the recall is carried out
  const a = await getA(post.id);
  assert.equal(a.status, 'ended');
  assert.equal(a.end_reason, 'recall');
  assert.equal(a.end_reason_name, '召回');
  assert.equal(a.ended_on, addDays(T, -1));
  assert.equal(a.open_adjustment.id, r.body.id, 'open until a successor is named (1.7)');
  assert.equal(a.open_adjustment.recall, true);
  assert.ok(a.timeline.some((t) => t.action === 'recall'));
  assert.ok(a.timeline.some((t) => t.action === 'end' && t.username === 'system'));
  assert.equal((await api('GET', `/api/v1/cadres/${c.id}`, { session: org })).body.village_code, null);
  const st = await api('GET', '/api/v1/stability?region=360781', { session: org });
  assert.ok(st.body.items.some((x) => x.unit_name === '瑞金市农业农村局' && x.reason === 'failing_duties' && x.recall === '召回'
    && x.reason_name === '履职不力' && x.count >= 1), JSON.stringify(st.body.items));
});
