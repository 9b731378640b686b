/* Tests of store/regions on a scratch database (issue 16: the file moved onto store/query): the tree's
 * roots and children with their counts as each scope sees them, one region with its ancestors and
 * history, the lookup, the fence's patch (set, then cleared), a rename (a village shown by its short name,
 * the old name kept in history up to the day before; a rename not after the current name's start refused),
 * a move (the subtree's paths rewritten), the display names derived for villages imported without one —
 * and a region whose history cannot be read is not answered without it (NULL, the failure counted). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db_sqlite.h"
#include "store/regions.h"
#include "store/scope.h"
#include "scratch_db.h"

static char path[64];

static int64_t scalar(struct db *db, const char *sql)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  assert_non_null(st);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return v;
}

static char text_buf[256];
static const char *text(struct db *db, const char *sql)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  assert_non_null(st);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  snprintf(text_buf, sizeof text_buf, "%s", db_col_text(st, 0));
  sqlite3_reset(st);
  return text_buf;
}

/* 江西 36: 南昌 3601, 赣州 3607 (county 360781 瑞金市, township 360781104 沙洲坝镇, two villages); a unit
 * of 瑞金 and a cadre stationed in the first village. */
static struct db *seeded(void)
{
  struct db *db = scratch_db_open(path, sizeof path, "regions");
  assert_int_equal(db_exec(db,
      "INSERT INTO region (code, name, level, parent_code, path, valid_from) VALUES"
      " ('36', '江西省', 'province', NULL, '/36/', '2000-01-01'),"
      " ('3601', '南昌市', 'city', '36', '/36/3601/', '2000-01-01'),"
      " ('3607', '赣州市', 'city', '36', '/36/3607/', '2000-01-01'),"
      " ('360781', '瑞金市', 'county', '3607', '/36/3607/360781/', '2000-01-01'),"
      " ('360781104', '沙洲坝镇', 'township', '360781', '/36/3607/360781/360781104/', '2000-01-01'),"
      " ('360781104001', '沙洲坝村', 'village', '360781104', '/36/3607/360781/360781104/360781104001/', '2020-01-01'),"
      " ('360781104002', '洋溪村', 'village', '360781104', '/36/3607/360781/360781104/360781104002/', '2020-01-01');"
      "UPDATE region SET official_name = '沙洲坝村民委员会' WHERE code = '360781104001';"
      "UPDATE region SET official_name = '洋溪村民委员会' WHERE code = '360781104002';"
      "INSERT INTO unit (id, name, level, type, region_code, created_at) VALUES (1, '瑞金市委组织部', 'county',"
      " 'party_gov', '360781', 0);"
      "INSERT INTO cadre (name, id_cipher, id_lookup, id_masked, sex, birth_date, unit_id, village_code, created_at)"
      " VALUES ('干部1', x'00', randomblob(16), '3607**', 'M', '1990-01-01', 1, '360781104001', 0);"),
    DB_OK);
  return db;
}

static struct scope region_scope(const char *code, const char *lo)
{
  struct scope s = {.kind = SCOPE_KIND_REGION};
  snprintf(s.region_code, sizeof s.region_code, "%s", code);
  snprintf(s.path_lo, sizeof s.path_lo, "%s", lo);
  snprintf(s.path_hi, sizeof s.path_hi, "%s~", lo);
  return s;
}

static const char *str(json_t *o, const char *key) { return json_string_value(json_object_get(o, key)); }
static json_int_t num(json_t *o, const char *key) { return json_integer_value(json_object_get(o, key)); }

static void test_tree_as_each_scope_sees_it(void **state)
{
  (void)state;
  struct db *db = seeded();
  struct scope all = {.kind = SCOPE_KIND_NONE}, ganzhou = region_scope("3607", "/36/3607/");

  json_t *roots = regions_children_json(db, &all, NULL); /* no bounds: the roots of the tree */
  assert_non_null(roots);
  assert_int_equal(json_array_size(roots), 1);
  json_t *jx = json_array_get(roots, 0);
  assert_string_equal(str(jx, "code"), "36");
  assert_true(json_is_null(json_object_get(jx, "parent_code")));
  assert_int_equal(num(jx, "child_count"), 2);
  assert_int_equal(num(jx, "village_count"), 2);
  assert_int_equal(num(jx, "unit_count"), 1);
  assert_int_equal(num(jx, "cadre_count"), 1);
  json_decref(roots);

  roots = regions_children_json(db, &ganzhou, NULL); /* a region's scope: rooted at its region */
  assert_non_null(roots);
  assert_int_equal(json_array_size(roots), 1);
  assert_string_equal(str(json_array_get(roots, 0), "code"), "3607");
  assert_int_equal(num(json_array_get(roots, 0), "village_count"), 2);
  json_decref(roots);

  json_t *villages = regions_children_json(db, &ganzhou, "360781104");
  assert_non_null(villages);
  assert_int_equal(json_array_size(villages), 2);
  json_t *v = json_array_get(villages, 0);
  assert_string_equal(str(v, "code"), "360781104001");
  assert_string_equal(str(v, "name"), "沙洲坝村");
  assert_string_equal(str(v, "official_name"), "沙洲坝村民委员会");
  assert_string_equal(str(v, "parent_code"), "360781104");
  assert_string_equal(str(v, "valid_from"), "2020-01-01");
  assert_true(json_is_false(json_object_get(v, "key_village")));
  assert_true(json_is_null(json_object_get(v, "lat")) && json_is_null(json_object_get(v, "radius_m")));
  assert_true(json_is_null(json_object_get(v, "valid_to")));
  assert_int_equal(num(v, "cadre_count"), 1);
  assert_int_equal(num(json_array_get(villages, 1), "cadre_count"), 0);
  json_decref(villages);

  /* 南昌's scope does not reach 赣州's villages */
  struct scope nanchang = region_scope("3601", "/36/3601/");
  villages = regions_children_json(db, &nanchang, "360781104");
  assert_non_null(villages);
  assert_int_equal(json_array_size(villages), 0);
  json_decref(villages);
  scratch_db_close(db, path);
}

static void test_one_region_and_lookup(void **state)
{
  (void)state;
  struct db *db = seeded();
  struct scope ganzhou = region_scope("3607", "/36/3607/"), nanchang = region_scope("3601", "/36/3601/");
  json_t *v = regions_get_json(db, &ganzhou, "360781104001");
  assert_non_null(v);
  json_t *up = json_object_get(v, "ancestors");
  assert_int_equal(json_array_size(up), 4); /* province to township, outermost first, not the village */
  assert_string_equal(str(json_array_get(up, 0), "code"), "36");
  assert_string_equal(str(json_array_get(up, 3), "code"), "360781104");
  assert_string_equal(str(json_array_get(up, 3), "level"), "township");
  assert_int_equal(json_array_size(json_object_get(v, "history")), 0);
  json_decref(v);
  assert_null(regions_get_json(db, &nanchang, "360781104001"));
  assert_null(regions_get_json(db, &ganzhou, "360781104999"));

  char p[96], level[16];
  assert_int_equal(regions_lookup(db, &ganzhou, "360781104", p, level), DB_OK);
  assert_string_equal(p, "/36/3607/360781/360781104/");
  assert_string_equal(level, "township");
  assert_int_equal(regions_lookup(db, &nanchang, "360781104", p, level), DB_NOT_FOUND);
  assert_int_equal(regions_lookup(db, &ganzhou, "3607819", p, level), DB_NOT_FOUND);
  scratch_db_close(db, path);
}

static void test_fence_patch(void **state)
{
  (void)state;
  struct db *db = seeded();
  struct scope all = {.kind = SCOPE_KIND_NONE};
  struct region_patch set = {.has_key_village = true, .key_village = true, .has_lat = true, .lat = 25.8859,
                             .has_lng = true, .lng = 116.0273, .has_radius = true, .radius_m = 800};
  assert_int_equal(regions_update(db, "360781104001", &set), DB_OK);
  json_t *v = regions_get_json(db, &all, "360781104001");
  assert_non_null(v);
  assert_true(json_is_true(json_object_get(v, "key_village")));
  assert_float_equal(json_real_value(json_object_get(v, "lat")), 25.8859, 1e-9);
  assert_float_equal(json_real_value(json_object_get(v, "lng")), 116.0273, 1e-9);
  assert_int_equal(num(v, "radius_m"), 800);
  json_decref(v);

  /* a latitude without its longitude moves nothing; the radius alone changes */
  struct region_patch half = {.has_lat = true, .lat = 1, .has_radius = true, .radius_m = 500};
  assert_int_equal(regions_update(db, "360781104001", &half), DB_OK);
  assert_int_equal(scalar(db, "SELECT abs(lat - 25.8859) < 1e-9 AND radius_m = 500 AND key_village = 1 FROM region"
                              " WHERE code = '360781104001'"), 1);

  struct region_patch clear = {.clear_fence = true};
  assert_int_equal(regions_update(db, "360781104001", &clear), DB_OK);
  v = regions_get_json(db, &all, "360781104001");
  assert_true(json_is_null(json_object_get(v, "lat")) && json_is_null(json_object_get(v, "lng")));
  assert_true(json_is_null(json_object_get(v, "radius_m")));
  assert_true(json_is_true(json_object_get(v, "key_village")));
  json_decref(v);
  scratch_db_close(db, path);
}

static void test_rename_keeps_history(void **state)
{
  (void)state;
  struct db *db = seeded();
  struct scope all = {.kind = SCOPE_KIND_NONE};
  assert_int_equal(regions_rename(db, "360781104001", "红井村民委员会", "2026-03-01"), DB_OK);
  json_t *v = regions_get_json(db, &all, "360781104001");
  assert_non_null(v);
  assert_string_equal(str(v, "name"), "红井村");
  assert_string_equal(str(v, "official_name"), "红井村民委员会");
  assert_string_equal(str(v, "valid_from"), "2026-03-01");
  json_t *h = json_object_get(v, "history");
  assert_int_equal(json_array_size(h), 1);
  assert_string_equal(str(json_array_get(h, 0), "name"), "沙洲坝村");
  assert_string_equal(str(json_array_get(h, 0), "parent_code"), "360781104");
  assert_string_equal(str(json_array_get(h, 0), "valid_from"), "2020-01-01");
  assert_string_equal(str(json_array_get(h, 0), "valid_to"), "2026-02-28");
  json_decref(v);

  /* not after the current name's start: refused, nothing written */
  assert_int_equal(regions_rename(db, "360781104001", "别的村民委员会", "2026-03-01"), DB_CONFLICT);
  assert_int_equal(scalar(db, "SELECT count(*) FROM region_history"), 1);
  assert_string_equal(text(db, "SELECT name FROM region WHERE code = '360781104001'"), "红井村");

  /* a township keeps the name as given, and no official name of its own */
  assert_int_equal(regions_rename(db, "360781104", "沙洲坝乡", "2026-04-01"), DB_OK);
  assert_string_equal(text(db, "SELECT name || '|' || coalesce(official_name, '-') FROM region WHERE code = '360781104'"),
                      "沙洲坝乡|-");
  scratch_db_close(db, path);
}

static void test_move_rewrites_the_subtree(void **state)
{
  (void)state;
  struct db *db = seeded();
  assert_int_equal(regions_move(db, "360781", "3601", "2026-05-01"), DB_OK);
  assert_string_equal(text(db, "SELECT path FROM region WHERE code = '360781104002'"),
                      "/36/3601/360781/360781104/360781104002/");
  assert_string_equal(text(db, "SELECT parent_code || '|' || valid_from FROM region WHERE code = '360781'"),
                      "3601|2026-05-01");
  assert_string_equal(text(db, "SELECT parent_code || '|' || valid_to FROM region_history WHERE code = '360781'"),
                      "3607|2026-04-30");
  assert_int_equal(scalar(db, "SELECT count(*) FROM region WHERE path > '/36/3607/' AND path < '/36/3607/~'"), 0);
  scratch_db_close(db, path);
}

static void test_display_names_derived(void **state)
{
  (void)state;
  struct db *db = seeded();
  assert_int_equal(db_exec(db, "INSERT INTO region (code, name, level, parent_code, path) VALUES ('360781104003',"
                               " '社区居委会', 'village', '360781104', '/36/3607/360781/360781104/360781104003/')"),
                   DB_OK);
  assert_int_equal(regions_derive_display_names(db), DB_OK);
  assert_string_equal(text(db, "SELECT name || '|' || official_name FROM region WHERE code = '360781104003'"),
                      "沙洲坝镇社区|社区居委会");
  assert_string_equal(text(db, "SELECT name FROM region WHERE code = '360781104001'"), "沙洲坝村"); /* had one */
  assert_int_equal(regions_derive_display_names(db), DB_OK); /* nothing left to do */
  assert_string_equal(text(db, "SELECT name FROM region WHERE code = '360781104003'"), "沙洲坝镇社区");
  scratch_db_close(db, path);
}

/* A region whose history cannot be read is not answered as one without history. */
static void test_unreadable_history_fails_the_record(void **state)
{
  (void)state;
  struct db *db = seeded();
  struct scope all = {.kind = SCOPE_KIND_NONE};
  json_t *v = regions_get_json(db, &all, "360781104001"); /* the statements cached */
  assert_non_null(v);
  json_decref(v);
  assert_int_equal(db_exec(db, "ALTER TABLE region_history RENAME TO region_history_gone"), DB_OK);
  int64_t before = db_failures(db);
  assert_null(regions_get_json(db, &all, "360781104001"));
  assert_true(db_failures(db) > before);
  scratch_db_close(db, path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_tree_as_each_scope_sees_it), cmocka_unit_test(test_one_region_and_lookup),
    cmocka_unit_test(test_fence_patch),                cmocka_unit_test(test_rename_keeps_history),
    cmocka_unit_test(test_move_rewrites_the_subtree),  cmocka_unit_test(test_display_names_derived),
    cmocka_unit_test(test_unreadable_history_fails_the_record),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
