// Issue 14: a month in progress is judged on what was possible so far, not the whole month (2.1).
// A copy of the demo is served with its clock on the first of the next month at 10:00, before anybody
// checked in: nobody is 未达标 (nothing is owed yet), while the whole month's minimum and the days left
// are told apart; at the pinned instant (the 10th) the pro rata minimum is rounded down and today counts
// only for who is in the village already.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, copyDb, login, serveAt } from './lib.mjs';
import { today } from '../clock.mjs';

const nextMonth = () => {
  const [y, m] = today().split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const daysIn = (ym) => { const [y, m] = ym.split('-').map(Number); return new Date(Date.UTC(y, m, 0)).getUTCDate(); };

async function presence(base, session, month) {
  const r = await api('GET', `/api/v1/presence?month=${month}&page_size=200`, { session, base });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('on the 1st at 10:00 nobody is below the minimum: nothing could be spent yet', async () => {
  const db = copyDb(); // with its key: DB.key's copy beside a file, ZHUCUN_KEY_FILE on a server
  const month = nextMonth();
  const s = await serveAt(db, `${month}-01T10:00:00+08:00`);
  try {
    const org = await login('ruijin_org', undefined, s.url);
    const body = await presence(s.url, org, month);
    const open = body.items.filter((x) => x.in_progress && x.period_days === 1);
    assert.ok(open.length > 0, 'cadres in post on the 1st');
    for (const row of open) {
      assert.equal(row.days_in_village, 0, `${row.name}: in the village before the clock's 10:00?`);
      assert.equal(row.required_days, 0, `${row.name}: owes ${row.required_days} days at 10:00 on the 1st`);
      assert.equal(row.meets_minimum, true, `${row.name}: 未达标 on the 1st`);
      // the whole month's minimum: pro rata when the post ends within the month
      const whole = !row.end_date || row.end_date >= `${month}-${daysIn(month)}`;
      if (whole) assert.equal(row.month_required_days, body.min_days, `${row.name}: the month's minimum`);
      else assert.ok(row.month_required_days <= body.min_days, `${row.name}: ${row.month_required_days} days`);
      assert.ok(row.days_left >= 1 && row.days_left <= daysIn(month), `${row.name}: days left ${row.days_left}`);
      assert.equal(row.reachable, true);
    }
    // the analysis reads the same judgement
    const a = await api('GET', `/api/v1/analysis?month=${month}&only=below_minimum&page_size=100`, { session: org, base: s.url });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.body.total, 0, `below the minimum on the 1st: ${a.body.items.map((x) => x.name)}`);
    assert.ok(a.body.groups.every((g) => g.meets_minimum === g.cadres), 'a group counts someone below the minimum');
  } finally {
    const end = await s.stop();
    assert.ok(!/Sanitizer/.test(end.out), end.out);
  }
});

test('at the pinned instant: the minimum so far is rounded down, and the month is told apart', async () => {
  const org = await as('ruijin_org');
  const month = today().slice(0, 7);
  const body = await presence(undefined, org, month);
  const day = Number(today().slice(8, 10));
  const total = daysIn(month);
  for (const row of body.items.filter((x) => x.in_progress)) {
    const judged = row.period_days - (row.days_left > total - day ? 1 : 0);
    assert.ok(row.required_days <= Math.floor((body.min_days * judged) / total), `${row.name}: ${row.required_days} owed so far`);
    assert.ok(row.month_required_days >= row.required_days);
    assert.equal(row.reachable, row.days_in_village + row.days_left >= row.month_required_days);
    assert.equal(row.meets_minimum, row.days_in_village >= row.required_days);
  }
});
