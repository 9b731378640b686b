// 纪律与提醒 and 考评计分: violations fed back to the dispatching unit (2.5), the unit's
// acknowledgement and the accountability (追责问责) by the county; secondments as violations of
// the unit (3.6); education reminders between the cadre and their managers (2.7); the unit
// attendance score with every part shown (2.6). Scope and bad input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, list, login, todayCST, addDays } from './lib.mjs';

let cadre, sec, otherSec, org, rrb, city, ownUnit, otherUnit, cadreId, unitId, otherCadreId;

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  otherSec = await as('xianghu_sec');
  org = await as('ruijin_org');
  rrb = await as('ruijin_rrb');
  city = await as('city_org');
  cadreId = cadre.user.cadre_id;
  const c = await api('GET', `/api/v1/cadres/${cadreId}`, { session: org });
  assert.equal(c.status, 200, c.text);
  unitId = c.body.unit_id;
  const leader = await as('unit_leader1');
  // the dispatching unit of cadre1, and another unit of 瑞金市
  if (leader.user.unit_id === unitId) {
    ownUnit = leader;
    const units = await list(org, '/api/v1/units?region=360781');
    const other = units.items.find((u) => u.id !== unitId);
    const made = await createUser({ role: 'unit_hr', unit_id: other.id, region_code: undefined });
    otherUnit = await login(made.username, made.password);
  } else {
    otherUnit = leader;
    const made = await createUser({ role: 'unit_hr', unit_id: unitId, region_code: undefined });
    ownUnit = await login(made.username, made.password);
  }
  // a cadre stationed in another township (象湖镇)
  const others = await list(otherSec, '/api/v1/cadres');
  const stationed = others.items.find((x) => x.village_code && x.village_code.startsWith('360781100'));
  assert.ok(stationed, 'a cadre stationed in 象湖镇');
  otherCadreId = stationed.id;
});

const record = (session, body) => api('POST', '/api/v1/violations', {
  session, body: { cadre_id: cadreId, date: addDays(todayCST(), -1), kind: 'absent_without_leave', description: '未请假离村两天', ...body },
});

test('2.5: a township records a violation; it is fed back to the unit of the cadre only', async () => {
  const r = await record(sec);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.cadre_id, cadreId);
  assert.equal(r.body.unit_id, unitId);
  assert.equal(r.body.status, 'feedback');
  assert.equal(r.body.kind_name, '擅自离岗');
  assert.equal(r.body.clause, '2.1');
  const id = r.body.id;
  const inbox = await list(ownUnit, '/api/v1/violations?inbox=1');
  assert.ok(inbox.items.some((v) => v.id === id), 'in the unit inbox');
  const elsewhere = await list(otherUnit, '/api/v1/violations?inbox=1');
  assert.ok(!elsewhere.items.some((v) => v.id === id), 'not in another unit inbox');
  assertError(await api('GET', `/api/v1/violations/${id}`, { session: otherUnit }), 404, 'not_found');
  // the township cannot use the unit inbox
  assertError(await api('GET', '/api/v1/violations?inbox=1', { session: sec }), 403, 'forbidden', 'inbox');
  // the cadre sees their own record
  const mine = await list(cadre, '/api/v1/violations');
  assert.ok(mine.items.some((v) => v.id === id));

  // the unit acknowledges; a second time is a conflict; a township cannot acknowledge
  assertError(await api('POST', `/api/v1/violations/${id}/acknowledge`, { session: sec, body: {} }), 403, 'forbidden');
  const ack = await api('POST', `/api/v1/violations/${id}/acknowledge`, { session: ownUnit, body: { note: '已约谈' } });
  assert.equal(ack.status, 200, ack.text);
  assert.equal(ack.body.status, 'acknowledged');
  assert.equal(ack.body.ack_note, '已约谈');
  assertError(await api('POST', `/api/v1/violations/${id}/acknowledge`, { session: ownUnit, body: {} }), 409, 'already_acknowledged');
  const after = await list(ownUnit, '/api/v1/violations?inbox=1');
  assert.ok(!after.items.some((v) => v.id === id), 'acknowledged: out of the inbox');

  // accountability: the county departments, not the township
  const body = { measure: 'admonition', decided_on: todayCST(), note: '诫勉谈话一次' };
  assertError(await api('POST', `/api/v1/violations/${id}/accountability`, { session: sec, body }), 403, 'forbidden');
  assertError(await api('POST', `/api/v1/violations/${id}/accountability`, { session: org, body: { ...body, measure: 'fine' } }),
    400, 'field_invalid', 'measure');
  assertError(await api('POST', `/api/v1/violations/${id}/accountability`, { session: org, body: { ...body, decided_on: addDays(todayCST(), 1) } }),
    400, 'field_invalid', 'decided_on');
  const acc = await api('POST', `/api/v1/violations/${id}/accountability`, { session: org, body });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.body.status, 'decided');
  assert.equal(acc.body.measure, 'admonition');
  assert.equal(acc.body.measure_name, '诫勉谈话');
  assertError(await api('POST', `/api/v1/violations/${id}/accountability`, { session: rrb, body }), 409, 'already_decided');

  // filters and export
  const decided = await list(org, `/api/v1/violations?status=decided&cadre=${cadreId}`);
  assert.ok(decided.items.some((v) => v.id === id));
  assertError(await api('GET', '/api/v1/violations?status=bogus', { session: org }), 400, 'field_invalid', 'status');
  const x = await api('GET', `/api/v1/violations?unit=${unitId}&format=xlsx`, { session: org });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
});

test('2.5: scope and permissions of recording', async () => {
  // a township cannot record for a cadre stationed in another township
  assertError(await record(otherSec), 404, 'not_found', 'cadre_id');
  assertError(await record(sec, { cadre_id: otherCadreId }), 404, 'not_found', 'cadre_id');
  // a cadre or a unit cannot record
  assertError(await record(cadre), 403, 'forbidden');
  assertError(await record(ownUnit), 403, 'forbidden');
  // the city department may
  const r = await record(city, { kind: 'duty_failure', clause: '2.5' });
  assert.equal(r.status, 201, r.text);
  // the township of another place does not see it
  assertError(await api('GET', `/api/v1/violations/${r.body.id}`, { session: otherSec }), 404, 'not_found');
});

test('2.5: bad input is refused with a field', async () => {
  assertError(await record(sec, { kind: 'sleeping' }), 400, 'field_invalid', 'kind');
  assertError(await record(sec, { date: addDays(todayCST(), 2) }), 400, 'field_invalid', 'date');
  assertError(await record(sec, { date: '2026-02-30' }), 400, 'field_invalid', 'date');
  assertError(await record(sec, { clause: 'abc' }), 400, 'field_invalid', 'clause');
  assertError(await record(sec, { description: undefined }), 400, 'field_required', 'description');
  assertError(await record(sec, { extra: 1 }), 400, 'field_unknown');
  assertError(await record(sec, { cadre_id: 'x' }), 400, 'field_type', 'cadre_id');
});

test('3.6: a secondment is recorded against the unit and listed per unit', async () => {
  const start = addDays(todayCST(), -3);
  const body = { cadre_id: cadreId, start_date: start, end_date: addDays(start, 1), work: '抽回单位参加迎检材料整理' };
  assertError(await api('POST', '/api/v1/secondments', { session: sec, body: { ...body, end_date: addDays(start, -1) } }),
    400, 'field_invalid', 'end_date');
  assertError(await api('POST', '/api/v1/secondments', { session: sec, body: { ...body, start_date: addDays(todayCST(), 3), end_date: addDays(todayCST(), 4) } }),
    400, 'field_invalid', 'start_date');
  assertError(await api('POST', '/api/v1/secondments', { session: cadre, body }), 403, 'forbidden');
  assertError(await api('POST', '/api/v1/secondments', { session: otherSec, body }), 404, 'not_found', 'cadre_id');
  const r = await api('POST', '/api/v1/secondments', { session: sec, body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.unit_id, unitId);
  assert.equal(r.body.days, 2);
  assert.equal(r.body.violation_of, 'unit');
  const mine = await list(ownUnit, `/api/v1/secondments?unit=${unitId}`);
  assert.ok(mine.items.some((s) => s.id === r.body.id));
  const county = await list(org, `/api/v1/secondments?unit=${unitId}`);
  assert.ok(county.items.some((s) => s.id === r.body.id));
  const other = await list(otherUnit, '/api/v1/secondments');
  assert.ok(!other.items.some((s) => s.id === r.body.id));
  const x = await api('GET', `/api/v1/secondments?unit=${unitId}&format=xlsx`, { session: org });
  assert.equal(x.status, 200);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
});

test('2.7: reminders go to the cadre, who reads and marks them; no one else\'s', async () => {
  const body = { cadre_id: cadreId, reason: 'low_presence', text: '本月在村天数偏少，请注意按要求驻村' };
  assertError(await api('POST', '/api/v1/reminders', { session: sec, body: { ...body, reason: 'rank' } }), 400, 'field_invalid', 'reason');
  assertError(await api('POST', '/api/v1/reminders', { session: sec, body: { ...body, text: '' } }), 400, 'field_required', 'text');
  assertError(await api('POST', '/api/v1/reminders', { session: cadre, body }), 403, 'forbidden');
  assertError(await api('POST', '/api/v1/reminders', { session: otherSec, body }), 404, 'not_found', 'cadre_id');
  const r = await api('POST', '/api/v1/reminders', { session: sec, body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.read, false);
  assert.equal(r.body.reason_name, '在村天数不足');
  const other = await api('POST', '/api/v1/reminders', { session: otherSec, body: { ...body, cadre_id: otherCadreId } });
  assert.equal(other.status, 201, other.text);

  const mine = await list(cadre, '/api/v1/reminders');
  assert.ok(mine.items.some((m) => m.id === r.body.id));
  assert.ok(mine.items.every((m) => m.cadre_id === cadreId), 'only their own');
  const asked = await list(cadre, `/api/v1/reminders?cadre=${otherCadreId}`);
  assert.equal(asked.total, 0);
  assertError(await api('POST', `/api/v1/reminders/${other.body.id}/read`, { session: cadre }), 404, 'not_found');
  assertError(await api('POST', `/api/v1/reminders/${r.body.id}/read`, { session: sec }), 403, 'forbidden');
  const read = await api('POST', `/api/v1/reminders/${r.body.id}/read`, { session: cadre });
  assert.equal(read.status, 200, read.text);
  assert.equal(read.body.read, true);
  const unread = await list(cadre, '/api/v1/reminders?unread=1');
  assert.ok(!unread.items.some((m) => m.id === r.body.id));
  // the managers see it; another township does not
  const township = await list(sec, `/api/v1/reminders?cadre=${cadreId}`);
  assert.ok(township.items.some((m) => m.id === r.body.id));
  const far = await list(otherSec, `/api/v1/reminders?cadre=${cadreId}`);
  assert.equal(far.total, 0);
});

test('2.6: unit scores for the current month add up, per unit, never per cadre', async () => {
  const today = todayCST();
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const r = await api('GET', `/api/v1/scores?year=${y}&month=${m}&page_size=200`, { session: org });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.clause, '2.6');
  assert.ok(r.body.items.length > 0);
  for (const p of ['unit_score_base', 'unit_score_per_violation', 'unit_score_per_secondment'])
    assert.equal(typeof r.body.parameters[p], 'number', p);
  // the attendance component's weight is set per county (policy data, "default" for the others)
  const weights = r.body.parameters.unit_score_attendance_weight;
  assert.equal(typeof weights.default, 'number');
  assert.match(r.body.formula, /考勤部分 = 权重.*× 出勤率/);
  assert.equal(r.body.notice_zh, '通知：「驻村干部日常考勤情况纳入单位驻村帮扶和机关党建工作考评计分的重要内容」');
  assert.match(r.body.source_zh, /本地计分规则/);
  for (const row of r.body.items) {
    assert.equal(row.attendance_weight, weights[row.unit_region] ?? weights.default, `${row.unit_name}: the weight of its county`);
    if (row.attendance_rate !== null) {
      // 考勤部分 = 权重 × 出勤率 (to a tenth), and what it lacks of the weight is what the score loses
      assert.ok(Math.abs(row.attendance_points - row.attendance_weight * row.days_in_village / row.working_days) <= 0.05 + 1e-9,
        `${row.unit_name}: ${row.attendance_points}`);
    }
    assert.ok(Math.abs(row.attendance_part - (row.attendance_points - row.attendance_weight)) < 1e-9);
    const sum = row.base + row.attendance_part + row.violation_part + row.secondment_part;
    assert.ok(Math.abs(sum - row.score) < 1e-6, `${row.unit_name}: ${sum} vs ${row.score}`);
    assert.equal(row.clause, '2.6');
    assert.ok(row.days_in_village <= row.working_days);
    assert.ok(Math.abs(row.violation_part - row.violations * r.body.parameters.unit_score_per_violation) < 1e-9);
    assert.ok(Math.abs(row.secondment_part - row.secondments * r.body.parameters.unit_score_per_secondment) < 1e-9);
    assert.ok(row.attendance_part <= 0 && row.attendance_part >= -row.attendance_weight);
    assert.ok(!('cadre_id' in row) && !('name' in row), 'no cadre in a score row');
  }
  assert.ok(r.body.items.some((x) => x.unit_id === unitId), 'the unit of cadre1 is scored');
  // the violation (yesterday) and the secondment (from three days ago) count in their months' scores
  const ownIn = async (iso) => {
    const s = await api('GET', `/api/v1/scores?year=${Number(iso.slice(0, 4))}&month=${Number(iso.slice(5, 7))}&page_size=200`, { session: org });
    assert.equal(s.status, 200, s.text);
    return s.body.items.find((x) => x.unit_id === unitId);
  };
  assert.ok((await ownIn(addDays(today, -1))).violations >= 1, 'the violation counts in its month');
  assert.ok((await ownIn(addDays(today, -3))).secondments >= 1, 'the secondment counts in the month it began');
  // the unit sees only its own row; a cadre sees none
  const u = await api('GET', '/api/v1/scores', { session: ownUnit });
  assert.equal(u.status, 200, u.text);
  assert.ok(u.body.items.every((x) => x.unit_id === unitId));
  assertError(await api('GET', '/api/v1/scores', { session: cadre }), 403, 'forbidden');
  assertError(await api('GET', '/api/v1/scores?month=13', { session: org }), 400, 'field_invalid', 'month');
  assertError(await api('GET', `/api/v1/scores?year=${y + 1}&month=1`, { session: org }), 400, 'field_invalid', 'month');
  const x = await api('GET', '/api/v1/scores?region=360781104&format=xlsx', { session: org });
  assert.equal(x.status, 200);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
  // the menu
  assert.ok(org.menu.includes('scores') && org.menu.includes('discipline'));
  assert.ok(cadre.menu.includes('discipline') && !cadre.menu.includes('scores'));
});

test('every write is audited', async () => {
  const audit = await as('auditadmin');
  const r = await api('GET', '/api/v1/audit?page_size=200', { session: audit });
  assert.equal(r.status, 200, r.text);
  const actions = new Set(r.body.items.map((a) => a.action));
  for (const a of ['violation.create', 'violation.acknowledge', 'violation.accountability', 'secondment.create',
    'reminder.create', 'reminder.read']) assert.ok(actions.has(a), a);
});
