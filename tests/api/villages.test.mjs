// 村情 (5.6–5.10), read through the store (issue 16, the store seam): the list of villages and one
// village's page keep their fields, types and order; the list's figures agree with the page's;
// a village out of the caller's scope is not found; a failed read answers 500, never a page with
// its categories cut short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, copyDb, login, serveAt, sqlite, DEMO_PASSWORD } from './lib.mjs';
import { isoCST } from '../clock.mjs';

const VILLAGE = '360781104200'; // 沙洲坝村: cadre1's village
const LIST_KEYS = ['code', 'name', 'township_name', 'key_village', 'households', 'monitored', 'first_secretary'];
const PAGE_KEYS = ['code', 'name', 'township_name', 'county_name', 'key_village', 'official_name', 'categories', 'team',
  'coverage_months'];
const POSTS = { first_secretary: '第一书记', team_leader: '工作队长', team_member: '工作队员' };
const CATEGORIES = { alleviated: '脱贫户', unstable: '脱贫不稳定户', marginal: '边缘易致贫户', sudden: '突发严重困难户',
  general: '一般农户' };

test('the list: its fields in order, 重点村 first and as booleans, the total from the same query', async () => {
  const sec = await as('shazhouba_sec');
  const r = await api('GET', '/api/v1/villages?page_size=200', { session: sec });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.length > 5, 'the township has villages');
  assert.equal(r.body.total, r.body.items.length);
  for (const v of r.body.items) {
    assert.deepEqual(Object.keys(v), LIST_KEYS, v.code);
    assert.equal(typeof v.key_village, 'boolean', v.code);
    assert.ok(Number.isInteger(v.households) && Number.isInteger(v.monitored) && v.monitored <= v.households, v.code);
    assert.ok(v.first_secretary === null || typeof v.first_secretary === 'string', v.code);
  }
  const plain = r.body.items.findIndex((v) => !v.key_village);
  assert.ok(plain > 0, 'key villages and others');
  assert.ok(r.body.items.slice(plain).every((v) => !v.key_village), 'key villages first');
  const keys = await api('GET', '/api/v1/villages?key=1&page_size=200', { session: sec });
  assert.deepEqual(keys.body.items.map((v) => v.code), r.body.items.filter((v) => v.key_village).map((v) => v.code));
  assert.equal(keys.body.total, plain);
  const named = await api('GET', `/api/v1/villages?q=${encodeURIComponent('沙洲坝')}`, { session: sec });
  assert.ok(named.body.items.some((v) => v.code === VILLAGE));
  assert.ok(named.body.items.every((v) => v.name.includes('沙洲坝')));
  const two = await api('GET', '/api/v1/villages?page_size=2&page=2', { session: sec });
  assert.equal(two.body.total, r.body.total, 'a page counts every village, not its own rows');
  assert.deepEqual(two.body.items.map((v) => v.code), r.body.items.slice(2, 4).map((v) => v.code));
});

test('the village page: its names, households by category, the team with its posts, as the list counts them', async () => {
  const sec = await as('shazhouba_sec');
  const r = await api('GET', `/api/v1/villages/${VILLAGE}`, { session: sec });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.body), PAGE_KEYS);
  assert.equal(typeof r.body.key_village, 'boolean');
  assert.ok(r.body.categories.length > 0 && r.body.team.length > 0);
  for (const c of r.body.categories) {
    assert.deepEqual(Object.keys(c), ['category', 'name', 'count', 'monitored']);
    assert.equal(c.name, CATEGORIES[c.category], c.category);
    assert.ok(Number.isInteger(c.count) && Number.isInteger(c.monitored) && c.monitored <= c.count);
  }
  for (const m of r.body.team) {
    assert.deepEqual(Object.keys(m), ['cadre_id', 'name', 'post', 'post_name', 'unit_name']);
    assert.equal(m.post_name, POSTS[m.post], m.post);
    assert.ok(Number.isInteger(m.cadre_id) && m.unit_name.length > 0);
  }
  assert.equal(r.body.team[0].post, 'first_secretary', 'the first secretary heads the team');
  const listed = (await api('GET', `/api/v1/villages?region=${VILLAGE.slice(0, 9)}&page_size=200`, { session: sec }))
    .body.items.find((v) => v.code === VILLAGE);
  assert.equal(listed.households, r.body.categories.reduce((s, c) => s + c.count, 0));
  assert.equal(listed.monitored, r.body.categories.reduce((s, c) => s + c.monitored, 0));
  assert.equal(listed.first_secretary, r.body.team[0].name);
  assert.equal(listed.key_village, r.body.key_village);
});

test('a cadre sees their own village only; another village is not found', async () => {
  const cadre = await as('cadre1');
  const mine = await api('GET', '/api/v1/villages?page_size=200', { session: cadre });
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.body.items.map((v) => v.code), [VILLAGE]);
  assert.equal((await api('GET', `/api/v1/villages/${VILLAGE}`, { session: cadre })).status, 200);
  const sec = await as('shazhouba_sec');
  const other = (await api('GET', '/api/v1/villages?page_size=200', { session: sec })).body.items.find((v) => v.code !== VILLAGE);
  assertError(await api('GET', `/api/v1/villages/${other.code}`, { session: cadre }), 404, 'not_found');
  assertError(await api('GET', '/api/v1/villages/360781104', { session: sec }), 404, 'not_found');
});

test('a read that fails half-way answers 500, not the page with the categories read so far', async () => {
  // a copy of the database where the village's households sum past the largest integer: the count by
  // category stops with an error at its first group, which a loop reading "until no more rows" took
  // for the end of the rows
  const path = copyDb('villages-broken.db');
  const broken = sqlite(path, `UPDATE household SET monitored = 9223372036854775807 WHERE village_code = '${VILLAGE}'`);
  assert.equal(broken.status, 0, broken.stderr);
  const server = await serveAt(path, isoCST());
  try {
    const sec = await login('shazhouba_sec', DEMO_PASSWORD, server.url);
    const villages = await api('GET', '/api/v1/villages?page_size=5', { session: sec, base: server.url });
    assert.equal(villages.status, 200, 'the list counts, it does not sum');
    assertError(await api('GET', `/api/v1/villages/${VILLAGE}`, { session: sec, base: server.url }), 500, 'internal');
  } finally {
    await server.stop();
  }
});
