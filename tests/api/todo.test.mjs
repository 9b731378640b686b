// GET /api/v1/me/todo — one 待办 per user (issue 14): every kind's count is the total of the list it
// opens (COUNT over the whole query, not the length of the first page), each role gets its own
// kinds, late items carry the due date and the days late, and a role with nothing waiting gets
// an empty list (never a 403).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, sqlite, DB } from './lib.mjs';
import { closingCase, importHousehold, monitoredCase } from './cases_lib.mjs';
import { today } from '../clock.mjs';

const sql = (text) => {
  const r = sqlite(DB, text);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

async function todo(session) {
  const r = await api('GET', '/api/v1/me/todo', { session });
  assert.equal(r.status, 200, r.text);
  return r.body;
}
const kind = (t, k) => t.items.find((i) => i.kind === k);

// the list behind each kind, as the UI opens it
const LIST_OF = {
  leave: '/api/v1/leaves?inbox=1',
  nomination: '/api/v1/assignments?inbox=1',
  case_found: '/api/v1/cases?state=found',
  case_reviewed: '/api/v1/cases?state=reviewed',
  case_noticed: '/api/v1/cases?state=noticed',
  case_checked: '/api/v1/cases?state=checked',
  case_close_verified: '/api/v1/cases?state=close_verified',
  case_close_reviewed: '/api/v1/cases?state=close_reviewed',
  case_close_noticed: '/api/v1/cases?state=close_noticed',
  plan_review: '/api/v1/plans?status=submitted',
  vacancy: '/api/v1/vacancies?status=open',
  term_ending: '/api/v1/terms-ending',
  report_review: '/api/v1/reports?review=waiting',
  report_returned: '/api/v1/reports?review=returned',
  log_returned: '/api/v1/logs?review=returned',
};

async function listTotal(session, path) {
  const r = await api('GET', `${path}${path.includes('?') ? '&' : '?'}page_size=1`, { session });
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.body.total;
}

test('each kind counts what its list holds, for every role that has work', async () => {
  const expected = {
    shazhouba_sec: ['handover', 'case_noticed', 'report_review'], // 批阅: the demo's reports waiting
    ruijin_org: ['adjustment', 'vacancy', 'term_ending'],
    ruijin_rrb: ['case_checked'], // the county rural revitalization department decides cases (5.7)
    city_org: ['adjustment', 'vacancy', 'term_ending'],
    unit_leader1: ['plan_review'],
    cadre1: ['case_reviewed'],
  };
  for (const [user, kinds] of Object.entries(expected)) {
    const s = await as(user);
    const t = await todo(s);
    for (const k of kinds) assert.ok(kind(t, k), `${user} should have ${k}: ${JSON.stringify(t.items.map((i) => i.kind))}`);
    let sum = 0;
    for (const it of t.items) {
      sum += it.count;
      assert.ok(it.title && /[\u4e00-\u9fff]/.test(it.title), `${user} ${it.kind}: Chinese title`);
      assert.match(it.route, /^\//, `${user} ${it.kind}: a route`);
      assert.ok(it.count >= 1 && it.preview.length >= 1 && it.preview.length <= 3, `${user} ${it.kind}: preview`);
      if (LIST_OF[it.kind]) assert.equal(it.count, await listTotal(s, LIST_OF[it.kind]), `${user} ${it.kind} = its list's total`);
    }
    assert.equal(t.total, sum, `${user}: total is the sum of the counts`);
    assert.equal(t.today, today());
  }
  // the two kinds without a list endpoint, against the tables
  const sec = await todo(await as('shazhouba_sec'));
  const handovers = Number(sql(`SELECT count(*) FROM handover h JOIN assignment a ON a.id = h.incoming_assignment_id
    JOIN region r ON r.code = a.village_code WHERE r.parent_code = (SELECT parent_code FROM region WHERE code = '360781104200') AND h.confirmed_on IS NULL AND h.starts_on <= '${today()}'`));
  assert.equal(kind(sec, 'handover').count, handovers);
  assert.ok(kind(sec, 'handover').due, 'a handover is due its last day');
  const org = await todo(await as('ruijin_org'));
  assert.equal(kind(org, 'adjustment').count, Number(sql(`SELECT count(*) FROM adjustment x JOIN assignment a ON a.id = x.outgoing_assignment_id
    WHERE x.status = 'open' AND a.village_code LIKE '360781%'`)));
  // the cadre never sees the county's or the township's work
  const cadre = await todo(await as('cadre1'));
  for (const k of ['case_checked', 'case_noticed', 'vacancy', 'leave', 'nomination', 'adjustment']) assert.ok(!kind(cadre, k), k);
});

test('a count covers all rows, not the preview: four new leads give four more', async () => {
  const cadre = await as('cadre1');
  const before = kind(await todo(cadre), 'case_found')?.count || 0;
  for (let i = 0; i < 4; i++) {
    const h = await importHousehold();
    const c = await api('POST', '/api/v1/cases', { session: cadre, body: {
      household_id: h.id, source: 'self_reported', risks: ['illness'], lead_on: today(-1), description: '待办计数测试' } });
    assert.equal(c.status, 201, c.text);
  }
  const k = kind(await todo(cadre), 'case_found');
  assert.equal(k.count, before + 4);
  assert.equal(k.preview.length, 3, 'the preview is three rows');
  assert.equal(k.count, await listTotal(cadre, LIST_OF.case_found));
  assert.equal(k.route, '/cases?state=found');
});

test('a leave asked for shows in the approver\'s 待办 and leaves it when decided', async () => {
  const cadre = await as('cadre1');
  const sec = await as('shazhouba_sec');
  const before = kind(await todo(sec), 'leave')?.count || 0;
  const r = await api('POST', '/api/v1/leaves', { session: cadre, body: {
    type: 'personal', reason: '家中有事', start_date: today(112), end_date: today(113) } }); // days no other test file asks for
  assert.equal(r.status, 201, r.text);
  const k = kind(await todo(sec), 'leave');
  assert.equal(k.count, before + 1);
  assert.equal(k.title, '请假待审批');
  assert.equal(k.count, await listTotal(sec, LIST_OF.leave));
  const c = await api('POST', `/api/v1/leaves/${r.body.id}/cancel`, { session: cadre, body: {} });
  assert.equal(c.status, 200, c.text);
  assert.equal(kind(await todo(sec), 'leave')?.count || 0, before);
});

test('a vacancy past its deadline shows the day missed and the days late', async () => {
  const org = await as('ruijin_org');
  const id = sql(`SELECT id FROM vacancy WHERE filled_on IS NULL ORDER BY deadline, id LIMIT 1`);
  assert.ok(id, 'the demo has an open vacancy');
  const deadline = sql(`SELECT deadline FROM vacancy WHERE id = ${id}`);
  try {
    sql(`UPDATE vacancy SET deadline = '${today(-3)}' WHERE id = ${id}`);
    const k = kind(await todo(org), 'vacancy');
    assert.equal(k.due, today(-3));
    assert.equal(k.days_late, 3);
    assert.equal(k.overdue, await listTotal(org, '/api/v1/vacancies?status=overdue'));
    assert.ok(k.overdue >= 1);
    assert.equal(k.preview[0].days_late, 3);
  } finally {
    sql(`UPDATE vacancy SET deadline = '${deadline}' WHERE id = ${id}`);
  }
  const k = kind(await todo(org), 'vacancy');
  assert.equal(k.days_late, 0, 'not late before the deadline');
});

test('administrators have an empty 待办, not a refusal; no session is 401', async () => {
  for (const u of ['sysadmin', 'secadmin', 'auditadmin']) {
    const t = await todo(await as(u));
    assert.deepEqual(t.items, [], u);
    assert.equal(t.total, 0);
  }
  assert.equal((await api('GET', '/api/v1/me/todo')).status, 401);
});

test('下级未完成 is grouped by duty over every missing item, not the first 50', async () => {
  for (const user of ['city_org', 'ruijin_org']) {
    const r = await api('GET', '/api/v1/obligations/mine', { session: await as(user) });
    assert.equal(r.status, 200, r.text);
    const below = r.body.below;
    assert.ok(below && Array.isArray(below.groups), `${user}: below.groups`);
    const sum = below.groups.reduce((n, g) => n + g.count, 0);
    assert.equal(sum, below.total, `${user}: the groups add up to every missing item (${below.total})`);
    assert.ok(below.items.length <= 50);
    // each duty's count is what the cells of that duty hold
    for (const g of below.groups) {
      assert.ok(g.parties >= g.party_names.length && g.party_names.length <= 6 && g.count >= g.parties);
      assert.ok(g.action_zh && g.clause);
    }
    if (below.total > below.items.length) {
      const counted = below.groups.filter((g) => g.count > below.items.filter((c) => c.obligation === g.obligation).length);
      assert.ok(counted.length > 0, `${user}: some duty counts reach beyond the first page`);
    }
    for (let i = 1; i < below.groups.length; i++) assert.ok(below.groups[i - 1].count >= below.groups[i].count, 'largest first');
  }
});

test('风险消除: a case whose closure 公示 is under way waits on the county RRB\'s 审核确认 (5.7)', async () => {
  const rrb = await as('ruijin_rrb');
  const before = kind(await todo(rrb), 'case_close_noticed')?.count || 0;
  const h = await importHousehold();
  const c = await monitoredCase(h.id);
  await closingCase(c.id);
  const k = kind(await todo(rrb), 'case_close_noticed');
  assert.ok(k, 'the confirmation is in the RRB\'s 待办');
  assert.equal(k.count, before + 1);
  assert.equal(k.count, await listTotal(rrb, LIST_OF.case_close_noticed));
  assert.equal(k.title, '风险消除待县级审核确认');
  assert.ok(!kind(await todo(await as('ruijin_org')), 'case_close_noticed'), 'not the organization department\'s');
});
