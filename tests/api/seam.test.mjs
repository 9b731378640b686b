// The store seam (issue 16): outside src/store nothing names SQLite, includes a store-internal header or
// holds SQL; tests/check_seam.sh (run by the clock suite) says so, and fails on each kind of breach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempDir } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = (tree) => run('bash', [join(ROOT, 'tests/check_seam.sh'), tree]);

function copyOfSrc() {
  const copy = tempDir('zhucun-seam-');
  cpSync(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
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
