// 批阅 (2.1 工作报告制度; 2.4 乡镇党委书记要直接抓驻村干部平时管理; 3.1 派出单位跟踪管理): the township
// comments on, returns with a reason, or accepts a work report or a work log; the dispatching unit
// reads and may comment but does not decide; the cadre revises a returned item and sends it again,
// the returned text kept as a version. pending → returned → resubmitted → accepted; a second accept,
// a return of an accepted report, a resubmission of what nobody returned: 409. Another township: 404.
// The monthly view's totals are the sums of its own rows and agree with the lists.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError } from './lib.mjs';
import { today } from '../clock.mjs';

let cadre, sec, otherSec, org, unitUser;

async function freeReport(text) {
  const r = await api('GET', '/api/v1/reports?page_size=200', { session: cadre });
  const used = new Set(r.body.items.map((x) => `${x.from}/${x.to}`));
  for (let start = -400; start <= -1; start++) {
    const p = { from: today(start), to: today(start) };
    if (used.has(`${p.from}/${p.to}`)) continue;
    const s = await api('POST', '/api/v1/reports', { session: cadre, body: { ...p, text } });
    assert.equal(s.status, 201, s.text);
    return s.body;
  }
  throw new Error('no free period');
}

const review = (session, id, body, kind = 'reports') => api('POST', `/api/v1/${kind}/${id}/review`, { session, body });

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  otherSec = await as('xianghu_sec');
  org = await as('ruijin_org');
  unitUser = await as('unit_leader1');
});

test('a report: returned with a reason, revised, resubmitted, accepted; both versions kept', async () => {
  const rp = await freeReport('第一稿：本期走访农户 3 户。');
  assert.equal(rp.review_state, 'pending');
  assertError(await review(sec, rp.id, { action: 'return' }), 400, 'field_required', 'text');
  assertError(await review(sec, rp.id, { action: 'return', text: '   ' }), 400, 'field_required', 'text');
  assertError(await review(sec, rp.id, { action: 'approve' }), 400, 'field_invalid', 'action');
  const back = await review(sec, rp.id, { action: 'return', text: '请写明走访发现的问题和解决办法' });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.review_state, 'returned');
  assert.ok(back.body.read_by_township, 'returning is reading');
  assert.equal(back.body.notes.at(-1).action, 'return');
  assert.equal(back.body.notes.at(-1).text, '请写明走访发现的问题和解决办法');
  // a second return and an accept while it waits on the cadre: 409
  assertError(await review(sec, rp.id, { action: 'return', text: '再退' }), 409, 'already_returned', 'action');
  assertError(await review(sec, rp.id, { action: 'accept' }), 409, 'already_returned', 'action');
  // the cadre sees the reason in 待办
  const todo = await api('GET', '/api/v1/me/todo', { session: cadre });
  const mine = todo.body.items.find((i) => i.kind === 'report_returned');
  assert.ok(mine && mine.count >= 1, JSON.stringify(todo.body));
  const returnedList = await api('GET', '/api/v1/reports?review=returned&page_size=1', { session: cadre });
  assert.equal(mine.count, returnedList.body.total);
  // revised and sent again
  const again = await api('PUT', `/api/v1/reports/${rp.id}`, { session: cadre, body: { text: '第二稿：走访 3 户，发现 1 户住房漏雨，已协调修缮。' } });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.review_state, 'resubmitted');
  assert.equal(again.body.versions.length, 1);
  assert.equal(again.body.versions[0].text, '第一稿：本期走访农户 3 户。');
  assert.equal(again.body.versions[0].revision, 0);
  assert.equal(again.body.notes.at(-1).action, 'resubmit');
  // waiting for the township again
  const waiting = await api('GET', '/api/v1/reports?review=waiting&page_size=200', { session: sec });
  assert.ok(waiting.body.items.some((x) => x.id === rp.id));
  const secTodo = await api('GET', '/api/v1/me/todo', { session: sec });
  const rv = secTodo.body.items.find((i) => i.kind === 'report_review');
  assert.equal(rv.count, waiting.body.total);
  const ok = await review(sec, rp.id, { action: 'accept', text: '内容翔实，同意' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.review_state, 'accepted');
  // double submission: accepting twice, returning, revising an accepted report
  assertError(await review(sec, rp.id, { action: 'accept' }), 409, 'already_accepted', 'action');
  assertError(await review(sec, rp.id, { action: 'return', text: '重看' }), 409, 'already_accepted', 'action');
  assertError(await api('PUT', `/api/v1/reports/${rp.id}`, { session: cadre, body: { text: '第三稿' } }), 409, 'already_accepted', 'action');
  // a comment is still welcome and changes nothing
  const c = await review(sec, rp.id, { action: 'comment', text: '可在村民大会上通报' });
  assert.equal(c.status, 200);
  assert.equal(c.body.review_state, 'accepted');
  assert.deepEqual(c.body.notes.map((n) => n.action), ['return', 'resubmit', 'accept', 'comment']);
});

test('roles and scope: the unit comments only, the county and the cadre do not review, another township 404', async () => {
  const rp = await freeReport('单位留言用报告');
  const uc = await review(unitUser, rp.id, { action: 'comment', text: '单位已阅，注意安全' });
  assert.equal(uc.status, 200, uc.text);
  assert.equal(uc.body.notes[0].reader, 'unit');
  assert.equal(uc.body.review_state, 'pending');
  assertError(await review(unitUser, rp.id, { action: 'accept' }), 403, 'forbidden', 'action');
  assertError(await review(unitUser, rp.id, { action: 'return', text: '退回' }), 403, 'forbidden', 'action');
  assertError(await review(org, rp.id, { action: 'accept' }), 403, 'forbidden');
  assertError(await review(cadre, rp.id, { action: 'accept' }), 403, 'forbidden');
  assertError(await review(otherSec, rp.id, { action: 'accept' }), 404, 'not_found');
  assertError(await review(otherSec, rp.id, { action: 'comment', text: '越界' }), 404, 'not_found');
  // a revision before any review keeps the state
  const r2 = await api('PUT', `/api/v1/reports/${rp.id}`, { session: cadre, body: { text: '单位留言用报告（补充）' } });
  assert.equal(r2.body.review_state, 'pending');
  assert.equal(r2.body.versions.length, 1);
});

test('a log: returned, revised by its cadre only when returned, accepted', async () => {
  const w = await api('POST', '/api/v1/logs', { session: cadre, body: { date: today(0), duty: 'governance', text: '调解邻里纠纷一起' } });
  assert.equal(w.status, 201, w.text);
  const id = w.body.id;
  assertError(await api('PUT', `/api/v1/logs/${id}`, { session: cadre, body: { text: '改' } }), 409, 'not_returned');
  assertError(await review(otherSec, id, { action: 'return', text: '越界' }, 'logs'), 404, 'not_found');
  const back = await review(sec, id, { action: 'return', text: '写明纠纷双方和结果' }, 'logs');
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.review_state, 'returned');
  const todo = await api('GET', '/api/v1/me/todo', { session: cadre });
  const lr = todo.body.items.find((i) => i.kind === 'log_returned');
  const list = await api('GET', '/api/v1/logs?review=returned&page_size=1', { session: cadre });
  assert.equal(lr.count, list.body.total);
  assertError(await api('PUT', `/api/v1/logs/${id}`, { session: sec, body: { text: '代改' } }), 403, 'forbidden');
  const fixed = await api('PUT', `/api/v1/logs/${id}`, { session: cadre, body: { text: '调解张、李两户宅基地纠纷，双方签订协议' } });
  assert.equal(fixed.status, 200, fixed.text);
  assert.equal(fixed.body.review_state, 'resubmitted');
  assert.equal(fixed.body.versions[0].text, '调解邻里纠纷一起');
  assertError(await api('PUT', `/api/v1/logs/${id}`, { session: cadre, body: { text: '再改' } }), 409, 'not_returned');
  const ok = await review(sec, id, { action: 'accept' }, 'logs');
  assert.equal(ok.body.review_state, 'accepted');
  assertError(await review(sec, id, { action: 'accept' }, 'logs'), 409, 'already_accepted', 'action');
});

test('the monthly view: totals are the sums of its rows and agree with the lists', async () => {
  const month = today(0).slice(0, 7);
  assertError(await api('GET', '/api/v1/reviews/month?month=2026-13', { session: sec }), 400, 'field_invalid', 'month');
  assertError(await api('GET', '/api/v1/reviews/month', { session: cadre }), 403, 'forbidden');
  const r = await api('GET', `/api/v1/reviews/month?month=${month}`, { session: sec });
  assert.equal(r.status, 200, r.text);
  const rows = r.body.items;
  const sum = (k) => rows.reduce((a, x) => a + x[k], 0);
  assert.equal(r.body.totals.cadres, rows.length);
  assert.equal(r.body.totals.wrote_nothing, rows.filter((x) => x.wrote_nothing).length);
  assert.equal(r.body.totals.returned, sum('returned'));
  assert.equal(r.body.totals.notes, rows.reduce((a, x) => a + x.notes.length, 0));
  for (const x of rows) assert.equal(x.wrote_nothing, x.logs === 0 && x.reports === 0);
  const me = rows.find((x) => x.cadre_id === cadre.user.cadre_id);
  assert.ok(me, 'cadre1 is in post in the township this month');
  const logs = await api('GET', `/api/v1/logs?cadre=${cadre.user.cadre_id}&from=${r.body.from}&to=${r.body.to}&page_size=1`, { session: sec });
  assert.equal(me.logs, logs.body.total);
  assert.ok(me.returned >= 1, 'the log returned this month is counted');
  assert.ok(me.notes.some((n) => n.text === '写明纠纷双方和结果' && n.author), JSON.stringify(me.notes));
  // another township's view does not hold cadre1
  const other = await api('GET', `/api/v1/reviews/month?month=${month}`, { session: otherSec });
  assert.ok(!other.body.items.some((x) => x.cadre_id === cadre.user.cadre_id));
  // the county sees the township's rows too
  const county = await api('GET', `/api/v1/reviews/month?month=${month}`, { session: org });
  assert.ok(county.body.items.some((x) => x.cadre_id === cadre.user.cadre_id));
});
