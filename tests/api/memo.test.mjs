// The memos of a server's connections (store/db): each worker's database connection keeps the regions
// tree's answers (with their counts) and the lists' totals until somebody writes. On SQLite the file's
// data_version tells a connection that another has written; on PostgreSQL (issue 16) the server's snapshot
// does. Here every connection a burst of concurrent requests reaches fills its memos, a write goes through
// one connection, and every answer after it, on whichever connection, has the write in its counts. Without
// the check the connections that had memoised before the write would answer the old counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, createCadre, createUnit, todayCST, uniq, yearsBefore } from './lib.mjs';

// requests at once, each on a connection of its own, reaching many of the server's 32 workers (each has its
// own database connection and memo); well under the 32 connections one address may hold (policy/security.json
// per_address_connections): at 24, on a server just started (its first answers waiting for the day's start),
// one connection was reset once (PostgreSQL, 2026-12-07) — the connections the client was closing as it
// opened new ones still counted
const BURST = 16;

/** BURST requests at once (the client opens a connection for each that finds none idle). */
async function burst(session, path) {
  const answers = await Promise.all(Array.from({ length: BURST }, () => api('GET', path, { session })));
  for (const a of answers) assert.equal(a.status, 200, a.text);
  return answers.map((a) => a.body);
}

const ruijinUnits = (regions) => regions.find((r) => r.code === '360781').unit_count;

test('after a write, every connection answers the new counts: the regions\' unit count, the cadre list\'s total', async () => {
  const org = await as('ruijin_org');
  const city = await as('city_org');
  for (let round = 0; round < 3; round++) {
    await burst(city, '/api/v1/regions?parent=3607');
    await burst(org, '/api/v1/cadres?page=1&page_size=1');
  }
  const units = new Set((await burst(city, '/api/v1/regions?parent=3607')).map((b) => ruijinUnits(b.items ?? b)));
  const totals = new Set((await burst(org, '/api/v1/cadres?page=1&page_size=1')).map((b) => b.total));
  assert.equal(units.size, 1, `one unit count before the write: ${[...units]}`);
  assert.equal(totals.size, 1, `one total before the write: ${[...totals]}`);
  const [unitsBefore] = units;
  const [totalBefore] = totals;

  const unit = await createUnit(org, { name: `缓存核对局${uniq('')}` });
  await createCadre(org, { region: '369107', birth: yearsBefore(todayCST(), 35), unit_id: unit.id, rank: 'section' });

  for (const b of await burst(city, '/api/v1/regions?parent=3607'))
    assert.equal(ruijinUnits(b.items ?? b), unitsBefore + 1, 'the regions tree counts the new unit on every connection');
  for (const b of await burst(org, '/api/v1/cadres?page=1&page_size=1'))
    assert.equal(b.total, totalBefore + 1, 'the cadre list counts the new cadre on every connection');
});
