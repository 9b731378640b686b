// A post's whole life (1.1, 1.5, 1.6, 1.7, 1.8): approved → [handover in] → active → [handover out]
// → ended, each step by its date. The days ahead are seen by starting another server on a copy of the
// database with its clock fixed later (serveAt): a handover's day 15 and day 16, a recall's effective
// day, a term's end and the vacancy's deadline.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, as, assertError, copyDb, createCadre, createUnit, login, serveAt, yearsBefore } from './lib.mjs';
import { NOW_MS, isoCST, today, randomInt } from '../clock.mjs';

let org, rrb, township;
let NU; // a county organ of 瑞金市 created for this file, whose new cadres this file nominates

/** A new cadre of NU, 40 years old, eligible for any post. */
const newCadre = () => createCadre(org, { region: '369105', birth: yearsBefore(today(), 40), unit_id: NU.id, rank: 'section' });

/** 10:00 Beijing time on the day `days` after the pinned today. */
const morning = (days) => `${today(days)}T10:00:00+08:00`;

/** Runs fn(base, sessions) against a server on `db` whose clock is at `instant`, then stops it. */
async function onDay(db, instant, fn) {
  const s = await serveAt(db, instant);
  try {
    const sessions = {};
    const who = async (name) => (sessions[name] ??= await login(name, undefined, s.url));
    await fn(s.url, who);
  } finally {
    const end = await s.stop();
    assert.ok(!/Sanitizer/.test(end.out), `server of ${instant}: ${end.out}`);
  }
}

const get = (base, session, path) => api('GET', path, { session, base });

async function assignment(base, session, id) {
  const r = await get(base, session, `/api/v1/assignments/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

before(async () => {
  org = await as('ruijin_org');
  rrb = await as('ruijin_rrb');
  township = await as('shazhouba_sec');
  NU = await createUnit(org, { name: `岗位周期测试局${randomInt()}` });
});

/** The demo's rotation in 瑞金市: the handover whose incoming post is in handover today. */
async function demoHandover() {
  const r = await api('GET', '/api/v1/assignments?status=handover&page_size=100', { session: org });
  assert.equal(r.status, 200, r.text);
  const incoming = r.body.items.find((x) => x.kind === 'rotation');
  assert.ok(incoming, `the demo has a rotation in handover: ${r.text.slice(0, 400)}`);
  const a = await api('GET', `/api/v1/assignments/${incoming.id}`, { session: org });
  assert.ok(a.body.handover_id, a.text);
  const h = await api('GET', `/api/v1/handovers/${a.body.handover_id}`, { session: org });
  assert.equal(h.status, 200, h.text);
  return h.body;
}

test('1.6: the demo\'s rotation hands over for exactly 15 days — both hold the post on day 15, only the new one on day 16, whatever the checklist says', async () => {
  const h = await demoHandover();
  assert.equal(h.ends_on, addDaysIso(h.starts_on, 14), '15 days, both included');
  assert.equal(h.outgoing.status, 'handover');
  assert.equal(h.incoming.status, 'handover');
  assert.equal(h.confirmed_on, null);
  assert.ok(h.checklist.some((x) => !x.done), 'the demo leaves items open');
  const db = copyDb();
  const dayOf = (iso) => Math.round((Date.parse(`${iso}T00:00:00+08:00`) - Date.parse(`${today()}T00:00:00+08:00`)) / 86400e3);
  await onDay(db, morning(dayOf(h.ends_on)), async (base, who) => {
    const o = await who('ruijin_org');
    const out = await assignment(base, o, h.outgoing_assignment_id);
    const inc = await assignment(base, o, h.incoming_assignment_id);
    assert.equal(out.status, 'handover', 'day 15: the outgoing cadre still holds the post');
    assert.equal(inc.status, 'handover');
  });
  await onDay(db, morning(dayOf(h.ends_on) + 1), async (base, who) => {
    const o = await who('ruijin_org');
    const out = await assignment(base, o, h.outgoing_assignment_id);
    const inc = await assignment(base, o, h.incoming_assignment_id);
    assert.equal(out.status, 'ended', 'day 16: the outgoing post has ended though the checklist is open');
    assert.equal(out.ended_on, h.ends_on);
    assert.equal(out.end_reason, 'rotation');
    assert.equal(inc.status, 'active');
    assert.ok(out.timeline.some((t) => t.action === 'end' && t.note.startsWith(h.ends_on)), JSON.stringify(out.timeline));
    const cov = await get(base, o, '/api/v1/coverage?region=360781');
    assert.deepEqual(cov.body.double_first_secretaries, []);
    // the audit log names the system as the actor of the day's transitions
    const audit = await who('auditadmin');
    const rows = await get(base, audit, `/api/v1/audit?action=assignment.ended&page_size=50`);
    assert.equal(rows.status, 200, rows.text);
    assert.ok(rows.body.items.some((x) => x.entity_id === String(h.outgoing_assignment_id) && x.username === 'system'),
      rows.text.slice(0, 600));
  });
});

test('1.6: the checklist is confirmed item by item; confirming records it and does not end the handover early', async () => {
  const h = await demoHandover();
  // on a copy: the live demo handover stays unconfirmed for the township's 待办 (tests/api/todo.test.mjs)
  const db = copyDb();
  await onDay(db, morning(0), async (base, who) => {
    const sec = await who('shazhouba_sec');
    const post = (path, body) => api('POST', path, { session: sec, base, body });
    assertError(await post(`/api/v1/handovers/${h.id}/complete`), 409, 'checklist_open');
    for (let i = 0; i < h.checklist.length; i++) {
      const t = await post(`/api/v1/handovers/${h.id}/checklist`, { item: i, done: true });
      assert.equal(t.status, 200, t.text);
    }
    const c = await post(`/api/v1/handovers/${h.id}/complete`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.confirmed_on, today());
    assert.equal(c.body.confirmed_by, 'shazhouba_sec');
    assert.equal(c.body.outgoing.status, 'handover', 'the outgoing cadre holds the post until day 15 all the same');
    assert.equal(c.body.ends_on, h.ends_on);
    assertError(await post(`/api/v1/handovers/${h.id}/complete`), 409, 'already_done');
    assertError(await post(`/api/v1/handovers/${h.id}/checklist`, { item: 0, done: false }), 409, 'conflict');
  });
});

test('1.7: a village never has two first secretaries — a nomination into a seat already handing over is refused at approval', async () => {
  const h = await demoHandover();
  const village = h.incoming.village_code;
  const b = await api('POST', '/api/v1/batches', {
    session: org, body: { name: `轮换-${randomInt()}`, opens_on: today(-3), closes_on: today(20), term_start: today() },
  });
  assert.equal(b.status, 201, b.text);
  const batch = b.body.items[0].id;
  const cand = await newCadre();
  const n = await api('POST', '/api/v1/assignments', {
    session: org, body: { cadre_id: cand.id, unit_id: NU.id, village_code: village, post: 'first_secretary', batch_id: batch },
  });
  assert.equal(n.status, 201, n.text);
  const a1 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, { session: org, body: { decision: 'approve', version: n.body.version } });
  assert.equal(a1.status, 200, a1.text);
  const a2 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, { session: rrb, body: { decision: 'approve', version: a1.body.version } });
  assertError(a2, 409, 'first_secretary_taken');
  const after = await api('GET', `/api/v1/assignments/${n.body.id}`, { session: org });
  assert.equal(after.body.status, 'pending', 'nothing changed');
  const seated = await api('GET', `/api/v1/assignments?village=${village}&page_size=50`, { session: org });
  const live = seated.body.items.filter((x) => x.post === 'first_secretary' && ['approved', 'active', 'handover'].includes(x.status));
  assert.equal(live.length, 2, 'the two of the handover, no third');
  const w = await api('POST', `/api/v1/assignments/${n.body.id}/withdraw`, { session: org, body: {} });
  assert.equal(w.status, 200, w.text);
});

test('1.5: approved by both departments before the term starts, the post waits (approved) and takes effect on its first day', async () => {
  const b = await api('POST', '/api/v1/batches', {
    session: org, body: { name: `轮换-${randomInt()}`, opens_on: today(-3), closes_on: today(20), term_start: today(7) },
  });
  assert.equal(b.status, 201, b.text);
  const r = await api('GET', '/api/v1/regions?parent=360781104', { session: org });
  const village = r.body.items.filter((x) => x.level === 'village' && x.key_village).at(-1).code;
  const cand = await newCadre();
  const n = await api('POST', '/api/v1/assignments', {
    session: org, body: { cadre_id: cand.id, unit_id: NU.id, village_code: village, post: 'team_member', batch_id: b.body.items[0].id },
  });
  assert.equal(n.status, 201, n.text);
  const a1 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, { session: org, body: { decision: 'approve', version: n.body.version } });
  const a2 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, { session: rrb, body: { decision: 'approve', version: a1.body.version } });
  assert.equal(a2.status, 200, a2.text);
  assert.equal(a2.body.status, 'approved');
  assert.equal(a2.body.start_date, today(7));
  const cadre = await api('GET', `/api/v1/cadres/${cand.id}`, { session: org });
  assert.equal(cadre.body.village_code, null, 'not stationed before the first day');
  const db = copyDb();
  await onDay(db, morning(6), async (base, who) => {
    assert.equal((await assignment(base, await who('ruijin_org'), n.body.id)).status, 'approved');
  });
  await onDay(db, morning(7), async (base, who) => {
    const o = await who('ruijin_org');
    const a = await assignment(base, o, n.body.id);
    assert.equal(a.status, 'active');
    assert.ok(a.timeline.some((t) => t.action === 'take_effect' && t.username === 'system'), JSON.stringify(a.timeline));
    const cd = await get(base, o, `/api/v1/cadres/${cand.id}`);
    assert.equal(cd.body.village_code, village);
  });
});

test('1.8: a recall takes effect on its day — the cadre holds the post until the eve, then check-ins are refused with the reason, and the village has a vacancy', async () => {
  const cadreSession = await as('cadre1');
  const me = await api('GET', '/api/v1/me/today', { session: cadreSession });
  assert.equal(me.status, 200, me.text);
  const fence = me.body.assignment;
  const list = await api('GET', `/api/v1/assignments?status=active&village=360781104200&page_size=50`, { session: org });
  const post = list.body.items.find((x) => x.cadre_id === cadreSession.user.cadre_id);
  assert.ok(post, 'cadre1 holds a post in 沙洲坝村');
  const successor = await newCadre(); // named against the recall on the copy
  // everything that changes the live post is done on a copy, so that the other test files keep cadre1
  const db = copyDb();
  let recallId;
  const checkin = (base, session, ms) => api('POST', '/api/v1/checkins', {
    session, base, body: { client_id: randomUUID(), at: isoCST(ms), sent_at: isoCST(ms), lat: fence.lat, lng: fence.lng,
      accuracy_m: 20, source: 'gps' },
  });
  await onDay(db, morning(0), async (base, who) => {
    const o = await who('ruijin_org');
    const recall = (body) => api('POST', `/api/v1/assignments/${post.id}/recall`, { session: o, base, body });
    const why = { explanation: '长期不在岗', accountability: '诫勉谈话' };
    assertError(await recall({ ...why, effective_on: today(-1) }), 400, 'field_invalid', 'effective_on');
    assertError(await recall({ ...why, effective_on: '2026-02-30' }), 400, 'field_invalid', 'effective_on');
    assertError(await recall({ ...why, effective_on: '2099-01-01' }), 400, 'field_invalid', 'effective_on');
    const r = await recall({ ...why, effective_on: today(3) });
    assert.equal(r.status, 201, r.text);
    recallId = r.body.id;
    assert.equal(r.body.effective_on, today(3));
    assert.equal((await assignment(base, o, post.id)).status, 'active', 'until the effective day the post is held');
    const c = await checkin(base, await who('cadre1'), NOW_MS);
    assert.equal(c.status, 201, c.text);
  });
  await onDay(db, morning(3), async (base, who) => {
    const o = await who('ruijin_org');
    const a = await assignment(base, o, post.id);
    assert.equal(a.status, 'ended');
    assert.equal(a.ended_on, today(2), 'the last day is the eve of the recall');
    assert.equal(a.end_reason, 'recall');
    const c = await checkin(base, await who('cadre1'), NOW_MS + 3 * 86400e3);
    assertError(c, 403, 'no_assignment');
    assert.match(c.body.error.message, /召回/);
    assert.match(c.body.error.message, new RegExp(today(2)));
    // a check-in made on the last day, sent from the phone's queue a day later, still counts
    const queued = await api('POST', '/api/v1/checkins', {
      session: await who('cadre1'), base, body: { client_id: randomUUID(), at: isoCST(NOW_MS + 2 * 86400e3 + 8 * 3600e3),
        sent_at: isoCST(NOW_MS + 3 * 86400e3), lat: fence.lat, lng: fence.lng, accuracy_m: 20, source: 'gps' },
    });
    assert.ok(queued.status === 201 || (queued.status === 400 && queued.body.error.code !== 'no_assignment'), queued.text);
    const v = await get(base, o, '/api/v1/vacancies?region=360781104&status=open');
    assert.equal(v.status, 200, v.text);
    const vac = v.body.items.find((x) => x.village_code === '360781104200');
    assert.ok(vac, v.text);
    assert.equal(vac.cause, 'recall');
    assert.equal(vac.opened_on, today(3));
    assert.equal(vac.deadline, addDaysIso(today(3), v.body.fill_days));
    const cov = await get(base, o, '/api/v1/coverage?region=360781');
    assert.ok(cov.body.villages_without_first_secretary.some((x) => x.village_code === '360781104200'));
    // the successor named against the recall takes the post at once, and the vacancy is filled
    const n = await api('POST', '/api/v1/assignments', { session: o, base, body: { cadre_id: successor.id, unit_id: NU.id, adjustment_id: recallId } });
    assert.equal(n.status, 201, n.text);
    const a1 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, { session: o, base, body: { decision: 'approve', version: n.body.version } });
    const a2 = await api('POST', `/api/v1/assignments/${n.body.id}/decision`, { session: await who('ruijin_rrb'), base, body: { decision: 'approve', version: a1.body.version } });
    assert.equal(a2.status, 200, a2.text);
    assert.equal(a2.body.status, 'active', 'nobody to hand over from');
    const filled = await get(base, o, '/api/v1/vacancies?region=360781104&status=filled');
    const f = filled.body.items.find((x) => x.village_code === '360781104200');
    assert.ok(f, filled.text);
    assert.equal(f.filled_on, today(3));
  });
});

test('1.1: a term ending is shown ahead (term_end_notice_days), ends on its day, and its vacancy turns overdue after vacancy_fill_days', async () => {
  const e = await api('GET', '/api/v1/terms-ending?region=360781', { session: org });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.body.clause, '1.1');
  assert.ok(e.body.notice_days > 0);
  for (const x of e.body.items) {
    assert.ok(x.term_end >= today() && x.term_end <= today(e.body.notice_days), JSON.stringify(x));
    assert.equal(x.days_left, Math.round((Date.parse(x.term_end) - Date.parse(today())) / 86400e3));
  }
  const ending = e.body.items.find((x) => x.post === 'first_secretary' && x.successor === null);
  assert.ok(ending, 'the demo has a first secretary whose term ends soon with nobody named');
  const unitView = await as('unit_leader1');
  const u = await api('GET', '/api/v1/terms-ending', { session: unitView });
  assert.equal(u.status, 200, u.text);
  for (const x of u.body.items) assert.equal(x.unit_id, unitView.user.unit_id, 'a unit sees its own cadres only');
  const db = copyDb();
  const after = ending.days_left + 1;
  let deadline;
  await onDay(db, morning(after), async (base, who) => {
    const o = await who('ruijin_org');
    const a = await assignment(base, o, ending.assignment_id);
    assert.equal(a.status, 'ended');
    assert.equal(a.ended_on, ending.term_end);
    assert.equal(a.end_reason, 'term_end');
    const v = await get(base, o, `/api/v1/vacancies?region=360781&status=open`);
    const vac = v.body.items.find((x) => x.village_code === ending.village_code);
    assert.ok(vac, v.text);
    assert.equal(vac.cause, 'term_end');
    deadline = vac.deadline;
  });
  const dayOf = (iso) => Math.round((Date.parse(iso) - Date.parse(today())) / 86400e3);
  await onDay(db, morning(dayOf(deadline) + 1), async (base, who) => {
    const v = await get(base, await who('ruijin_org'), `/api/v1/vacancies?region=360781&status=overdue`);
    const vac = v.body.items.find((x) => x.village_code === ending.village_code);
    assert.ok(vac, v.text);
    assert.equal(vac.days_overdue, 1);
  });
});

test('bad filters of the new lists are refused with the field', async () => {
  assertError(await api('GET', '/api/v1/vacancies?status=closed', { session: org }), 400, 'field_invalid', 'status');
  assertError(await api('GET', '/api/v1/terms-ending?region=abc', { session: org }), 400, 'field_invalid', 'region');
  const cadre = await as('cadre1');
  const own = await api('GET', '/api/v1/vacancies', { session: cadre });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.body.total, 0, 'a cadre sees no other post\'s vacancy');
});

function addDaysIso(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
