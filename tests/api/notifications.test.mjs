// 消息 (issue 13): a leave asked for writes, in its own transaction, one in-app message for each
// of its approvers and none for anyone out of scope; its decision one for the cadre. Each account
// reads only its own messages and marks them read; the unread count is the badge's number.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, login, loginRaw, createBatch, createCadre, nominateAndApprove, sqlite, todayCST, yearsBefore, DB } from './lib.mjs';
import { today } from '../clock.mjs';

const sql = (text) => {
  const r = sqlite(DB, text);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
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
    assert.match(got[0].body, new RegExp(`申请事假 2 天（${today(150)} 至 ${today(151)}）`));
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
  assert.equal(sql(`SELECT count(*) FROM notification_channel WHERE hex(webhook_sealed) LIKE '%' || hex('${token}') || '%'`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE detail LIKE '%${token}%' OR detail LIKE '%${secret}%'`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action = 'channel.create' AND entity_id = '${c.body.id}'`), '1');
});

const recipients = (entity, id) => sql(`SELECT group_concat(CAST(n.user_id AS TEXT)) FROM (SELECT n.user_id FROM notification n
  JOIN notification_event e ON e.id = n.event_id WHERE e.entity = '${entity}' AND e.entity_id = '${id}' ORDER BY n.user_id) n`);

test('2.5: a violation is fed back to its unit\'s accounts only, without its description', async () => {
  const cadreId = cadre.user.cadre_id;
  const unitId = (await api('GET', `/api/v1/cadres/${cadreId}`, { session: org })).body.unit_id;
  const r = await api('POST', '/api/v1/violations', { session: sec, body: {
    cadre_id: cadreId, date: today(-1), kind: 'absent_without_leave', description: '因住院治疗未请假离村' } });
  assert.equal(r.status, 201, r.text);
  const want = sql(`SELECT group_concat(CAST(id AS TEXT)) FROM (SELECT id FROM "user" WHERE unit_id = ${unitId} AND disabled = 0
    AND role IN ('unit_leader','unit_deputy','unit_hr') ORDER BY id) u`);
  assert.ok(want.length > 0);
  assert.equal(recipients('violation', r.body.id), want);
  const body = sql(`SELECT body FROM notification_event WHERE entity = 'violation' AND entity_id = '${r.body.id}'`);
  assert.match(body, /擅自离岗（2\.1）/);
  assert.doesNotMatch(body, /住院/);
});

test('1.5: a nomination waits for the county\'s two departments; once both decide, the unit is told once', async () => {
  const leader = await as('unit_leader1');
  const rrb = await as('ruijin_rrb');
  const T = todayCST();
  const batch = await createBatch(org, { opensIn: -1, closesIn: 30, startsIn: 0 });
  const towns = await api('GET', '/api/v1/regions?parent=360781', { session: org });
  let village;
  for (const t of towns.body.items.filter((x) => x.code !== '360781104').reverse()) {
    const vs = await api('GET', `/api/v1/regions?parent=${t.code}`, { session: org });
    village = vs.body.items.filter((x) => x.level === 'village' && !x.key_village).pop()?.code;
    if (village) break;
  }
  const c = await createCadre(leader, { region: '369102', birth: yearsBefore(T, 36), rank: 'section' });
  const a = await nominateAndApprove(leader, { cadre_id: c.id, unit_id: leader.user.unit_id, village_code: village,
    post: 'team_member', batch_id: batch.id }, { org, rrb });
  assert.equal(a.status, 'active');
  const approvers = sql(`SELECT group_concat(CAST(id AS TEXT)) FROM (SELECT id FROM "user" WHERE region_code = '360781' AND disabled = 0
    AND role IN ('org_county','rrb_county') ORDER BY id) u`);
  const pending = sql(`SELECT group_concat(CAST(n.user_id AS TEXT)) FROM (SELECT n.user_id FROM notification n JOIN notification_event e
    ON e.id = n.event_id WHERE e.kind = 'nomination_pending' AND e.entity_id = '${a.id}' ORDER BY n.user_id) n`);
  assert.equal(pending, approvers);
  const decided = sql(`SELECT count(*) FROM notification_event WHERE kind = 'nomination_decided' AND entity_id = '${a.id}'`);
  assert.equal(decided, '1', 'one message when the second department approved, none after the first');
  const unitUsers = sql(`SELECT group_concat(CAST(id AS TEXT)) FROM (SELECT id FROM "user" WHERE unit_id = ${leader.user.unit_id} AND disabled = 0
    AND role IN ('unit_leader','unit_deputy','unit_hr') ORDER BY id) u`);
  const told = sql(`SELECT group_concat(CAST(n.user_id AS TEXT)) FROM (SELECT n.user_id FROM notification n JOIN notification_event e
    ON e.id = n.event_id WHERE e.kind = 'nomination_decided' AND e.entity_id = '${a.id}' ORDER BY n.user_id) n`);
  assert.equal(told, unitUsers);
  const mine = await api('GET', '/api/v1/notifications?page_size=200', { session: leader });
  assert.ok(mine.body.items.some((n) => n.title === '选派已批准' && n.body.includes(c.name)));
});

test('接收设置: each account turns the work groups\' robots off per kind; a group message goes while one recipient wants it', async () => {
  const prefs = await api('GET', '/api/v1/notifications/preferences', { session: sec });
  assert.equal(prefs.status, 200, prefs.text);
  assert.ok(prefs.body.kinds.every((k) => k.robots === true && k.name));
  assertError(await api('PUT', '/api/v1/notifications/preferences', { session: sec,
    body: { kinds: [{ kind: 'leave_pending', robots: false }, { kind: 'nope', robots: false }] } }), 400, 'field_invalid', 'kinds');
  assert.equal((await api('GET', '/api/v1/notifications/preferences', { session: sec })).body.kinds[0].robots, true, 'no change');
  // an enabled robot for 沙洲坝镇 (nothing listens: its deliveries only fail; it is disabled again at the end)
  const ch = await api('POST', '/api/v1/notification-channels', { session: sysadmin, body: {
    kind: 'wecom', name: '偏好测试群', region_code: '360781104', webhook: 'http://127.0.0.1:18425/cgi-bin/webhook/send?key=pref' } });
  assert.equal(ch.status, 201, ch.text);
  const approvers = sql(`SELECT group_concat(username, ' ') FROM "user" WHERE region_code = '360781104' AND disabled = 0
    AND role IN ('township_secretary','township_deputy')`).split(' ');
  assert.ok(approvers.includes('shazhouba_sec') && approvers.includes('shazhouba_dep'), approvers.join());
  // the demo's approvers through the API; an account another test file made (its password unknown here) in the table
  const sessions = [];
  const others = [];
  for (const u of approvers) {
    if (u === 'shazhouba_sec' || u === 'shazhouba_dep') sessions.push(u === 'shazhouba_sec' ? sec : dep);
    else if ((await loginRaw(u)).status === 200) sessions.push(await login(u));
    else others.push(u);
  }
  const setOthers = (robots) => others.length && sql(`INSERT INTO notification_pref (user_id, kind, robots)
    SELECT id, 'leave_pending', ${robots ? 1 : 0} FROM "user" WHERE username IN (${others.map((u) => `'${u}'`).join(',')})
    ON CONFLICT (user_id, kind) DO UPDATE SET robots = excluded.robots`);
  const set = (s, robots) => api('PUT', '/api/v1/notifications/preferences', { session: s, body: { kinds: [{ kind: 'leave_pending', robots }] } });
  const pushed = (leaveId) => sql(`SELECT count(*) FROM outbox o JOIN notification_event e ON e.id = o.event_id
    WHERE e.entity = 'leave' AND e.entity_id = '${leaveId}' AND o.channel_id = ${ch.body.id}`);
  const ask = async (offset) => {
    const r = await api('POST', '/api/v1/leaves', { session: cadre, body: { type: 'personal', reason: '家中有事', start_date: today(offset), end_date: today(offset) } });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  try {
    for (const s of sessions) assert.equal((await set(s, false)).status, 200);
    setOthers(false);
    const quiet = await ask(180);
    assert.equal(pushed(quiet), '0', 'every approver turned the robots off: not pushed');
    assert.equal(about(await mine(sec), quiet).length, 1, 'the in-app message is always delivered');
    assert.equal((await set(dep, true)).status, 200);
    assert.equal((await api('GET', '/api/v1/notifications/preferences', { session: dep })).body.kinds[0].robots, true);
    const loud = await ask(182);
    assert.equal(pushed(loud), '1', 'one approver still wants it: pushed once to the group');
  } finally {
    for (const s of sessions) await set(s, true);
    setOthers(true);
    await api('PATCH', `/api/v1/notification-channels/${ch.body.id}`, { session: sysadmin, body: { enabled: false } });
  }
});
