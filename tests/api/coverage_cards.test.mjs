// 覆盖与稳定 (1.7), issue 14: the figures by county and the list of key villages without a first
// secretary come from one query over the villages in the caller's scope — a township official saw
// 0 key villages in the cards (the county row was out of a township's scope) while the list named
// its villages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, DB, sqlite } from './lib.mjs';

// sqlite3 on the suite's file, psql on its server (lib.mjs): the SQL below means the same on both
function sql(text) {
  const r = sqlite(DB, text);
  assert.equal(r.status, 0, `${text}: ${r.stderr}`);
  return r.stdout.trim();
}
const SHAZHOUBA_VILLAGE = '360781104200';

async function coverage(user, query = '') {
  const r = await api('GET', `/api/v1/coverage${query}`, { session: await as(user) });
  assert.equal(r.status, 200, r.text);
  return r.body;
}
const sum = (items, k) => items.reduce((n, r) => n + r[k], 0);

test('the cards count the villages the list names, for a township, a county and the city', async () => {
  for (const user of ['shazhouba_sec', 'ruijin_org', 'city_org']) {
    const c = await coverage(user);
    assert.equal(sum(c.items, 'without_first_secretary'), c.villages_without_first_secretary.length, user);
    assert.equal(sum(c.items, 'key_villages'), sum(c.items, 'with_first_secretary') + sum(c.items, 'without_first_secretary'), user);
    assert.equal(sum(c.items, 'without_team'), c.villages_without_first_secretary.filter((v) => !v.has_team).length, user);
  }
});

test('a township official sees its own key villages in the cards, not 0', async () => {
  const c = await coverage('shazhouba_sec');
  const town = sql(`SELECT parent_code FROM region WHERE code = '${SHAZHOUBA_VILLAGE}'`);
  const keys = Number(sql(`SELECT count(*) FROM region WHERE parent_code = '${town}' AND level = 'village' AND key_village = 1`));
  assert.ok(keys > 0, 'the demo township has key villages');
  assert.equal(sum(c.items, 'key_villages'), keys);
  for (const v of c.villages_without_first_secretary) assert.ok(v.village_code.startsWith(town.slice(0, 9)), v.village_code);
  // the county sees more than the township, and the township's villages are among them
  const county = await coverage('ruijin_org');
  assert.ok(sum(county.items, 'key_villages') > keys);
  const names = new Set(county.villages_without_first_secretary.map((v) => v.village_code));
  for (const v of c.villages_without_first_secretary) assert.ok(names.has(v.village_code));
  // ?region= narrows cards and list alike
  const narrowed = await coverage('ruijin_org', `?region=${town}`);
  assert.equal(sum(narrowed.items, 'key_villages'), keys);
  assert.equal(narrowed.villages_without_first_secretary.length, c.villages_without_first_secretary.length);
});
