// The store seam (issue 16): outside src/store nothing names SQLite, includes a store-internal header or
// holds SQL; tests/check_seam.sh (run by the clock suite) says so, and fails on each kind of breach. Inside
// it, the ratchet on the move to store/query: no more sqlite3_ calls than recorded, none in a converted file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempDir } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = (tree) => run('bash', [join(ROOT, 'tests/check_seam.sh'), tree]);

function copyOfSrc() {
  const copy = tempDir('zhucun-seam-');
  cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
  mkdirSync(join(copy, 'tests'));
  for (const f of ['seam_sqlite_calls.txt', 'seam_query_files.txt']) cpSync(join(ROOT, 'tests', f), join(copy, 'tests', f));
  return copy;
}

test('the tree as it is passes the seam check', () => {
  const r = check(ROOT);
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /seam: 1 passed, 0 failed/);
});

test('the seam check fails on SQLite, a store-internal header or SQL in a handler', () => {
  const copy = copyOfSrc();
  const handler = join(copy, 'src/http/h_leaves.c');
  const original = readFileSync(handler, 'utf8');
  const plants = [
    ['static int seam_plant(sqlite3 *h) { return h != 0; }', /\[sqlite outside the store\] src\/http\/h_leaves\.c:\d+:/],
    ['#include "store/db_sqlite.h"', /\[store-internal header\] src\/http\/h_leaves\.c:\d+:.*db_sqlite\.h/],
    ['#include "store/rows.h"', /\[store-internal header\] src\/http\/h_leaves\.c:\d+:.*rows\.h/],
    ['static const char *seam_q = "SELECT id FROM leave_request";', /\[SQL outside the store\]/],
    ['static const char *seam_q = "UPDATE leave_request SET status = 1";', /\[SQL outside the store\]/],
    ['static const char *seam_q = "DELETE FROM leave_request";', /\[SQL outside the store\]/],
    ['static const char *seam_q = "INSERT INTO leave_request";', /\[SQL outside the store\]/],
  ];
  for (const [line, finding] of plants) {
    writeFileSync(handler, `${original}\n${line}\n`);
    const r = check(copy);
    assert.equal(r.status, 1, `${line}\n${r.stdout}`);
    assert.match(r.stdout, finding, line);
    assert.match(r.stdout, /seam: 0 passed, 1 failed/);
  }
  writeFileSync(handler, original);
  assert.equal(check(copy).status, 0);
});

test('the seam check fails when a public store header names SQLite again', () => {
  const copy = copyOfSrc();
  const header = join(copy, 'src/store/scope.h');
  writeFileSync(header, readFileSync(header, 'utf8').replace('#include <stdbool.h>', '#include <sqlite3.h>\n#include <stdbool.h>'));
  const r = check(copy);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /\[sqlite in a public store header\] src\/store\/scope\.h:\d+:#include <sqlite3\.h>/);
});

test('the store ratchet: no more sqlite3_ calls than recorded, none in a converted file', () => {
  const copy = copyOfSrc();
  const figureFile = join(copy, 'tests/seam_sqlite_calls.txt');
  const figure = Number(readFileSync(figureFile, 'utf8').split('\n').find((l) => /^\d+$/.test(l)));
  assert.ok(figure >= 0);
  // a new positional read: one call more than the figure allows (0 since every file moved to store/query)
  const unconverted = join(copy, 'src/store/demo.c');
  const before = readFileSync(unconverted, 'utf8');
  writeFileSync(unconverted, `${before}\nstatic int seam_plant(sqlite3_stmt *st) { return sqlite3_column_int(st, 0); }\n`);
  let r = check(copy);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, new RegExp(`\\[store ratchet\\] ${figure + 1} calls of sqlite3_ in src/store .*more than the ${figure} recorded`));
  // back as it was, the copy passes
  writeFileSync(unconverted, before);
  assert.equal(check(copy).status, 0, check(copy).stdout);
  // a converted file may not name SQLite again, even with the total under the figure
  writeFileSync(figureFile, `${figure + 10}\n`);
  const converted = join(copy, 'src/store/units.c');
  const original = readFileSync(converted, 'utf8');
  writeFileSync(converted, original.replace('#include "store/query.h"', '#include "store/query.h"\n#include "store/db_sqlite.h"'));
  r = check(copy);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /\[converted to store\/query, names SQLite again\] src\/store\/units\.c:\d+:#include "store\/db_sqlite\.h"/);
  assert.doesNotMatch(r.stdout, /\[store ratchet\]/);
});
