// The OpenAPI 3.1 document of /api/v1 (docs/openapi.json): served without login with an ETag, one
// path item per route of the router both ways, a sound structure, and a validator that bites. Every
// other file of this suite checks its own answers against the document (lib.mjs, openapi_check.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, as } from './lib.mjs';
import {
  DOC_PATH, ROUTER_PATH, checkDocument, documentRoutes, mismatch, openapiDoc, routerRoutes, templateOf, validate,
} from './openapi_check.mjs';

test('every route of the router is in the document, and every operation of the document is a route', () => {
  const routes = routerRoutes();
  assert.ok(routes.length > 150, `the route table read from src/http/router.c has ${routes.length} routes`);
  const documented = new Set(documentRoutes());
  const table = new Set(routes);
  const undocumented = routes.filter((r) => !documented.has(r));
  const stale = [...documented].filter((r) => !table.has(r));
  assert.deepEqual(undocumented, [], 'routes missing from docs/openapi.json');
  assert.deepEqual(stale, [], 'operations of docs/openapi.json that the router does not have');
  assert.equal(table.size, routes.length, 'a route listed twice in the table');
});

test('the document is OpenAPI 3.1 with info, paths and components, every $ref resolving', () => {
  assert.deepEqual(checkDocument(), []);
  const d = openapiDoc();
  assert.ok(d.components.securitySchemes.sessionCookie && d.components.securitySchemes.csrfToken);
  // a write with the session cookie asks for the CSRF header beside it; a read never does (another
  // scheme, such as an API token for other systems, may stand beside the cookie as an alternative)
  for (const [p, item] of Object.entries(d.paths)) {
    for (const [m, op] of Object.entries(item)) {
      for (const s of op.security || []) {
        if (m === 'get') assert.ok(!('csrfToken' in s), `get ${p} with csrfToken`);
        else if ('sessionCookie' in s) assert.ok('csrfToken' in s, `${m} ${p}: the cookie without csrfToken`);
      }
    }
  }
  // public operations (security: []) are exactly the routes the router lets through without a session
  const table = readFileSync(ROUTER_PATH, 'utf8');
  const publicRoutes = [...table.matchAll(/\{"([A-Z]+)",\s*"([^"]+)",[^}]*ROUTE_PUBLIC[^}]*\}/g)]
    .map((m) => `${m[1]} ${m[2].replace(/:([a-z_]+)/g, '{$1}')}`);
  assert.ok(publicRoutes.includes('GET /api/v1/openapi.json') && publicRoutes.includes('POST /api/v1/session'));
  const open = documentRoutes().filter((r) => {
    const [m, p] = r.split(' ');
    return d.paths[p][m.toLowerCase()].security.length === 0;
  });
  assert.deepEqual(open.sort(), publicRoutes.sort());
  // a 4xx answer is the shared error envelope
  for (const [p, item] of Object.entries(d.paths)) {
    for (const [m, op] of Object.entries(item)) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (status.startsWith('4')) assert.equal(r.$ref, '#/components/responses/Error', `${m} ${p} ${status}`);
      }
    }
  }
});

test('a checker that fails on checkDocument problems catches an unresolved $ref and an unchecked keyword', () => {
  const d = structuredClone(openapiDoc());
  d.paths['/api/v1/health'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nope' };
  d.components.schemas.ErrorEnvelope.uniqueItems = true;
  d.openapi = '3.0.3';
  const problems = checkDocument(d).join('\n');
  assert.match(problems, /does not resolve: #\/components\/schemas\/Nope/);
  assert.match(problems, /keyword uniqueItems is not checked/);
  assert.match(problems, /expected 3\.1\.0/);
});

test('GET /api/v1/openapi.json answers without login, the file as it is, with an ETag honoured by If-None-Match', async () => {
  const r = await api('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.text, readFileSync(DOC_PATH, 'utf8'), 'the served document is docs/openapi.json byte for byte');
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  const again = await api('GET', '/api/v1/openapi.json', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  assert.equal(again.headers.get('etag'), etag);
  const other = await api('GET', '/api/v1/openapi.json', { headers: { 'If-None-Match': '"0"' } });
  assert.equal(other.status, 200);
  // an answer with data is still never stored
  const s = await api('GET', '/api/v1/session', { session: await as('city_org') });
  assert.equal(s.headers.get('cache-control'), 'no-store');
  assert.equal(s.headers.get('etag'), null);
});

test('the check finds drift: a missing required property, a wrong type, an unlisted status', async () => {
  const session = await as('city_org');
  const r = await api('GET', '/api/v1/session', { session });
  assert.equal(r.status, 200);
  assert.equal(templateOf('/api/v1/cases/summary'), '/api/v1/cases/summary', 'a literal segment wins over {id}');
  assert.equal(templateOf('/api/v1/cases/12'), '/api/v1/cases/{id}');
  assert.equal(mismatch('GET', '/api/v1/session', r), null);
  const noUser = { ...r, body: { ...r.body } };
  delete noUser.body.csrf_token;
  assert.match(mismatch('GET', '/api/v1/session', noUser), /required property csrf_token missing/);
  const wrongType = { ...r, body: { ...r.body, menu: 'regions' } };
  assert.match(mismatch('GET', '/api/v1/session', wrongType), /\.menu: string "regions", expected array/);
  assert.match(mismatch('GET', '/api/v1/session', { ...r, status: 418 }), /status 418 is not listed/);
  assert.match(mismatch('PATCH', '/api/v1/session', r), /not in the document/);
  const env = openapiDoc().components.schemas.ErrorEnvelope;
  assert.deepEqual(validate(env, { error: { code: 'forbidden', message: '无权', field: null } }), []);
  assert.notDeepEqual(validate(env, { error: { code: 'forbidden', message: '无权' } }), []);
  assert.notDeepEqual(validate(env, { error: { code: 'Forbidden!', message: '无权', field: null } }), []);
});
