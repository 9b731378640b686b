// 每日驻村事实 (issue 15): post_day, one row per post and day with what the roll-ups read of that
// day's acts, is kept by triggers on checkin in the transaction of every write. A seeded random
// sequence of check-ins (inside, outside with and without a reason, kept offline for hours), visits,
// leave requests and decisions and a month unlock goes through the API; then, on a consistent copy of
// the database, an operator's SQL deletes and moves some acts, and the table as the writes left it
// must equal what `zhucun rebuild facts` makes from the check-ins (EXCEPT both ways). A write that
// missed the facts leaves rows that differ.
// Then the roll-ups read from the facts (presence, the full-coverage analysis, the board) are
// checked against the raw check-ins for three months and several days.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, as, copyDb, serveAt, sqlite, zhucun, login, addDays } from './lib.mjs';
import { NOW, NOW_MS, today, lastMonth, thisMonth } from '../clock.mjs';

const VILLAGE = '360781104200'; // 沙洲坝村, cadre1's
const TOWNSHIP = '360781104';
const iso = (ms) => new Date(ms + 8 * 3600e3).toISOString().replace('Z', '+08:00').replace(/\.\d{3}/, '');
const one = (db, text) => {
  const r = sqlite(db, text);
  assert.equal(r.status, 0, `${text}: ${r.stderr}`);
  return r.stdout.trim();
};

// a small seeded generator (mulberry32): the same sequence on every run
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let cadre, sec, county, centre, households;
before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  county = await as('ruijin_org');
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  assert.equal(me.status, 200, me.text);
  centre = me.body.assignment;
  assert.ok(centre && centre.lat != null, 'cadre1 has a post with a fence');
  const h = await api('GET', `/api/v1/households?village=${VILLAGE}&page_size=20`, { session: cadre });
  assert.equal(h.status, 200, h.text);
  households = h.body.items.map((x) => x.id);
  assert.ok(households.length > 0, 'the demo village has households');
});

// One random write; returns what it did, for the message of a failure.
async function step(rand) {
  const kind = Math.floor(rand() * 7);
  // up to 60 hours back (the policy accepts 72): yesterday's and the day before's facts change too
  const at = NOW_MS - Math.floor(rand() * 60 * 3600e3);
  const place = { lat: centre.lat + (rand() < 0.5 ? 0.001 : 0.05), lng: centre.lng };
  const sent = { client_id: randomUUID(), at: iso(at), sent_at: iso(NOW_MS), accuracy_m: 20, source: 'gps' };
  if (kind <= 2) {
    const reason = kind === 1 ? '到镇里开会' : undefined;
    const r = await api('POST', '/api/v1/checkins', { session: cadre, body: { ...sent, ...place, ...(reason ? { reason } : {}) } });
    assert.ok([201, 400, 422].includes(r.status), `check-in: ${r.status} ${r.text}`);
    return `checkin ${r.status}`;
  }
  if (kind === 3) {
    const household_id = households[Math.floor(rand() * households.length)];
    const r = await api('POST', '/api/v1/visits', {
      session: cadre, body: { ...sent, ...place, household_id, findings: '了解家庭收入和就医情况', reason: '在邻村办事' },
    });
    assert.ok([201, 400, 409, 422].includes(r.status), `visit: ${r.status} ${r.text}`);
    return `visit ${r.status}`;
  }
  if (kind <= 5) {
    // a leave far ahead (no other test asks there), then approved, refused or withdrawn
    const d = addDays(today(), 200 + Math.floor(rand() * 100));
    const r = await api('POST', '/api/v1/leaves', { session: cadre, body: { type: 'personal', reason: '家中有事', start_date: d, end_date: d } });
    if (r.status !== 201) return `leave ${r.status}`;
    const choice = rand();
    const x = choice < 0.4
      ? await api('POST', `/api/v1/leaves/${r.body.id}/decision`, { session: sec, body: { decision: 'approve' } })
      : choice < 0.7
        ? await api('POST', `/api/v1/leaves/${r.body.id}/decision`, { session: sec, body: { decision: 'refuse', comment: '工作安排冲突' } })
        : await api('POST', `/api/v1/leaves/${r.body.id}/cancel`, { session: cadre });
    assert.ok(x.status < 300, `leave decision: ${x.status} ${x.text}`);
    return `leave ${x.status}`;
  }
  // a month unlock (2.x 月度锁账) of the township, long past, that no other test relies on
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 9 - Math.floor(rand() * 3));
  const u = await api('POST', '/api/v1/period-unlocks', {
    session: county,
    body: { region_code: TOWNSHIP, month: d.toISOString().slice(0, 7), until: addDays(today(), 3), reason: '补录迟交材料，经县委组织部同意' },
  });
  assert.ok([201, 409].includes(u.status), `unlock: ${u.status} ${u.text}`);
  return `unlock ${u.status}`;
}

let copy;
test('after a random sequence of writes the kept facts equal a rebuild from the check-ins', async () => {
  const rand = rng(15);
  const done = [];
  for (let i = 0; i < 60; i++) done.push(await step(rand));
  assert.ok(done.filter((d) => d === 'checkin 201').length >= 10, done.join(', '));
  assert.ok(done.some((d) => d === 'visit 201'), done.join(', '));
  assert.ok(done.some((d) => d.startsWith('leave 2')), done.join(', '));

  copy = copyDb('facts.db');
  const acts = one(copy, 'SELECT (SELECT count(*) FROM checkin), (SELECT sum(acts) FROM post_day)');
  const [raw, kept] = acts.split('|').map(Number);
  assert.equal(kept, raw, 'every check-in is counted once in the facts');
  // an operator's corrections by SQL: acts removed, an act moved to another day, one re-marked inside
  const c1 = `(SELECT cadre_id FROM assignment WHERE id = ${centre.id})`;
  // (what refers to the removed acts first: PostgreSQL enforces the foreign keys)
  const removed = `(SELECT id FROM checkin WHERE cadre_id = ${c1} AND date >= '${today(-2)}' ORDER BY id LIMIT 3)`;
  one(copy, `UPDATE work_log SET checkin_id = NULL WHERE checkin_id IN ${removed};
    UPDATE visit SET checkin_id = NULL WHERE checkin_id IN ${removed}; DELETE FROM checkin WHERE id IN ${removed}`);
  one(copy, `UPDATE checkin SET date = '${today(-5)}' WHERE id = (SELECT max(id) FROM checkin WHERE cadre_id = ${c1})`);
  one(copy, `UPDATE checkin SET in_fence = 1 WHERE id = (SELECT max(id) FROM checkin WHERE cadre_id = ${c1} AND in_fence = 0)`);
  one(copy, 'CREATE TABLE kept_post_day AS SELECT * FROM post_day');
  // the posts' months (issue 15, R1) as the triggers left them after the writes and the corrections
  one(copy, 'CREATE TABLE kept_post_month AS SELECT * FROM post_month');
  const months = Number(one(copy, 'SELECT count(*) FROM kept_post_month'));
  // the unit scores' and visit coverage's facts (issue 15) are rebuilt by the same command
  for (const t of ['checkin_month_days', 'household_visit_month', 'visit_month_first']) {
    one(copy, `CREATE TABLE kept_${t} AS SELECT * FROM ${t}`);
    one(copy, `DELETE FROM ${t} WHERE month = (SELECT max(month) FROM ${t})`); // lost rows the rebuild restores
  }
  const r = zhucun(['rebuild', 'facts', '--db', copy]);
  assert.equal(r.status, 0, r.stderr);
  const printed = Number(r.stdout.match(/^rebuilt facts: (\d+) rows$/m)?.[1]);
  const all = one(copy, `SELECT (SELECT count(*) FROM post_day) + (SELECT count(*) FROM checkin_month_days)
    + (SELECT count(*) FROM household_visit_month) + (SELECT count(*) FROM post_month)
    + (SELECT count(*) FROM visit_month_first)`);
  assert.equal(printed, Number(all), r.stdout);
  for (const t of ['checkin_month_days', 'household_visit_month', 'post_month', 'visit_month_first']) {
    const diff = one(copy, `SELECT (SELECT count(*) FROM (SELECT * FROM ${t} EXCEPT SELECT * FROM kept_${t}) AS m)
      + (SELECT count(*) FROM (SELECT * FROM kept_${t} EXCEPT SELECT * FROM ${t}) AS x)`);
    assert.equal(diff, '0', `${t} after the rebuild`);
  }
  assert.ok(months > 100, `post months kept: ${months}`);
  // cadre1's post this month: one slot of 9 characters per day, set (first character not 0) for each day
  // that has a row of post_day, and for no other
  const month = today().slice(0, 7);
  const slots = one(copy, `SELECT days FROM post_month WHERE assignment_id = ${centre.id} AND month = '${month}'`);
  assert.equal(slots.length, 31 * 9, slots);
  const set = [...Array(31).keys()].filter((d) => slots[d * 9] !== '0').map((d) => `${month}-${String(d + 1).padStart(2, '0')}`);
  const dayRows = one(copy, `SELECT group_concat(date, ' ') FROM (SELECT date FROM post_day WHERE assignment_id = ${centre.id}
    AND date LIKE '${month}-%' ORDER BY date) AS d`);
  assert.ok(set.length > 0, slots);
  assert.equal(set.join(' '), dayRows, slots);
  const rows = Number(one(copy, 'SELECT count(*) FROM post_day'));
  assert.ok(rows > 1000, `rows rebuilt: ${rows}`);
  const missing = one(copy, 'SELECT count(*) FROM (SELECT * FROM post_day EXCEPT SELECT * FROM kept_post_day) AS m');
  const extra = one(copy, 'SELECT count(*) FROM (SELECT * FROM kept_post_day EXCEPT SELECT * FROM post_day) AS x');
  const sample = one(copy, 'SELECT * FROM (SELECT * FROM post_day EXCEPT SELECT * FROM kept_post_day) AS m LIMIT 3');
  assert.deepEqual([missing, extra], ['0', '0'], `rows that differ; rebuilt: ${sample}`);
  // cadre1's days written by this sequence are there, with the in-fence acts and the reasons
  const mine = one(copy, `SELECT count(*), sum(in_fence_acts), sum(outside_reasoned) FROM post_day
    WHERE cadre_id = (SELECT cadre_id FROM assignment WHERE id = ${centre.id}) AND date >= '${today(-3)}'`);
  const [days, inside, reasoned] = mine.split('|').map(Number);
  assert.ok(days >= 3 && inside > 0 && reasoned > 0, mine);
});

// The raw figures of many rows in one statement (SELECTS: one row each, its key first), by key: one sqlite3 or
// psql run between two requests — a run per row kept the test's process blocked between them longer than the
// server keeps an idle connection open (10 s) on a loaded machine, and the next request met the closed socket.
function rawCounts(selects) {
  if (!selects.length) return new Map();
  const lines = one(copy, selects.join(' UNION ALL ')).split('\n');
  return new Map(lines.map((l) => l.split('|')).map(([key, ...rest]) => [key, rest]));
}

// The roll-ups read the facts; their figures must be what the raw check-ins say.
test('presence, the analysis and the board from the facts agree with the raw check-ins', async () => {
  assert.ok(copy, 'the copy of the first test');
  const server = await serveAt(copy, NOW);
  try {
    const s = await login('shazhouba_sec', undefined, server.url);
    const prev = (m) => {
      const d = new Date(`${m}-01T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() - 1);
      return d.toISOString().slice(0, 7);
    };
    let checked = 0;
    for (const month of [prev(lastMonth()), lastMonth(), thisMonth()]) {
      const p = await api('GET', `/api/v1/presence?month=${month}&page_size=200`, { session: s, base: server.url });
      assert.equal(p.status, 200, p.text);
      const a = await api('GET', `/api/v1/analysis?month=${month}&page_size=200`, { session: s, base: server.url });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.body.total, p.body.total, month);
      const byPost = new Map(a.body.items.map((x) => [x.assignment_id, x]));
      const judged = p.body.items.filter((x) => x.period_first);
      const counted = rawCounts(judged.map((x) => `SELECT ${x.assignment_id}, (SELECT count(DISTINCT date) FROM checkin
        WHERE assignment_id = ${x.assignment_id} AND in_fence = 1 AND date BETWEEN '${x.period_first}' AND '${x.period_last}')`));
      for (const x of judged) {
        const want = Number(counted.get(String(x.assignment_id))[0]);
        assert.equal(x.days_in_village, want, `${month} post ${x.assignment_id}: presence`);
        assert.equal(byPost.get(x.assignment_id)?.days_in_village, want, `${month} post ${x.assignment_id}: analysis`);
        checked++;
      }
    }
    assert.ok(checked > 20, `posts checked: ${checked}`);
    for (const date of [today(), today(-1), today(-7), today(-30)]) {
      const b = await api('GET', `/api/v1/board?date=${date}`, { session: s, base: server.url });
      assert.equal(b.status, 200, b.text);
      assert.ok(b.body.items.length > 5);
      const raw = rawCounts(b.body.items.map((x) => `SELECT ${x.cadre_id}, (SELECT datetime(min(at), 'unixepoch', '+8 hours')
        FROM checkin WHERE cadre_id = ${x.cadre_id} AND date = '${date}' AND in_fence = 1), (SELECT count(*) FROM checkin
        WHERE cadre_id = ${x.cadre_id} AND date = '${date}' AND in_fence = 0)`));
      for (const x of b.body.items) {
        const [first, outside] = raw.get(String(x.cadre_id));
        assert.equal(x.first_at ?? '', first, `${date} cadre ${x.cadre_id}: first in the village`);
        assert.equal(x.outside_checkins, Number(outside), `${date} cadre ${x.cadre_id}: outside the fence`);
        assert.equal(x.status === 'present', first !== '', `${date} cadre ${x.cadre_id}: ${x.status}`);
      }
    }
  } finally {
    await server.stop();
  }
});

test('zhucun rebuild: --help, and 2 for anything but `facts` or an unknown option', () => {
  const h = zhucun(['rebuild', '--help']);
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stdout, /usage: zhucun rebuild facts/);
  for (const args of [['rebuild'], ['rebuild', 'everything', '--db', '/nonexistent/x.db'], ['rebuild', 'facts', '--frobnicate']]) {
    const r = zhucun(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.status} ${r.stderr}`);
    assert.match(r.stderr, /usage: zhucun rebuild facts/);
  }
});
