// 单位考评计分 (2.6) at city scale (issue 15): the unit scores count days from checkin_month_days
// (migration 146, kept by triggers on checkin). On a copy of the demo, served at the suite's instant:
// - the answers of several months equal those of the old statement (kept here as SQL: posts × working
//   days, one probe of the check-ins and of the leaves per cadre and day), unit by unit;
// - the city's visit coverage from a month's 1st to today (from household_visit_month, migration 147)
//   equals the count of the households themselves, child region by child region;
// - after a random sequence of check-ins through the API, and of withdrawals and changes of
//   check-ins in SQL, the table equals its rebuild (EXCEPT both ways) and the answers still agree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, copyDb, login, serveAt, sqlite, DEMO_PASSWORD } from './lib.mjs';
import { NOW, NOW_MS, randomInt, today } from '../clock.mjs';

let copy, server, org;

before(async () => {
  copy = copyDb('scores.db');
  server = await serveAt(copy, NOW);
  org = await login('city_org', DEMO_PASSWORD, server.url);
});

after(async () => { if (server) await server.stop(); });

/* The statement the scores used before issue 15, the bounds of the city's scope left out (every
 * demo post is in the city). */
function oldScores(first, last) {
  const sql = `WITH RECURSIVE days(d) AS (SELECT '${first}' WHERE '${first}' <= '${last}'
      UNION ALL SELECT date(d, '+1 day') FROM days WHERE d < '${last}'),
    wd(d) AS (SELECT days.d FROM days LEFT JOIN calendar_day cd ON cd.date = days.d
      WHERE CASE cd.kind WHEN 'holiday' THEN 0 WHEN 'workday' THEN 1
        ELSE CASE WHEN strftime('%w', days.d) NOT IN ('0', '6') THEN 1 ELSE 0 END END = 1),
    posts AS (SELECT a.id AS aid, a.unit_id AS uid, a.cadre_id AS cid, max(a.start_date, '${first}') AS pf,
      min(coalesce(a.ended_on, a.term_end), '${last}') AS pt
      FROM assignment a JOIN region ar ON ar.code = a.village_code
      WHERE a.status IN ('active','handover','ended') AND a.start_date <= '${last}'
      AND coalesce(a.ended_on, a.term_end) >= '${first}'),
    pd AS (SELECT DISTINCT p.uid, p.cid, wd.d FROM posts p LEFT JOIN wd ON wd.d >= p.pf AND wd.d <= p.pt),
    pa AS (SELECT pd.uid, pd.cid, pd.d,
      pd.d IS NOT NULL AND EXISTS (SELECT 1 FROM checkin k WHERE k.cadre_id = pd.cid AND k.date = pd.d AND k.in_fence = 1) AS present,
      pd.d IS NOT NULL AND EXISTS (SELECT 1 FROM leave l WHERE l.cadre_id = pd.cid
        AND l.status IN ('approved','closed') AND l.start_date <= pd.d
        AND (CASE WHEN l.status = 'closed' AND l.returned_on IS NOT NULL THEN date(l.returned_on, '-1 day')
             ELSE l.end_date END) >= pd.d) AS on_leave
      FROM pd)
    SELECT uid, count(DISTINCT cid), (SELECT count(*) FROM posts p2 WHERE p2.uid = pa.uid),
      sum(d IS NOT NULL AND (present OR NOT on_leave)), sum(present), sum(d IS NOT NULL AND on_leave AND NOT present)
    FROM pa GROUP BY uid ORDER BY uid`;
  const r = sqlite(copy, sql);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((line) => line.split('|').map(Number));
}

const pad = (n) => String(n).padStart(2, '0');

async function compareMonth(year, month) {
  const first = `${year}-${pad(month)}-01`;
  const monthLast = `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
  const last = monthLast < today() ? monthLast : today();
  const r = await api('GET', `/api/v1/scores?year=${year}&month=${month}&page_size=200`, { session: org, base: server.url });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.to, last);
  const got = r.body.items.map((u) => [u.unit_id, u.cadres, u.posts, u.working_days, u.days_in_village, u.leave_days])
    .sort((a, b) => a[0] - b[0]);
  const want = oldScores(first, last);
  assert.equal(r.body.total, want.length, `${first}: units`);
  assert.deepEqual(got, want, `${first}..${last}: the units' days as the old statement counts them`);
  return want;
}

const MONTHS = [[2026, 6], [2026, 5], [2026, 4], [2026, 2], [2026, 1], [2025, 12], [2025, 7]];

test('2.6: the scores of several months and years count the days as the old statement did', async () => {
  let present = 0, posts = 0;
  for (const [y, m] of MONTHS) {
    const rows = await compareMonth(y, m);
    present += rows.reduce((s, row) => s + row[4], 0);
    posts += rows.reduce((s, row) => s + row[2], 0);
  }
  assert.ok(present > 1000, `the demo has days in the village to count (${present})`);
  assert.ok(posts > 1000, `and posts (${posts})`);
});

const REBUILT = `SELECT cadre_id, substr(date, 1, 7), sum(DISTINCT 1 << (CAST(substr(date, 9, 2) AS INTEGER) - 1))
  FROM checkin WHERE in_fence = 1 GROUP BY cadre_id, substr(date, 1, 7)`;

function assertFactsEqualRebuild(when) {
  const r = sqlite(copy, `SELECT 'extra', * FROM (SELECT * FROM checkin_month_days EXCEPT ${REBUILT}) AS x
    UNION ALL SELECT 'missing', * FROM (${REBUILT} EXCEPT SELECT * FROM checkin_month_days) AS m;
    SELECT 'rows', count(*) FROM checkin_month_days;`);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.filter((l) => !l.startsWith('rows|')), [], `${when}: checkin_month_days differs from its rebuild`);
  assert.ok(Number(lines.find((l) => l.startsWith('rows|')).split('|')[1]) > 100, `${when}: the table has rows`);
}

const iso = (ms) => new Date(ms + 8 * 3600e3).toISOString().replace('Z', '+08:00').replace(/\.\d{3}/, '');

test('checkin_month_days equals its rebuild after random check-ins, withdrawals and changes', async () => {
  assertFactsEqualRebuild('after the migration');
  const cadres = [];
  for (const name of ['cadre1']) {
    const session = await login(name, DEMO_PASSWORD, server.url);
    const me = await api('GET', '/api/v1/me/today', { session, base: server.url });
    assert.equal(me.status, 200, me.text);
    cadres.push({ session, centre: me.body.assignment });
  }
  let made = 0;
  for (let i = 0; i < 24; i++) {
    const { session, centre } = cadres[randomInt(cadres.length)];
    const inside = randomInt(3) > 0;
    const at = NOW_MS - randomInt(6) * 3600e3 - randomInt(3600) * 1000; // today's acts, some sent late
    const r = await api('POST', '/api/v1/checkins', { session, base: server.url, body: {
      client_id: randomUUID(), at: iso(at), sent_at: iso(NOW_MS), lat: centre.lat + (inside ? 0.001 : 0.2),
      lng: centre.lng, accuracy_m: 20, source: 'gps', ...(inside ? {} : { reason: '到县里开会' }) } });
    assert.ok([201, 200].includes(r.status), r.text);
    made++;
  }
  assert.equal(made, 24);
  assertFactsEqualRebuild('after check-ins through the API');
  // withdrawals and changes of acts (the demo withdraws a recalled post's acts in SQL): random rows
  const ids = sqlite(copy, 'SELECT id FROM checkin ORDER BY random() LIMIT 60').stdout.trim().split('\n').map(Number);
  const statements = ids.map((id, k) => [
    // what refers to the act first (PostgreSQL enforces the foreign keys), as the demo's withdrawal does
    `UPDATE work_log SET checkin_id = NULL WHERE checkin_id = ${id}; UPDATE visit SET checkin_id = NULL WHERE checkin_id = ${id};
     DELETE FROM checkin WHERE id = ${id}`,
    `UPDATE checkin SET in_fence = 1 - in_fence WHERE id = ${id}`,
    `UPDATE checkin SET date = date(date, '-${1 + (k % 40)} days') WHERE id = ${id}`,
  ][k % 3]);
  const w = sqlite(copy, `BEGIN; ${statements.join(';\n')}; COMMIT;`);
  assert.equal(w.status, 0, w.stderr);
  assertFactsEqualRebuild('after withdrawals and changes');
  for (const [y, m] of MONTHS.slice(0, 3)) await compareMonth(y, m);
});

test('5.6: the city\'s coverage from a month\'s 1st to today counts the households as they are', async () => {
  let households = 0;
  for (const from of [`${today().slice(0, 7)}-01`, `${today().slice(0, 4)}-01-01`, `${today().slice(0, 4)}-04-01`]) {
    const r = await api('GET', `/api/v1/visits/coverage?region=3607&from=${from}&to=${today()}`, { session: org, base: server.url });
    assert.equal(r.status, 200, r.text);
    const q = sqlite(copy, `SELECT ch.code, sum(h.monitored <> 0), sum(h.monitored <> 0 AND coalesce(h.last_visit_on, '') >= '${from}'),
        sum(h.monitored = 0), sum(h.monitored = 0 AND coalesce(h.last_visit_on, '') >= '${from}')
      FROM region ch JOIN region tv ON tv.path >= ch.path AND tv.path < ch.path || '~' AND tv.level = 'village'
      JOIN household h ON h.village_code = tv.code AND h.status = 'active'
      WHERE ch.parent_code = '3607' AND (h.monitored = 1 OR h.category = 'alleviated') GROUP BY ch.code ORDER BY ch.code`);
    assert.equal(q.status, 0, q.stderr);
    const want = q.stdout.trim().split('\n').filter(Boolean).map((line) => line.split('|').map((v, i) => (i ? Number(v) : v)));
    const got = r.body.items.map((c) => [c.code, c.monitoring_total, c.monitoring_visited, c.alleviated_total, c.alleviated_visited]);
    assert.deepEqual(got, want, `coverage from ${from}`);
    households += want.reduce((s, row) => s + row[1] + row[3], 0);
  }
  assert.ok(households > 100, `the demo has target households (${households})`);
});
