// F6 of the security review (2026-12): Excel exports of personal data (households with poverty status,
// cadres, users) left no audit row. Now every export writes export.xlsx: who (the row's user), which
// list and how many rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, list } from './lib.mjs';

test('every xlsx export is audited with the list and the number of rows; a JSON list view is not', async () => {
  const org = await as('city_org');
  const auditor = await as('auditadmin');
  const rowsOf = async () => (await list(auditor, '/api/v1/audit?action=export.xlsx&user=city_org', { all: true })).items;
  const before = (await rowsOf()).length;
  const json = await api('GET', '/api/v1/cadres?page_size=50', { session: org });
  assert.equal(json.status, 200);
  assert.equal((await rowsOf()).length, before, 'a list view is not an export');
  const x = await api('GET', '/api/v1/cadres?page_size=50&format=xlsx', { session: org });
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const after = await rowsOf();
  assert.equal(after.length, before + 1);
  const row = after.reduce((a, b) => (Number(a.id) > Number(b.id) ? a : b));
  assert.equal(row.username, 'city_org');
  const detail = JSON.parse(row.detail);
  assert.equal(detail.path, '/api/v1/cadres');
  assert.equal(detail.rows, json.body.total, 'the export holds the whole list, not one page');
  assert.ok(detail.rows > 1000);
  assert.match(detail.list, /[\u4e00-\u9fff]/, 'the list is named in Chinese');
  // the households list of a county's rural revitalisation bureau, too
  const rrb = await as('ruijin_rrb');
  const h = await api('GET', '/api/v1/households?format=xlsx', { session: rrb });
  assert.equal(h.status, 200, h.text);
  const hrows = (await list(auditor, '/api/v1/audit?action=export.xlsx&user=ruijin_rrb')).items;
  assert.ok(hrows.some((r) => JSON.parse(r.detail).path === '/api/v1/households'), 'the households export is audited');
});
