// 请销假 (2.1, 2.4) and 驻村日志 (2.1, 5.1): who approves a leave (the township up to
// leave_township_max_days days, the county beyond), decisions, overlap, 销假, overdue leaves,
// cancel, scope; work logs tagged with the five duties and the report draft built from them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, DB, sqlite } from './lib.mjs';
import { NOW_S, randomHex, today } from '../clock.mjs';

let cadre, sec, dep, otherSec, org, unit;
const day = (n) => today(n);
// SQL on the suite's database, SQLite or PostgreSQL (lib's sqlite: the text is portable)
const sql = (text) => {
  const r = sqlite(DB, text);
  assert.equal(r.status, 0, `${text}: ${r.stderr}`);
  return r.stdout.trim();
};

const ask = (body) => api('POST', '/api/v1/leaves', { session: cadre, body: { type: 'personal', reason: '家中有事', ...body } });
const decide = (session, id, body) => api('POST', `/api/v1/leaves/${id}/decision`, { session, body });
// n consecutive past days (offsets, oldest first) on which the demo has no in-fence check-in of
// cadre1 and no leave, not in `taken`; when there is none, the demo's check-ins of a window are removed.
const taken = new Set();
function freePast(n) {
  const c = cadre.user.cadre_id;
  const busy = new Set(sql(`SELECT date FROM checkin WHERE cadre_id = ${c} AND in_fence = 1 AND date >= '${day(-29)}'
    `).split('\n'));
  for (let start = -28; start + n - 1 <= -2; start++) {
    const offs = Array.from({ length: n }, (_, i) => start + i);
    if (offs.every((o) => !busy.has(day(o)) && !taken.has(o))) { offs.forEach((o) => taken.add(o)); return offs; }
  }
  for (let start = -22; start + n - 1 <= -2; start++) {
    const offs = Array.from({ length: n }, (_, i) => start + i);
    if (offs.every((o) => !taken.has(o))) {
      // the visits and logs written with those check-ins stay, no longer counting for attendance (PostgreSQL
      // holds the references: they let go of the check-ins first)
      const window = `cadre_id = ${c} AND date BETWEEN '${day(offs[0])}' AND '${day(offs[n - 1])}'`;
      for (const t of ['visit', 'work_log']) {
        sql(`UPDATE ${t} SET checkin_id = NULL WHERE checkin_id IN (SELECT id FROM checkin WHERE ${window})`);
      }
      sql(`DELETE FROM checkin WHERE ${window}`);
      offs.forEach((o) => taken.add(o));
      return offs;
    }
  }
  throw new Error('no free window');
}
const inbox = async (session) => {
  const r = await api('GET', '/api/v1/leaves?inbox=1&page_size=200', { session });
  assert.equal(r.status, 200, r.text);
  return r.body.items.map((x) => x.id);
};

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  dep = await as('shazhouba_dep');
  otherSec = await as('xianghu_sec');
  org = await as('ruijin_org');
  unit = await as('unit_leader1');
});

test('menu: the cadre and the approvers have `leaves`, a unit leader does not', () => {
  assert.ok(cadre.menu.includes('leaves'));
  assert.ok(sec.menu.includes('leaves'));
  assert.ok(dep.menu.includes('leaves'));
  assert.ok(org.menu.includes('leaves'));
  assert.ok(!unit.menu.includes('leaves'));
});

test('2.4: a 2-day leave goes to the township: secretary and deputy see it, another township and the county do not', async () => {
  const r = await ask({ start_date: day(40), end_date: day(41) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.days, 2);
  assert.equal(r.body.approver_level, 'township');
  assert.equal(r.body.status, 'pending');
  assert.equal(r.body.type_name, '事假');
  assert.equal(r.body.overdue, false);
  assert.ok((await inbox(sec)).includes(r.body.id));
  assert.ok((await inbox(dep)).includes(r.body.id));
  assert.ok(!(await inbox(org)).includes(r.body.id));
  assert.ok(!(await inbox(otherSec)).includes(r.body.id));
  // another township's user cannot even see it
  assertError(await api('GET', `/api/v1/leaves/${r.body.id}`, { session: otherSec }), 404, 'not_found');
  assertError(await decide(otherSec, r.body.id, { decision: 'approve' }), 404, 'not_found');
  // the county is in scope but is not the approver: the message names who approves
  const wrong = await decide(org, r.body.id, { decision: 'approve' });
  assertError(wrong, 403, 'not_approver');
  assert.match(wrong.body.error.message, /沙洲坝镇党委书记或副书记/);
  // the deputy approves (2.4: daily attendance); a second decision is refused
  const ok = await decide(dep, r.body.id, { decision: 'approve', comment: '同意' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, 'approved');
  assert.equal(ok.body.decided_by, 'shazhouba_dep');
  assertError(await decide(sec, r.body.id, { decision: 'refuse', comment: '不同意' }), 409, 'not_pending');
  assert.ok(!(await inbox(sec)).includes(r.body.id));
  // the unit sees its cadre's leave only if cadre1 is its cadre; the cadre sees their own
  const mine = await api('GET', '/api/v1/leaves?status=approved', { session: cadre });
  assert.ok(mine.body.items.some((x) => x.id === r.body.id));
});

test('2.4: a 5-day leave goes to the county organization department', async () => {
  const r = await ask({ type: 'sick', start_date: day(50), end_date: day(54) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.days, 5);
  assert.equal(r.body.approver_level, 'county');
  assert.ok((await inbox(org)).includes(r.body.id));
  assert.ok(!(await inbox(sec)).includes(r.body.id));
  const wrong = await decide(sec, r.body.id, { decision: 'approve' });
  assertError(wrong, 403, 'not_approver');
  assert.match(wrong.body.error.message, /瑞金市委组织部/);
  const ok = await decide(org, r.body.id, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, 'approved');
});

test('refusal needs a comment; a refused leave frees its days', async () => {
  const r = await ask({ start_date: day(60), end_date: day(60) });
  assert.equal(r.status, 201, r.text);
  assertError(await decide(sec, r.body.id, { decision: 'refuse' }), 400, 'field_required', 'comment');
  assertError(await decide(sec, r.body.id, { decision: 'maybe' }), 400, 'field_invalid', 'decision');
  assertError(await decide(sec, r.body.id, { decision: 'approve', extra: 1 }), 400, 'field_unknown');
  const no = await decide(sec, r.body.id, { decision: 'refuse', comment: '近期有检查，请调整时间' });
  assert.equal(no.status, 200, no.text);
  assert.equal(no.body.status, 'refused');
  assert.equal(no.body.comment, '近期有检查，请调整时间');
  const again = await ask({ start_date: day(60), end_date: day(60) });
  assert.equal(again.status, 201, again.text);
});

test('overlap with a pending or approved leave is refused (409)', async () => {
  const r = await ask({ start_date: day(41), end_date: day(42) });
  assertError(r, 409, 'overlap', 'start_date');
  assert.ok(r.body.error.existing);
  assertError(await ask({ start_date: day(45), end_date: day(52) }), 409, 'overlap');
});

test('input checks: type, dates, order, length, back-dating; the unit cannot ask', async () => {
  assertError(await ask({ type: 'holiday', start_date: day(80), end_date: day(80) }), 400, 'field_invalid', 'type');
  assertError(await ask({ start_date: '2026-02-30', end_date: day(80) }), 400, 'field_invalid', 'start_date');
  assertError(await ask({ start_date: day(81), end_date: day(80) }), 400, 'field_invalid', 'end_date');
  assertError(await ask({ start_date: day(80), end_date: day(140) }), 400, 'field_invalid', 'end_date');
  assertError(await ask({ start_date: day(-31), end_date: day(-30) }), 400, 'field_invalid', 'start_date');
  assertError(await ask({ start_date: day(80), end_date: day(80), reason: '' }), 400, 'field_required', 'reason');
  assertError(await ask({ start_date: day(80), end_date: day(80), cadre_id: 1 }), 400, 'field_unknown');
  const u = await api('POST', '/api/v1/leaves', { session: unit, body: { type: 'personal', start_date: day(80), end_date: day(80), reason: 'x' } });
  assertError(u, 403, 'forbidden');
});

test('a leave over past days on which the cadre checked in inside the fence is refused (409 checked_in)', async () => {
  const c = cadre.user.cadre_id;
  sql(`INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, at, received_at, date, in_fence)
       SELECT ${c}, a.id, a.village_code, 'leave-test-${randomHex(6)}', ${NOW_S} - 25 * 86400,
              ${NOW_S} - 25 * 86400, '${day(-25)}', 1
       FROM assignment a WHERE a.cadre_id = ${c} AND a.status = 'active' LIMIT 1`);
  taken.add(-25);
  const r = await ask({ start_date: day(-25), end_date: day(-25) });
  assertError(r, 409, 'checked_in', 'start_date');
  assert.match(r.body.error.message, new RegExp(`${day(-25)} 已在村打卡`));
});

test('销假: approved leaves only, returned_on between the start and today', async () => {
  const [a, b] = freePast(2);
  const r = await ask({ start_date: day(a), end_date: day(b) });
  assert.equal(r.status, 201, r.text);
  const close = (id, returned_on) => api('POST', `/api/v1/leaves/${id}/close`, { session: cadre, body: { returned_on } });
  assertError(await close(r.body.id, day(b + 1)), 409, 'not_approved');
  assert.equal((await decide(sec, r.body.id, { decision: 'approve' })).status, 200);
  assertError(await close(r.body.id, day(1)), 400, 'field_invalid', 'returned_on');
  assertError(await close(r.body.id, day(a - 1)), 400, 'field_invalid', 'returned_on');
  assertError(await api('POST', `/api/v1/leaves/${r.body.id}/close`, { session: sec, body: { returned_on: day(b + 1) } }), 403, 'forbidden');
  const ok = await close(r.body.id, day(b + 1));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, 'closed');
  assert.equal(ok.body.returned_on, day(b + 1));
  assert.equal(ok.body.overdue, false);
  assertError(await close(r.body.id, day(b + 1)), 409, 'not_approved');
});

test('overdue: an approved leave past its end without 销假 is listed with overdue=1', async () => {
  const offs = freePast(2);
  const r = await ask({ type: 'annual', start_date: day(offs[0]), end_date: day(offs[1]) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.approver_level, 'township');
  assert.equal(r.body.overdue, false);
  assert.equal((await decide(sec, r.body.id, { decision: 'approve' })).status, 200);
  for (const s of [sec, org, cadre]) {
    const list = await api('GET', '/api/v1/leaves?overdue=1', { session: s });
    assert.equal(list.status, 200, list.text);
    const row = list.body.items.find((x) => x.id === r.body.id);
    assert.ok(row, `overdue leave listed for ${s.username}`);
    assert.ok(list.body.items.every((x) => x.overdue === true && x.status === 'approved'));
  }
  const other = await api('GET', '/api/v1/leaves?overdue=1', { session: otherSec });
  assert.ok(!other.body.items.some((x) => x.id === r.body.id));
  const one = await api('GET', `/api/v1/leaves/${r.body.id}`, { session: sec });
  assert.equal(one.body.overdue, true);
  // the future approved leave is not overdue
  const all = await api('GET', '/api/v1/leaves?status=approved&page_size=200', { session: sec });
  assert.ok(all.body.items.some((x) => x.overdue === false));
});

test('cancel: the cadre withdraws a pending leave; not once decided', async () => {
  const r = await ask({ start_date: day(70), end_date: day(71) });
  assert.equal(r.status, 201, r.text);
  assertError(await api('POST', `/api/v1/leaves/${r.body.id}/cancel`, { session: sec }), 403, 'forbidden');
  const c = await api('POST', `/api/v1/leaves/${r.body.id}/cancel`, { session: cadre });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.status, 'cancelled');
  assertError(await api('POST', `/api/v1/leaves/${r.body.id}/cancel`, { session: cadre }), 409, 'not_pending');
  assertError(await decide(sec, r.body.id, { decision: 'approve' }), 409, 'not_pending');
  assert.ok(!(await inbox(sec)).includes(r.body.id));
  // the cancelled days are free again
  const again = await ask({ start_date: day(70), end_date: day(70) });
  assert.equal(again.status, 201, again.text);
});

test('leave list: scope, filters, xlsx export, audit', async () => {
  const cadreId = cadre.user.cadre_id;
  const mine = await api('GET', '/api/v1/leaves', { session: cadre });
  assert.ok(mine.body.total >= 5);
  assert.ok(mine.body.items.every((x) => x.cadre_id === cadreId));
  const bySec = await api('GET', `/api/v1/leaves?cadre=${cadreId}`, { session: sec });
  assert.equal(bySec.body.total, mine.body.total);
  const byOther = await api('GET', `/api/v1/leaves?cadre=${cadreId}`, { session: otherSec });
  assert.equal(byOther.body.total, 0);
  assertError(await api('GET', '/api/v1/leaves?cadre=abc', { session: sec }), 400, 'field_invalid', 'cadre');
  assertError(await api('GET', '/api/v1/leaves?inbox=1', { session: cadre }), 403, 'forbidden', 'inbox');
  const x = await api('GET', '/api/v1/leaves?format=xlsx', { session: sec });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
  const n = Number(sql("SELECT count(*) FROM audit WHERE action LIKE 'leave.%'") || 0);
  assert.ok(n >= 10, `audit rows for leaves: ${n}`);
});

// ---- work logs (驻村日志) and the report draft ----

const log = (body) => api('POST', '/api/v1/logs', { session: cadre, body: { date: day(0), duty: 'industry', text: '走访合作社', ...body } });

test('logs: duty must be one of the five (5.1), date not in the future nor older than 7 days, text 1–500', async () => {
  assertError(await log({ duty: 'fun' }), 400, 'field_invalid', 'duty');
  assertError(await log({ date: day(1) }), 400, 'field_invalid', 'date');
  assertError(await log({ date: day(-8) }), 400, 'field_invalid', 'date');
  assertError(await log({ text: '' }), 400, 'field_required', 'text');
  assertError(await log({ text: '字'.repeat(501) }), 400, 'field_invalid', 'text');
  assertError(await log({ checkin_client_id: 'no-such-checkin' }), 400, 'field_invalid', 'checkin_client_id');
  assertError(await log({ village_code: '360781104200' }), 400, 'field_unknown');
  const u = await api('POST', '/api/v1/logs', { session: sec, body: { date: day(0), duty: 'industry', text: 'x' } });
  assertError(u, 403, 'forbidden');
});

test('logs: written in the cadre\'s village, linked to the check-in of that day, listed in scope', async () => {
  const c = cadre.user.cadre_id;
  // The demo writes a month of logs; this test and the report draft below count only their own.
  sql(`DELETE FROM work_log WHERE cadre_id = ${c} AND date BETWEEN '${day(-7)}' AND '${day(-5)}'`);
  const client = `log-link-${randomHex(6)}`;
  sql(`INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, at, received_at, date, in_fence)
       SELECT ${c}, a.id, a.village_code, '${client}', ${NOW_S} - 6 * 86400,
              ${NOW_S} - 6 * 86400, '${day(-6)}', 1
       FROM assignment a WHERE a.cadre_id = ${c} AND a.status = 'active' LIMIT 1`);
  const r = await log({ date: day(-6), duty: 'party_building', text: '召开党员大会，学习文件', checkin_client_id: client });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.village_code, '360781104200');
  assert.equal(r.body.duty_name, '建强村党组织');
  assert.ok(r.body.checkin_id);
  assert.equal(r.body.in_fence, true);
  assert.equal((await log({ date: day(-6), duty: 'party_building', text: '指导村党支部换届准备' })).status, 201);
  assert.equal((await log({ date: day(-5), duty: 'industry', text: '对接脐橙销售渠道' })).status, 201);
  assert.equal((await log({ date: day(-5), duty: 'governance', text: '调解邻里纠纷一起' })).status, 201);
  // a log older than 7 days would be refused, the day before that boundary is fine
  assert.equal((await log({ date: day(-7), duty: 'consolidation', text: '走访监测户' })).status, 201);

  const bySec = await api('GET', `/api/v1/logs?cadre=${c}&from=${day(-6)}&to=${day(-5)}`, { session: sec });
  assert.equal(bySec.status, 200, bySec.text);
  assert.equal(bySec.body.total, 4);
  const byDuty = await api('GET', `/api/v1/logs?cadre=${c}&from=${day(-6)}&to=${day(-5)}&duty=party_building`, { session: sec });
  assert.equal(byDuty.body.total, 2);
  const byOther = await api('GET', `/api/v1/logs?cadre=${c}`, { session: otherSec });
  assert.equal(byOther.body.total, 0);
  assertError(await api('GET', '/api/v1/logs?from=2026-13-01', { session: sec }), 400, 'field_invalid', 'from');
  assertError(await api('GET', '/api/v1/logs?duty=fun', { session: sec }), 400, 'field_invalid', 'duty');
  const x = await api('GET', `/api/v1/logs?cadre=${c}&format=xlsx`, { session: sec });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
});

test('report draft (2.1): the period\'s logs grouped by duty with counts, and a Chinese text ready to edit', async () => {
  const r = await api('GET', `/api/v1/reports/draft?from=${day(-6)}&to=${day(-5)}`, { session: cadre });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.from, day(-6));
  assert.equal(r.body.to, day(-5));
  assert.deepEqual(r.body.sections.map((s) => s.duty), ['party_building', 'consolidation', 'industry', 'construction', 'governance']);
  const by = Object.fromEntries(r.body.sections.map((s) => [s.duty, s]));
  assert.equal(by.party_building.count, 2);
  assert.equal(by.party_building.duty_name, '建强村党组织');
  assert.equal(by.industry.count, 1);
  assert.equal(by.governance.count, 1);
  assert.equal(by.consolidation.count, 0);
  assert.deepEqual(by.industry.entries, [{ date: day(-5), text: '对接脐橙销售渠道', subject: null }]);
  assert.match(r.body.text, /一、建强村党组织（2 次）\n1\. \d+月\d+日 召开党员大会，学习文件\n2\. /);
  assert.match(r.body.text, /三、发展乡村产业（1 次）/);
  assert.match(r.body.text, /二、巩固脱贫成果（0 次）\n本期无记录。/);
  assertError(await api('GET', `/api/v1/reports/draft?from=${day(0)}&to=${day(-1)}`, { session: cadre }), 400, 'field_invalid', 'from');
  assertError(await api('GET', '/api/v1/reports/draft', { session: sec }), 403, 'forbidden');
  const def = await api('GET', '/api/v1/reports/draft', { session: cadre });
  assert.equal(def.status, 200, def.text);
  assert.equal(def.body.to, day(0));
});
