// CSRF: every write but the login needs X-CSRF-Token equal to the session's token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, login } from './lib.mjs';

// A village of 瑞林镇 (360781101), Ruijin; chosen by position so other files (which use other villages) do not clash.
async function village(session) {
  const r = await api('GET', '/api/v1/regions?parent=360781101', { session });
  assert.equal(r.status, 200, r.text);
  const villages = r.body.items.filter((x) => x.level === 'village');
  assert.ok(villages.length >= 3, '瑞林镇 has villages');
  return villages[1].code;
}

async function keyVillage(session, code) {
  const r = await api('GET', `/api/v1/regions/${code}`, { session });
  assert.equal(r.status, 200, r.text);
  return r.body.key_village;
}

test('a write without X-CSRF-Token → 403 csrf_required, wrong → 403 csrf_invalid, right → 200', async () => {
  const s = await as('ruijin_org');
  const code = await village(s);
  const before = await keyVillage(s, code);
  const want = !before;

  const none = await api('PATCH', `/api/v1/regions/${code}`, { session: s, csrf: null, body: { key_village: want } });
  assertError(none, 403, 'csrf_required');
  assert.equal(await keyVillage(s, code), before, 'refused write changed nothing');

  const wrong = await api('PATCH', `/api/v1/regions/${code}`, { session: s, csrf: 'x'.repeat(s.csrf.length), body: { key_village: want } });
  assertError(wrong, 403, 'csrf_invalid');
  assert.equal(await keyVillage(s, code), before, 'refused write changed nothing');

  const shorter = await api('PATCH', `/api/v1/regions/${code}`, { session: s, csrf: s.csrf.slice(0, -1), body: { key_village: want } });
  assertError(shorter, 403, 'csrf_invalid');
  const empty = await api('PATCH', `/api/v1/regions/${code}`, { session: s, csrf: '', body: { key_village: want } });
  assert.equal(empty.status, 403, empty.text);
  assert.match(empty.body.error.code, /^csrf_(required|invalid)$/);
  assert.equal(await keyVillage(s, code), before, 'refused write changed nothing');

  const right = await api('PATCH', `/api/v1/regions/${code}`, { session: s, body: { key_village: want } });
  assert.equal(right.status, 200, right.text);
  assert.equal(right.body.key_village, want);
  assert.equal(await keyVillage(s, code), want);

  // put it back
  const back = await api('PATCH', `/api/v1/regions/${code}`, { session: s, body: { key_village: before } });
  assert.equal(back.status, 200, back.text);
  assert.equal(await keyVillage(s, code), before);
});

test("the token of another session (even of the same user) is refused", async () => {
  const a = await login('ruijin_org');
  const b = await login('ruijin_org');
  assert.notEqual(a.csrf, b.csrf, 'each session has its own token');
  const code = await village(a);
  const before = await keyVillage(a, code);
  const r = await api('PATCH', `/api/v1/regions/${code}`, { session: a, csrf: b.csrf, body: { key_village: !before } });
  assertError(r, 403, 'csrf_invalid');
  assert.equal(await keyVillage(a, code), before);
});

test('CSRF is checked on POST and DELETE too, and before the body is read', async () => {
  const s = await as('ruijin_org');
  const post = await api('POST', '/api/v1/units', { session: s, csrf: null, body: { name: '无令牌单位', level: 'county', type: 'other', region_code: '360781' } });
  assertError(post, 403, 'csrf_required');
  const units = await api('GET', `/api/v1/units?q=${encodeURIComponent('无令牌单位')}`, { session: s });
  assert.equal(units.body.total, 0, 'the unit was not created');

  const bad = await api('POST', '/api/v1/units', { session: s, csrf: null, raw: '{not json' });
  assertError(bad, 403, 'csrf_required');

  const del = await api('DELETE', '/api/v1/session', { session: s, csrf: null });
  assertError(del, 403, 'csrf_required');
  assert.equal((await api('GET', '/api/v1/session', { session: s })).status, 200, 'still logged in');
});

test('login itself needs no CSRF token; GET needs none', async () => {
  const r = await api('POST', '/api/v1/session', { body: { username: 'city_rrb', password: 'Zhucun@2026' } });
  assert.equal(r.status, 200, r.text);
  const s = await as('city_rrb');
  assert.equal((await api('GET', '/api/v1/regions', { session: s, csrf: null })).status, 200);
});
