// 补助核算 (3.4b): the monthly living allowance and transport subsidy of a unit's cadres follow their
// presence. The amounts expected here are computed from the check-ins and leave this file writes
// itself (a copy of the database, one month of three posts rewritten) and the formula of the policy
// in force (allowance_rules); then adjustments need a reason, a confirmation writes the funds ledger
// once (a second one, or a double submit, is 409 and adds nothing), the county reads and never writes,
// another county or unit sees nothing, a cadre sees only their own lines, and bad input changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, copyDb, createUser, login, serveAt, sqlite, todayCST, DEMO_PASSWORD } from './lib.mjs';

const TODAY = todayCST();
const THIS_MONTH = TODAY.slice(0, 7);
const prevMonth = (m, n = 1) => {
  const d = new Date(`${m}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 7);
};
const LAST_MONTH = prevMonth(THIS_MONTH);
const TEST_MONTH = prevMonth(THIS_MONTH, 2); // a month over, with no sheet of the demo unit yet
const daysIn = (m) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).getUTCDate();
const day = (m, d) => `${m}-${String(d).padStart(2, '0')}`;

let hr, org, cadre, rules, minDays, copy, server, hrCopy, orgCopy;
const posts = {}; // a: many days, b: few days and a leave, c: every day (the cap)

const paramOf = (values, id) => values.parameters.filter((p) => p.id === id).sort((x, y) => (x.from < y.from ? 1 : -1))
  .find((p) => p.from <= `${TEST_MONTH}-01`).value;
const expected = (days, leave, meets) => ({
  living: Math.min(rules.living_monthly_cap_fen,
    rules.living_daily_fen * days + Math.floor(rules.living_daily_fen * leave * rules.leave_paid_percent / 100)),
  transport: meets ? rules.transport_monthly_fen : 0,
});
const q = (sql) => sqlite(copy, sql).stdout.trim();

before(async () => {
  hr = await as('unit_hr1');
  org = await as('ruijin_org');
  cadre = await as('cadre1');
  const values = (await api('GET', '/api/v1/policy/values', { session: hr })).body;
  rules = paramOf(values, 'allowance_rules');
  minDays = paramOf(values, 'min_days_in_village_per_month');
  assert.ok(rules.living_daily_fen > 0 && rules.transport_monthly_fen > 0, 'a formula in force');

  // the copy: three posts of the unit that cover the whole test month, their month rewritten
  copy = copyDb('allowance.db');
  const unit = hr.user.unit_id;
  const last = day(TEST_MONTH, daysIn(TEST_MONTH));
  const rows = q(`SELECT a.id, a.cadre_id, a.village_code FROM assignment a WHERE a.unit_id = ${unit}
    AND a.status = 'active' AND a.start_date <= '${TEST_MONTH}-01' AND coalesce(a.ended_on, a.term_end) >= '${last}'
    AND NOT EXISTS (SELECT 1 FROM assignment o WHERE o.cadre_id = a.cadre_id AND o.id <> a.id)
    ORDER BY a.id LIMIT 3`).split('\n').map((l) => l.split('|'));
  assert.equal(rows.length, 3, 'three whole posts of the unit in the test month');
  const plan = { a: { days: 22, leave: 0 }, b: { days: 10, leave: 5 }, c: { days: daysIn(TEST_MONTH), leave: 0 } };
  const statements = [];
  ['a', 'b', 'c'].forEach((k, i) => {
    const [id, cadreId, village] = rows[i];
    posts[k] = { id: Number(id), cadre: Number(cadreId), village, ...plan[k] };
    statements.push(`DELETE FROM checkin WHERE assignment_id = ${id} AND date BETWEEN '${TEST_MONTH}-01' AND '${last}'`);
    statements.push(`DELETE FROM leave WHERE cadre_id = ${cadreId} AND start_date <= '${last}' AND end_date >= '${TEST_MONTH}-01'`);
    for (let d = 1; d <= plan[k].days; d++) {
      const at = Math.floor(Date.parse(`${day(TEST_MONTH, d)}T09:00:00+08:00`) / 1000);
      statements.push(`INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, kind, at, received_at, date, in_fence)
        VALUES (${cadreId}, ${id}, '${village}', 'allow-${id}-${d}', 'checkin', ${at}, ${at}, '${day(TEST_MONTH, d)}', 1)`);
    }
    if (plan[k].leave) { // approved leave after the days in the village: from day 20, plan[k].leave days
      statements.push(`INSERT INTO leave (cadre_id, assignment_id, type, start_date, end_date, days, reason, approver_level,
        status, created_at) VALUES (${cadreId}, ${id}, 'personal', '${day(TEST_MONTH, 20)}', '${day(TEST_MONTH, 19 + plan[k].leave)}',
        ${plan[k].leave}, '事假', 'county', 'approved', 0)`);
    }
  });
  const w = sqlite(copy, `BEGIN; ${statements.join(';\n')}; COMMIT;`);
  assert.equal(w.status, 0, w.stderr);
  server = await serveAt(copy, `${TODAY}T10:00:00+08:00`);
  hrCopy = await login('unit_hr1', DEMO_PASSWORD, server.url);
  orgCopy = await login('ruijin_org', DEMO_PASSWORD, server.url);
});

after(async () => { if (server) await server.stop(); });

const at = (session, method, path, body) => api(method, path, { session, body, base: server.url });

test('3.4b: the amounts follow the days in the village and the approved leave, by the formula in force', async () => {
  const r = await at(hrCopy, 'POST', '/api/v1/allowance-sheets', { month: TEST_MONTH });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'draft');
  assert.deepEqual(r.body.rules, rules, 'the sheet keeps the formula it used');
  const presence = await at(hrCopy, 'GET', `/api/v1/presence?month=${TEST_MONTH}&page_size=200`);
  for (const k of ['a', 'b', 'c']) {
    const p = posts[k];
    const line = r.body.lines.find((l) => l.assignment_id === p.id);
    assert.ok(line, `a line for post ${k}`);
    assert.equal(line.days_in_village, p.days, `${k}: the days checked in`);
    assert.equal(line.leave_days, p.leave, `${k}: the approved leave days`);
    const seen = presence.body.items.find((x) => x.assignment_id === p.id);
    assert.equal(seen.days_in_village, line.days_in_village, 'the same count as 在村情况');
    assert.equal(seen.meets_minimum, Boolean(line.meets_minimum));
    const e = expected(p.days, p.leave, Boolean(line.meets_minimum));
    assert.equal(line.living_fen, e.living, `${k}: living allowance`);
    assert.equal(line.transport_fen, e.transport, `${k}: transport subsidy`);
    assert.equal(line.living_yuan, (e.living / 100).toFixed(2));
  }
  // a: more than the minimum → transport paid; b: too few days → none; c: the cap cuts the living allowance
  assert.ok(posts.a.days >= minDays);
  assert.equal(r.body.lines.find((l) => l.assignment_id === posts.a.id).transport_fen, rules.transport_monthly_fen);
  const b = r.body.lines.find((l) => l.assignment_id === posts.b.id);
  assert.equal(b.meets_minimum, 0, 'ten days and a leave do not meet the month');
  assert.equal(b.transport_fen, 0, 'a month with too few days gets no transport subsidy');
  assert.equal(r.body.lines.find((l) => l.assignment_id === posts.c.id).living_fen,
    Math.min(rules.living_monthly_cap_fen, rules.living_daily_fen * posts.c.days));
  // the totals come from the same lines
  assert.equal(r.body.living_fen, r.body.lines.reduce((s, l) => s + l.living_fen, 0));
  assert.equal(r.body.total_fen, r.body.living_fen + r.body.transport_fen);
  // the unit's 待办: a month over, waiting for confirmation — the count is the list's total
  const todo = await at(hrCopy, 'GET', '/api/v1/me/todo');
  const item = todo.body.items.find((i) => i.kind === 'allowance_confirm');
  const waiting = await at(hrCopy, 'GET', '/api/v1/allowance-sheets?waiting=1');
  assert.ok(item, 'a 待办 for the draft');
  assert.equal(item.count, waiting.body.total);
  assert.ok(waiting.body.items.some((s) => s.id === r.body.id));
});

test('3.4b: a late check-in is counted again on 重新核算; an adjustment needs a reason and is kept', async () => {
  const sheet = (await at(hrCopy, 'GET', '/api/v1/allowance-sheets?month=' + TEST_MONTH)).body.items[0];
  const b = posts.b;
  const at9 = Math.floor(Date.parse(`${day(TEST_MONTH, 11)}T09:00:00+08:00`) / 1000);
  assert.equal(sqlite(copy, `INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, kind, at, received_at, date, in_fence)
    VALUES (${b.cadre}, ${b.id}, '${b.village}', 'allow-late-${b.id}', 'checkin', ${at9}, ${at9}, '${day(TEST_MONTH, 11)}', 1)`).status, 0);
  const re = await at(hrCopy, 'POST', `/api/v1/allowance-sheets/${sheet.id}/recount`, { version: sheet.version });
  assert.equal(re.status, 200, re.text);
  const line = re.body.lines.find((l) => l.assignment_id === b.id);
  assert.equal(line.days_in_village, b.days + 1);
  assert.equal(line.living_fen, expected(b.days + 1, b.leave, false).living);
  b.days += 1;

  const path = `/api/v1/allowance-sheets/${sheet.id}/lines/${line.id}`;
  const v = re.body.version;
  assertError(await at(hrCopy, 'PUT', path, { version: v, living_fen: 1000, transport_fen: 0, reason: '' }), 400, 'field_required', 'reason');
  assertError(await at(hrCopy, 'PUT', path, { version: v, living_fen: 1000, transport_fen: 0 }), 400, 'field_required', 'reason');
  assertError(await at(hrCopy, 'PUT', path, { version: v, living_fen: -1, transport_fen: 0, reason: '核减' }), 400, 'field_invalid', 'living_fen');
  assertError(await at(hrCopy, 'PUT', path, { version: v - 1, living_fen: 1000, transport_fen: 0, reason: '核减' }), 409, 'stale', 'version');
  assertError(await at(orgCopy, 'PUT', path, { version: v, living_fen: 1000, transport_fen: 0, reason: '核减' }), 403, 'forbidden');
  const unchanged = (await at(hrCopy, 'GET', `/api/v1/allowance-sheets/${sheet.id}`)).body;
  assert.equal(unchanged.version, v, 'refused writes change nothing');
  const newLiving = line.living_fen + rules.living_daily_fen;
  const ok = await at(hrCopy, 'PUT', path, { version: v, living_fen: newLiving, transport_fen: rules.transport_monthly_fen, reason: '经乡镇核实，20日前一天在村开会未打卡' });
  assert.equal(ok.status, 200, ok.text);
  const adj = ok.body.lines.find((l) => l.id === line.id);
  assert.equal(adj.living_fen, newLiving);
  assert.equal(adj.living_computed, line.living_computed, 'the computed amount is kept beside it');
  assert.equal(adj.transport_fen, rules.transport_monthly_fen);
  assert.equal(adj.adjust_reason, '经乡镇核实，20日前一天在村开会未打卡');
  assert.equal(adj.adjusted_by_name.length > 0, true);
  assert.equal(ok.body.adjusted, 1);
});

test('3.4b: confirmation writes the funds ledger once; a second one, or a double submit, is 409 and adds nothing', async () => {
  const sheet = (await at(hrCopy, 'GET', '/api/v1/allowance-sheets?month=' + TEST_MONTH)).body.items[0];
  const full = (await at(hrCopy, 'GET', `/api/v1/allowance-sheets/${sheet.id}`)).body;
  const ledger = () => Number(q(`SELECT count(*) FROM fund_entry WHERE kind IN ('living_allowance','transport_subsidy') AND withdrawn_at IS NULL`));
  const before = ledger();
  const [one, two] = await Promise.all([
    at(hrCopy, 'POST', `/api/v1/allowance-sheets/${sheet.id}/confirm`, { version: full.version }),
    at(hrCopy, 'POST', `/api/v1/allowance-sheets/${sheet.id}/confirm`, { version: full.version }),
  ]);
  const statuses = [one.status, two.status].sort();
  assert.deepEqual(statuses, [200, 409], `${one.text} / ${two.text}`);
  const done = one.status === 200 ? one.body : two.body;
  assert.equal(done.status, 'confirmed');
  const paid = full.lines.reduce((n, l) => n + (l.living_fen > 0) + (l.transport_fen > 0), 0);
  assert.equal(ledger(), before + paid, 'one ledger row per amount above zero');
  assertError(await at(hrCopy, 'POST', `/api/v1/allowance-sheets/${sheet.id}/confirm`, { version: done.version }), 409, 'already_confirmed');
  assertError(await at(hrCopy, 'POST', `/api/v1/allowance-sheets/${sheet.id}/recount`, { version: done.version }), 409, 'already_confirmed');
  assert.equal(ledger(), before + paid, 'nothing added by the refused confirmations');
  // the funds page shows them: the 3.4b entries of post b's cadre, the adjusted amount, paid by the unit
  const b = done.lines.find((l) => l.assignment_id === posts.b.id);
  const funds = await at(hrCopy, 'GET', `/api/v1/funds?cadre=${posts.b.cadre}&kind=living_allowance&page_size=200`);
  const entry = funds.body.items.find((f) => f.id === b.living_entry_id);
  assert.ok(entry, 'the living allowance is in the ledger');
  assert.equal(Math.round(entry.amount * 100), b.living_fen);
  assert.equal(entry.payer_unit_id, hrCopy.user.unit_id);
  assert.equal(entry.kind_name, '生活补助');
  const transport = await at(hrCopy, 'GET', `/api/v1/funds?cadre=${posts.b.cadre}&kind=transport_subsidy&page_size=200`);
  assert.ok(transport.body.items.some((f) => f.id === b.transport_entry_id && Math.round(f.amount * 100) === b.transport_fen));
  // payroll export of the confirmed sheet
  const x = await api('GET', `/api/v1/allowance-sheets/${sheet.id}?format=xlsx`, { session: hrCopy, base: server.url });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
});

test('3.4b: the demo unit has last month confirmed and this month drafted; this month cannot be confirmed yet', async () => {
  const last = (await api('GET', `/api/v1/allowance-sheets?month=${LAST_MONTH}`, { session: hr })).body.items;
  assert.equal(last.length, 1);
  assert.equal(last[0].status, 'confirmed');
  const now = (await api('GET', `/api/v1/allowance-sheets?month=${THIS_MONTH}`, { session: hr })).body.items;
  assert.equal(now.length, 1);
  assert.equal(now[0].status, 'draft');
  assert.equal(now[0].counted_to, TODAY, 'the month in progress is counted up to today');
  assertError(await api('POST', `/api/v1/allowance-sheets/${now[0].id}/confirm`, { session: hr, body: { version: now[0].version } }), 409, 'month_not_over');
  assertError(await api('GET', `/api/v1/allowance-sheets/${now[0].id}?format=xlsx`, { session: hr }), 409, 'not_confirmed');
  // the server drafted last month's sheets of the other units (its first request of the day)
  const county = (await api('GET', `/api/v1/allowance-sheets?month=${LAST_MONTH}&page_size=200`, { session: org })).body;
  assert.ok(county.total > 1, 'the county reads its units\' sheets');
  assert.ok(county.items.some((s) => s.status === 'draft' && s.drafted_by_name === '系统'));
});

test('3.4b scope: the county reads and never writes; another county and another unit see nothing; a cadre only their own lines', async () => {
  const sheet = (await api('GET', `/api/v1/allowance-sheets?month=${LAST_MONTH}`, { session: hr })).body.items[0];
  const read = await api('GET', `/api/v1/allowance-sheets/${sheet.id}`, { session: org });
  assert.equal(read.status, 200);
  assertError(await api('POST', '/api/v1/allowance-sheets', { session: org, body: { month: LAST_MONTH } }), 403, 'forbidden');
  const other = await createUser({ role: 'org_county', region_code: '360703' }); // 南康区
  const otherSession = await login(other.username, other.password);
  assertError(await api('GET', `/api/v1/allowance-sheets/${sheet.id}`, { session: otherSession }), 404, 'not_found');
  const list = (await api('GET', `/api/v1/allowance-sheets?page_size=200`, { session: otherSession })).body.items;
  assert.ok(!list.some((s) => s.unit_id === hr.user.unit_id), 'no sheet of a Ruijin unit');
  const otherUnit = Number(sqlite(copy, `SELECT id FROM unit WHERE id <> ${hr.user.unit_id} AND region_code = '360781' ORDER BY id LIMIT 1`).stdout.trim());
  const otherHr = await createUser({ role: 'unit_hr', unit_id: otherUnit, region_code: undefined });
  const otherHrSession = await login(otherHr.username, otherHr.password);
  assertError(await api('GET', `/api/v1/allowance-sheets/${sheet.id}`, { session: otherHrSession }), 404, 'not_found');
  assertError(await api('POST', `/api/v1/allowance-sheets/${sheet.id}/recount`, { session: otherHrSession, body: { version: 1 } }), 404, 'not_found');
  // the cadre: their own lines only, never the sheet or a colleague's
  assertError(await api('GET', '/api/v1/allowance-sheets', { session: cadre }), 403, 'forbidden');
  assertError(await api('GET', `/api/v1/allowance-sheets/${sheet.id}`, { session: cadre }), 404, 'not_found');
  const mine = (await api('GET', '/api/v1/me/allowances', { session: cadre })).body;
  assert.ok(mine.items.length >= 1);
  assert.ok(mine.items.every((l) => l.cadre_id === cadre.user.cadre_id), 'only their own');
  const may = mine.items.find((l) => l.month === LAST_MONTH);
  assert.equal(may.status, 'confirmed');
  const fromSheet = read.body.lines.find((l) => l.cadre_id === cadre.user.cadre_id);
  assert.equal(may.total_fen, fromSheet.total_fen);
  assertError(await api('GET', '/api/v1/me/allowances', { session: hr }), 403, 'forbidden');
});

test('3.4b bad input: month, duplicates, unknown fields, versions — 4xx and nothing written', async () => {
  const count = () => Number(sqlite(copy, 'SELECT count(*) FROM allowance_sheet').stdout.trim());
  const n = count();
  const post = (body) => at(hrCopy, 'POST', '/api/v1/allowance-sheets', body);
  assertError(await post({ month: `${THIS_MONTH.slice(0, 4)}-13` }), 400, 'field_invalid', 'month');
  assertError(await post({ month: '2026/05' }), 400, 'field_invalid', 'month');
  assertError(await post({}), 400, 'field_required', 'month');
  assertError(await post({ month: prevMonth(THIS_MONTH, -1) }), 400, 'field_invalid', 'month');
  assertError(await post({ month: prevMonth(THIS_MONTH, 13) }), 400, 'field_invalid', 'month');
  assertError(await post({ month: LAST_MONTH, unit_id: 1 }), 400, 'field_unknown');
  assertError(await post({ month: LAST_MONTH }), 409, 'duplicate', 'month');
  assertError(await at(hrCopy, 'POST', '/api/v1/allowance-sheets/999999/confirm', { version: 1 }), 404, 'not_found');
  const sheet = (await at(hrCopy, 'GET', `/api/v1/allowance-sheets?month=${THIS_MONTH}`)).body.items[0];
  assertError(await at(hrCopy, 'POST', `/api/v1/allowance-sheets/${sheet.id}/confirm`, {}), 400, 'field_required', 'version');
  assertError(await at(hrCopy, 'PUT', `/api/v1/allowance-sheets/${sheet.id}/lines/999999`, { version: sheet.version, living_fen: 0, transport_fen: 0, reason: '核减' }), 404, 'not_found');
  assertError(await at(hrCopy, 'GET', '/api/v1/allowance-sheets?month=2026-5'), 400, 'field_invalid', 'month');
  assert.equal(count(), n, 'no sheet written');
});
