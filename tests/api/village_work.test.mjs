// 驻村工作: the monthly monitoring meeting (5.7) writes the obligation evidence in its transaction,
// once per village per month, locked after record_lock_days, withdrawn with its evidence revoked;
// missing months flagged per village; activities under the five duties (5.1–5.5) and the five
// duties side by side; the organization relation transfer of party-member cadres (5.3).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, copyDb, DB, list, ON_PG, sqlite, todayCST, addDays } from './lib.mjs';

const VILLAGE = '360781104200';
let cadre, sec, org, otherSec;
const today = todayCST();
const month = today.slice(0, 7);

function monthsBack(n) {
  const d = new Date(`${month}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 7);
}

function evidenceOf(meetingId) {
  // a truth value as 0/1 on both databases (psql prints a boolean as t/f); a server's rows are read where
  // they are, a SQLite file through a copy
  const r = sqlite(ON_PG ? DB : copyDb(), `SELECT kind, party_type, party_id, done_on, CASE WHEN revoked_at IS NOT NULL THEN 1 ELSE 0 END FROM obligation_evidence WHERE record_type = 'monitoring_meeting' AND record_id = ${meetingId}`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  org = await as('ruijin_org');
  otherSec = await as('xianghu_sec');
});

const meeting = (session, body) => api('POST', '/api/v1/meetings', { session, body: {
  held_on: today, attendees: [{ name: '第一书记', side: 'team', cadre_id: cadre.user.cadre_id }, { name: '村支书', side: 'village' }],
  decisions: '研判 3 户，提出风险线索 1 条', ...body } });

test('5.7: one meeting per village per month; it writes the evidence, withdrawing revokes it', async () => {
  // the demo held this month's meeting already, or it is still due
  const held = await list(cadre, `/api/v1/meetings?village=${VILLAGE}&from=${month}-01`);
  for (const m of held.items) {
    const w = await api('POST', `/api/v1/meetings/${m.id}/withdraw`, { session: cadre, body: { reason: '日期录错' } });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.body.status, 'withdrawn');
    assert.deepEqual(evidenceOf(m.id).map((e) => e[4]), ['1'], 'evidence revoked');
  }
  const hh = await list(sec, `/api/v1/households?village=${VILLAGE}&monitored=1`);
  const ids = hh.items.slice(0, 2).map((h) => h.id);
  const r = await meeting(cadre, { household_ids: ids });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.village_code, VILLAGE, 'a cadre: their own village');
  assert.equal(r.body.month, month);
  assert.equal(r.body.households, ids.length);
  assert.deepEqual(r.body.household_list.map((h) => h.id).sort(), [...ids].sort());
  assert.deepEqual(evidenceOf(r.body.id), [['monitoring_meeting', 'team', VILLAGE, today, '0']]);
  const dup = await meeting(sec, { village_code: VILLAGE });
  assertError(dup, 409, 'duplicate_month', 'held_on');
  assert.equal(dup.body.error.existing, r.body.id);
  assertError(await api('POST', `/api/v1/meetings/${r.body.id}/withdraw`, { session: cadre, body: {} }), 400, 'field_required', 'reason');
  // a risk raised at the meeting
  const h = hh.items.find((x) => !ids.includes(x.id)) || hh.items[0];
  const open = await list(cadre, `/api/v1/cases?household=${h.id}&state=open`);
  if (open.total === 0) {
    const c = await api('POST', '/api/v1/cases', { session: cadre, body: { household_id: h.id, source: 'meeting', meeting_id: r.body.id, risks: ['unstable_work'] } });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.body.meeting_id, r.body.id);
    const m = await api('GET', `/api/v1/meetings/${r.body.id}`, { session: cadre });
    assert.ok(m.body.cases.some((x) => x.id === c.body.id));
  }
});

test('5.7: a month locks record_lock_days after it ends; input is checked and nothing is written', async () => {
  const old = `${monthsBack(2)}-15`;
  assertError(await meeting(cadre, { held_on: old }), 423, 'period_locked', 'held_on');
  assertError(await meeting(cadre, { held_on: addDays(today, 1) }), 400, 'field_invalid', 'held_on');
  assertError(await meeting(cadre, { attendees: [{ name: '村支书', side: 'village' }] }), 400, 'field_invalid', 'attendees');
  assertError(await meeting(cadre, { attendees: [{ name: 'x', side: 'guest' }] }), 400, 'field_invalid', 'attendees');
  assertError(await meeting(cadre, { attendees: [{ name: '某人', side: 'team', cadre_id: 1 }] }), 400, 'field_invalid', 'attendees');
  assertError(await meeting(cadre, { household_ids: [1] }), 400, 'field_invalid', 'household_ids');
  assertError(await meeting(cadre, { decisions: '' }), 400, 'field_required', 'decisions');
  assertError(await meeting(cadre, { minutes: 'x' }), 400, 'field_unknown');
  assertError(await meeting(otherSec, { village_code: VILLAGE }), 404, 'not_found', 'village_code');
  assertError(await meeting(sec, {}), 400, 'field_required', 'village_code');
});

test('5.7: missing meetings are flagged by month per village; the month in progress is due', async () => {
  const r = await api('GET', `/api/v1/meetings/missing?region=360781104&from=${monthsBack(4)}&to=${month}`, { session: sec });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.clause, '5.7');
  const v = r.body.items.find((x) => x.village_code === VILLAGE);
  assert.ok(v, 'the demo village is listed');
  assert.equal(v.months.length, 5);
  assert.equal(v.months.find((m) => m.month === monthsBack(2)).status, 'missing', 'the demo skipped that month');
  const cur = v.months.find((m) => m.month === month);
  assert.ok(cur.status === 'held' || cur.status === 'due');
  assert.equal(v.missing, v.months.filter((m) => m.status === 'missing').length);
  assert.ok(r.body.items.every((x) => x.village_code.startsWith('360781104')), 'the township only');
  const only = await api('GET', `/api/v1/meetings/missing?region=360781&missing_only=1`, { session: org });
  assert.ok(only.body.items.every((x) => x.missing > 0));
  const x = await api('GET', `/api/v1/meetings/missing?region=360781104`, { session: sec, headers: {} });
  assert.equal(x.status, 200);
  const xl = await api('GET', `/api/v1/meetings/missing?region=360781104&format=xlsx`, { session: sec });
  assert.match(xl.headers.get('content-type'), /spreadsheetml/);
  assertError(await api('GET', '/api/v1/meetings/missing?from=2026-13', { session: sec }), 400, 'field_invalid', 'from');
  assertError(await api('GET', '/api/v1/meetings/missing?from=2020-01&to=2026-01', { session: sec }), 400, 'field_invalid', 'from');
  const other = await api('GET', `/api/v1/meetings/missing?region=360781104`, { session: otherSec });
  assert.equal(other.body.items.length, 0, '象湖镇 sees no village of 沙洲坝镇');
});

// Issue 11: a month before the village's first team arrived is not a missed meeting.
test('5.7: months before the team arrived are "no_team", not missing; from the team\'s first month they count', async () => {
  const r = await api('GET', `/api/v1/meetings/missing?region=360781104&from=${monthsBack(23)}&to=${month}`, { session: sec });
  assert.equal(r.status, 200, r.text);
  const v = r.body.items.find((x) => x.village_code === VILLAGE);
  assert.match(v.team_since, /^\d{4}-\d{2}$/);
  const before = v.months.filter((m) => m.month < v.team_since);
  assert.ok(before.length > 0, `the window reaches before the team's arrival (${v.team_since})`);
  for (const m of before) if (!m.meeting_id) assert.equal(m.status, 'no_team', m.month);
  for (const m of v.months.filter((x) => x.month >= v.team_since)) assert.notEqual(m.status, 'no_team', m.month);
  assert.equal(v.missing, v.months.filter((m) => m.status === 'missing').length, 'no_team months are not counted');
  for (const x of r.body.items) assert.ok(x.months.every((m) => m.status !== 'missing' || m.month >= x.team_since), x.village_code);
});

test('5.1–5.5: an activity belongs to the duty of its type; the five duties side by side', async () => {
  const before = await api('GET', `/api/v1/duties?village=${VILLAGE}`, { session: cadre });
  assert.equal(before.status, 200, before.text);
  assert.equal(before.body.duties.length, 5);
  assert.equal(before.body.months.length, 12);
  assert.equal(before.body.months.at(-1), month);
  const pb = (b) => b.body.duties.find((d) => d.code === 'party_building');
  const r = await api('POST', '/api/v1/activities', { session: cadre, body: {
    held_on: today, type: 'theme_party_day', title: '主题党日：学习党章', participants: 23, cadre_ids: [cadre.user.cadre_id] } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.duty, 'party_building');
  assert.equal(r.body.duty_name, '建强村党组织');
  assert.equal(r.body.type_name, '主题党日');
  assert.deepEqual(r.body.cadres.map((c) => c.id), [cadre.user.cadre_id]);
  const after = await api('GET', `/api/v1/duties?village=${VILLAGE}`, { session: cadre });
  assert.equal(pb(after).activities.at(-1), pb(before).activities.at(-1) + 1);
  assert.equal(pb(after).logs.at(-1), pb(before).logs.at(-1), 'logs unchanged');
  const gov = await api('POST', '/api/v1/activities', { session: sec, body: {
    village_code: VILLAGE, held_on: today, type: 'mediation', duty: 'governance', title: '调解宅基地纠纷' } });
  assert.equal(gov.status, 201, gov.text);
  assertError(await api('POST', '/api/v1/activities', { session: cadre, body: { held_on: today, type: 'mediation', duty: 'industry', title: 'x' } }), 400, 'field_invalid', 'duty');
  assertError(await api('POST', '/api/v1/activities', { session: cadre, body: { held_on: today, type: 'party', title: 'x' } }), 400, 'field_invalid', 'type');
  assertError(await api('POST', '/api/v1/activities', { session: cadre, body: { held_on: today, type: 'mediation', title: 'x', cadre_ids: [1, 1] } }), 400, 'field_invalid', 'cadre_ids');
  const l = await list(cadre, `/api/v1/activities?village=${VILLAGE}&duty=governance`);
  assert.ok(l.items.every((a) => a.duty === 'governance'));
  assert.ok(l.items.some((a) => a.id === gov.body.id));
  assert.equal(l.items.find((a) => a.id === gov.body.id).clause, '5.4');
  assertError(await api('GET', '/api/v1/activities?duty=fun', { session: cadre }), 400, 'field_invalid', 'duty');
  assertError(await api('GET', `/api/v1/duties?village=${VILLAGE}`, { session: otherSec }), 404, 'not_found', 'village');
  const xl = await api('GET', `/api/v1/activities?village=${VILLAGE}&format=xlsx`, { session: sec });
  assert.match(xl.headers.get('content-type'), /spreadsheetml/);
});

test('5.3: organization relation transfer per party-member cadre, flagged when late; theme party days attended', async () => {
  const all = await list(org, '/api/v1/org-transfers?village=360781104', { all: true });
  assert.ok(all.items.length > 0);
  const raw = await api('GET', '/api/v1/org-transfers?village=360781104', { session: org });
  assert.equal(raw.body.max_days, 30);
  assert.equal(raw.body.clause, '5.3');
  for (const t of all.items) {
    assert.ok(['not_started', 'transferred'].includes(t.status));
    const late = t.status === 'not_started' && addDays(t.start_date, 30) < today;
    assert.equal(t.overdue, late, JSON.stringify(t));
    assert.ok(t.theme_attended <= t.theme_days);
  }
  const flagged = await list(org, '/api/v1/org-transfers?village=360781&flagged=1', { all: true });
  assert.ok(flagged.items.every((t) => t.overdue && t.status === 'not_started'));
  const pending = all.items.find((t) => t.status === 'not_started');
  if (pending) {
    const r = await api('PUT', `/api/v1/org-transfers/${pending.assignment_id}`, { session: sec, body: { transferred_on: today, note: '已转入村党支部' } });
    assert.equal(r.status, 200, r.text);
    const again = await list(org, '/api/v1/org-transfers?village=360781104', { all: true });
    const t = again.items.find((x) => x.assignment_id === pending.assignment_id);
    assert.equal(t.status, 'transferred');
    assert.equal(t.transferred_on, today);
    assert.equal(t.overdue, false);
  }
  const one = all.items[0];
  assertError(await api('PUT', `/api/v1/org-transfers/${one.assignment_id}`, { session: sec, body: { transferred_on: addDays(today, 2) } }), 400, 'field_invalid', 'transferred_on');
  assertError(await api('PUT', `/api/v1/org-transfers/${one.assignment_id}`, { session: otherSec, body: { transferred_on: today } }), 404, 'not_found');
  const mine = await list(cadre, '/api/v1/org-transfers', { all: true });
  assert.ok(mine.items.every((t) => t.cadre_id === cadre.user.cadre_id), 'a cadre: their own post');
});
