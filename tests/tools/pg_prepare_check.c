/* pg_prepare_check — does every statement the store ran on SQLite prepare on PostgreSQL? (issue 16)
 *
 *   pg_prepare_check TRACE URL
 *
 * TRACE: the statements a run on SQLite prepared (ZHUCUN_SQL_TRACE, store/sql_trace: each ended by a
 * line holding only 0x1e). URL: a PostgreSQL database holding zhucun's schema (`zhucun init --db URL`).
 * Each distinct statement is prepared there through the store's own layer (store/query on store/pg: the
 * same rewriting of :names and SQLite's spellings the server sees in production); one the server refuses
 * is printed whole after the server's reason. SQLite's own statements (PRAGMA, sqlite_master) are not the
 * query layer's and are counted apart. Prints "N statements, N prepare, N refused, N SQLite's own"; exits
 * 1 when one is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/query.h"

static char *read_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t len = 0, cap = 0, n;
  char chunk[65536];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + n + 1 > cap) {
      cap = (len + n + 1) * 2;
      char *grown = realloc(buf, cap);
      if (!grown) { free(buf); fclose(f); return NULL; }
      buf = grown;
    }
    memcpy(buf + len, chunk, n);
    len += n;
  }
  fclose(f);
  if (!buf) buf = calloc(1, 1);
  else buf[len] = '\0';
  return buf;
}

static int compare_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool sqlite_own(const char *sql)
{
  return strncmp(sql, "PRAGMA", 6) == 0 || strstr(sql, "sqlite_master") || strstr(sql, "sqlite_schema");
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: pg_prepare_check TRACE URL\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IONBF, 0);  /* each statement right after the server's reason (on stderr) */
  char *text = read_file(argv[1]);
  if (!text) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
  size_t count = 0, cap = 1024;
  char **all = malloc(cap * sizeof *all);
  for (char *p = text, *end; all && *p; p = end + 3) {
    end = strstr(p, "\n\x1e\n");
    if (!end) break;
    *end = '\0';
    if (count == cap && !(all = realloc(all, (cap *= 2) * sizeof *all))) break;
    all[count++] = p;
  }
  if (!all) { fprintf(stderr, "out of memory\n"); return 2; }
  qsort(all, count, sizeof *all, compare_text);
  struct db *db = NULL;
  if (db_open(argv[2], &db) != DB_OK) { fprintf(stderr, "cannot open %s\n", argv[2]); return 2; }
  size_t distinct = 0, prepared = 0, refused = 0, own = 0;
  for (size_t i = 0; i < count; i++) {
    if (i > 0 && strcmp(all[i], all[i - 1]) == 0) continue;
    distinct++;
    if (sqlite_own(all[i])) { own++; continue; }
    struct query *q = query_open(db, all[i]);
    if (q) {
      prepared++;
      query_close(q);
    } else {
      refused++;
      printf("---- refused:\n%s\n", all[i]);
    }
  }
  printf("%zu statements, %zu prepare, %zu refused, %zu SQLite's own\n", distinct, prepared, refused, own);
  db_close(db);
  free(all);
  free(text);
  return refused ? 1 : 0;
}
