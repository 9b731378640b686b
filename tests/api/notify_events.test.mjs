// 消息 (issue 13): the events beyond leaves, nominations and violations. A work report returned with
// comments reaches its cadre, an upward report returned reaches the account that wrote and sent it —
// each in the act's own transaction, once. What the calendar brings due is raised by the day's
// settlement: a term ending with nobody to follow, a handover ending with its checklist open, a
// vacancy past its deadline, a case whose 公示 is over — each to the accounts in scope, once per
// occasion: a second server on the same day (the settlement run again) notifies nobody twice.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, copyDb, createUser, login, serveAt, sqlite } from './lib.mjs';
import { today, randomInt } from '../clock.mjs';

let cadre, sec, otherSec, org;

before(async () => {
  cadre = await as('cadre1');
  sec = await as('shazhouba_sec');
  otherSec = await as('xianghu_sec');
  org = await as('ruijin_org');
});

const inbox = async (session, base) => {
  const r = await api('GET', '/api/v1/notifications?page_size=200', { session, base });
  assert.equal(r.status, 200, r.text);
  return r.body.items;
};
const q = (db, text) => {
  const r = sqlite(db, text);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

test('a work report returned with comments: one message for its cadre, none for the reader; the comment stays out', async () => {
  const seen = new Set((await api('GET', '/api/v1/reports?page_size=200', { session: cadre })).body.items.map((x) => x.from));
  let rp;
  for (let d = -600; d < 0 && !rp; d++) {
    if (seen.has(today(d))) continue;
    const s = await api('POST', '/api/v1/reports', { session: cadre, body: { from: today(d), to: today(d), text: `通知测试${randomInt()}` } });
    if (s.status === 201) rp = s.body;
  }
  assert.ok(rp, 'a free period for a report');
  const secBefore = (await inbox(sec)).length;
  const back = await api('POST', `/api/v1/reports/${rp.id}/review`, { session: sec, body: { action: 'return', text: '请补充走访户数和存在问题' } });
  assert.equal(back.status, 200, back.text);
  const mine = (await inbox(cadre)).filter((n) => n.kind === 'review_returned' && n.link.startsWith('/reports'));
  const about = mine.filter((n) => q(process.env.ZHUCUN_DB,
    `SELECT e.entity_id FROM notification n JOIN notification_event e ON e.id = n.event_id WHERE n.id = ${n.id}`) === String(rp.id));
  assert.equal(about.length, 1, JSON.stringify(mine));
  assert.equal(about[0].title, '工作报告被退回');
  assert.ok(!about[0].body.includes('走访户数'), about[0].body);
  assert.equal((await inbox(sec)).length, secBefore, 'the reader is not told of their own act');
  // an accept tells nobody
  const n = (await inbox(cadre)).length;
  const fixed = await api('PUT', `/api/v1/reports/${rp.id}`, { session: cadre, body: { text: '修改稿：走访 5 户。' } });
  assert.equal(fixed.status, 200, fixed.text);
  const ok = await api('POST', `/api/v1/reports/${rp.id}/review`, { session: sec, body: { action: 'accept' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await inbox(cadre)).length, n);
});

test('an upward report returned by the county: one message for the township account that wrote it, none elsewhere', async () => {
  const u = await createUser({ role: 'township_secretary', region_code: '360781206' });
  const me = await login(u.username, u.password);
  const made = await api('POST', '/api/v1/upward-reports', { session: me, body: { kind: 'monthly', period: '2026-05' } });
  assert.equal(made.status, 201, made.text);
  const sent = await api('POST', `/api/v1/upward-reports/${made.body.id}/submit`, { session: me, body: { version: made.body.version } });
  assert.equal(sent.status, 200, sent.text);
  const otherBefore = (await inbox(otherSec)).length;
  const back = await api('POST', `/api/v1/upward-reports/${made.body.id}/return`,
    { session: org, body: { version: sent.body.version, reason: '请补充问题' } });
  assert.equal(back.status, 200, back.text);
  const got = (await inbox(me)).filter((n) => n.kind === 'upward_returned');
  assert.equal(got.length, 1, JSON.stringify(got));
  assert.equal(got[0].link, `/upward-reports/${made.body.id}`);
  assert.match(got[0].body, /黄柏乡报送的2026-05 月报 被上级退回/);
  assert.equal((await inbox(otherSec)).length, otherBefore);
});

/** The events of kind about object id in db, each with its recipients' user names. */
function events(db, kind, id) {
  const rows = q(db, `SELECT e.id || '|' || coalesce((SELECT group_concat(u.username) FROM notification n JOIN "user" u ON u.id = n.user_id`
    + ` WHERE n.event_id = e.id), '') FROM notification_event e WHERE e.kind = '${kind}' AND e.entity_id = '${id}'`);
  return rows ? rows.split('\n').map((l) => { const [ev, who] = l.split('|'); return { ev, who: who ? who.split(',') : [] }; }) : [];
}

async function settleOn(db, day) {
  const s = await serveAt(db, `${day}T10:00:00+08:00`);
  try {
    const me = await login('shazhouba_sec', undefined, s.url); // the first request settles the day
    return await inbox(me, s.url);
  } finally {
    const end = await s.stop();
    assert.ok(!/Sanitizer/.test(end.out), end.out);
  }
}

test('the day\'s settlement: a term ending, a handover due, a vacancy overdue, a case step due — each once, settled twice', async () => {
  const db = copyDb();
  const D = today(7);
  const at = (n) => `date('${D}', '${n} days')`;
  // the occasions, set up in the copy in 沙洲坝镇 (360781104): an active post whose term ends in 30 days with nobody
  // to follow, a handover ending in 2 days unconfirmed, a vacancy 1 day past its deadline, a case whose 5-day notice
  // ended 5 days ago
  const post = q(db, `SELECT a.id FROM assignment a JOIN region v ON v.code = a.village_code WHERE v.parent_code = '360781104'`
    + ` AND a.status = 'active' AND NOT EXISTS (SELECT 1 FROM handover h WHERE h.outgoing_assignment_id = a.id OR h.incoming_assignment_id = a.id)`
    + ` AND NOT EXISTS (SELECT 1 FROM assignment s WHERE s.village_code = a.village_code AND s.post = a.post AND s.status IN ('pending','approved'))`
    + ` ORDER BY a.id LIMIT 1`);
  assert.ok(post, 'an active post in 沙洲坝镇');
  q(db, `UPDATE assignment SET term_end = ${at(30)} WHERE id = ${post}`);
  const ho = q(db, `SELECT id FROM handover ORDER BY id LIMIT 1`);
  q(db, `UPDATE handover SET confirmed_on = NULL, ends_on = ${at(2)} WHERE id = ${ho}`);
  const hoTownship = q(db, `SELECT v.parent_code FROM handover h JOIN assignment i ON i.id = h.incoming_assignment_id`
    + ` JOIN region v ON v.code = i.village_code WHERE h.id = ${ho}`);
  const vac = q(db, `SELECT id FROM vacancy ORDER BY id LIMIT 1`);
  q(db, `UPDATE vacancy SET filled_on = NULL, filled_by = NULL, deadline = ${at(-1)} WHERE id = ${vac}`);
  const vacTownship = q(db, `SELECT r.parent_code FROM vacancy v JOIN region r ON r.code = v.village_code WHERE v.id = ${vac}`);
  const kase = q(db, `SELECT m.id FROM monitoring_case m JOIN region v ON v.code = m.village_code WHERE v.parent_code = '360781104'`
    + ` ORDER BY m.id LIMIT 1`);
  q(db, `UPDATE monitoring_case SET state = 'noticed', notice_start = ${at(-10)}, notice_days = 5 WHERE id = ${kase}`);

  const first = await settleOn(db, D);
  const once = {
    term: events(db, 'term_ending', post), handover: events(db, 'handover_due', ho),
    vacancy: events(db, 'vacancy_overdue', vac), kase: events(db, 'case_step_due', `${kase}:check`),
  };
  for (const [k, v] of Object.entries(once)) assert.equal(v.length, 1, `${k}: ${JSON.stringify(v)}`);
  // in scope: the township's accounts (and the unit's, the county's), never another township's
  const townshipOf = (name) => q(db, `SELECT coalesce(region_code, '') FROM "user" WHERE username = '${name}'`);
  const unitOf = (name) => q(db, `SELECT coalesce(CAST(unit_id AS TEXT), '') FROM "user" WHERE username = '${name}'`);
  const postUnit = q(db, `SELECT unit_id FROM assignment WHERE id = ${post}`);
  assert.ok(once.term[0].who.includes('shazhouba_sec') && once.term[0].who.includes('shazhouba_dep'), JSON.stringify(once.term));
  assert.ok(once.term[0].who.some((w) => unitOf(w) === postUnit), `the sending unit: ${JSON.stringify(once.term)}`);
  assert.ok(once.term[0].who.every((w) => townshipOf(w) === '360781104' || unitOf(w) === postUnit), JSON.stringify(once.term));
  assert.ok(once.kase[0].who.includes('shazhouba_sec'), JSON.stringify(once.kase));
  assert.ok(once.kase[0].who.every((w) => townshipOf(w) === '360781104'), JSON.stringify(once.kase));
  assert.ok(once.handover[0].who.some((w) => townshipOf(w) === hoTownship), JSON.stringify(once.handover));
  assert.ok(once.handover[0].who.every((w) => townshipOf(w) === hoTownship || unitOf(w) !== ''), JSON.stringify(once.handover));
  assert.ok(once.vacancy[0].who.includes('ruijin_org'), JSON.stringify(once.vacancy));
  // the county's departments (any account of them: other tests add some to the live database this copy is made of)
  // and the township — nobody else
  const countyDept = (w) => townshipOf(w) === '360781' &&
    ['org_county', 'rrb_county'].includes(q(db, `SELECT role FROM "user" WHERE username = '${w}'`));
  assert.ok(once.vacancy[0].who.every((w) => countyDept(w) || townshipOf(w) === vacTownship), JSON.stringify(once.vacancy));
  const mine = first.filter((n) => n.kind === 'case_step_due');
  assert.ok(mine.some((n) => /公示（.*起）已期满，待乡镇审核/.test(n.body)), JSON.stringify(mine));

  // the same day settled again by a new server: nothing more
  const count = q(db, 'SELECT count(*) FROM notification_event');
  const again = await settleOn(db, D);
  assert.equal(q(db, 'SELECT count(*) FROM notification_event'), count);
  assert.equal(again.length, first.length);
  // the next day, the occasions still open: still once
  await settleOn(db, today(8));
  assert.equal(events(db, 'vacancy_overdue', vac).length, 1);
  assert.equal(events(db, 'term_ending', post).length, 1);
  assert.equal(events(db, 'case_step_due', `${kase}:check`).length, 1);
});

test('duties of the obligation engine due within 3 days: one message per duty and party, to that party\'s accounts only; settled twice, once', async () => {
  const db = copyDb();
  const D = today(18); // the month's duties fall due on its last day, within 3 days of D
  const first = await settleOn(db, D);
  const rows = () => q(db, `SELECT e.entity_id || '#' || coalesce((SELECT group_concat(u.username || '@' || coalesce(u.region_code, '') || '@' || u.role)`
    + ` FROM notification n JOIN "user" u ON u.id = n.user_id WHERE n.event_id = e.id), '') FROM notification_event e WHERE e.kind = 'duty_due'`)
    .split('\n').filter(Boolean);
  const once = rows();
  assert.ok(once.length > 0, 'the demo owes duties due at the month\'s end');
  // the occasions are written 200 to a transaction (NOTIFY_DUTY_BATCH): the demo's day takes several
  const keyed = Number(q(db, "SELECT count(*) FROM notification_key WHERE kind = 'duty_due'"));
  assert.ok(keyed > 200, `${keyed} occasions keyed, in more than one batch`);
  const keys = once.map((r) => r.split('#')[0]);
  assert.equal(new Set(keys).size, keys.length, 'one event per duty, party and period');
  for (const r of once) {
    const [key, who] = r.split('#');
    assert.ok(who, `${key}: an event only for a party with an account`);
    const party = key.split('|')[1];
    const users = who.split(',').map((w) => w.split('@'));
    if (/^\d{9}$/.test(party)) assert.ok(users.every(([, region]) => region === party), `${key}: the township's own: ${who}`);
    if (/^\d{6}$/.test(party)) assert.ok(users.every(([, region, role]) => region === party && /_county$/.test(role)), `${key}: ${who}`);
  }
  assert.ok(first.some((n) => n.kind === 'duty_due' && /应于 \d{4}-\d{2}-\d{2} 前完成，目前尚未完成/.test(n.body)),
    JSON.stringify(first.filter((n) => n.kind === 'duty_due')));
  await settleOn(db, D);
  assert.deepEqual(rows().map((r) => r.split('#')[0]).sort(), keys.sort(), 'settled again: nothing more');
});
