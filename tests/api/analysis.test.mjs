// The full-coverage analysis (全覆盖分析, 2.7): every cadre in scope, one row each, with the figures of
// 2.1, 3.6 and 5.1, rolled up by the next level down for drilling city → county → township → village.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError } from './lib.mjs';
import { thisMonth } from '../clock.mjs';

const month = () => thisMonth();

// Every row of the analysis, a page at a time (the groups are computed over all of them).
async function allRows(s, query) {
  const rows = [];
  for (let page = 1; ; page++) {
    const r = await api('GET', `/api/v1/analysis?${query}&page=${page}&page_size=100`, { session: s });
    assert.equal(r.status, 200, r.text);
    rows.push(...r.body.items);
    if (rows.length >= r.body.total || r.body.items.length === 0) return { first: r.body, rows };
  }
}

test('a county sees its own cadres, rolled up by township; the groups add up to the rows', async () => {
  const s = await as('ruijin_org');
  const { first, rows } = await allRows(s, `month=${month()}`);
  assert.deepEqual(first.clauses, ['2.7', '2.1', '3.6', '5.1']);
  assert.equal(rows.length, first.total);
  assert.ok(rows.length > 50);
  assert.ok(rows.every((x) => x.village_code.startsWith('360781')));
  assert.ok(first.groups.every((g) => g.level === 'township' && g.code.startsWith('360781')));
  assert.equal(first.groups.reduce((n, g) => n + g.cadres, 0), rows.length);
  const logs = rows.reduce((n, x) => n + x.logs, 0);
  assert.equal(first.groups.reduce((n, g) => n + g.logs, 0), logs);
  for (const x of rows) {
    assert.equal(Object.values(x.logs_by_duty).reduce((a, b) => a + b, 0), x.logs);
    assert.equal(typeof x.meets_minimum, 'boolean');
  }
});

test('drilling down: a township rolls up by village; only=below_minimum keeps the rows under the minimum', async () => {
  const s = await as('city_org');
  const r = await allRows(s, `month=${month()}&region=360781104`);
  assert.ok(r.first.groups.every((g) => g.level === 'village'));
  const below = await allRows(s, `month=${month()}&region=360781104&only=below_minimum`);
  assert.ok(below.rows.every((x) => x.meets_minimum === false));
  assert.equal(below.rows.length, r.rows.filter((x) => !x.meets_minimum).length);
  const x = await api('GET', `/api/v1/analysis?month=${month()}&region=360781104&format=xlsx`, { session: s });
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
});

test('bad input and roles', async () => {
  const s = await as('ruijin_org');
  assertError(await api('GET', '/api/v1/analysis?month=2026-13', { session: s }), 400, 'field_invalid', 'month');
  assertError(await api('GET', '/api/v1/analysis?only=best', { session: s }), 400, 'field_invalid', 'only');
  assertError(await api('GET', '/api/v1/analysis?month=2099-01', { session: s }), 400, 'field_invalid', 'month');
  assertError(await api('GET', '/api/v1/analysis', { session: await as('cadre1') }), 403, 'forbidden');
  const other = await api('GET', `/api/v1/analysis?month=${month()}`, { session: await as('xianghu_sec') });
  assert.ok(other.body.items.every((r) => r.village_code.startsWith('360781100')));
});
