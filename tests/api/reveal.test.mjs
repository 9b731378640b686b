// F8/F9 of the security review (2026-12): an org_city account revealed 300 full cadre ID numbers in
// 0.46 s, without typing its password again, and nobody was told. Now a reveal needs the password
// typed again within reveal_reauth_minutes, a user reveals at most reveal_burst at once (then 429 with
// Retry-After), and the reveal that spends the burst raises alert.bulk_reveal for the audit administrator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, as, assertError, createUser, list, login } from './lib.mjs';

const SECURITY = JSON.parse(readFileSync(new URL('../../policy/security.json', import.meta.url)));

async function orgCityUser() {
  const u = await createUser({ role: 'org_city', region_code: '3607', display_name: '市委组织部测试' });
  return { u, s: await login(u.username, u.password) };
}

test('no reveal without the password typed again; a wrong one is refused and audited', async () => {
  const { u, s } = await orgCityUser();
  assertError(await api('GET', '/api/v1/cadres/5/id-number', { session: s }), 403, 'reauth_required');
  assertError(await api('POST', '/api/v1/session/reauth', { session: s, body: { password: 'Not#Mine2026x' } }), 400, 'password_wrong', 'password');
  assertError(await api('GET', '/api/v1/cadres/5/id-number', { session: s }), 403, 'reauth_required');
  assert.equal((await api('POST', '/api/v1/session/reauth', { session: s, body: { password: u.password } })).status, 204);
  const r = await api('GET', '/api/v1/cadres/5/id-number', { session: s });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.id_number, /^\d{17}[\dX]$/);
  // the re-authentication belongs to the session: another session of the same user must type it again
  const other = await login(u.username, u.password);
  assertError(await api('GET', '/api/v1/cadres/5/id-number', { session: other }), 403, 'reauth_required');
  const rows = (await list(await as('auditadmin'), `/api/v1/audit?user=${u.username}`)).items.map((x) => x.action);
  assert.ok(rows.includes('session.reauth_failed') && rows.includes('session.reauth'), rows.join(','));
});

test('bulk reveals: the burst, then 429 with Retry-After; alert.bulk_reveal names the user', async () => {
  const { u, s } = await orgCityUser();
  assert.equal((await api('POST', '/api/v1/session/reauth', { session: s, body: { password: u.password } })).status, 204);
  const statuses = [];
  let limited = null;
  for (let id = 1; id <= SECURITY.reveal_burst + 5 && !limited; id++) {
    const r = await api('GET', `/api/v1/cadres/${id}/id-number`, { session: s });
    statuses.push(r.status);
    if (r.status === 429) limited = r;
  }
  assert.ok(limited, `no 429 in ${statuses}`);
  assertError(limited, 429, 'rate_limited');
  assert.equal(statuses.indexOf(429), SECURITY.reveal_burst, `the ${SECURITY.reveal_burst + 1}th reveal is refused: ${statuses}`);
  const wait = Number(limited.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= SECURITY.reveal_refill_seconds, `Retry-After ${wait}`);
  const alerts = (await list(await as('auditadmin'), '/api/v1/audit?action=alert.bulk_reveal')).items;
  const mine = alerts.filter((x) => x.username === u.username);
  assert.equal(mine.length, 1, 'one alert for the burst');
  // another user is not held back by this one's burst
  const { u: u2, s: s2 } = await orgCityUser();
  assert.equal((await api('POST', '/api/v1/session/reauth', { session: s2, body: { password: u2.password } })).status, 204);
  assert.equal((await api('GET', '/api/v1/cadres/5/id-number', { session: s2 })).status, 200);
});
