// Bad input: every error has the documented shape, and a failed write changes nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, uniq } from './lib.mjs';

let s;
let village; // a village of 沙洲坝镇 (Ruijin) for PATCH checks
before(async () => {
  s = await as('ruijin_org');
  const r = await api('GET', '/api/v1/regions?parent=360781104', { session: s });
  const v = r.body.items.filter((x) => x.level === 'village');
  village = v[Math.floor(v.length / 2)];
});

async function unitCount(name) {
  const r = await api('GET', `/api/v1/units?q=${encodeURIComponent(name)}`, { session: s });
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

function unitBody(extra = {}) {
  return { name: `测试单位${uniq('')}`, level: 'county', type: 'other', region_code: '360781', ...extra };
}

test('malformed JSON → 400 json_malformed, nothing created', async () => {
  const r = await api('POST', '/api/v1/units', { session: s, raw: '{"name": "坏JSON单位", "level": ' });
  assertError(r, 400, 'json_malformed', null);
  assert.equal(await unitCount('坏JSON单位'), 0);
  const empty = await api('POST', '/api/v1/units', { session: s, raw: '' });
  assertError(empty, 400, 'json_malformed');
  const dup = await api('POST', '/api/v1/units', { session: s, raw: '{"name":"重复键单位","name":"重复键单位2","level":"county","type":"other","region_code":"360781"}' });
  assert.equal(dup.status, 400, dup.text);
  assert.equal(await unitCount('重复键单位'), 0);
});

test('a JSON array or scalar → 400 json_not_object', async () => {
  assertError(await api('POST', '/api/v1/units', { session: s, raw: '[{"name":"x"}]' }), 400, 'json_not_object');
  assertError(await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, raw: '[]' }), 400, 'json_not_object');
});

// A top-level scalar is valid JSON (RFC 8259) that is not an object: the contract's json_not_object, not
// json_malformed. (Fails today: body_object() calls json_loadb without JSON_DECODE_ANY, so jansson rejects it as a parse error.)
test('a JSON scalar ("text", 5, true) → 400 json_not_object, not json_malformed', async () => {
  for (const raw of ['"text"', '5', 'true', 'null']) {
    assertError(await api('POST', '/api/v1/units', { session: s, raw }), 400, 'json_not_object');
  }
});

test('unknown field on POST /units → 400 field_unknown naming the field; nothing created', async () => {
  const body = unitBody({ color: 'red' });
  const r = await api('POST', '/api/v1/units', { session: s, body });
  assertError(r, 400, 'field_unknown', 'color');
  assert.ok(r.body.error.message.includes('color'));
  assert.equal(await unitCount(body.name), 0);
  const r2 = await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, body: { key_village: true, id: 3 } });
  assertError(r2, 400, 'field_unknown', 'id');
});

test('wrong type → 400 field_type with the field', async () => {
  assertError(await api('POST', '/api/v1/units', { session: s, body: unitBody({ name: 5 }) }), 400, 'field_type', 'name');
  const pid = await api('POST', '/api/v1/units', { session: s, body: unitBody({ parent_id: '12' }) });
  assertError(pid, 400, 'field_type', 'parent_id');
  const kv = await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, body: { key_village: 'yes' } });
  assertError(kv, 400, 'field_type', 'key_village');
});

test('missing required fields → 400 field_required', async () => {
  const { name, ...noName } = unitBody();
  assertError(await api('POST', '/api/v1/units', { session: s, body: noName }), 400, 'field_required', 'name');
  assertError(await api('POST', '/api/v1/units', { session: s, body: unitBody({ name: '' }) }), 400, 'field_required', 'name');
  assert.ok(name);
});

test('bad enumerations and too-long text → 400 field_invalid', async () => {
  assertError(await api('POST', '/api/v1/units', { session: s, body: unitBody({ type: 'army' }) }), 400, 'field_invalid', 'type');
  assertError(await api('POST', '/api/v1/units', { session: s, body: unitBody({ level: 'galaxy' }) }), 400, 'field_invalid', 'level');
  const long = '长'.repeat(101);
  assertError(await api('POST', '/api/v1/units', { session: s, body: unitBody({ name: long }) }), 400, 'field_invalid', 'name');
  assert.equal(await unitCount('长'.repeat(50)), 0);
});

test('lat out of range → 400 field_invalid field lat; lat without lng → 400; nothing changes', async () => {
  const beforeR = (await api('GET', `/api/v1/regions/${village.code}`, { session: s })).body;
  const r = await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, body: { lat: 95.5, lng: 116.0, radius_m: 800 } });
  assertError(r, 400, 'field_invalid', 'lat');
  const r2 = await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, body: { lat: 25.9, radius_m: 800 } });
  assert.equal(r2.status, 400, r2.text);
  assert.equal(r2.body.error.field, 'lng');
  const r3 = await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, body: { lng: 116.0 } });
  assert.equal(r3.status, 400, r3.text);
  assert.equal(r3.body.error.field, 'lat');
  const r4 = await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, body: { lat: 25.9, lng: 116.0, radius_m: 5 } });
  assertError(r4, 400, 'field_invalid', 'radius_m');
  // a valid key flag with an invalid fence: the whole request fails
  const r5 = await api('PATCH', `/api/v1/regions/${village.code}`, { session: s, body: { key_village: !beforeR.key_village, lat: -91, lng: 116 } });
  assertError(r5, 400, 'field_invalid', 'lat');
  const afterR = (await api('GET', `/api/v1/regions/${village.code}`, { session: s })).body;
  for (const k of ['key_village', 'lat', 'lng', 'radius_m']) assert.deepEqual(afterR[k], beforeR[k], k);
});

test('a village-only attribute on a township → 400', async () => {
  const r = await api('PATCH', '/api/v1/regions/360781104', { session: s, body: { key_village: true } });
  assert.equal(r.status, 400, r.text);
  const t = await api('GET', '/api/v1/regions/360781104', { session: s });
  assert.ok(!t.body.key_village);
});

test('body over 1 MiB → 413 body_too_large', async () => {
  const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 100), level: 'county', type: 'other', region_code: '360781' });
  let r;
  try {
    r = await api('POST', '/api/v1/units', { session: s, raw: big });
  } catch (e) {
    assert.fail(`the server dropped the connection instead of answering 413: ${e.cause?.code || e}`);
  }
  assertError(r, 413, 'body_too_large');
  // the server is still fine
  assert.equal((await api('GET', '/api/v1/health')).status, 200);
});

test('page_size=1000 → 400; page=abc → 400; page=0 → 400; page_size=200 → 200', async () => {
  assertError(await api('GET', '/api/v1/units?page_size=1000', { session: s }), 400, 'field_invalid', 'page_size');
  assertError(await api('GET', '/api/v1/units?page=abc', { session: s }), 400, 'field_invalid', 'page');
  assertError(await api('GET', '/api/v1/units?page=0', { session: s }), 400, 'field_invalid', 'page');
  assertError(await api('GET', '/api/v1/cadres?page_size=-5', { session: s }), 400, 'field_invalid', 'page_size');
  const ok = await api('GET', '/api/v1/cadres?page_size=200&page=1', { session: s });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.page_size, 200);
  assert.equal(ok.body.page, 1);
  assert.ok(ok.body.items.length <= 200);
  const p2 = await api('GET', '/api/v1/cadres?page_size=3&page=2', { session: s });
  const p1 = await api('GET', '/api/v1/cadres?page_size=3&page=1', { session: s });
  assert.equal(p2.body.items.length, 3);
  assert.equal(p2.body.total, p1.body.total);
  const ids1 = new Set(p1.body.items.map((c) => c.id));
  for (const c of p2.body.items) assert.ok(!ids1.has(c.id), 'pages do not overlap');
});

test('unknown path → 404 not_found; wrong method → 405', async () => {
  assertError(await api('GET', '/api/v1/nothing-here', { session: s }), 404, 'not_found', null);
  assertError(await api('GET', '/api/v1/nothing-here'), 404, 'not_found');
  const m = await api('DELETE', '/api/v1/units', { session: s });
  assert.equal(m.status, 405, m.text);
  assert.equal(m.body.error.code, 'method_not_allowed');
  assert.match(m.body.error.message, /[\u4e00-\u9fff]/);
  assert.equal((await api('PUT', '/api/v1/health')).status, 405);
  assert.equal((await api('DELETE', '/api/v1/regions/360781104', { session: s })).status, 405);
});

test('a bad id in the path → 404; a region code of the wrong shape → 404', async () => {
  assertError(await api('GET', '/api/v1/units/abc', { session: s }), 404, 'not_found');
  assertError(await api('GET', '/api/v1/units/999999999', { session: s }), 404, 'not_found');
  assert.equal((await api('GET', '/api/v1/regions/12345', { session: s })).status, 404);
  assertError(await api('GET', '/api/v1/regions?parent=abc', { session: s }), 400, 'field_invalid', 'parent');
});

test('duplicate unit name in the same region → 409 conflict; the first stays alone', async () => {
  const body = unitBody();
  const a = await api('POST', '/api/v1/units', { session: s, body });
  assert.equal(a.status, 201, a.text);
  const b = await api('POST', '/api/v1/units', { session: s, body: { ...body, type: 'soe' } });
  assertError(b, 409, 'conflict');
  assert.equal(await unitCount(body.name), 1);
  const one = await api('GET', `/api/v1/units/${a.body.id}`, { session: s });
  assert.equal(one.body.type, 'other');
  // renaming another unit to that name is a conflict too
  const c = await api('POST', '/api/v1/units', { session: s, body: unitBody() });
  assert.equal(c.status, 201);
  const p = await api('PATCH', `/api/v1/units/${c.body.id}`, { session: s, body: { name: body.name } });
  assertError(p, 409, 'conflict');
  assert.equal((await api('GET', `/api/v1/units/${c.body.id}`, { session: s })).body.name, c.body.name);
});

test('unit level not matching the region level → 400; nothing created or changed', async () => {
  const body = unitBody({ level: 'township' });
  assertError(await api('POST', '/api/v1/units', { session: s, body }), 400, 'field_invalid', 'level');
  assert.equal(await unitCount(body.name), 0);
  const body2 = unitBody({ level: 'county', region_code: '360781104' });
  assertError(await api('POST', '/api/v1/units', { session: s, body: body2 }), 400, 'field_invalid');
  assert.equal(await unitCount(body2.name), 0);
  const ok = await api('POST', '/api/v1/units', { session: s, body: unitBody() });
  assert.equal(ok.status, 201);
  const p = await api('PATCH', `/api/v1/units/${ok.body.id}`, { session: s, body: { region_code: '360781104' } });
  assert.equal(p.status, 400, p.text);
  const after = await api('GET', `/api/v1/units/${ok.body.id}`, { session: s });
  assert.equal(after.body.region_code, '360781');
  assert.equal(after.body.level, 'county');
});

test('a unit in another county → 400 region_code; nothing created', async () => {
  const body = unitBody({ region_code: '360702' });
  assertError(await api('POST', '/api/v1/units', { session: s, body }), 400, 'field_invalid', 'region_code');
  const city = await as('city_org');
  const r = await api('GET', `/api/v1/units?q=${encodeURIComponent(body.name)}`, { session: city });
  assert.equal(r.body.total, 0);
});
