// 短信 and 企业微信应用消息 (issue 13, part 1): a local receiver plays an HTTP SMS gateway and WeCom's API
// (gettoken, message/send). SMS: one request per message with the administrator's template filled in with
// the cadre's phone and a text of at most 70 characters, the auth header present, nothing sent in quiet
// hours (held, then sent). WeCom: the token fetched once and reused, body in WeCom's documented format,
// errcode 42001 (token expired) answered by one new token and one retry. The per-kind choice (接收设置)
// turns SMS off. Neither secret appears in an API answer or the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { api, copyDb, login, serveAt, sqlite, DEMO_PASSWORD } from './lib.mjs';
import { NOW, today } from '../clock.mjs';

const SMS_AUTH = 'Bearer sms-gateway-secret-7f3a9c';
const CORPSECRET = 'corpsecret-Zx81kQ-2b7d44';
const CORPID = 'ww5a1c2b3d4e5f6a7b';
const AGENTID = 1000002;
const TEMPLATE = '{"mobile":"{phone}","content":"{text}","sign":"驻村帮扶"}';

// ---- the receiver ----
const sms = [];             // {auth, key, body}
const wecom = [];           // {token, key, body}
const tokens = [];          // tokens handed out by gettoken
let expireNext = false;     // answer the next message/send with 42001
const bad = [];
let receiver, port;

function handle(req, body, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const json = (o) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
  if (url.pathname === '/sms/send' && req.method === 'POST') {
    let msg;
    try { msg = JSON.parse(body); } catch { bad.push(`sms body ${body}`); }
    sms.push({ auth: req.headers.authorization, key: req.headers['x-zhucun-idempotency-key'], body: msg });
    return res.writeHead(200).end('{"code":0}');
  }
  if (url.pathname === '/cgi-bin/gettoken' && req.method === 'GET') {
    if (url.searchParams.get('corpid') !== CORPID || url.searchParams.get('corpsecret') !== CORPSECRET) {
      bad.push(`gettoken ${url.search}`);
      return json({ errcode: 40001, errmsg: 'invalid credential' });
    }
    const token = `tok${tokens.length + 1}-${'x'.repeat(20)}`;
    tokens.push(token);
    return json({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
  }
  if (url.pathname === '/cgi-bin/message/send' && req.method === 'POST') {
    const token = url.searchParams.get('access_token');
    if (token !== tokens.at(-1)) return json({ errcode: 40014, errmsg: 'invalid access_token' });
    if (expireNext) { expireNext = false; return json({ errcode: 42001, errmsg: 'access_token expired' }); }
    wecom.push({ token, key: req.headers['x-zhucun-idempotency-key'], body: JSON.parse(body) });
    return json({ errcode: 0, errmsg: 'ok', msgid: `m${wecom.length}` });
  }
  bad.push(`${req.method} ${url.pathname}`);
  res.writeHead(404).end();
}

let copy, server, admin, cadre, sec, cadreUserId, dayOffset = 500;
const smsRows = () => sqlite(copy, "SELECT o.status FROM outbox o JOIN notification_channel c ON c.id = o.channel_id WHERE c.kind = 'sms' ORDER BY o.id")
  .stdout.trim().split('\n').filter(Boolean);
async function until(what, pred, seconds = 30) {
  for (let i = 0; i < seconds * 10; i++) { if (pred()) return; await new Promise((r) => setTimeout(r, 100)); }
  assert.fail(`waited ${seconds} s for ${what}; bad: ${bad.join(' / ')}`);
}
const settings = (s = {}) => api('PUT', '/api/v1/notification-settings', { session: admin, base: server.url, body: {
  max_attempts: 5, backoff_seconds: 1, backoff_max_seconds: 2, timeout_seconds: 2, quiet_start: '', quiet_end: '', ...s } });
async function leaveDecided() {
  const day = today(dayOffset);
  dayOffset += 2;
  const r = await api('POST', '/api/v1/leaves', { session: cadre, base: server.url,
    body: { type: 'personal', reason: '家中有事', start_date: day, end_date: day } });
  assert.equal(r.status, 201, r.text);
  const d = await api('POST', `/api/v1/leaves/${r.body.id}/decision`, { session: sec, base: server.url, body: { decision: 'approve' } });
  assert.equal(d.status, 200, d.text);
}

before(async () => {
  receiver = createServer((req, res) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => handle(req, b, res)); });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = receiver.address().port;
  copy = copyDb('notify_person.db');
  const clear = sqlite(copy, 'DELETE FROM outbox; DELETE FROM notification_channel');
  assert.equal(clear.status, 0, clear.stderr);
  cadreUserId = Number(sqlite(copy, `SELECT id FROM "user" WHERE username = 'cadre1'`).stdout.trim());
  server = await serveAt(copy, NOW);
  admin = await login('sysadmin', DEMO_PASSWORD, server.url);
  cadre = await login('cadre1', DEMO_PASSWORD, server.url);
  sec = await login('shazhouba_sec', DEMO_PASSWORD, server.url);
  assert.equal((await settings()).status, 200);
});

after(async () => {
  if (server) await server.stop();
  receiver?.closeAllConnections();
  receiver?.close();
});

test('the system administrator adds an SMS gateway and a WeCom application; secrets are sealed, never shown or audited', async () => {
  const badTemplate = await api('POST', '/api/v1/notification-channels', { session: admin, base: server.url,
    body: { kind: 'sms', name: '短信', webhook: `http://127.0.0.1:${port}/sms/send`, secret: SMS_AUTH, template: '{"mobile":"{phone}"}' } });
  assert.equal(badTemplate.status, 400);
  assert.equal(badTemplate.body.error.field, 'template');
  const noSecret = await api('POST', '/api/v1/notification-channels', { session: admin, base: server.url,
    body: { kind: 'wecom_app', name: '企业微信', webhook: `http://127.0.0.1:${port}`, corpid: CORPID, agentid: AGENTID } });
  assert.equal(noSecret.status, 400);
  assert.equal(noSecret.body.error.field, 'secret');

  const s = await api('POST', '/api/v1/notification-channels', { session: admin, base: server.url,
    body: { kind: 'sms', name: '县短信平台', webhook: `http://127.0.0.1:${port}/sms/send`, secret: SMS_AUTH, template: TEMPLATE } });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.body.config.template, TEMPLATE);
  assert.equal(s.body.has_secret, true);
  const w = await api('POST', '/api/v1/notification-channels', { session: admin, base: server.url,
    body: { kind: 'wecom_app', name: '驻村工作企业微信应用', webhook: `http://127.0.0.1:${port}`, corpid: CORPID, agentid: AGENTID, secret: CORPSECRET } });
  assert.equal(w.status, 201, w.text);
  assert.deepEqual(w.body.config, { corpid: CORPID, agentid: AGENTID });
  const u = await api('PATCH', `/api/v1/users/${cadreUserId}`, { session: admin, base: server.url, body: { wecom_userid: 'LiuJianguo' } });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.body.wecom_userid, 'LiuJianguo');
  const badUser = await api('PATCH', `/api/v1/users/${cadreUserId}`, { session: admin, base: server.url, body: { wecom_userid: '刘 建国' } });
  assert.equal(badUser.status, 400);

  const listed = await api('GET', '/api/v1/notification-channels', { session: admin, base: server.url });
  for (const text of [s.text, w.text, listed.text]) {
    assert.ok(!text.includes(SMS_AUTH) && !text.includes(CORPSECRET), 'no secret in an answer');
  }
  const audit = sqlite(copy, "SELECT group_concat(detail, ' ') FROM audit").stdout;
  assert.ok(audit.includes('县短信平台'), 'the channel is audited');
  assert.ok(!audit.includes(SMS_AUTH) && !audit.includes(CORPSECRET) && !audit.includes('sms-gateway-secret'), 'no secret in the audit log');
});

test('a decided leave reaches the cadre by SMS (template, phone, short text, auth header) and by WeCom (one token for two)', async () => {
  await leaveDecided();
  await leaveDecided();
  await until('two SMS and two WeCom messages', () => sms.length >= 2 && wecom.length >= 2);
  assert.deepEqual(bad, []);
  const masked = sqlite(copy, `SELECT c.phone_masked FROM "user" u JOIN cadre c ON c.id = u.cadre_id WHERE u.id = ${cadreUserId}`).stdout.trim();
  assert.match(masked, /^1\d\d\*+\d{4}$/);
  for (const m of sms) {
    assert.equal(m.auth, SMS_AUTH);
    assert.ok(m.key, 'an idempotency key');
    assert.deepEqual(Object.keys(m.body).sort(), ['content', 'mobile', 'sign']);
    assert.equal(m.body.sign, '驻村帮扶');
    assert.equal(m.body.mobile.slice(0, 3), masked.slice(0, 3));
    assert.equal(m.body.mobile.slice(-4), masked.slice(-4));
    assert.match(m.body.content, /^【请假已批准】/);
    assert.ok([...m.body.content].length <= 70, m.body.content);
    assert.ok(!/\d{11,}/.test(m.body.content), 'no phone or ID number in the text');
  }
  assert.equal(sms.length, 2, 'one SMS per decided leave (the approvers have no phone on record)');
  assert.equal(tokens.length, 1, 'the token is fetched once and reused');
  for (const m of wecom) {
    assert.deepEqual(Object.keys(m.body).sort(), ['agentid', 'msgtype', 'text', 'touser']);
    assert.equal(m.body.touser, 'LiuJianguo');
    assert.equal(m.body.msgtype, 'text');
    assert.equal(m.body.agentid, AGENTID);
    assert.match(m.body.text.content, /^【请假已批准】/);
  }
});

test('WeCom says the token expired: one new token, the message sent once', async () => {
  expireNext = true;
  const before = wecom.length;
  await leaveDecided();
  await until('the message after the expired token', () => wecom.length === before + 1);
  assert.equal(tokens.length, 2, 'exactly one new token');
  assert.equal(wecom.at(-1).token, tokens[1]);
  const rows = sqlite(copy, "SELECT count(*) FROM outbox o JOIN notification_channel c ON c.id = o.channel_id WHERE c.kind = 'wecom_app' AND o.status = 'sent' AND o.attempts = 1").stdout.trim();
  assert.equal(Number(rows), 3, 'each WeCom message taken at its first attempt');
});

test('quiet hours hold the SMS until they end; 接收设置 turns SMS off for a kind', async () => {
  // the pinned clock (10:00) is inside 09:00–11:00
  assert.equal((await settings({ quiet_start: '09:00', quiet_end: '11:00' })).status, 200);
  const sent = sms.length;
  await leaveDecided();
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(sms.length, sent, 'nothing sent in quiet hours');
  assert.equal(smsRows().at(-1), 'pending');
  assert.equal((await settings()).status, 200);
  await until('the held SMS sent after the quiet hours', () => sms.length === sent + 1);

  const prefs = await api('PUT', '/api/v1/notifications/preferences', { session: cadre, base: server.url,
    body: { kinds: [{ kind: 'leave_decided', sms: false }] } });
  assert.equal(prefs.status, 200, prefs.text);
  const mine = prefs.body.kinds.find((k) => k.kind === 'leave_decided');
  assert.deepEqual([mine.robots, mine.sms, mine.wecom_app], [true, false, true]);
  const rows = smsRows().length;
  const w = wecom.length;
  await leaveDecided();
  await until('the WeCom message still sent', () => wecom.length === w + 1);
  assert.equal(smsRows().length, rows, 'no SMS once the cadre turned it off');
});
