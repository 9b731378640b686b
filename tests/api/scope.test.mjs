// Scope and permissions: a table of roles × endpoints, then what each role actually sees.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, list } from './lib.mjs';

const ROLES = ['city_org', 'ruijin_org', 'xianghu_sec', 'shazhouba_sec', 'unit_leader1', 'cadre1', 'sysadmin',
  'secadmin', 'auditadmin'];

// A village of 象湖镇 (Ruijin) whose key flag the PATCH rewrites with its own value (so it changes nothing).
let patchVillage;
let patchValue;
before(async () => {
  const city = await as('city_org');
  const r = await api('GET', '/api/v1/regions?parent=360781100', { session: city });
  assert.equal(r.status, 200, r.text);
  const v = r.body.items.filter((x) => x.level === 'village');
  assert.ok(v.length > 3);
  patchVillage = v[v.length - 1].code;
  patchValue = v[v.length - 1].key_village;
});

//            city  ruijin xianghu shazhouba unit  cadre sys  sec  audit
const MATRIX = {
  // a unit's users browse the places of the region that administers the unit (瑞金市 for unit_leader1)
  'GET /regions':           [200, 200, 200, 200, 200, 403, 200, 403, 403],
  'GET /regions/360781100': [200, 200, 200, 404, 200, 403, 200, 403, 403],
  'GET /regions/360781104': [200, 200, 404, 200, 200, 403, 200, 403, 403],
  'GET /regions/360702':    [200, 404, 404, 404, 404, 403, 200, 403, 403],
  'GET /units':             [200, 200, 200, 200, 200, 403, 200, 403, 403],
  'GET /cadres':            [200, 200, 200, 200, 200, 200, 403, 403, 403],
  'GET /users':             [403, 403, 403, 403, 403, 403, 200, 200, 403],
  'GET /audit':             [403, 403, 403, 403, 403, 403, 403, 403, 200],
  'GET /audit/verify':      [403, 403, 403, 403, 403, 403, 403, 403, 200],
  'PATCH village':          [200, 200, 403, 403, 403, 403, 403, 403, 403],
  // 考核: every official and the cadre read (their scope bounds what); administrators see no cadre
  'GET /evaluation-rounds':  [200, 200, 200, 200, 200, 200, 403, 403, 403],
  'GET /evaluations':       [200, 200, 200, 200, 200, 200, 403, 403, 403],
  // 补助核算 (3.4b): the units' sheets, read by the regions above them; a cadre reads only their own lines
  'GET /allowance-sheets':  [200, 200, 200, 200, 200, 403, 403, 403, 403],
  'GET /me/allowances':     [403, 403, 403, 403, 403, 200, 403, 403, 403],
};

for (const [endpoint, expected] of Object.entries(MATRIX)) {
  ROLES.forEach((role, i) => {
    test(`${role}: ${endpoint} → ${expected[i]}`, async () => {
      const s = await as(role);
      let res;
      if (endpoint === 'PATCH village') {
        res = await api('PATCH', `/api/v1/regions/${patchVillage}`, { session: s, body: { key_village: patchValue } });
      } else {
        const [method, path] = endpoint.split(' ');
        res = await api(method, `/api/v1${path}`, { session: s });
      }
      if (expected[i] === 200) {
        assert.equal(res.status, 200, `${role} ${endpoint}: ${res.status} ${res.text}`);
        assert.ok(res.body && typeof res.body === 'object');
      } else if (expected[i] === 403) {
        assertError(res, 403, 'forbidden');
      } else {
        assert.equal(res.status, 404, `${role} ${endpoint}: ${res.status} ${res.text}`);
        assert.match(res.body.error.code, /^(not_found|out_of_scope)$/);
      }
    });
  });
}

test('the PATCH of the matrix left the village as it was', async () => {
  const r = await api('GET', `/api/v1/regions/${patchVillage}`, { session: await as('city_org') });
  assert.equal(r.body.key_village, patchValue);
});

test("xianghu_sec: the region root is 360781100 alone and its children are that township's villages", async () => {
  const s = await as('xianghu_sec');
  const roots = await api('GET', '/api/v1/regions', { session: s });
  assert.equal(roots.status, 200);
  assert.deepEqual(roots.body.items.map((r) => r.code), ['360781100']);
  const kids = await api('GET', '/api/v1/regions?parent=360781100', { session: s });
  assert.equal(kids.status, 200);
  assert.ok(kids.body.items.length > 0);
  for (const r of kids.body.items) {
    assert.equal(r.parent_code, '360781100');
    assert.equal(r.level, 'village');
    assert.ok(r.code.startsWith('360781100'));
  }
  // the parent above the scope, a sibling township and another county are out of scope
  for (const p of ['360781', '360781104', '3607', '360702']) {
    const r = await api('GET', `/api/v1/regions?parent=${p}`, { session: s });
    assert.equal(r.status, 404, `parent=${p}: ${r.status} ${r.text}`);
  }
  // the ancestors of its own region are visible in the detail, not as records of their own
  const me = await api('GET', '/api/v1/regions/360781100', { session: s });
  const anc = me.body.ancestors.map((a) => a.code);
  assert.ok(anc.includes('3607') && anc.includes('360781'), `ancestors: ${anc}`);
  assert.equal((await api('GET', '/api/v1/regions/360781', { session: s })).status, 404);
});

test('xianghu_sec sees only cadres of 象湖镇 villages and cannot GET a cadre of 沙洲坝镇', async () => {
  const city = await as('city_org');
  const sz = (await list(city, '/api/v1/cadres?region=360781104')).items;
  assert.ok(sz.length > 0, '沙洲坝镇 has cadres');
  const xh = await as('xianghu_sec');
  const other = await api('GET', `/api/v1/cadres/${sz[0].id}`, { session: xh });
  assert.equal(other.status, 404, other.text);
  assert.ok(!other.text.includes(sz[0].name), 'nothing of the cadre leaks');

  const mine = await list(xh, '/api/v1/cadres', { all: true });
  assert.ok(mine.items.length > 0, '象湖镇 has cadres');
  assert.equal(mine.items.length, mine.total);
  for (const c of mine.items) assert.ok(c.village_code.startsWith('360781100'), `${c.id} in ${c.village_code}`);
  // the count agrees with what the city sees for that township
  const cityView = await list(city, '/api/v1/cadres?region=360781100');
  assert.equal(mine.total, cityView.total);
  // asking for another township through the filter gives nothing
  const sneaky = await api('GET', '/api/v1/cadres?region=360781104', { session: xh });
  if (sneaky.status === 200) assert.equal(sneaky.body.items.length, 0, 'filter cannot widen the scope');
  else assert.ok([400, 404].includes(sneaky.status));
  // ID numbers are masked in the list as well
  for (const c of mine.items) assert.match(c.id_number, /^\d{4}\*{10}\d{3}[\dX]$/);
  // one of its own is readable, with the ID number masked
  const one = await api('GET', `/api/v1/cadres/${mine.items[0].id}`, { session: xh });
  assert.equal(one.status, 200);
  assert.match(one.body.id_number, /^\d{4}\*{10}\d{3}[\dX]$/);
});

test("unit_leader1's region tree is their unit's county and nothing beside it", async () => {
  const s = await as('unit_leader1');
  const roots = await api('GET', '/api/v1/regions', { session: s });
  assert.equal(roots.status, 200, roots.text);
  assert.deepEqual(roots.body.items.map((r) => r.code), ['360781']);
  const other = await api('GET', '/api/v1/regions?parent=360702', { session: s });
  assert.equal(other.status, 404, other.text);
});

test("unit_leader1 sees only their unit's cadres and cannot GET another unit's cadre", async () => {
  const s = await as('unit_leader1');
  const unitId = s.user.unit_id;
  assert.ok(unitId, 'unit_leader1 has a unit');
  const mine = await list(s, '/api/v1/cadres', { all: true });
  assert.ok(mine.items.length > 0);
  for (const c of mine.items) assert.equal(c.unit_id, unitId);
  const city = await as('city_org');
  const others = (await list(city, '/api/v1/cadres?region=360781104')).items.filter((c) => c.unit_id !== unitId);
  assert.ok(others.length > 0);
  assertError(await api('GET', `/api/v1/cadres/${others[0].id}`, { session: s }), 404, 'not_found');
  const own = await api('GET', `/api/v1/cadres/${mine.items[0].id}`, { session: s });
  assert.equal(own.status, 200);
  assert.equal(own.body.unit_id, unitId);
  // the unit filter cannot widen it either
  const sneaky = await api('GET', `/api/v1/cadres?unit=${others[0].unit_id}`, { session: s });
  if (sneaky.status === 200) assert.equal(sneaky.body.items.length, 0);
  // the unit list is their own unit only
  const units = await list(s, '/api/v1/units');
  assert.deepEqual(units.items.map((u) => u.id), [unitId]);
});

test('cadre1 sees exactly one cadre (themself) and gets 404 for any other', async () => {
  const s = await as('cadre1');
  const me = s.user.cadre_id;
  assert.ok(me);
  const mine = await list(s, '/api/v1/cadres');
  assert.equal(mine.total, 1);
  assert.equal(mine.items.length, 1);
  assert.equal(mine.items[0].id, me);
  assert.equal(mine.items[0].village_code, '360781104200');
  const city = await as('city_org');
  const others = (await list(city, '/api/v1/cadres?region=360781104200')).items.filter((c) => c.id !== me);
  assert.ok(others.length > 0);
  for (const o of others) assertError(await api('GET', `/api/v1/cadres/${o.id}`, { session: s }), 404, 'not_found');
  assert.equal((await api('GET', `/api/v1/cadres/${me}`, { session: s })).status, 200);
});

test('ruijin_org cannot PATCH a village of 章贡区 (404) and nothing changes', async () => {
  const city = await as('city_org');
  const towns = await api('GET', '/api/v1/regions?parent=360702', { session: city });
  const town = towns.body.items[0].code;
  const villages = await api('GET', `/api/v1/regions?parent=${town}`, { session: city });
  const v = villages.body.items[0];
  const s = await as('ruijin_org');
  const r = await api('PATCH', `/api/v1/regions/${v.code}`, { session: s, body: { key_village: !v.key_village } });
  assert.equal(r.status, 404, r.text);
  assert.match(r.body.error.code, /^(not_found|out_of_scope)$/);
  assert.equal((await api('GET', `/api/v1/regions/${v.code}`, { session: s })).status, 404);
  const after = await api('GET', `/api/v1/regions/${v.code}`, { session: city });
  assert.equal(after.body.key_village, v.key_village);
  // also the fence
  const r2 = await api('PATCH', `/api/v1/regions/${v.code}`, { session: s, body: { lat: 25.8, lng: 114.9, radius_m: 500 } });
  assert.equal(r2.status, 404);
  const after2 = await api('GET', `/api/v1/regions/${v.code}`, { session: city });
  assert.equal(after2.body.lat, v.lat);
  assert.equal(after2.body.radius_m, v.radius_m);
});

test('ruijin_org lists only Ruijin units and cannot read a unit of 章贡区', async () => {
  const s = await as('ruijin_org');
  const units = await list(s, '/api/v1/units', { all: true });
  assert.ok(units.items.length > 0);
  for (const u of units.items) assert.ok(u.region_code.startsWith('360781'), `${u.id} ${u.region_code}`);
  const city = await as('city_org');
  const zg = (await list(city, '/api/v1/units?region=360702')).items;
  assert.ok(zg.length > 0);
  assert.equal((await api('GET', `/api/v1/units/${zg[0].id}`, { session: s })).status, 404);
  const patch = await api('PATCH', `/api/v1/units/${zg[0].id}`, { session: s, body: { name: '越权改名' } });
  assert.equal(patch.status, 404);
  const still = await api('GET', `/api/v1/units/${zg[0].id}`, { session: city });
  assert.equal(still.body.name, zg[0].name);
});

test('sysadmin GET /cadres → 403 (no business data); only auditadmin reads the audit log', async () => {
  assertError(await api('GET', '/api/v1/cadres', { session: await as('sysadmin') }), 403, 'forbidden');
  assertError(await api('GET', '/api/v1/cadres/1', { session: await as('sysadmin') }), 403, 'forbidden');
  for (const role of ROLES.filter((r) => r !== 'auditadmin')) {
    assertError(await api('GET', '/api/v1/audit', { session: await as(role) }), 403, 'forbidden');
  }
  const r = await api('GET', '/api/v1/audit?page_size=5', { session: await as('auditadmin') });
  assert.equal(r.status, 200);
  assert.ok(r.body.items.length > 0);
  assert.ok(r.body.total >= r.body.items.length);
  assert.equal(r.body.page_size, 5);
});
