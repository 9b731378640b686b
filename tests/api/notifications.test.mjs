// 消息 (issue 13): a leave asked for writes, in its own transaction, one in-app message for each
// of its approvers and none for anyone out of scope; its decision one for the cadre. Each account
// reads only its own messages and marks them read; the unread count is the badge's number.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { api, as, assertError, DB } from './lib.mjs';
import { today } from '../clock.mjs';

const sql = (text) => execFileSync('sqlite3', [DB, text]).toString().trim();
let cadre, sec, dep, otherSec, org, sysadmin;

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  dep = await as('shazhouba_dep');
  otherSec = await as('xianghu_sec');
  org = await as('ruijin_org');
  sysadmin = await as('sysadmin');
});

const mine = async (session, query = '') => {
  const r = await api('GET', `/api/v1/notifications?page_size=200${query}`, { session });
  assert.equal(r.status, 200, r.text);
  return r.body;
};
const about = (list, leaveId) => list.items.filter((n) => sql(
  `SELECT e.entity_id FROM notification n JOIN notification_event e ON e.id = n.event_id WHERE n.id = ${n.id}`) === String(leaveId));
const unread = async (session) => (await api('GET', '/api/v1/notifications/unread', { session })).body.unread;

test('a leave request: exactly one message for each approver, none out of scope; the decision: one for the cadre', async () => {
  const before = { sec: await unread(sec), other: await unread(otherSec), org: await unread(org) };
  const r = await api('POST', '/api/v1/leaves', {
    session: cadre, body: { type: 'personal', reason: '家中有事', start_date: today(150), end_date: today(151) } });
  assert.equal(r.status, 201, r.text);
  const id = r.body.id;
  for (const s of [sec, dep]) {
    const got = about(await mine(s), id);
    assert.equal(got.length, 1, `${s.username}: ${JSON.stringify(got)}`);
    assert.equal(got[0].title, '请假待审批');
    assert.equal(got[0].read_at, null);
    assert.match(got[0].body, /申请事假 2 天/);
    // the words carry no ID number, phone or reason given
    assert.doesNotMatch(got[0].body, /\d{15,18}|1[3-9]\d{9}|家中有事/);
  }
  assert.equal(await unread(sec), before.sec + 1);
  assert.equal(about(await mine(otherSec), id).length, 0);
  assert.equal(about(await mine(org), id).length, 0, 'a township leave is not the county\'s to approve');
  assert.equal(await unread(otherSec), before.other);
  assert.equal(about(await mine(cadre), id).length, 0, 'the cadre is not told of their own request');
  // one event, its in-app rows in the same transaction as the leave
  assert.equal(sql(`SELECT count(*) FROM notification_event WHERE entity = 'leave' AND entity_id = '${id}'`), '1');

  const d = await api('POST', `/api/v1/leaves/${id}/decision`, { session: sec, body: { decision: 'refuse', comment: '近期有检查，请改期' } });
  assert.equal(d.status, 200, d.text);
  const told = about(await mine(cadre), id);
  assert.equal(told.length, 1);
  assert.equal(told[0].title, '请假未获批准');
  assert.doesNotMatch(told[0].body, /近期有检查/, 'the comment stays in the system');
  assert.equal(about(await mine(sec), id).length, 1, 'the approvers get nothing more');
  assert.equal(about(await mine(otherSec), id).length, 0);
});

test('a county-level leave goes to the county departments, not the township', async () => {
  const r = await api('POST', '/api/v1/leaves', {
    session: cadre, body: { type: 'personal', reason: '外出学习', start_date: today(170), end_date: today(175) } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.approver_level, 'county');
  assert.equal(about(await mine(org), r.body.id).length, 1);
  assert.equal(about(await mine(sec), r.body.id).length, 0);
});

test('mark read: one, then all; another account\'s message is not found; the badge follows', async () => {
  const list = await mine(sec, '&unread=1');
  assert.ok(list.items.length > 0);
  assert.equal(list.unread, list.total, 'the unread count and the unread list come from the same rows');
  const first = list.items[0];
  assertError(await api('POST', `/api/v1/notifications/${first.id}/read`, { session: otherSec }), 404, 'not_found');
  const r = await api('POST', `/api/v1/notifications/${first.id}/read`, { session: sec });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.unread, list.unread - 1);
  const all = await api('POST', '/api/v1/notifications/read-all', { session: sec });
  assert.equal(all.status, 200);
  assert.equal(all.body.unread, 0);
  assert.equal((await mine(sec, '&unread=1')).total, 0);
});

test('channels: the system administrator only; secrets never answered; a bad webhook refused with no change', async () => {
  assertError(await api('GET', '/api/v1/notification-channels', { session: org }), 403, 'forbidden');
  const n = sql('SELECT count(*) FROM notification_channel');
  assertError(await api('POST', '/api/v1/notification-channels', { session: sysadmin,
    body: { kind: 'dingtalk', name: '钉钉', webhook: 'http://example.com/robot/send?access_token=x', secret: 'SECabc' } }),
    400, 'field_invalid', 'webhook');
  assertError(await api('POST', '/api/v1/notification-channels', { session: sysadmin,
    body: { kind: 'dingtalk', name: '钉钉', webhook: 'https://oapi.dingtalk.com/robot/send?access_token=x' } }),
    400, 'field_invalid', 'secret');
  assert.equal(sql('SELECT count(*) FROM notification_channel'), n);
  const secret = 'SECnotshown1234567890';
  const token = 'tok' + Math.random().toString(36).slice(2);
  const c = await api('POST', '/api/v1/notification-channels', { session: sysadmin, body: {
    kind: 'dingtalk', name: '沙洲坝镇工作群', region_code: '360781104', enabled: false,
    webhook: `https://oapi.dingtalk.com/robot/send?access_token=${token}`, secret } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.has_secret, true);
  assert.equal(c.body.enabled, false);
  const text = (await api('GET', '/api/v1/notification-channels', { session: sysadmin })).text;
  assert.ok(!text.includes(secret) && !text.includes(token), 'neither the secret nor the token is answered');
  assert.equal(sql(`SELECT count(*) FROM notification_channel WHERE CAST(webhook_sealed AS TEXT) LIKE '%${token}%'`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE detail LIKE '%${token}%' OR detail LIKE '%${secret}%'`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'channel.create' AND entity_id = '${c.body.id}'`), '1');
});
