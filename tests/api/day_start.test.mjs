// The day's settlement off the request path (issue 15, http/day_start): a server on a day not yet
// settled answers its health probe and its logins at once, while the answers that depend on the day
// (notices of the duties due, the allowance sheets of the month just ended) wait for the settlement
// and show it on the very first request. A SIGTERM during the settlement stops the server cleanly, and
// the next server finishes the day with nothing raised twice.
//
// Order, not time: each answer is written to the server's access log when it is sent, and the
// settlement logs "day D settled" when it ends, so the log says which answer came before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, copyDb, login, serveAt, sqlite } from './lib.mjs';
import { today } from '../clock.mjs';

const q = (db, text) => {
  const r = sqlite(db, text);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

/** The position in the server's output of the access-log line of `method url` (its first), or -1. */
const answered = (out, method, url) => out.indexOf(`"m":"${method}","url":"${url}"`);

test('a day not yet settled: health and login do not wait; the notices and allowance sheets of the day are there on the first read', async () => {
  const db = copyDb();
  const ended = today().slice(0, 7); // this month; the server is on the 1st of the next: the month just ended
  const [y, m] = ended.split('-').map(Number);
  const D = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const sheetsBefore = new Set(q(db, `SELECT id FROM allowance_sheet WHERE month = '${ended}'`).split('\n').filter(Boolean));
  const dutiesBefore = Number(q(db, "SELECT count(*) FROM notification_event WHERE kind IN ('duty_due', 'duty_overdue')"));
  const s = await serveAt(db, `${D}T10:00:00+08:00`);
  let end;
  try {
    const health = await api('GET', '/api/v1/health', { base: s.url });
    assert.equal(health.status, 200, health.text);
    const sec = await login('shazhouba_sec', undefined, s.url);
    const org = await login('ruijin_org', undefined, s.url);
    // both read at once, on the first request of each
    const [inbox, sheets] = await Promise.all([
      api('GET', '/api/v1/notifications?page_size=200', { session: sec, base: s.url }),
      api('GET', `/api/v1/allowance-sheets?month=${ended}&page_size=200`, { session: org, base: s.url }),
    ]);
    assert.equal(inbox.status, 200, inbox.text);
    assert.equal(sheets.status, 200, sheets.text);
    const at = Math.floor(Date.parse(`${D}T10:00:00+08:00`) / 1000);
    assert.ok(inbox.body.items.some((n) => /^duty_(due|overdue)$/.test(n.kind) && n.created_at === at),
      `the duties due or overdue, raised by this day's settlement, on the first read: ${inbox.text.slice(0, 300)}`);
    const drafted = sheets.body.items.filter((x) => !sheetsBefore.has(String(x.id)));
    assert.ok(drafted.length > 0, `the sheets of ${ended}, drafted by the settlement, on the first read: ${sheets.text.slice(0, 300)}`);
    assert.ok(drafted.every((x) => x.month === ended && x.status === 'draft'), sheets.text.slice(0, 300));
    assert.ok(Number(q(db, "SELECT count(*) FROM notification_event WHERE kind IN ('duty_due', 'duty_overdue')")) > dutiesBefore);
  } finally {
    end = await s.stop();
  }
  assert.equal(end.code, 0, end.out);
  assert.ok(!/Sanitizer/.test(end.out), end.out);
  const settled = end.out.indexOf(`day ${D.replaceAll('-', '')} settled in`);
  assert.ok(settled > 0, `the settlement logged its end: ${end.out.slice(-2000)}`);
  const health = answered(end.out, 'GET', '/api/v1/health');
  const loginAt = answered(end.out, 'POST', '/api/v1/session');
  assert.ok(health >= 0 && health < settled, 'the health probe was answered before the settlement ended');
  assert.ok(loginAt >= 0 && loginAt < settled, 'the login was answered before the settlement ended');
  assert.ok(answered(end.out, 'GET', '/api/v1/notifications') > settled, 'the notices waited for the settlement');
  assert.ok(answered(end.out, 'GET', '/api/v1/allowance-sheets') > settled, 'the sheets waited for the settlement');
});

test('SIGTERM during the settlement: a clean stop (exit 0), the day cut short; the next server settles it, nothing twice', async () => {
  const db = copyDb();
  const D = today(18); // the month's duties fall due on its last day, within 3 days of D
  const day = D.replaceAll('-', '');
  const first = await serveAt(db, `${D}T10:00:00+08:00`);
  const stopped = await first.stop(); // at once: the settlement has just begun
  assert.equal(stopped.code, 0, stopped.out);
  assert.ok(!/Sanitizer/.test(stopped.out), stopped.out);
  assert.match(stopped.out, new RegExp(`the settlement of day ${day} was cut short by the shutdown`), stopped.out);
  assert.ok(!stopped.out.includes(`day ${day} settled in`), stopped.out);
  assert.match(stopped.out, /server: stopped/);
  assert.equal(q(db, 'PRAGMA integrity_check'), 'ok');
  const keysAfterCut = Number(q(db, "SELECT count(*) FROM notification_key WHERE kind = 'duty_due'"));

  const second = await serveAt(db, `${D}T10:00:00+08:00`);
  let inbox;
  try {
    const sec = await login('shazhouba_sec', undefined, second.url);
    inbox = await api('GET', '/api/v1/notifications?page_size=200', { session: sec, base: second.url });
  } finally {
    const end = await second.stop();
    assert.equal(end.code, 0, end.out);
    assert.match(end.out, new RegExp(`day ${day} settled in`), end.out);
  }
  assert.equal(inbox.status, 200, inbox.text);
  assert.ok(inbox.body.items.some((n) => n.kind === 'duty_due'), inbox.text.slice(0, 300));
  const keys = Number(q(db, "SELECT count(*) FROM notification_key WHERE kind = 'duty_due'"));
  assert.ok(keys >= keysAfterCut && keys > 0);
  const events = q(db, "SELECT count(*) || '/' || count(DISTINCT entity_id) FROM notification_event WHERE kind = 'duty_due'");
  const [all, distinct] = events.split('/');
  assert.equal(all, distinct, 'one event per occasion: the cut-short day raised nothing twice');
});
