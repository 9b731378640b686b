// 每日汇总 and 发送限额 (issue 13, part 1). A local receiver plays a WeCom group robot and keeps each message
// once by its X-Zhucun-Idempotency-Key. The servers run on one copy of the suite's database at instants
// around a digest time (serveAt); the sender reads the running clock, so 08:00 comes a few seconds after a
// server pinned at 07:59:35 starts. A cadre who chose the digest for 请假审批结果 gets nothing on the robot
// before 08:00 and one 今日待办提醒 gathering three notices at 08:00 — the in-app message at once, as ever;
// a restart the same day (even with the marks lost) sends no second one; the next day gathers the notice
// that came after 08:00. A channel limited to 2 messages a window sends 5 messages 2+2+1, none lost; an
// account limited to 1 a window gets its 3 one by one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { api, copyDb, login, serveAt, sqlite, DEMO_PASSWORD } from './lib.mjs';
import { today } from '../clock.mjs';

// a free port unless one is named: a fixed one clashes with this file run at the same time by another suite
let RECEIVER_PORT = Number(process.env.ZHUCUN_DIGEST_RECEIVER_PORT || 0);
const KEY = 'digest-test-0000-4bc4-97a0-0ec2sifa5aaa';

const got = new Map(); // idempotency key -> content
let hits = 0;
let receiver;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const messages = (re) => [...got.values()].filter((c) => re.test(c));

let dbPath, server, admin, cadre, sec, dayOffset = 200;
const q = (sql) => {
  const r = sqlite(dbPath, sql);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
async function until(what, pred, seconds = 60) {
  for (let i = 0; i < seconds * 5; i++) { if (pred()) return; await sleep(200); }
  assert.fail(`waited ${seconds} s for ${what}: ${JSON.stringify([...got.values()].slice(-4))}`);
}
async function start(instant) {
  if (server) await server.stop();
  server = await serveAt(dbPath, instant);
  admin = await login('sysadmin', DEMO_PASSWORD, server.url);
  cadre = await login('cadre1', DEMO_PASSWORD, server.url);
  sec = await login('shazhouba_sec', DEMO_PASSWORD, server.url);
}
const settings = (s) => api('PUT', '/api/v1/notification-settings', { session: admin, base: server.url, body: {
  max_attempts: 30, backoff_seconds: 1, backoff_max_seconds: 2, timeout_seconds: 2, quiet_start: '', quiet_end: '', ...s } });
async function leave(decide) {
  const day = today(dayOffset);
  dayOffset += 2;
  const r = await api('POST', '/api/v1/leaves', { session: cadre, base: server.url,
    body: { type: 'personal', reason: '家中有事', start_date: day, end_date: day } });
  assert.equal(r.status, 201, r.text);
  if (!decide) return;
  const d = await api('POST', `/api/v1/leaves/${r.body.id}/decision`, { session: sec, base: server.url, body: { decision: 'approve' } });
  assert.equal(d.status, 200, d.text);
}

before(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      hits += 1;
      const key = req.headers['x-zhucun-idempotency-key'];
      const content = JSON.parse(body).text.content;
      if (!got.has(key)) got.set(key, content);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise((resolve) => receiver.listen(RECEIVER_PORT, '127.0.0.1', () => { RECEIVER_PORT = receiver.address().port; resolve(); }));
  dbPath = copyDb('digest.db');
  q('DELETE FROM outbox; DELETE FROM notification_channel');
});

after(async () => {
  if (server) await server.stop();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

test('每日汇总: nothing on the robot before the digest time, then one message gathering the day\'s notices', async () => {
  await start(`${today(1)}T07:59:35+08:00`);
  const s = await settings({ digest_time: '08:00' });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.settings.digest_time, '08:00');
  const bad = await settings({ digest_time: '8点' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'digest_time');
  const ch = await api('POST', '/api/v1/notification-channels', { session: admin, base: server.url,
    body: { kind: 'wecom', name: '瑞金市驻村工作企业微信群', webhook: `http://127.0.0.1:${RECEIVER_PORT}/cgi-bin/webhook/send?key=${KEY}` } });
  assert.equal(ch.status, 201, ch.text);
  const p = await api('PUT', '/api/v1/notifications/preferences', { session: cadre, base: server.url,
    body: { kinds: [{ kind: 'leave_decided', robots: true, digest: true }] } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.kinds.find((k) => k.kind === 'leave_decided').digest, true);
  assert.equal(p.body.kinds.find((k) => k.kind === 'leave_pending').digest, false);

  for (let i = 0; i < 3; i++) await leave(true);
  // the approvers' 请假待审批 go at once (the sender is running); the cadre's results wait
  await until('three 请假待审批 on the robot', () => messages(/请假待审批/).length === 3, 20);
  await sleep(800);
  assert.equal(messages(/请假已批准|今日待办提醒/).length, 0, 'nothing of the digest kind before 08:00');
  const inbox = await api('GET', '/api/v1/notifications?unread=1', { session: cadre, base: server.url });
  assert.equal(inbox.status, 200);
  assert.ok(inbox.body.items.filter((n) => n.title === '请假已批准').length >= 3, 'the in-app messages arrive at once');
  assert.equal(q('SELECT count(*) FROM notification_digest WHERE digested_day IS NULL'), '3');

  await until('the digest at 08:00', () => messages(/今日待办提醒/).length === 1, 60);
  const [digest] = messages(/今日待办提醒/);
  assert.match(digest, /共 3 条/);
  assert.equal((digest.match(/请假已批准/g) || []).length, 3);
  assert.equal(messages(/^【请假已批准】/).length, 0, 'no result pushed one by one');
  assert.equal(q(`SELECT count(*) FROM notification_digest WHERE digested_day = '${today(1)}'`), '3');
});

test('a restart the same day sends no second digest, even with the marks lost; the next day gathers the rest', async () => {
  q('UPDATE notification_digest SET digested_day = NULL'); // as if the marks were lost: the outbox key still holds
  await start(`${today(1)}T08:00:05+08:00`);
  await leave(true); // after 08:00: waits for tomorrow's digest
  await until('the new 请假待审批', () => messages(/请假待审批/).length === 4, 20);
  await sleep(1500);
  assert.equal(messages(/今日待办提醒/).length, 1);
  assert.equal(q(`SELECT count(*) FROM outbox WHERE idem_key LIKE 'digest-%'`), '1');
  assert.equal(q(`SELECT count(*) FROM notification_digest WHERE digested_day = '${today(1)}'`), '3');
  assert.equal(q('SELECT count(*) FROM notification_digest WHERE digested_day IS NULL'), '1');

  await start(`${today(2)}T08:00:00+08:00`);
  await until('the next day\'s digest', () => messages(/今日待办提醒/).length === 2, 30);
  assert.match(messages(/今日待办提醒/)[1], /共 1 条/);
  assert.equal(q('SELECT count(*) FROM notification_digest WHERE digested_day IS NULL'), '0');
});

test('发送限额: at most 2 messages a window on a channel: 5 messages go 2+2+1, none lost', async () => {
  await start(`${today(3)}T10:00:00+08:00`);
  // quiet hours hold the messages until all five wait; then the limit alone paces them
  assert.equal((await settings({ quiet_start: '00:00', quiet_end: '23:59' })).status, 200);
  const first = Number(q('SELECT coalesce(max(id), 0) FROM outbox')) + 1;
  for (let i = 0; i < 5; i++) await leave(false);
  assert.equal(q(`SELECT count(*) FROM outbox WHERE id >= ${first} AND status = 'pending'`), '5');
  const bad = await settings({ channel_limit: -1 });
  assert.equal(bad.status, 400);
  const s = await settings({ channel_limit: 2, channel_window_seconds: 3 });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.settings.channel_limit, 2);
  await until('five messages sent', () => q(`SELECT count(*) FROM outbox WHERE id >= ${first} AND status = 'sent'`) === '5', 40);
  const windows = q(`SELECT sent_at / 3, count(*) FROM outbox WHERE id >= ${first} GROUP BY 1 ORDER BY 1`)
    .split('\n').map((l) => Number(l.split('|')[1]));
  assert.ok(windows.every((n) => n <= 2), `at most 2 a window: ${windows}`);
  assert.ok(windows.length >= 3, `across three windows at least: ${windows}`);
  assert.equal(messages(/请假待审批/).length, 9, 'all five arrived, none lost');
  assert.equal(q(`SELECT count(*) FROM outbox WHERE id >= ${first} AND attempts <> 1`), '0', 'held back, not failed');
  assert.equal((await settings({ channel_limit: 0 })).status, 200);
});

test('发送限额: at most 1 robot message a window per account: 3 messages to the same approvers go 1+1+1', async () => {
  assert.equal((await settings({ quiet_start: '00:00', quiet_end: '23:59' })).status, 200);
  const first = Number(q('SELECT coalesce(max(id), 0) FROM outbox')) + 1;
  for (let i = 0; i < 3; i++) await leave(false);
  const s = await settings({ user_limit: 1, user_window_seconds: 3 });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.settings.channel_limit, 0, 'a field left out keeps its value');
  await until('three messages sent', () => q(`SELECT count(*) FROM outbox WHERE id >= ${first} AND status = 'sent'`) === '3', 40);
  const windows = q(`SELECT sent_at / 3, count(*) FROM outbox WHERE id >= ${first} GROUP BY 1 ORDER BY 1`)
    .split('\n').map((l) => Number(l.split('|')[1]));
  assert.deepEqual(windows, [1, 1, 1]);
  assert.equal(messages(/请假待审批/).length, 12, 'all three arrived, none lost');
});
