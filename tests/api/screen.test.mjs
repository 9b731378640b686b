// 数据大屏 (issue #12 part 5): GET /screen gives, per county of the city (or township of a county) and
// for the whole, today's 在岗率, this month's 职责完成率, the open 监测帮扶 cases and this month's 走访覆盖率.
// Every figure must equal the one the page's own endpoint shows for the same place and days — 今日在岗
// (/board), 履职监督 (/compliance), 监测帮扶 (/cases?state=open), 入户走访 (/visits/coverage) — so the
// map never disagrees with a page. Scope: a county sees its county only; township, unit and cadre roles
// have no 大屏; a bad month is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError } from './lib.mjs';
import { today } from '../clock.mjs';

const CITY = '3607';
const RUIJIN = '360781';
const YUDU = '360731';

async function get(user, path) {
  const r = await api('GET', path, { session: typeof user === 'string' ? await as(user) : user });
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.body;
}

const pct = (part, whole) => (whole ? Math.round((1000 * part) / whole) / 10 : null);

// The month so far, as the pages are asked for it.
function monthSoFar() {
  const d = today();
  return { month: d.slice(0, 7), from: `${d.slice(0, 7)}-01`, to: d };
}

// Each figure of one place against the pages' own answers for that place.
async function checkPlace(user, code, figures, parentCompliance, parentCoverage, label) {
  const d = today();
  const board = await get(user, `/api/v1/board?date=${d}&region=${code}`);
  const t = board.totals;
  assert.equal(figures.on_duty.present, t.present, `${label}: 在村`);
  assert.equal(figures.on_duty.absent, t.absent, `${label}: 未到岗`);
  assert.equal(figures.on_duty.leave, t.leave, `${label}: 请假`);
  assert.equal(figures.on_duty.rest, t.rest, `${label}: 休息`);
  assert.equal(figures.on_duty.expected, t.present + t.absent, `${label}: 应在村`);
  assert.equal(figures.on_duty.rate, pct(t.present, t.present + t.absent), `${label}: 在岗率`);
  // the same count of items as the board lists
  assert.equal(t.present + t.absent + t.leave + t.rest, board.items.length, `${label}: the board's totals are its list`);

  const cases = await get(user, `/api/v1/cases?village=${code}&state=open&page_size=1`);
  assert.equal(figures.cases.open, cases.total, `${label}: 在办监测帮扶`);

  const duty = parentCompliance ? parentCompliance.rows.find((r) => r.key === code) : null;
  const dutyStat = parentCompliance ? (duty || { expected: 0, done: 0 }) : null;
  if (dutyStat) {
    assert.equal(figures.duties.expected, dutyStat.expected, `${label}: 应完成`);
    assert.equal(figures.duties.done, dutyStat.done, `${label}: 已完成`);
    assert.equal(figures.duties.rate, dutyStat.expected ? dutyStat.rate : null, `${label}: 职责完成率`);
  }
  if (parentCoverage) {
    const row = parentCoverage.items.find((r) => r.code === code) || { total: 0, visited: 0 };
    assert.equal(figures.visits.households, row.total, `${label}: 应走访`);
    assert.equal(figures.visits.visited, row.visited, `${label}: 已走访`);
    assert.equal(figures.visits.rate, pct(row.visited, row.total), `${label}: 走访覆盖率`);
  }
}

test('the city: every county and the whole agree with 今日在岗, 履职监督, 监测帮扶 and 入户走访', { timeout: 240000 }, async () => {
  const { month, from, to } = monthSoFar();
  const s = await get('city_org', `/api/v1/screen?month=${month}`);
  assert.equal(s.region.code, CITY);
  assert.equal(s.region.name, '赣州市');
  assert.equal(s.month, month);
  assert.equal(s.from, from);
  assert.equal(s.to, to);
  assert.equal(s.date, today());
  assert.match(s.as_of, new RegExp(`^${today()}T\\d{2}:\\d{2}:\\d{2}\\+08:00$`), 'the time of the data is the request\'s');
  assert.equal(s.items.length, 18, 'the 18 counties of 赣州市');
  assert.ok(s.items.every((r) => r.level === 'county'));
  assert.ok(s.items.some((r) => r.name === '瑞金市'));

  const compliance = await get('city_org', `/api/v1/compliance?region=${CITY}&from=${from}&to=${to}`);
  const coverage = await get('city_org', `/api/v1/visits/coverage?region=${CITY}&from=${from}&to=${to}`);
  // the demo has figures to compare, not only zeros
  const ruijin = s.items.find((r) => r.code === RUIJIN);
  assert.ok(ruijin.on_duty.present + ruijin.on_duty.absent + ruijin.on_duty.leave > 0, 'Ruijin has cadres in post today');
  assert.ok(s.totals.duties.expected > 0, 'duties fell due this month');
  assert.ok(s.totals.visits.households > 0, 'households to visit');
  for (const r of s.items) await checkPlace('city_org', r.code, r, compliance, coverage, r.name);
  await checkPlace('city_org', CITY, s.totals, null, null, '全市');
  // the whole's duties and visits are the pages' totals
  assert.equal(s.totals.duties.expected, compliance.totals.expected);
  assert.equal(s.totals.duties.done, compliance.totals.done);
  assert.equal(s.totals.visits.households, coverage.total.total);
  assert.equal(s.totals.visits.visited, coverage.total.visited);
  // and the whole's cadres are the sum of the counties' (no cadre counted twice or lost)
  const sum = (k) => s.items.reduce((n, r) => n + r.on_duty[k], 0);
  for (const k of ['present', 'absent', 'leave', 'rest']) assert.equal(s.totals.on_duty[k], sum(k), k);
});

test('drilling into 瑞金市: its townships agree with the pages, for the city and for the county itself', { timeout: 240000 }, async () => {
  const { month, from, to } = monthSoFar();
  for (const user of ['city_org', 'ruijin_org']) {
    const s = await get(user, `/api/v1/screen?region=${RUIJIN}&month=${month}`);
    assert.equal(s.region.name, '瑞金市');
    assert.ok(s.items.length > 5, 'the townships of 瑞金市');
    assert.ok(s.items.every((r) => r.level === 'township'));
    assert.ok(s.items.some((r) => r.name === '沙洲坝镇'));
    const compliance = await get(user, `/api/v1/compliance?region=${RUIJIN}&from=${from}&to=${to}`);
    const coverage = await get(user, `/api/v1/visits/coverage?region=${RUIJIN}&from=${from}&to=${to}`);
    const busy = s.items.filter((r) => r.on_duty.present + r.on_duty.absent + r.on_duty.leave + r.cases.open > 0);
    assert.ok(busy.length > 0, 'a township with cadres or cases');
    for (const r of s.items) await checkPlace(user, r.code, r, compliance, coverage, `${user} ${r.name}`);
    assert.equal(s.totals.duties.expected, compliance.totals.expected);
    assert.equal(s.totals.visits.visited, coverage.total.visited);
  }
  // the county's own screen is its default
  const own = await get('ruijin_org', '/api/v1/screen');
  assert.equal(own.region.code, RUIJIN);
});

test('a past month bounds duties and visits by that month; 在岗率 stays today\'s', async () => {
  const d = today();
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const s = await get('city_org', `/api/v1/screen?month=${prev}`);
  assert.equal(s.month, prev);
  assert.equal(s.from, `${prev}-01`);
  const last = new Date(Date.UTC(Number(prev.slice(0, 4)), Number(prev.slice(5, 7)), 0)).toISOString().slice(0, 10);
  assert.equal(s.to, last);
  assert.equal(s.date, d);
  const c = await get('city_org', `/api/v1/compliance?region=${CITY}&from=${s.from}&to=${s.to}`);
  assert.equal(s.totals.duties.expected, c.totals.expected);
  assert.equal(s.totals.duties.done, c.totals.done);
  const v = await get('city_org', `/api/v1/visits/coverage?region=${CITY}&from=${s.from}&to=${s.to}`);
  assert.equal(s.totals.visits.visited, v.total.visited);
});

test('scope: a county sees neither the city nor another county; townships, units and cadres have no 大屏', async () => {
  const county = await as('ruijin_org');
  assertError(await api('GET', `/api/v1/screen?region=${CITY}`, { session: county }), 404, 'not_found', 'region');
  assertError(await api('GET', `/api/v1/screen?region=${YUDU}`, { session: county }), 404, 'not_found', 'region');
  assertError(await api('GET', '/api/v1/screen?region=369999', { session: await as('city_org') }), 404, 'not_found', 'region');
  for (const user of ['shazhouba_sec', 'unit_leader1', 'cadre1']) {
    const r = await api('GET', '/api/v1/screen', { session: await as(user) });
    assert.equal(r.status, 403, `${user}: ${r.text}`);
  }
  // the administrators keep to accounts and the log
  assert.equal((await api('GET', '/api/v1/screen', { session: await as('sysadmin') })).status, 403, 'sysadmin');
  // a township is shown inside its county, not as a 大屏 of its own
  const town = (await get('city_org', `/api/v1/screen?region=${RUIJIN}`)).items[0].code;
  assertError(await api('GET', `/api/v1/screen?region=${town}`, { session: await as('city_org') }), 400, 'field_invalid', 'region');
  // the menu lists 数据大屏 for the city and county departments only
  const menu = async (u) => (await get(u, '/api/v1/session')).menu;
  for (const u of ['city_org', 'city_rrb', 'ruijin_org', 'ruijin_rrb']) assert.ok((await menu(u)).includes('screen'), u);
  for (const u of ['shazhouba_sec', 'unit_leader1', 'cadre1']) assert.ok(!(await menu(u)).includes('screen'), u);
});

test('a bad or future month is refused with the field named', async () => {
  const s = await as('city_org');
  for (const bad of ['2026-13', '2026-6', '202606', 'x', '2026-00', '1999-12']) {
    assertError(await api('GET', `/api/v1/screen?month=${encodeURIComponent(bad)}`, { session: s }), 400, 'field_invalid', 'month');
  }
  const d = today();
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  assertError(await api('GET', `/api/v1/screen?month=${next}`, { session: s }), 400, 'field_invalid', 'month');
});
