// 上报材料 (issue #12 part 3): a township's 月报 to its county, a county's to the city. The figures
// are the pages' own (在村情况, 履职监督, 经费保障, 培训管理, 入户走访, 监测帮扶, 帮扶计划) for the same
// region and period; frozen when submitted. draft → submitted → received, or returned with a reason
// → edited → submitted again; a stale version: 409; another township's report: 404; a township
// receiving: 403; bad input: 400 with the field. The level above sees who has not reported (未报),
// counted by the same query as its list; 待办 shows what is due and what waits to be received.
// Tests run at 2026-06-10: the last whole month is 2026-05, the demo's 沙洲坝镇 and 瑞金市 reported it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, login } from './lib.mjs';

const PERIOD = '2026-05';
let xianghu, shazhouba, org, city, unitUser, cadre;

const list = (session, q = '') => api('GET', `/api/v1/upward-reports?kind=monthly&period=${PERIOD}${q}`, { session });
const step = (session, id, action, body) => api('POST', `/api/v1/upward-reports/${id}/${action}`, { session, body });

before(async () => {
  xianghu = await as('xianghu_sec');
  shazhouba = await as('shazhouba_sec');
  org = await as('ruijin_org');
  city = await as('city_org');
  unitUser = await as('unit_leader1');
  cadre = await as('cadre1');
});

test('the demo: 沙洲坝镇 reported last month and 瑞金市 received it; 瑞金市 sent its own to the city', async () => {
  const own = await list(shazhouba, '&view=own');
  assert.equal(own.status, 200, own.text);
  assert.equal(own.body.total, 1);
  assert.equal(own.body.items[0].state, 'received');
  assert.equal(own.body.period_name, '2026年5月');
  assert.equal(own.body.due, '2026-06-05');
  const inbox = await list(city, '&view=inbox');
  const ruijin = inbox.body.items.find((r) => r.region_code === '360781');
  assert.equal(ruijin.state, 'submitted');
  assert.equal(ruijin.state_name, '已报送');
  // the city sees which counties have not reported: the 未报 rows are the list's own, and so are the counts
  const missing = await list(city, '&view=inbox&state=unreported&page_size=200');
  assert.equal(missing.body.total, inbox.body.summary.unreported);
  assert.equal(inbox.body.summary.regions, inbox.body.total);
  assert.ok(missing.body.items.every((r) => r.region_level === 'county' && r.state_name === '未报'));
  assert.ok(!missing.body.items.some((r) => r.region_code === '360781'));
  assert.equal(inbox.body.summary.submitted + inbox.body.summary.received + inbox.body.summary.returned +
               inbox.body.summary.unreported, inbox.body.total);
});

test('a township drafts, edits, submits; the county returns it, it is resubmitted and received; figures frozen', async () => {
  // before: 象湖镇 is on 瑞金市's 未报 list, and its own 待办 says the report is due
  const before = await list(org, '&view=inbox&state=unreported&page_size=200');
  assert.ok(before.body.items.some((r) => r.region_code === '360781100'), before.text);
  const todo0 = await api('GET', '/api/v1/me/todo', { session: xianghu });
  const due = todo0.body.items.find((i) => i.kind === 'upward_due' && i.route.includes(PERIOD));
  assert.ok(due, JSON.stringify(todo0.body.items.map((i) => i.kind)));
  assert.equal(due.count, 1);
  assert.equal(due.title, '上报材料待报送');

  const made = await api('POST', '/api/v1/upward-reports', { session: xianghu, body: { kind: 'monthly', period: PERIOD } });
  assert.equal(made.status, 201, made.text);
  const r = made.body;
  assert.equal(r.status, 'draft');
  assert.equal(r.region_name, '象湖镇');
  assert.equal(r.receiver_code, '360781');
  assert.ok(r.figures_live);
  assert.match(r.work_text, /象湖镇/);
  assert.match(r.work_text, new RegExp(`期末在岗驻村干部 ${r.figures.cadres} 人`));
  assertError(await api('POST', '/api/v1/upward-reports', { session: xianghu, body: { kind: 'monthly', period: PERIOD } }),
              409, 'duplicate', 'period');
  // a draft is still 未报 for the county
  const still = await list(org, '&view=inbox&state=unreported&page_size=200');
  assert.ok(still.body.items.some((x) => x.region_code === '360781100'));

  const edited = await api('PUT', `/api/v1/upward-reports/${r.id}`, { session: xianghu,
    body: { version: r.version, work_text: r.work_text + '\n另：本月召开队长例会一次。', problems_text: '无', plans_text: '继续走访' } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.version, r.version + 1);
  // stale: the version read before the edit
  assertError(await api('PUT', `/api/v1/upward-reports/${r.id}`, { session: xianghu,
    body: { version: r.version, work_text: 'x', problems_text: 'x', plans_text: 'x' } }), 409, 'stale', 'version');
  assertError(await step(xianghu, r.id, 'submit', { version: r.version }), 409, 'stale', 'version');
  // the county cannot receive a draft, nor edit the township's text
  assertError(await step(org, r.id, 'receive', { version: edited.body.version }), 409, 'stale', 'version');
  assertError(await api('PUT', `/api/v1/upward-reports/${r.id}`, { session: org,
    body: { version: edited.body.version, work_text: 'x', problems_text: 'x', plans_text: 'x' } }), 403, 'forbidden', null);

  const sent = await step(xianghu, r.id, 'submit', { version: edited.body.version });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.body.status, 'submitted');
  assert.equal(sent.body.figures_live, false);
  assert.deepEqual(sent.body.figures, edited.body.figures, 'the figures frozen are those the draft showed');
  assertError(await step(xianghu, r.id, 'submit', { version: sent.body.version }), 409, 'stale', 'version');
  // another township: not found; the township itself cannot receive its own report
  assertError(await api('GET', `/api/v1/upward-reports/${r.id}`, { session: shazhouba }), 404, 'not_found', null);
  assertError(await step(xianghu, r.id, 'receive', { version: sent.body.version }), 403, 'forbidden', null);
  // the county's 待办: one to receive, counted by the inbox list
  const todo1 = await api('GET', '/api/v1/me/todo', { session: org });
  const toRead = todo1.body.items.find((i) => i.kind === 'upward_receive' && i.route.includes(`period=${PERIOD}`));
  const submittedList = await list(org, '&view=inbox&state=submitted');
  assert.ok(toRead, JSON.stringify(todo1.body.items.map((i) => i.kind)));
  assert.equal(toRead.count, submittedList.body.total);
  assert.ok(toRead.preview.some((p) => p.label === '象湖镇'));

  // returned with a reason (a reason is required)
  assertError(await step(org, r.id, 'return', { version: sent.body.version }), 400, 'field_required', 'reason');
  assertError(await step(org, r.id, 'return', { version: sent.body.version, reason: '' }), 400, 'field_required', 'reason');
  const back = await step(org, r.id, 'return', { version: sent.body.version, reason: '请补充存在问题的具体情况' });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.status, 'returned');
  assert.equal(back.body.return_reason, '请补充存在问题的具体情况');
  assert.equal(back.body.can_edit, false, 'the county does not edit it');
  const todo2 = await api('GET', '/api/v1/me/todo', { session: xianghu });
  assert.ok(todo2.body.items.find((i) => i.kind === 'upward_returned'), JSON.stringify(todo2.body.items));

  const fixed = await api('PUT', `/api/v1/upward-reports/${r.id}`, { session: xianghu,
    body: { version: back.body.version, work_text: back.body.work_text, problems_text: '有 2 户未走访，已安排补访。', plans_text: '继续走访' } });
  assert.equal(fixed.status, 200, fixed.text);
  const again = await step(xianghu, r.id, 'submit', { version: fixed.body.version });
  assert.equal(again.body.status, 'submitted');
  const got = await step(org, r.id, 'receive', { version: again.body.version });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.body.status, 'received');
  assert.equal(got.body.received_by_name.length > 0, true);
  assertError(await step(org, r.id, 'receive', { version: got.body.version }), 409, 'stale', 'version');
  const after = await list(org, '&view=inbox&state=unreported&page_size=200');
  assert.ok(!after.body.items.some((x) => x.region_code === '360781100'));
  assert.equal(after.body.total, before.body.total - 1);

  // every step in the audit log, in words
  const audit = await api('GET', `/api/v1/audit?entity=upward_report&entity_id=${r.id}&page_size=50`, { session: await as('auditadmin') });
  const actions = (audit.body?.items || []).map((a) => a.action);
  for (const a of ['upward_report.create', 'upward_report.edit', 'upward_report.submit', 'upward_report.return', 'upward_report.receive'])
    assert.ok(actions.includes(a), `${a} in ${JSON.stringify(actions)}`);
});

test('the figures are the pages\' own for the same region and period', async () => {
  // 象湖镇's report of the test before: submitted (frozen) in this file, nothing of 象湖镇 changed since —
  // the demo's own reports were frozen when the demo was made, before the other files' records
  const own = await list(xianghu, '&view=own');
  const id = own.body.items[0].report_id;
  const r = (await api('GET', `/api/v1/upward-reports/${id}`, { session: xianghu })).body;
  const f = r.figures;
  const presence = await api('GET', `/api/v1/presence?month=${PERIOD}&page_size=200`, { session: xianghu });
  const touching = presence.body.items.filter((p) => p.period_first);
  assert.equal(f.presence.posts, touching.length);
  assert.equal(f.presence.meets, touching.filter((p) => p.meets_minimum).length);
  assert.equal(f.presence.days_in_village, touching.reduce((s, p) => s + p.days_in_village, 0));
  assert.equal(f.cadres, new Set(touching.map((p) => p.cadre_id)).size);
  const comp = await api('GET', `/api/v1/compliance?from=2026-05-01&to=2026-05-31`, { session: xianghu });
  assert.equal(f.duties.expected, comp.body.totals.expected);
  assert.equal(f.duties.done, comp.body.totals.done);
  assert.equal(f.duties.missing, comp.body.totals.missing);
  const funds = await api('GET', '/api/v1/team-funds?year=2026', { session: xianghu });
  assert.equal(f.funds.teams, funds.body.summary.teams);
  assert.equal(f.funds.below_min, funds.body.summary.below_min);
  const training = await api('GET', '/api/v1/training-coverage?year=2026&page_size=1', { session: xianghu });
  assert.equal(f.training.cadres, training.body.total);
  const untrained = await api('GET', '/api/v1/training-coverage?year=2026&status=untrained&page_size=1', { session: xianghu });
  assert.equal(f.training.trained, training.body.total - untrained.body.total);
  const visits = await api('GET', `/api/v1/visits/coverage?from=2026-05-01&to=2026-05-31`, { session: xianghu });
  assert.equal(f.visits.households, visits.body.total.total);
  assert.equal(f.visits.visited, visits.body.total.visited);
  const open = await api('GET', '/api/v1/cases?state=open&page_size=1', { session: xianghu });
  assert.equal(f.cases.open_now, open.body.total);
  const plans = await api('GET', '/api/v1/plans?year=2026&page_size=1', { session: xianghu });
  assert.equal(f.plans.plans, plans.body.total);
  // the county reads the township's report with the same figures (frozen), not its own county-wide ones
  const seen = await api('GET', `/api/v1/upward-reports/${id}`, { session: org });
  assert.deepEqual(seen.body.figures, f);
  // and the xlsx of the period for the level above
  const x = await api('GET', `/api/v1/upward-reports?kind=monthly&period=${PERIOD}&view=inbox&format=xlsx`, { session: org });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString(), 'PK');
});

test('bad input and the wrong roles', async () => {
  const post = (session, body) => api('POST', '/api/v1/upward-reports', { session, body });
  assertError(await post(xianghu, { kind: 'weekly', period: PERIOD }), 400, 'field_invalid', 'kind');
  assertError(await post(xianghu, { kind: 'monthly', period: '2026-13' }), 400, 'field_invalid', 'period');
  assertError(await post(xianghu, { kind: 'half_year', period: '2026-05' }), 400, 'field_invalid', 'period');
  assertError(await post(xianghu, { kind: 'monthly' }), 400, 'field_required', 'period');
  assertError(await post(xianghu, { kind: 'monthly', period: PERIOD, extra: 1 }), 400, 'field_unknown', 'extra');
  // a period not yet over: nothing to report
  assertError(await post(xianghu, { kind: 'monthly', period: '2026-06' }), 400, 'period_open', 'period');
  assertError(await post(xianghu, { kind: 'half_year', period: '2026-H1' }), 400, 'period_open', 'period');
  assertError(await list(xianghu, '&view=everything'), 400, 'field_invalid', 'view');
  assertError(await list(xianghu, '&state=lost'), 400, 'field_invalid', 'state');
  // the city receives, it does not report; units and cadres have no 上报材料
  assertError(await post(city, { kind: 'monthly', period: PERIOD }), 403, 'forbidden', null);
  assertError(await list(unitUser), 403, 'forbidden', null);
  assertError(await list(cadre), 403, 'forbidden', null);
  // a township sees only its own row; the county its own and its townships'
  const t = await list(xianghu, '&page_size=200');
  assert.deepEqual(t.body.items.map((r) => r.region_code), ['360781100']);
  const c = await list(org, '&page_size=200');
  assert.ok(c.body.items.every((r) => r.region_code === '360781' || r.parent_code === '360781'));
  assert.ok(c.body.items.some((r) => r.region_code === '360781'));
  // a county deputy of another county cannot read 瑞金市's report
  const other = await createUser({ role: 'org_county', region_code: '360702' });
  const s = await login(other.username, other.password);
  const own = await list(city, '&view=inbox');
  const rj = own.body.items.find((r) => r.region_code === '360781');
  assertError(await api('GET', `/api/v1/upward-reports/${rj.report_id}`, { session: s }), 404, 'not_found', null);
  // a stale receive by the city, then the real one
  assertError(await step(city, rj.report_id, 'receive', { version: rj.version - 1 }), 409, 'stale', 'version');
  assertError(await step(city, rj.report_id, 'receive', {}), 400, 'field_required', 'version');
});
