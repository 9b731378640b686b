// 数据推送 (issue 13, part 2): outgoing webhooks. A local receiver plays another system: it checks each
// request's X-Zhucun-Signature (sha256=HMAC-SHA256(secret, timestamp + "." + body)), its timestamp, its
// X-Zhucun-Event against the body {id, event, occurred_at, region_code, data}, and that no ID number or
// phone is in it; it keeps each delivery once by X-Zhucun-Idempotency-Key. Faults, as for the robot channels
// (notify_delivery.test.mjs): the receiver down, answering 500, then recovery; a dead letter re-queued; the
// server killed with SIGKILL mid-batch and restarted: every event arrives exactly once, none lost. Data
// changes (a household's monitoring state, a case decided, a post changed — 岗位变动) are written with the
// change itself: a refused change pushes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { api, copyDb, login, sqlite, BIN, DEMO_PASSWORD } from './lib.mjs';
import { NOW, today } from '../clock.mjs';

const SECRET = 'whsec-' + 'f00dfeedc0ffee12'.repeat(2);

// ---- the receiver ----
const got = new Map();       // idempotency key -> parsed body
const seen = { requests: 0, repeats: 0, bad: [] };
let mode = 'ok';             // ok | 500 | trickle
let receiver = null;
let port = 0;

function check(req, raw) {
  const problems = [];
  const ts = req.headers['x-zhucun-timestamp'];
  const sig = req.headers['x-zhucun-signature'] || '';
  const want = 'sha256=' + createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex');
  if (sig.length !== want.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(want))) problems.push(`signature ${sig}`);
  if (!/^\d+$/.test(ts || '') || Math.abs(Number(ts) * 1000 - Date.parse(NOW)) > 3600e3) problems.push(`timestamp ${ts}`);
  if (req.headers['content-type']?.split(';')[0] !== 'application/json') problems.push('content-type');
  let body;
  try { body = JSON.parse(raw); } catch { problems.push('body is not JSON'); return { problems }; }
  if (Object.keys(body).join(',') !== 'id,event,occurred_at,region_code,data') problems.push(`fields ${Object.keys(body)}`);
  if (body.event !== req.headers['x-zhucun-event']) problems.push('event header');
  if (!/^evt_[0-9a-f]{16}$/.test(body.id)) problems.push(`id ${body.id}`);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(body.occurred_at)) problems.push(`occurred_at ${body.occurred_at}`);
  // not in the event's id: its 16 random hex digits hold eleven decimal ones that look like a phone number in
  // about one event of four hundred (evt_14103375970e4bad, CI 2026-12-07: refused 30 times, a dead letter)
  if (/\d{17}[\dX]|1[3-9]\d{9}/.test(raw.replace(`"${body.id}"`, '""'))) problems.push('an ID number or phone in the body');
  return { problems, body };
}

function startReceiver() {
  receiver = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      seen.requests += 1;
      const key = req.headers['x-zhucun-idempotency-key'];
      const { problems, body } = check(req, raw);
      if (!key) problems.push('no idempotency key');
      if (problems.length) { seen.bad.push(problems.join('; ')); res.writeHead(400).end(); return; }
      const keep = () => { if (got.has(key)) seen.repeats += 1; else got.set(key, body); };
      if (mode === '500') { res.writeHead(500).end('busy'); return; }
      if (mode === 'trickle') { setTimeout(() => { keep(); res.writeHead(204).end(); }, 400); return; }
      keep();
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => receiver.listen(port, '127.0.0.1', () => { port = receiver.address().port; resolve(); }));
}
const stopReceiver = () => new Promise((resolve) => { if (!receiver) resolve(); else { receiver.closeAllConnections(); receiver.close(() => { receiver = null; resolve(); }); } });

// ---- the server under test, on a copy of the suite's database ----
let dbPath, server;
function serve() {
  sqlite(dbPath, 'UPDATE user_totp SET last_step = 0');
  const child = spawn(BIN, ['--now', NOW, 'serve', '--db', dbPath, '--port', '0', '--ui', '/nonexistent'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address in 60 s: ${out}`)), 60000);
    const look = (chunk) => {
      out += chunk;
      const m = /http:\/\/([0-9.]+):([0-9]+)\//.exec(out);
      if (m && m[2] !== '0' && !child.url) { clearTimeout(timer); child.url = `http://${m[1]}:${m[2]}`; resolve(child); }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.output = () => out;
  });
}
const exited = (child, signal) => new Promise((resolve) => { child.on('exit', (code, sig) => resolve({ code, sig })); child.kill(signal); });

const rows = (where = '1 = 1') => sqlite(dbPath, `SELECT id, status, attempts, idem_key, event, last_error FROM webhook_delivery WHERE ${where} ORDER BY id`)
  .stdout.trim().split('\n').filter(Boolean).map((l) => { const [id, status, attempts, key, event, ...e] = l.split('|'); return { id: Number(id), status, attempts: Number(attempts), key, event, error: e.join('|') }; });
async function until(what, pred, seconds = 60) {
  for (let i = 0; i < seconds * 5; i++) { if (pred()) return; await new Promise((r) => setTimeout(r, 200)); }
  assert.fail(`waited ${seconds} s for ${what}: ${JSON.stringify(rows().slice(-6))}`);
}

let admin, cadre, sec, dayOffset = 500;
const call = (method, path, session, body) => api(method, path, { session, base: server.url, body });
async function sessions() {
  admin = await login('sysadmin', DEMO_PASSWORD, server.url);
  cadre = await login('cadre1', DEMO_PASSWORD, server.url);
  sec = await login('shazhouba_sec', DEMO_PASSWORD, server.url);
}
async function leaveAndDecision() {
  const day = today(dayOffset);
  dayOffset += 2;
  const r = await call('POST', '/api/v1/leaves', cadre, { type: 'personal', reason: '家中有事', start_date: day, end_date: day });
  assert.equal(r.status, 201, r.text);
  const d = await call('POST', `/api/v1/leaves/${r.body.id}/decision`, sec, { decision: 'approve' });
  assert.equal(d.status, 200, d.text);
}
const settings = (s) => call('PUT', '/api/v1/notification-settings', admin, {
  max_attempts: 30, backoff_seconds: 1, backoff_max_seconds: 2, timeout_seconds: 2, quiet_start: '', quiet_end: '', ...s });

before(async () => {
  dbPath = copyDb('webhooks.db');
  // this copy's receivers are this file's alone; the robots stay out of the way
  const clear = sqlite(dbPath, 'DELETE FROM outbox; UPDATE notification_channel SET enabled = 0');
  assert.equal(clear.status, 0, clear.stderr);
  await startReceiver(); // to learn a free port; closed again so that the first test finds it down
  await stopReceiver();
  server = await serve();
  await sessions();
  assert.equal((await settings({})).status, 200);
});

after(async () => {
  await stopReceiver();
  if (server && server.exitCode === null) server.kill('SIGKILL');
});

test('the system administrator registers a receiver: the URL and the secret sealed, never shown; others refused', async () => {
  const body = { name: '省防返贫监测平台', url: `http://127.0.0.1:${port}/zhucun/events`, secret: SECRET,
    events: ['leave_pending', 'leave_decided', 'household_risk_changed'] };
  const r = await call('POST', '/api/v1/webhooks', admin, body);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.events, body.events);
  assert.ok(!r.text.includes(SECRET) && !r.text.includes('/zhucun/events'), r.text);
  const stored = sqlite(dbPath, 'SELECT * FROM webhook').stdout;
  assert.ok(!stored.includes(SECRET) && !stored.includes('/zhucun/events'), 'sealed at rest');
  // the sealed columns' bytes, as hex on both databases (psql prints a bytea as hex, sqlite3 a blob raw)
  assert.equal(sqlite(dbPath, `SELECT count(*) FROM webhook WHERE hex(url_sealed) LIKE '%' || hex('/zhucun/events') || '%'`
    + ` OR hex(secret_sealed) LIKE '%' || hex('${SECRET}') || '%'`).stdout.trim(), '0', 'sealed at rest');
  assert.ok(!sqlite(dbPath, "SELECT detail FROM audit WHERE action = 'webhook.create'").stdout.includes(SECRET));
  const listed = await call('GET', '/api/v1/webhooks', admin);
  assert.equal(listed.status, 200);
  assert.ok(listed.body.events.some((e) => e.event === 'case_decided' && e.name));
  for (const [bad, field] of [[{ ...body, events: ['no_such_event'] }, 'events'], [{ ...body, secret: 'short' }, 'secret'],
    [{ ...body, url: 'http://example.com/hook' }, 'url']]) {
    const x = await call('POST', '/api/v1/webhooks', admin, bad);
    assert.equal(x.status, 400, x.text);
    assert.equal(x.body.error.field, field);
  }
  assert.equal((await call('GET', '/api/v1/webhooks', sec)).status, 403);
});

test('faults: receiver down, 500, then recovery: each event once, signed, none lost', async () => {
  for (let i = 0; i < 3; i++) await leaveAndDecision();
  const all = rows();
  assert.equal(all.length, 6, '3 leaves asked for and decided');
  assert.deepEqual([...new Set(all.map((r) => r.event))].sort(), ['leave_decided', 'leave_pending']);
  await until('failed attempts while the receiver is down', () => rows().every((r) => r.attempts >= 1 && r.status === 'pending'));
  assert.match(rows()[0].error, /发送失败/);
  mode = '500';
  await startReceiver();
  await until('an HTTP 500 recorded', () => rows().some((r) => /HTTP 500/.test(r.error)));
  assert.equal(got.size, 0);
  mode = 'ok';
  await until('every event delivered', () => rows().every((r) => r.status === 'sent'));
  assert.deepEqual(seen.bad, []);
  assert.equal(got.size, all.length);
  assert.deepEqual([...got.keys()].sort(), all.map((r) => r.key).sort());
  const pending = [...got.values()].find((b) => b.event === 'leave_pending');
  assert.equal(pending.region_code, '360781104');
  assert.equal(pending.data.title, '请假待审批');
  assert.equal(pending.data.entity, 'leave');
});

test('a household taken into monitoring is pushed with the change; a refused change pushes nothing', async () => {
  const list = await call('GET', '/api/v1/households?village=360781104200&monitored=0&page_size=1', sec);
  const h = (await call('GET', `/api/v1/households/${list.body.items[0].id}`, sec)).body;
  const before = rows().length;
  const stale = await call('PATCH', `/api/v1/households/${h.id}`, sec, { version: h.version + 99, monitored: true });
  assert.equal(stale.status, 409, stale.text);
  assert.equal(rows().length, before, 'nothing pushed for a change refused');
  const ok = await call('PATCH', `/api/v1/households/${h.id}`, sec, { version: h.version, monitored: true });
  assert.equal(ok.status, 200, ok.text);
  const mine = rows(`id > ${rows()[before - 1].id}`);
  assert.deepEqual(mine.map((r) => r.event), ['household_risk_changed']);
  await until('the change delivered', () => got.has(mine[0].key));
  const b = got.get(mine[0].key);
  assert.equal(b.data.household_id, h.id);
  assert.equal(b.data.monitored, true);
  assert.equal(b.region_code, '360781104200');
  assert.equal(b.data.head_name, undefined, 'no names of people');
  // an event the receiver did not ask for is not queued for it
  const notAsked = rows("event = 'violation_feedback' OR event = 'case_decided'");
  assert.equal(notAsked.length, 0);
});

test("a county's decision on a monitoring case is pushed with the household it takes in, once the receiver asks for it", async () => {
  const hooks = await call('GET', '/api/v1/webhooks', admin);
  const hook = hooks.body.items[0];
  const patched = await call('PATCH', `/api/v1/webhooks/${hook.id}`, admin, { events: [...hook.events, 'case_decided'] });
  assert.equal(patched.status, 200, patched.text);
  assert.ok(patched.body.events.includes('case_decided'));
  const rrb = await login('ruijin_rrb', DEMO_PASSWORD, server.url);
  const list = await call('GET', '/api/v1/households?village=360781104200&monitored=0&page_size=50', sec);
  const open = await call('GET', '/api/v1/cases?page_size=200', sec);
  const busy = new Set(open.body.items.map((c) => c.household_id));
  const h = list.body.items.find((x) => !busy.has(x.id));
  const day = (n) => today(-250 + n);
  const c = await call('POST', '/api/v1/cases', cadre, { household_id: h.id, source: 'self_reported', risks: ['illness'],
    lead_on: day(0), description: '家中老人住院，医疗支出增加' });
  assert.equal(c.status, 201, c.text);
  const step = async (session, body) => {
    const cur = await call('GET', `/api/v1/cases/${c.body.id}`, session);
    const r = await call('POST', `/api/v1/cases/${c.body.id}/steps`, session, { version: cur.body.version, ...body });
    assert.equal(r.status, 200, r.text);
  };
  await step(cadre, { action: 'review', on_date: day(1), result: 'agree', participants: '村两委、党员代表、村民代表 11 人' });
  await step(cadre, { action: 'notice', on_date: day(2), days: 5 });
  await step(sec, { action: 'check', on_date: day(8), result: 'agree' });
  const before = rows().length;
  await step(rrb, { action: 'decide', on_date: day(9), result: 'agree', category: 'marginal' });
  const mine = rows(`id > ${rows()[before - 1].id}`);
  assert.deepEqual(mine.map((r) => r.event), ['case_decided', 'household_risk_changed']);
  await until('the decision delivered', () => mine.every((r) => got.has(r.key)));
  const decided = got.get(mine[0].key);
  assert.equal(decided.data.case_id, c.body.id);
  assert.equal(decided.data.state, 'monitored');
  assert.equal(decided.data.category, 'marginal');
  assert.equal(got.get(mine[1].key).data.monitored, true);
  assert.deepEqual(seen.bad, []);
});

test('岗位变动: an adjustment asked for a post is pushed once as post_changed with the change; a refused one pushes nothing', async () => {
  const hooks = await call('GET', '/api/v1/webhooks', admin);
  const hook = hooks.body.items[0];
  const patched = await call('PATCH', `/api/v1/webhooks/${hook.id}`, admin, { events: [...hook.events, 'post_changed'] });
  assert.equal(patched.status, 200, patched.text);
  const org = await login('ruijin_org', DEMO_PASSWORD, server.url);
  const list = await call('GET', '/api/v1/assignments?status=active&village=360781104200&page_size=50', org);
  assert.equal(list.status, 200, list.text);
  let post = null;
  for (const item of list.body.items) {
    const full = await call('GET', `/api/v1/assignments/${item.id}`, org);
    if (full.body.open_adjustment === null) { post = full.body; break; }
  }
  assert.ok(post, 'an active post in 沙洲坝村 without an open adjustment');
  const before = rows().length;
  const adjust = (body) => call('POST', `/api/v1/assignments/${post.id}/adjustment`, org, body);
  const bad = await adjust({ reason: 'no_such_reason' });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(rows().length, before, 'nothing pushed for an adjustment refused');
  const ok = await adjust({ reason: 'illness', explanation: '本人因病需长期治疗' });
  assert.equal(ok.status, 201, ok.text);
  const again = await adjust({ reason: 'illness' });
  assert.equal(again.status, 409, again.text);
  const mine = rows(`id > ${rows()[before - 1].id}`);
  assert.deepEqual(mine.map((r) => r.event), ['post_changed'], 'one event for the one adjustment, none for the refused');
  const repeats = seen.repeats;
  await until('the post change delivered', () => got.has(mine[0].key) && rows(`id = ${mine[0].id}`)[0].status === 'sent');
  await new Promise((r) => setTimeout(r, 600));
  // once to the receiver that dedups by key; a second request only when an attempt timed out on a busy
  // machine (timeout_seconds 2 here) and was retried under the same key
  const attempts = rows(`id = ${mine[0].id}`)[0].attempts;
  assert.ok(seen.repeats - repeats <= attempts - 1, `${seen.repeats - repeats} repeats in ${attempts} attempts`);
  const b = got.get(mine[0].key);
  assert.equal(b.event, 'post_changed');
  assert.equal(b.region_code, '360781104200');
  assert.deepEqual(Object.keys(b.data).sort(), ['assignment_id', 'change', 'ended_on', 'kind', 'post', 'start_date', 'status',
    'term_end', 'unit_id', 'unit_name', 'village_code', 'village_name']);
  assert.equal(b.data.assignment_id, post.id);
  assert.equal(b.data.change, 'adjustment');
  assert.equal(b.data.status, 'active', 'the post is held until the successor takes over');
  assert.equal(b.data.village_code, '360781104200');
  assert.equal(b.data.village_name, '沙洲坝村');
  assert.equal(b.data.unit_id, post.unit_id);
  assert.equal(b.data.term_end, post.term_end);
  assert.equal(b.data.cadre_name, undefined, 'no names of people');
  assert.deepEqual(seen.bad, []);
});

test('a dead letter after max_attempts, shown to the system administrator, re-queued (audited) and delivered', async () => {
  assert.equal((await settings({ max_attempts: 2 })).status, 200);
  mode = '500';
  const before = rows().length;
  await leaveAndDecision();
  await until('dead letters', () => rows(`id > ${rows()[before - 1].id}`).every((r) => r.status === 'dead'));
  const dead = await call('GET', '/api/v1/webhook-deliveries?status=dead', admin);
  assert.equal(dead.status, 200, dead.text);
  assert.equal(dead.body.total, 2);
  assert.match(dead.body.items[0].last_error, /HTTP 500/);
  assert.equal((await call('GET', '/api/v1/webhook-deliveries?status=dead', sec)).status, 403);
  mode = 'ok';
  assert.equal((await settings({})).status, 200);
  for (const item of dead.body.items)
    assert.equal((await call('POST', `/api/v1/webhook-deliveries/${item.id}/requeue`, admin)).status, 200);
  assert.equal((await call('POST', `/api/v1/webhook-deliveries/${dead.body.items[0].id}/requeue`, admin)).status, 409);
  assert.equal(sqlite(dbPath, "SELECT count(*) FROM audit WHERE action = 'webhook.requeue'").stdout.trim(), '2');
  await until('the re-queued ones delivered', () => rows().every((r) => r.status === 'sent'));
  assert.equal(got.size, rows().length);
});

test('SIGKILL mid-batch, restart on the same database: the rest delivered, each once; SIGTERM then stops cleanly', async () => {
  mode = 'trickle';
  const before = got.size;
  for (let i = 0; i < 4; i++) await leaveAndDecision();
  const total = rows().length;
  await until('a few of the batch delivered', () => got.size >= before + 3, 30);
  const killed = await exited(server, 'SIGKILL');
  assert.equal(killed.sig, 'SIGKILL');
  assert.ok(got.size < total, 'some were still to send when the server died');
  server = await serve();
  mode = 'ok';
  await until('every event delivered after the restart', () => rows().every((r) => r.status === 'sent'));
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(got.size, total, 'none lost, none twice');
  assert.deepEqual([...got.keys()].sort(), rows().map((r) => r.key).sort());
  assert.deepEqual(seen.bad, []);
  const stopped = await exited(server, 'SIGTERM');
  assert.equal(stopped.code, 0, server.output());
  assert.doesNotMatch(server.output(), /AddressSanitizer|LeakSanitizer|runtime error/);
});
