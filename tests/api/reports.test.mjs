// 工作报告 (2.1 严格落实……工作报告……制度): the cadre sends the report drafted from the logs of a period
// (edited, never re-typed) to the township and the dispatching unit; one report per period (409),
// an explicit revision (PUT) keeps a count and clears the read marks; the township and the unit
// mark it read on their first reading (audited); another township does not see it (404).
// Work logs may name the households or projects concerned (`subject`).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, login, DB, sqlite } from './lib.mjs';
import { today } from '../clock.mjs';

let cadre, sec, otherSec, org, unitUser, unitId;
const day = (n) => today(n);
// sqlite3 on the suite's file, psql on its server (lib.mjs): the SQL below means the same on both
function sql(text) {
  const r = sqlite(DB, text);
  assert.equal(r.status, 0, `${text}: ${r.stderr}`);
  return r.stdout.trim();
}

const submit = (body, session = cadre) => api('POST', '/api/v1/reports', { session, body });
const ids = (r) => r.body.items.map((x) => x.id);

// A period [day(start), day(start + span - 1)] the cadre has not reported yet (the tests may run
// again against the same database).
async function freePeriod(span) {
  const r = await api('GET', '/api/v1/reports?page_size=200', { session: cadre });
  assert.equal(r.status, 200, r.text);
  const used = new Set(r.body.items.map((x) => `${x.from}/${x.to}`));
  for (let start = -(span + 100); start + span - 1 <= -1; start++) {
    const p = { from: day(start), to: day(start + span - 1) };
    if (!used.has(`${p.from}/${p.to}`)) return p;
  }
  throw new Error('no free period');
}

async function logCount(p) {
  const r = await api('GET', `/api/v1/logs?cadre=${cadre.user.cadre_id}&from=${p.from}&to=${p.to}&page_size=1`, { session: cadre });
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  otherSec = await as('xianghu_sec');
  org = await as('ruijin_org');
  // the dispatching unit of cadre1, as the county organization department sees it
  const c = await api('GET', `/api/v1/cadres/${cadre.user.cadre_id}`, { session: org });
  assert.equal(c.status, 200, c.text);
  unitId = c.body.unit_id;
  assert.ok(unitId, 'cadre1 has a dispatching unit');
  const leader = await as('unit_leader1');
  if (leader.user.unit_id === unitId) unitUser = leader;
  else {
    const u = await createUser({ role: 'unit_leader', unit_id: unitId, region_code: undefined });
    unitUser = await login(u.username, u.password);
  }
});

test('menu: `reports` for the cadre, the township, the county and the unit; not for administrators', async () => {
  for (const s of [cadre, sec, org, unitUser]) assert.ok(s.menu.includes('reports'), `${s.username}: ${s.menu}`);
  const sys = await as('sysadmin');
  assert.ok(!sys.menu.includes('reports'));
});

test('work logs name households or projects (subject): accepted, returned, in the draft', async () => {
  const subject = '建档立卡户张某某、村集体光伏电站';
  const r = await api('POST', '/api/v1/logs', {
    session: cadre, body: { date: day(0), duty: 'consolidation', text: '入户核实收入情况', subject },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.subject, subject);
  const one = await api('GET', `/api/v1/logs?cadre=${cadre.user.cadre_id}&from=${day(0)}&to=${day(0)}&page_size=200`, { session: sec });
  assert.equal(one.status, 200, one.text);
  const got = one.body.items.find((x) => x.id === r.body.id);
  assert.equal(got.subject, subject);
  const plain = await api('POST', '/api/v1/logs', { session: cadre, body: { date: day(0), duty: 'industry', text: '走访合作社' } });
  assert.equal(plain.status, 201, plain.text);
  assert.equal(plain.body.subject, null);
  assertError(await api('POST', '/api/v1/logs', {
    session: cadre, body: { date: day(0), duty: 'industry', text: 'x', subject: '户'.repeat(201) },
  }), 400, 'field_invalid', 'subject');
  assertError(await api('POST', '/api/v1/logs', {
    session: cadre, body: { date: day(0), duty: 'industry', text: 'x', subject: 5 },
  }), 400, 'field_type', 'subject');
  const d = await api('GET', `/api/v1/reports/draft?from=${day(0)}&to=${day(0)}`, { session: cadre });
  assert.equal(d.status, 200, d.text);
  assert.ok(d.body.text.includes(`入户核实收入情况（涉及：${subject}）`), d.body.text);
  const sec2 = d.body.sections.find((s) => s.duty === 'consolidation');
  assert.ok(sec2.entries.some((e) => e.subject === subject));
});

test('submit: the edited draft is sent once per period; log_count from the logs; 409 on the same period', async () => {
  const p = await freePeriod(7);
  const d = await api('GET', `/api/v1/reports/draft?from=${p.from}&to=${p.to}`, { session: cadre });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.report, null, 'not sent yet');
  const text = d.body.text + '\n\n下步打算：继续做好产业帮扶。';
  const r = await submit({ ...p, text });
  assert.equal(r.status, 201, r.text);
  const rep = r.body;
  assert.equal(rep.from, p.from);
  assert.equal(rep.to, p.to);
  assert.equal(rep.text, text);
  assert.equal(rep.cadre_id, cadre.user.cadre_id);
  assert.equal(rep.unit_id, unitId);
  assert.equal(rep.revision, 0);
  assert.equal(rep.log_count, await logCount(p));
  assert.equal(rep.log_count, d.body.total);
  assert.equal(rep.read_by_township_at, null);
  assert.equal(rep.read_by_unit_at, null);
  assert.match(rep.submitted_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  assert.equal(rep.township_code, '360781104');
  assert.ok(rep.village_name.includes('沙洲坝'), rep.village_name);

  const again = await submit({ ...p, text: '再报一次' });
  assertError(again, 409, 'already_submitted');
  assert.equal(again.body.error.existing, rep.id);
  // the draft of that period now names the report sent
  const d2 = await api('GET', `/api/v1/reports/draft?from=${p.from}&to=${p.to}`, { session: cadre });
  assert.equal(d2.body.report.id, rep.id);
  // the cadre's own list
  const mine = await api('GET', `/api/v1/reports?from=${p.from}&to=${p.to}`, { session: cadre });
  assert.ok(ids(mine).includes(rep.id));
  assert.equal(mine.body.reader, null);
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'report.submit' AND entity_id = '${rep.id}'`)), 1);
});

test('periods and texts: from ≤ to, at most 92 days, not in the future, text 1–20,000 characters', async () => {
  const text = '本期工作报告';
  assertError(await submit({ from: day(-3), to: day(-5), text }), 400, 'field_invalid', 'from');
  assertError(await submit({ from: day(-100), to: day(-8), text }), 400, 'field_invalid', 'to'); // 93 days
  assertError(await submit({ from: day(-2), to: day(1), text }), 400, 'field_invalid', 'to');
  assertError(await submit({ from: '2026-02-30', to: day(-1), text }), 400, 'field_invalid', 'from');
  assertError(await submit({ from: '20260101', to: day(-1), text }), 400, 'field_invalid', 'from');
  assertError(await submit({ to: day(-1), text }), 400, 'field_required', 'from');
  const p = await freePeriod(1);
  assertError(await submit({ ...p }), 400, 'field_required', 'text');
  assertError(await submit({ ...p, text: '' }), 400, 'field_required', 'text');
  assertError(await submit({ ...p, text: ' \n\t ' }), 400, 'field_required', 'text');
  assertError(await submit({ ...p, text: '报'.repeat(20001) }), 400, 'field_invalid', 'text');
  assertError(await submit({ ...p, text, unit_id: 1 }), 400, 'field_unknown', 'unit_id');
  // nothing was stored by the refusals
  const r = await api('GET', `/api/v1/reports?from=${p.from}&to=${p.to}`, { session: cadre });
  assert.ok(!r.body.items.some((x) => x.from === p.from && x.to === p.to));
  // 92 days exactly is a quarter: accepted (20,000 characters too)
  const q = await freePeriod(92);
  const ok = await submit({ ...q, text: '报'.repeat(20000) });
  assert.equal(ok.status, 201, ok.text);
  // only a cadre sends a report
  assertError(await submit({ ...p, text }, sec), 403, 'forbidden');
  assertError(await submit({ ...p, text }, unitUser), 403, 'forbidden');
});

test('the township and the unit see it and their first reading marks it (audited); another township gets 404', async () => {
  const p = await freePeriod(3);
  const r = await submit({ ...p, text: '驻村工作报告：本期走访农户 12 户。' });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;

  // the township: in its list and its unread list
  const unreadT = await api('GET', '/api/v1/reports?unread=1&page_size=200', { session: sec });
  assert.equal(unreadT.status, 200, unreadT.text);
  assert.equal(unreadT.body.reader, 'township');
  assert.ok(ids(unreadT).includes(id));
  const byCadre = await api('GET', `/api/v1/reports?cadre=${cadre.user.cadre_id}&page_size=200`, { session: sec });
  assert.ok(ids(byCadre).includes(id));
  // the county reads without marking; it has no unread list
  const c = await api('GET', `/api/v1/reports/${id}`, { session: org });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.read_by_township_at, null);
  assert.equal(c.body.read_by_unit_at, null);
  assertError(await api('GET', '/api/v1/reports?unread=1', { session: org }), 403, 'forbidden', 'unread');
  assertError(await api('GET', '/api/v1/reports?unread=1', { session: cadre }), 403, 'forbidden', 'unread');

  const t = await api('GET', `/api/v1/reports/${id}`, { session: sec });
  assert.equal(t.status, 200, t.text);
  assert.match(t.body.read_by_township_at, /\+08:00$/);
  assert.equal(t.body.read_by_township, true);
  assert.equal(t.body.read_by_unit_at, null);
  const t2 = await api('GET', `/api/v1/reports/${id}`, { session: sec });
  assert.equal(t2.body.read_by_township_at, t.body.read_by_township_at, 'the first reading stays');
  const afterT = await api('GET', '/api/v1/reports?unread=1&page_size=200', { session: sec });
  assert.ok(!ids(afterT).includes(id));
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'report.read' AND entity_id = '${id}'`)), 1);

  // the dispatching unit
  const unreadU = await api('GET', '/api/v1/reports?unread=1&page_size=200', { session: unitUser });
  assert.equal(unreadU.status, 200, unreadU.text);
  assert.equal(unreadU.body.reader, 'unit');
  assert.ok(ids(unreadU).includes(id));
  const u = await api('GET', `/api/v1/reports/${id}`, { session: unitUser });
  assert.equal(u.status, 200, u.text);
  assert.match(u.body.read_by_unit_at, /\+08:00$/);
  assert.equal(u.body.read_by_township_at, t.body.read_by_township_at);
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'report.read' AND entity_id = '${id}'`)), 2);
  // the cadre sees both marks
  const mine = await api('GET', `/api/v1/reports/${id}`, { session: cadre });
  assert.equal(mine.body.read_by_township, true);
  assert.equal(mine.body.read_by_unit, true);

  // another township: absent
  assertError(await api('GET', `/api/v1/reports/${id}`, { session: otherSec }), 404, 'not_found');
  const other = await api('GET', '/api/v1/reports?page_size=200', { session: otherSec });
  assert.equal(other.status, 200, other.text);
  assert.ok(!ids(other).includes(id));
  assert.ok(other.body.items.every((x) => x.township_code !== '360781104'));
  // administrators see no report
  const sys = await as('sysadmin');
  assertError(await api('GET', `/api/v1/reports/${id}`, { session: sys }), 403, 'forbidden');

  // xlsx export of the township's list
  const x = await api('GET', `/api/v1/reports?cadre=${cadre.user.cadre_id}&format=xlsx`, { session: sec });
  assert.equal(x.status, 200);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
  assertError(await api('GET', '/api/v1/reports?from=2026-13-01', { session: sec }), 400, 'field_invalid', 'from');
  assertError(await api('GET', '/api/v1/reports?cadre=abc', { session: sec }), 400, 'field_invalid', 'cadre');
});

test('revision (PUT): the cadre replaces the text; revision counts, read marks cleared, audited', async () => {
  const p = await freePeriod(5);
  const r = await submit({ ...p, text: '初稿' });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  await api('GET', `/api/v1/reports/${id}`, { session: sec }); // read by the township
  const put = await api('PUT', `/api/v1/reports/${id}`, { session: cadre, body: { text: '修改稿：补充了产业项目进展。' } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.text, '修改稿：补充了产业项目进展。');
  assert.equal(put.body.revision, 1);
  assert.match(put.body.revised_at, /\+08:00$/);
  assert.equal(put.body.submitted_at, r.body.submitted_at);
  assert.equal(put.body.read_by_township_at, null, 'the township sees the revision as unread');
  assert.equal(put.body.log_count, await logCount(p));
  const unreadT = await api('GET', '/api/v1/reports?unread=1&page_size=200', { session: sec });
  assert.ok(ids(unreadT).includes(id));
  const put2 = await api('PUT', `/api/v1/reports/${id}`, { session: cadre, body: { text: '第三稿' } });
  assert.equal(put2.body.revision, 2);
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'report.revise' AND entity_id = '${id}'`)), 2);
  // still one report for the period
  const mine = await api('GET', `/api/v1/reports?from=${p.from}&to=${p.to}`, { session: cadre });
  assert.equal(mine.body.items.filter((x) => x.from === p.from && x.to === p.to).length, 1);
  // refusals
  assertError(await api('PUT', `/api/v1/reports/${id}`, { session: cadre, body: { text: '' } }), 400, 'field_required', 'text');
  assertError(await api('PUT', `/api/v1/reports/${id}`, { session: cadre, body: { text: 'x', from: day(-1) } }), 400, 'field_unknown', 'from');
  assertError(await api('PUT', `/api/v1/reports/${id}`, { session: sec, body: { text: 'x' } }), 403, 'forbidden');
  assertError(await api('PUT', '/api/v1/reports/99999999', { session: cadre, body: { text: 'x' } }), 404, 'not_found');
  assertError(await api('PUT', `/api/v1/reports/${id}`, { session: cadre, body: { text: 'x' }, csrf: null }), 403, 'csrf_required');
  const final = await api('GET', `/api/v1/reports/${id}`, { session: cadre });
  assert.equal(final.body.text, '第三稿');
});
