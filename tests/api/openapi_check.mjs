// The OpenAPI document (docs/openapi.json) against the traffic of the API tests: every answer the
// shared client api() receives from /api/v1 is looked up in the document by (method, path template,
// status) and its body validated against the schema listed there. A file of tests that saw an answer
// the document does not describe fails at its end, listing each mismatch once (lib.mjs registers the
// hook). The validator covers the subset of JSON Schema 2020-12 the document uses, and refuses any
// other keyword (checkDocument), so that no rule is written that is silently not enforced.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'openapi.json');
export const ROUTER_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'http', 'router.c');

let doc = null;
let templates = null;
export function openapiDoc() {
  if (!doc) doc = JSON.parse(readFileSync(DOC_PATH, 'utf8'));
  return doc;
}

/** The routes of the router's table (src/http/router.c), as "METHOD /api/v1/x/{id}". */
export function routerRoutes() {
  const src = readFileSync(ROUTER_PATH, 'utf8');
  const table = /static const struct route ROUTES\[\] = \{([\s\S]*?)\n\};/.exec(src);
  if (!table) throw new Error('no ROUTES table in src/http/router.c');
  const out = [];
  for (const m of table[1].matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)"/g)) {
    out.push(`${m[1]} ${m[2].replace(/:([a-z_]+)/g, '{$1}')}`);
  }
  return out;
}

/** The operations of the document, as "METHOD /api/v1/x/{id}". */
export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
export function documentRoutes(d = openapiDoc()) {
  const out = [];
  for (const [p, item] of Object.entries(d.paths)) {
    for (const m of METHODS) if (item[m]) out.push(`${m.toUpperCase()} ${p}`);
  }
  return out;
}

function compileTemplates() {
  const list = Object.keys(openapiDoc().paths).map((p) => {
    const segs = p.split('/');
    return { path: p, segs, literals: segs.filter((s) => !s.startsWith('{')).length };
  });
  // a literal segment wins over a parameter (/cases/summary before /cases/{id}), as in the router
  list.sort((a, b) => b.literals - a.literals);
  return list;
}

/** The path template of the document a concrete path matches, or null. */
export function templateOf(path) {
  if (!templates) templates = compileTemplates();
  const segs = path.split('/');
  for (const t of templates) {
    if (t.segs.length !== segs.length) continue;
    if (t.segs.every((s, i) => s.startsWith('{') || s === segs[i])) return t.path;
  }
  return null;
}

function resolve(ref, d = openapiDoc()) {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref: ${ref}`);
  let node = d;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (node === undefined) throw new Error(`$ref does not resolve: ${ref}`);
  return node;
}

const typeOf = (v) => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};
const typeFits = (t, actual) => t === actual || (t === 'number' && actual === 'integer');

/** The errors of value against schema, as "where: what" strings (empty when it fits). */
export function validate(schema, value, where = '$', errors = [], depth = 0) {
  if (depth > 40) { errors.push(`${where}: schema nested too deep`); return errors; }
  if (schema === true || schema === undefined) return errors;
  if (schema === false) { errors.push(`${where}: no value allowed`); return errors; }
  if (schema.$ref) validate(resolve(schema.$ref), value, where, errors, depth + 1);
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeFits(t, actual))) {
      errors.push(`${where}: ${actual} ${JSON.stringify(value)?.slice(0, 60)}, expected ${types.join('|')}`);
      return errors;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) errors.push(`${where}: ${JSON.stringify(value)} not one of ${schema.enum.join(', ')}`);
  if ('const' in schema && schema.const !== value) errors.push(`${where}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (schema.pattern && actual === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${where}: "${value}" does not match ${schema.pattern}`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) errors.push(`${where}: ${value} < ${schema.minimum}`);
  if (schema.maximum !== undefined && typeof value === 'number' && value > schema.maximum) errors.push(`${where}: ${value} > ${schema.maximum}`);
  if (schema.minItems !== undefined && actual === 'array' && value.length < schema.minItems) errors.push(`${where}: fewer than ${schema.minItems} items`);
  if (actual === 'object') {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${where}: required property ${k} missing`);
    for (const [k, s] of Object.entries(schema.properties || {})) if (k in value) validate(s, value[k], `${where}.${k}`, errors, depth + 1);
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== true) {
      for (const [k, v] of Object.entries(value)) {
        if (schema.properties && k in schema.properties) continue;
        if (schema.additionalProperties === false) errors.push(`${where}: property ${k} not in the schema`);
        else validate(schema.additionalProperties, v, `${where}.${k}`, errors, depth + 1);
      }
    }
  }
  if (actual === 'array' && schema.items) {
    // every item is checked, but one wrong item is reported once per list
    for (let i = 0; i < value.length; i++) {
      const before = errors.length;
      validate(schema.items, value[i], `${where}[${i}]`, errors, depth + 1);
      if (errors.length > before) break;
    }
  }
  for (const s of schema.allOf || []) validate(s, value, where, errors, depth + 1);
  for (const key of ['oneOf', 'anyOf']) {
    if (!schema[key]) continue;
    const fits = schema[key].filter((s) => validate(s, value, where, [], depth + 1).length === 0).length;
    if (key === 'oneOf' ? fits !== 1 : fits < 1) errors.push(`${where}: fits ${fits} of the ${key} schemas`);
  }
  return errors;
}

/** The keywords validate() enforces, and those that only describe (checked by checkDocument). */
export const SCHEMA_KEYWORDS = new Set(['$ref', 'type', 'enum', 'const', 'pattern', 'minimum', 'maximum', 'minItems',
  'properties', 'required', 'additionalProperties', 'items', 'allOf', 'oneOf', 'anyOf',
  'description', 'title', 'format', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly',
  'maxLength', 'minLength', 'maxItems']);

/** The problems of the document's structure (OpenAPI 3.1: openapi, info, paths, components, $refs, keywords). */
export function checkDocument(d = openapiDoc()) {
  const problems = [];
  if (d.openapi !== '3.1.0') problems.push(`openapi is ${d.openapi}, expected 3.1.0`);
  if (!d.info?.title || !d.info?.version) problems.push('info.title and info.version are required');
  if (typeof d.paths !== 'object') problems.push('paths is required');
  if (typeof d.components?.schemas !== 'object') problems.push('components.schemas is required');
  const walk = (node, where, inSchema) => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${where}[${i}]`, inSchema)); return; }
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      try { resolve(node.$ref, d); } catch (e) { problems.push(`${where}: ${e.message}`); }
    }
    if (inSchema) {
      for (const k of Object.keys(node)) if (!SCHEMA_KEYWORDS.has(k)) problems.push(`${where}: keyword ${k} is not checked by the validator`);
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties') for (const [p, s] of Object.entries(v)) walk(s, `${where}.properties.${p}`, true);
        else if (['items', 'additionalProperties'].includes(k) && typeof v === 'object') walk(v, `${where}.${k}`, true);
        else if (['allOf', 'oneOf', 'anyOf'].includes(k)) v.forEach((s, i) => walk(s, `${where}.${k}[${i}]`, true));
      }
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`, k === 'schema' || where === '$.components.schemas');
  };
  walk(d, '$', false);
  for (const [p, item] of Object.entries(d.paths || {})) {
    const names = [...p.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const where = `${m.toUpperCase()} ${p}`;
      if (!op.summary) problems.push(`${where}: no summary`);
      if (!op.operationId) problems.push(`${where}: no operationId`);
      if (!op.responses || !Object.keys(op.responses).length) problems.push(`${where}: no responses`);
      const params = [...(item.parameters || []), ...(op.parameters || [])].map((x) => (x.$ref ? resolve(x.$ref, d) : x));
      for (const n of names) {
        if (!params.some((x) => x.in === 'path' && x.name === n && x.required === true)) problems.push(`${where}: path parameter ${n} not declared`);
      }
    }
  }
  return problems;
}

// ---- what the tests saw ----
const seen = new Map(); // "METHOD template status" → first mismatch, or null when it fit

function responseOf(method, template, status) {
  const op = openapiDoc().paths[template]?.[method.toLowerCase()];
  if (!op) return { missing: `${method} ${template} is not in the document` };
  let r = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`];
  if (!r) return { missing: `status ${status} is not listed` };
  if (r.$ref) r = resolve(r.$ref);
  return { response: r };
}

/** Records one answer of the API (called by lib.mjs api()); validates its body. */
export function observe(method, url, res) {
  const path = url.split('?')[0];
  if (!path.startsWith('/api/v1/')) return;
  const template = templateOf(path);
  const key = `${method} ${template ?? path} ${res.status}`;
  if (seen.get(key)) return; // already failed: once is enough
  const problem = mismatch(method, template, res);
  seen.set(key, problem ? `${problem} (${method} ${url})` : null);
}

/** Why an answer does not fit the document (null when it fits); template from templateOf(). */
export function mismatch(method, template, res) {
  if (!template) return res.status === 404 ? null : 'path not in the document';
  if (res.status === 404 && res.body?.error?.code === 'not_found' && res.body.error.message === '接口不存在') return null;
  const op = openapiDoc().paths[template][method.toLowerCase()];
  if (!op && res.status === 405) return null; // the router's answer to a method the path does not have
  const { missing, response } = responseOf(method, template, res.status);
  if (missing) return missing;
  const type = (res.headers.get('content-type') || '').split(';')[0].trim();
  const content = response.content;
  if (!content) return res.text.length ? `a body of ${type} where the document lists none` : null;
  const media = content[type];
  if (!media) return `content type ${type || '(none)'} not listed (${Object.keys(content).join(', ')})`;
  if (type !== 'application/json' || !media.schema) return null;
  if (res.body === null) return 'the body is not JSON';
  const errors = validate(media.schema, res.body);
  return errors.length ? errors.slice(0, 6).join('; ') : null;
}

/** The mismatches seen so far, one line each. */
export function mismatches() {
  return [...seen.entries()].filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
}

/** How many distinct (method, template, status) were seen. */
export function seenCount() { return seen.size; }
