// 遍访 (5.6): a visit is a check-in at the village (2.1) and a work-log entry (5.1) — one act, sent
// once; duplicates from the offline queue get the same visit back; outside the fence it needs a
// reason. Coverage of 监测户 and 脱贫户 for a village, township and county, and the unvisited list
// with the cadre responsible.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, as, assertError } from './lib.mjs';
import { NOW_MS, today as pinnedToday } from '../clock.mjs';

const VILLAGE = '360781104200'; // 沙洲坝村, cadre1's
const TOWNSHIP = '360781104';
let cadre, centre;
const iso = (ms) => new Date(ms + 8 * 3600e3).toISOString().replace('Z', '+08:00').replace(/\.\d{3}/, '');
const today = () => pinnedToday();
const monthStart = () => `${today().slice(0, 8)}01`;

function visit(body) {
  const now = NOW_MS;
  return api('POST', '/api/v1/visits', {
    session: cadre,
    body: { client_id: randomUUID(), at: iso(now), sent_at: iso(now), lat: centre.lat + 0.001, lng: centre.lng,
      accuracy_m: 20, source: 'gps', findings: '了解家庭收入和就医情况', ...body },
  });
}
const coverage = async (s, region, from = monthStart(), to = today()) => {
  const r = await api('GET', `/api/v1/visits/coverage?region=${region}&from=${from}&to=${to}`, { session: s });
  assert.equal(r.status, 200, r.text);
  return r.body;
};
const unvisited = async (s, region) => {
  const r = await api('GET', `/api/v1/visits/unvisited?region=${region}&from=${monthStart()}&to=${today()}&page_size=200`, { session: s });
  assert.equal(r.status, 200, r.text);
  return r.body;
};

before(async () => {
  cadre = await as('cadre1');
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  centre = me.body.assignment;
  assert.equal(centre.village_code, VILLAGE);
});

test('a visit is one act: a check-in of kind visit, a log entry and the visit; coverage and the unvisited list move', async () => {
  const county = await as('ruijin_rrb');
  const list = await unvisited(county, VILLAGE);
  assert.ok(list.total > 0, 'the demo leaves some households unvisited this month');
  const target = list.items[0];
  assert.match(target.responsible, /（第一书记）$/, 'the village\'s first secretary is responsible');
  assert.ok(target.team.length > 0);
  const before = await coverage(county, VILLAGE);
  const row = before.items.find((x) => x.code === VILLAGE);
  const logsBefore = (await api('GET', `/api/v1/me/today`, { session: cadre })).body.logs_today;

  const r = await visit({ household_id: target.id, risks: ['illness', 'schooling'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.household_id, target.id);
  assert.equal(r.body.visited_on, today());
  assert.equal(r.body.in_fence, true);
  assert.deepEqual(r.body.risks, ['illness', 'schooling']);
  assert.match(r.body.message, /^已在.+范围内/);

  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  const ck = me.body.checkins.find((c) => c.client_id === r.body.client_id);
  assert.ok(ck, 'the visit is today\'s check-in (attendance)');
  assert.equal(ck.kind, 'visit');
  assert.equal(ck.id, r.body.checkin_id);
  assert.equal(me.body.logs_today, logsBefore + 1, 'and an entry of the work log');

  const after = await coverage(county, VILLAGE);
  const row2 = after.items.find((x) => x.code === VILLAGE);
  assert.equal(row2.visited, row.visited + 1);
  assert.equal(row2.total, row.total);
  const key = target.monitored ? 'monitoring_visited' : 'alleviated_visited';
  assert.equal(row2[key], row[key] + 1);
  const list2 = await unvisited(county, VILLAGE);
  assert.equal(list2.total, list.total - 1);
  assert.ok(!list2.items.some((x) => x.id === target.id), 'no longer on the unvisited list');

  const h = await api('GET', `/api/v1/households/${target.id}`, { session: county });
  assert.equal(h.body.visits[0].visited_on, today());
  assert.equal(h.body.history[0].source, 'visit', 'the household\'s story has the visit (5.8)');
  assert.deepEqual(h.body.history[0].changes.risks, ['illness', 'schooling']);
  const listed = await api('GET', `/api/v1/visits?household=${target.id}`, { session: county });
  assert.equal(listed.body.items[0].id, r.body.id);
  const x = await api('GET', `/api/v1/visits?household=${target.id}&format=xlsx`, { session: county });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
});

test('the same client_id again (the offline queue resends): 409 duplicate with the same visit, no second row', async () => {
  const hh = (await api('GET', `/api/v1/households?village=${VILLAGE}&page_size=5`, { session: cadre })).body.items[1];
  const client_id = randomUUID();
  const a = await visit({ household_id: hh.id, client_id });
  assert.equal(a.status, 201, a.text);
  const b = await visit({ household_id: hh.id, client_id });
  assertError(b, 409, 'duplicate', 'client_id');
  assert.equal(b.body.error.existing.id, a.body.id, 'the same answer');
  const visits = await api('GET', `/api/v1/visits?household=${hh.id}&from=${today()}`, { session: cadre });
  assert.equal(visits.body.items.filter((v) => v.client_id === client_id).length, 1);
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  assert.equal(me.body.checkins.filter((c) => c.client_id === client_id).length, 1, 'one check-in, not two');
});

test('kept offline and sent later: accepted with its own time; too late or in the future refused', async () => {
  const hh = (await api('GET', `/api/v1/households?village=${VILLAGE}&page_size=5`, { session: cadre })).body.items[2];
  const then = NOW_MS - 2 * 3600e3;
  const r = await visit({ household_id: hh.id, at: iso(then) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.delayed, true);
  assertError(await visit({ household_id: hh.id, at: iso(NOW_MS - 10 * 86400e3) }), 400, 'too_late', 'at');
  assertError(await visit({ household_id: hh.id, at: iso(NOW_MS + 3600e3) }), 400, 'time_in_future', 'at');
});

test('outside the fence: refused without a reason (nothing written), recorded and marked with one', async () => {
  const hh = (await api('GET', `/api/v1/households?village=${VILLAGE}&page_size=5`, { session: cadre })).body.items[3];
  const client_id = randomUUID();
  const far = { household_id: hh.id, lat: centre.lat + 0.05, client_id };
  const r = await visit(far);
  assertError(r, 400, 'outside_fence', 'reason');
  assert.match(r.body.error.message, /公里/);
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  assert.ok(!me.body.checkins.some((c) => c.client_id === client_id), 'nothing written');
  const ok = await visit({ ...far, reason: '农户在镇上住院，到医院看望' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.in_fence, false);
});

test('bad input: another village\'s household, unknown risk, no findings, wrong types; only cadres record', async () => {
  const rrb = await as('ruijin_rrb');
  const other = (await api('GET', '/api/v1/households?village=360781104201&page_size=1', { session: rrb })).body.items[0];
  assert.ok(other, 'the neighbouring village has households');
  assertError(await visit({ household_id: other.id }), 404, 'not_found', 'household_id');
  const mine = (await api('GET', `/api/v1/households?village=${VILLAGE}&page_size=1`, { session: cadre })).body.items[0];
  assertError(await visit({ household_id: mine.id, risks: ['bad_luck'] }), 400, 'field_invalid', 'risks');
  assertError(await visit({ household_id: mine.id, risks: ['illness', 'illness'] }), 400, 'field_invalid', 'risks');
  assertError(await visit({ household_id: mine.id, risks: 'illness' }), 400, 'field_type', 'risks');
  assertError(await visit({ household_id: mine.id, findings: '' }), 400, 'field_required', 'findings');
  assertError(await visit({ household_id: 'one' }), 400, 'field_type', 'household_id');
  assertError(await visit({ household_id: mine.id, client_id: 'x' }), 400, 'field_invalid', 'client_id');
  assertError(await visit({ household_id: mine.id, extra: 1 }), 400, 'field_unknown');
  assertError(await api('POST', '/api/v1/visits', { session: cadre, raw: '{"household_id":' }), 400, 'json_malformed');
  assertError(await api('POST', '/api/v1/visits', { session: await as('shazhouba_sec'), body: {} }), 403, 'forbidden');
});

test('coverage adds up from village to township to county; scope bounds it', async () => {
  const county = await as('ruijin_rrb');
  const town = await coverage(county, TOWNSHIP);
  const sum = (rows, k) => rows.reduce((s, r) => s + r[k], 0);
  assert.ok(town.items.every((r) => r.code.startsWith(TOWNSHIP)));
  assert.equal(town.total.total, sum(town.items, 'total'));
  assert.equal(town.total.visited, sum(town.items, 'visited'));
  assert.ok(town.total.visited <= town.total.total);
  assert.ok(Math.abs(town.total.rate - town.total.visited / town.total.total) < 1e-9, 'the rate is visited / total');
  const ruijin = await coverage(county, '360781');
  const row = ruijin.items.find((r) => r.code === TOWNSHIP);
  assert.equal(row.total, town.total.total, 'the township row of the county equals the township\'s total');
  assert.equal(row.visited, town.total.visited);
  const hh = await api('GET', `/api/v1/households?region=${TOWNSHIP}&page_size=1`, { session: county });
  assert.ok(town.total.total <= hh.body.total);
  const un = await unvisited(county, TOWNSHIP);
  assert.equal(un.total, town.total.total - town.total.visited, 'the unvisited list is the rest');
  const xlsx = await api('GET', `/api/v1/visits/coverage?region=${TOWNSHIP}&format=xlsx`, { session: county });
  assert.equal(xlsx.status, 200);
  const ux = await api('GET', `/api/v1/visits/unvisited?region=${TOWNSHIP}&format=xlsx`, { session: county });
  assert.equal(ux.status, 200);

  const other = await as('xianghu_sec');
  assertError(await api('GET', `/api/v1/visits/coverage?region=${TOWNSHIP}`, { session: other }), 404, 'not_found', 'region');
  const own = await api('GET', '/api/v1/visits/coverage', { session: cadre });
  assert.equal(own.status, 200);
  assert.deepEqual(own.body.items.map((r) => r.code), [VILLAGE], 'a cadre: their own village by default');
  assertError(await api('GET', `/api/v1/visits/coverage?from=2026-13-01`, { session: county }), 400, 'field_invalid', 'from');
  assertError(await api('GET', `/api/v1/visits/coverage?from=2026-05-01&to=2026-04-01`, { session: county }), 400, 'field_invalid', 'to');
  const longAgo = await coverage(county, VILLAGE, '2020-01-01', '2020-12-31');
  assert.equal(longAgo.total.visited, 0, 'no visits before the registry');
});
