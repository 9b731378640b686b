// 接口令牌 (issue 13, part 2): a token-holding script pulls the city's cases and gets 403 outside its scope.
// The security administrator issues a token scoped to 瑞金市 with one read permission; the script reads
// 瑞金市's monitoring cases with `Authorization: Bearer`, no session and no CSRF token; it gets 404 for a
// 于都县 household (out of scope, as for an account of 瑞金市), 403 for the cadres' list (a permission it was
// not granted) and 403 for session-only endpoints (accounts, tokens, messages) and for any write. The token
// is stored only as its SHA-256; every use leaves an audit row and stamps the last use; an expired, a
// revoked and a made-up token get 401; a script that calls too fast gets 429 with Retry-After.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { api, as, assertError, copyDb, serveAt, sqlite, DB } from './lib.mjs';
import { today, NOW_MS, isoCST } from '../clock.mjs';

let sec, sys, org;
const bearer = (token) => ({ headers: { authorization: `Bearer ${token}` } });
const get = (path, token, base) => api('GET', path, { ...bearer(token), ...(base ? { base } : {}) });
const issue = (body) => api('POST', '/api/v1/api-tokens', { session: sec, body: {
  name: '省防返贫监测平台', region_code: '360781', permissions: ['household_read'], expires_on: today(30), ...body } });
const q = (sql) => sqlite(DB, sql).stdout.trim();

before(async () => {
  sec = await as('secadmin');
  sys = await as('sysadmin');
  org = await as('city_org');
});

test('the security administrator issues a token: shown once, stored only as its SHA-256, listed with its last use', async () => {
  const r = await issue({});
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.token, /^zc_[0-9a-f]{64}$/);
  assert.equal(r.body.state, 'active');
  assert.deepEqual(r.body.permissions.map((p) => p.name), ['household_read']);
  const row = q(`SELECT * FROM api_token WHERE id = ${r.body.id}`);
  assert.ok(!row.includes(r.body.token.slice(3)), 'the token is not in the database in clear');
  assert.equal(q(`SELECT token_hash FROM api_token WHERE id = ${r.body.id}`), createHash('sha256').update(r.body.token).digest('hex'));
  const listed = await api('GET', '/api/v1/api-tokens', { session: sec });
  assert.equal(listed.status, 200, listed.text);
  const mine = listed.body.items.find((t) => t.id === r.body.id);
  assert.equal(mine.token, undefined, 'never shown again');
  assert.equal(mine.last_used_at, null);
  assert.ok(!listed.text.includes(r.body.token.slice(10)));
  assert.ok(listed.body.permissions.some((p) => p.name === 'household_read' && p.name_zh));
  await get('/api/v1/cases', r.body.token);
  const again = (await api('GET', '/api/v1/api-tokens', { session: sec })).body.items.find((t) => t.id === r.body.id);
  assert.equal(again.last_used_at, Math.floor(NOW_MS / 1000));
  // the audit row of the issue carries its hint, never the token
  assert.equal(q(`SELECT count(*) FROM audit WHERE action = 'api_token.create' AND entity_id = '${r.body.id}' AND detail NOT LIKE '%${r.body.token.slice(10)}%'`), '1');
});

test('only the security administrator issues tokens; the name, the permissions and the expiry are checked', async () => {
  assert.equal((await api('POST', '/api/v1/api-tokens', { session: sys, body: {} })).status, 403);
  assert.equal((await api('GET', '/api/v1/api-tokens', { session: org })).status, 403);
  assertError(await issue({ expires_on: today(400) }), 400, 'field_invalid', 'expires_on');
  assertError(await issue({ expires_on: today(0) }), 400, 'field_invalid', 'expires_on');
  assertError(await issue({ expires_on: undefined }), 400, 'field_required', 'expires_on');
  assertError(await issue({ permissions: ['user_write'] }), 400, 'field_invalid', 'permissions');
  assertError(await issue({ permissions: [] }), 400, 'field_required', 'permissions');
  assertError(await issue({ region_code: '360781104200' }), 400, 'field_invalid', 'region_code'); // a village
  assertError(await issue({ name: '' }), 400, 'field_required', 'name');
  assert.ok((await issue({ expires_on: today(365) })).status === 201, 'a year is the limit');
});

test("a token-holding script pulls 瑞金市's cases and gets 403/404 outside its scope and permissions", async () => {
  const { body: t } = await issue({});
  const cases = await get('/api/v1/cases?page_size=200', t.token);
  assert.equal(cases.status, 200, cases.text);
  assert.ok(cases.body.total > 0);
  assert.ok(cases.body.items.every((c) => c.village_code.startsWith('360781')), 'only 瑞金市');
  const asOrg = await api('GET', '/api/v1/cases?page_size=200', { session: await as('ruijin_org') });
  assert.equal(cases.body.total, asOrg.body.total, 'the same cases as an account of 瑞金市');
  const one = await get(`/api/v1/cases/${cases.body.items[0].id}`, t.token);
  assert.equal(one.status, 200, one.text);
  // 于都县's household: not found, exactly as for an account of 瑞金市
  const yudu = q("SELECT id FROM household WHERE village_code LIKE '360731%' LIMIT 1");
  assert.ok(yudu);
  assertError(await get(`/api/v1/households/${yudu}`, t.token), 404, 'not_found');
  assert.equal((await api('GET', `/api/v1/households/${yudu}`, { session: org })).status, 200, 'the city sees it');
  // a 于都县 token sees none of 瑞金市's cases
  const { body: y } = await issue({ region_code: '360731' });
  assertError(await get(`/api/v1/cases/${cases.body.items[0].id}`, y.token), 404, 'not_found');
  const theirs = await get('/api/v1/cases', y.token);
  assert.ok(theirs.body.items.every((c) => c.village_code.startsWith('360731')));
  // a permission not granted
  assertError(await get('/api/v1/cadres', t.token), 403, 'forbidden');
  assertError(await get('/api/v1/assignments', t.token), 403, 'forbidden');
  // session-only endpoints and writes: refused, even with no CSRF token needed
  for (const path of ['/api/v1/users', '/api/v1/api-tokens', '/api/v1/notifications', '/api/v1/session', '/api/v1/audit',
    '/api/v1/webhooks', `/api/v1/households/${cases.body.items[0].household_id}/members/1/health`])
    assertError(await get(path, t.token), 403, 'token_not_allowed');
  assertError(await api('POST', '/api/v1/cases', { ...bearer(t.token), body: { household_id: 1 } }), 403, 'token_not_allowed');
  assertError(await api('POST', '/api/v1/api-tokens', { ...bearer(t.token), body: {} }), 403, 'token_not_allowed');
  // a second permission opens the cadres' list, still bounded by the scope
  const { body: both } = await issue({ permissions: ['household_read', 'cadre_read'] });
  const cadres = await get('/api/v1/cadres', both.token);
  assert.equal(cadres.status, 200, cadres.text);
});

test('every use is audited with its path, admitted or refused', async () => {
  const { body: t } = await issue({});
  await get('/api/v1/cases', t.token);
  await get('/api/v1/cadres', t.token);
  const rows = q(`SELECT user_id, username, detail FROM audit WHERE action = 'api_token.use' AND entity_id = '${t.id}' ORDER BY id`).split('\n');
  assert.equal(rows.length, 2, rows.join('\n'));
  assert.match(rows[0], /^\|api_token:\d+\|.*"admitted":true.*"path":"\/api\/v1\/cases"/);
  assert.match(rows[1], /"admitted":false.*"path":"\/api\/v1\/cadres"/);
  assert.ok(!rows.join('').includes(t.token.slice(3)));
});

test('a revoked, an expired and a made-up token get 401', async () => {
  const { body: t } = await issue({});
  assert.equal((await get('/api/v1/cases', t.token)).status, 200);
  const rv = await api('POST', `/api/v1/api-tokens/${t.id}/revoke`, { session: sec });
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.body.state, 'revoked');
  assertError(await api('POST', `/api/v1/api-tokens/${t.id}/revoke`, { session: sec }), 409, 'already_revoked');
  assertError(await get('/api/v1/cases', t.token), 401, 'token_revoked');
  assert.equal(q(`SELECT count(*) FROM audit WHERE action = 'api_token.revoke' AND entity_id = '${t.id}'`), '1');
  assertError(await get('/api/v1/cases', `zc_${'0'.repeat(64)}`), 401, 'token_invalid');
  assertError(await get('/api/v1/cases', 'abc'), 401, 'token_invalid');
  // a token valid until tomorrow, used on the system two days on (a copy of the database served later)
  const { body: short } = await issue({ expires_on: today(1) });
  const later = await serveAt(copyDb('tokens-later.db'), isoCST(NOW_MS + 2 * 86400e3));
  try {
    assertError(await get('/api/v1/cases', short.token, later.url), 401, 'token_expired');
  } finally { await later.stop(); }
  assert.equal((await get('/api/v1/cases', short.token)).status, 200, 'still good today');
});

test('a script that calls too fast gets 429 with Retry-After, and only that token is slowed', async () => {
  const { body: t } = await issue({});
  const { body: other } = await issue({});
  const answers = [];
  for (let i = 0; i < 15; i++) // six at a time: within the server's connections per address
    answers.push(...await Promise.all(Array.from({ length: 6 }, () => get('/api/v1/cases/summary', t.token))));
  const slowed = answers.filter((r) => r.status === 429);
  assert.ok(slowed.length > 0 && slowed.length < 90, `${slowed.length} of 90 slowed`);
  assertError(slowed[0], 429, 'rate_limited');
  assert.ok(Number(slowed[0].headers.get('retry-after')) >= 1);
  assert.equal((await get('/api/v1/cases/summary', other.token)).status, 200);
});
