// Check-in (考勤, 2.1): the fence, times the server refuses, offline check-ins sent later, duplicates,
// flags for review (3.6), scope, and today's board.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api, as, assertError } from './lib.mjs';
import { NOW_MS, today as pinnedToday } from '../clock.mjs';

let cadre, township, other, centre;
const iso = (ms) => new Date(ms + 8 * 3600e3).toISOString().replace('Z', '+08:00').replace(/\.\d{3}/, '');
const today = () => pinnedToday();

function checkin(body) {
  const now = NOW_MS;
  return api('POST', '/api/v1/checkins', {
    session: cadre,
    body: { client_id: randomUUID(), at: iso(now), sent_at: iso(now), lat: centre.lat, lng: centre.lng, accuracy_m: 20,
      source: 'gps', ...body },
  });
}

before(async () => {
  cadre = await as('cadre1');
  township = await as('shazhouba_sec');
  other = await as('xianghu_sec');
  const me = await api('GET', '/api/v1/me/today', { session: cadre });
  assert.equal(me.status, 200, me.text);
  centre = me.body.assignment;
  assert.ok(centre.lat && centre.radius_m, 'the demo village has a fence');
});

test('inside the fence: in_fence, the distance and a Chinese sentence naming the village', async () => {
  const r = await checkin({ lat: centre.lat + 0.002 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.in_fence, true);
  assert.ok(r.body.distance_m > 150 && r.body.distance_m < 300, String(r.body.distance_m));
  assert.match(r.body.message, /^已在.+范围内（距村部 \d+ 米）$/);
  assert.equal(r.body.delayed, false);
});

test('outside the fence: kept, marked, with the reason', async () => {
  const r = await checkin({ lat: centre.lat + 0.05, reason: '到镇里开会' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.in_fence, false);
  assert.equal(r.body.reason, '到镇里开会');
  assert.match(r.body.message, /^不在.+范围内（距村部 5\.\d 公里）$/);
});

test('kept offline and sent later: accepted with its original time and marked delayed', async () => {
  const then = NOW_MS - 3 * 3600e3;
  const r = await checkin({ at: iso(then) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.delayed, true);
  assert.equal(r.body.time.slice(11, 16), iso(then).slice(11, 16));
});

test('the same client_id twice: 409 duplicate with the first record, nothing added', async () => {
  const id = randomUUID();
  const a = await checkin({ client_id: id });
  assert.equal(a.status, 201, a.text);
  const b = await checkin({ client_id: id });
  assertError(b, 409, 'duplicate', 'client_id');
  assert.equal(b.body.error.existing.id, a.body.id);
});

test('times the server refuses', async () => {
  const now = NOW_MS;
  assertError(await checkin({ at: iso(now + 3600e3) }), 400, 'time_in_future', 'at');
  assertError(await checkin({ at: iso(now + 20 * 60e3), sent_at: iso(now + 20 * 60e3) }), 400, 'clock_skew', 'sent_at');
  assertError(await checkin({ at: iso(now - 4 * 86400e3) }), 400, 'too_late', 'at');
  assertError(await checkin({ at: '2026-11-29T09:00:00' }), 400, 'field_invalid', 'at');
  assertError(await checkin({ client_id: 'short' }), 400, 'field_invalid', 'client_id');
  assertError(await checkin({ lat: 95 }), 400, 'field_invalid', 'lat');
  assertError(await checkin({ source: 'wifi' }), 400, 'field_invalid', 'source');
});

test('a jump faster than travel allows is flagged for review', async () => {
  const a = await checkin({});
  assert.equal(a.status, 201);
  const b = await checkin({ lat: centre.lat + 1.0, reason: '测试' });
  assert.equal(b.status, 201, b.text);
  assert.ok(b.body.flags.includes('speed'), JSON.stringify(b.body.flags));
  const flagged = await api('GET', `/api/v1/checkins?flagged=1&cadre=${b.body.cadre_id}`, { session: township });
  assert.ok(flagged.body.items.some((x) => x.id === b.body.id));
});

test('only a cadre with a post checks in', async () => {
  const r = await api('POST', '/api/v1/checkins', { session: township, body: {} });
  assertError(r, 403, 'forbidden');
});

test("today's board: the township sees cadre1 present; another township does not see them", async () => {
  const b = await api('GET', `/api/v1/board?date=${today()}`, { session: township });
  assert.equal(b.status, 200, b.text);
  const me = b.body.items.find((x) => x.cadre_id === cadre.user.cadre_id);
  assert.ok(me, 'cadre1 on the board');
  assert.equal(me.status, 'present');
  const sum = Object.values(b.body.totals).reduce((x, y) => x + y, 0);
  assert.equal(sum, b.body.items.length);
  const o = await api('GET', `/api/v1/board?date=${today()}`, { session: other });
  assert.ok(!o.body.items.some((x) => x.cadre_id === cadre.user.cadre_id));
  const raw = await api('GET', `/api/v1/checkins?cadre=${cadre.user.cadre_id}`, { session: other });
  assert.equal(raw.body.total, 0);
  const x = await api('GET', `/api/v1/board?date=${today()}&format=xlsx`, { session: township });
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
});

// Issue 11: a cadre's lists are their own. Naming another cadre used to answer 200 with an empty list
// (read as "did nothing"); it is refused like any read outside the scope, on every list a cadre has.
test('a cadre filtering by another cadre is refused (check-ins, visits, logs, leave); by themselves is answered', async () => {
  const b = await api('GET', `/api/v1/board?date=${today()}`, { session: township });
  const otherCadre = b.body.items.find((x) => x.cadre_id !== cadre.user.cadre_id);
  assert.ok(otherCadre, 'another cadre in the township');
  for (const path of ['/api/v1/checkins', '/api/v1/visits', '/api/v1/logs', '/api/v1/leaves']) {
    const r = await api('GET', `${path}?cadre=${otherCadre.cadre_id}`, { session: cadre });
    assertError(r, 403, 'forbidden', 'cadre');
    const own = await api('GET', `${path}?cadre=${cadre.user.cadre_id}`, { session: cadre });
    assert.equal(own.status, 200, `${path}: ${own.text}`);
    const bad = await api('GET', `${path}?cadre=abc`, { session: cadre });
    assertError(bad, 400, 'field_invalid', 'cadre');
  }
  const mine = await api('GET', `/api/v1/checkins?cadre=${cadre.user.cadre_id}`, { session: cadre });
  assert.ok(mine.body.total > 0, 'the own filter still finds the check-ins');
});

test('the answer to a check-in is the record as stored: the same fields as the stored row read back (issue 15: made, not re-read)', async () => {
  const cases = [
    { lat: centre.lat + 0.001 },
    { lat: centre.lat + 0.05, reason: '到镇里开会', source: 'network', accuracy_m: 35.5 },
    { at: iso(NOW_MS - 2 * 3600e3) },
  ];
  for (const extra of cases) {
    const client_id = randomUUID();
    const made = await checkin({ client_id, ...extra });
    assert.equal(made.status, 201, made.text);
    const again = await checkin({ client_id, ...extra });
    assert.equal(again.status, 409, again.text);
    const stored = again.body.error.existing;
    const { message, radius_m, ...answer } = made.body;
    assert.ok(message && radius_m > 0);
    assert.deepEqual(answer, stored, `${JSON.stringify(extra)}: the answer and the stored row`);
  }
});
