/* cadres — the ID number is stored three ways: encrypted (to show in full to a role that
 * needs it, later, audited), as a keyed hash (to find duplicates), and masked (to show).
 * The phone two ways (issue 17, F7): encrypted and masked; the plain column `phone` stays empty
 * (a trigger of migration 066 refuses a value in it). */
#include "store/cadres.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/idcard.h"
#include "core/phone.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/rows.h"
#include "store/scope_sql.h"
#include "store/vault.h"
#include "util/strbuf.h"

const char *cadres_post_name_zh(const char *post)
{
  if (!post) return "";
  if (strcmp(post, "first_secretary") == 0) return "第一书记";
  if (strcmp(post, "team_leader") == 0) return "工作队长";
  if (strcmp(post, "team_member") == 0) return "工作队员";
  return "";
}

/* A phone as stored: sealed (vault) and masked; both NULL for no phone. */
struct sealed_phone {
  unsigned char *cipher;
  size_t len;
  char masked[PHONE_MASKED_SIZE];
};

static int seal_phone(const struct vault *vault, const char *plain, struct sealed_phone *out)
{
  memset(out, 0, sizeof *out);
  if (!plain || !*plain) return 0;
  phone_mask(plain, out->masked);
  return vault_encrypt(vault, plain, &out->cipher, &out->len);
}

/* :phone_cipher and :phone_masked, both NULL for no phone. */
static void bind_sealed_phone(struct query *q, const struct sealed_phone *p)
{
  query_bind_blob(q, ":phone_cipher", p->cipher, p->len);
  query_bind_text(q, ":phone_masked", p->cipher ? p->masked : NULL);
}

int cadres_create(struct db *db, const struct vault *vault, const struct cadre_fields *f, int64_t now, int64_t *id_out)
{
  struct idcard_info info;
  if (idcard_validate(f->id_number, date_from_unix_cst((time_t)now), &info) != IDCARD_OK) return DB_CONFLICT;
  /* the normalized number (a trailing x as X), so that one person is one number */
  unsigned char *cipher;
  size_t cipher_len;
  if (vault_encrypt(vault, info.number, &cipher, &cipher_len) != 0) return DB_ERROR;
  unsigned char lookup[32];
  vault_lookup_hash(vault, info.number, lookup);
  char masked[IDCARD_SIZE], birth[DATE_ISO_SIZE];
  idcard_mask(info.number, masked);
  date_format_iso(info.birth_date, birth);
  struct sealed_phone phone;
  if (seal_phone(vault, f->phone, &phone) != 0) { free(cipher); return DB_ERROR; }
  struct query *q = query_open(db,
      "INSERT INTO cadre (name, id_cipher, id_lookup, id_masked, sex, birth_date, phone_cipher, party_member, unit_id,"
      " village_code, post, created_at, employment_type, rank, rural_experience, agri_expertise, note, phone_masked)"
      " VALUES (:name, :id_cipher, :id_lookup, :id_masked, :sex, :birth_date, :phone_cipher, :party_member, :unit,"
      " :village, :post, :now, coalesce(:employment_type, 'established'), :rank, :rural_experience, :agri_expertise,"
      " :note, :phone_masked) RETURNING id");
  query_bind_text(q, ":name", f->name);
  query_bind_blob(q, ":id_cipher", cipher, cipher_len);
  query_bind_blob(q, ":id_lookup", lookup, sizeof lookup);
  query_bind_text(q, ":id_masked", masked);
  query_bind_text(q, ":sex", info.sex == IDCARD_SEX_MALE ? "M" : "F");
  query_bind_text(q, ":birth_date", birth);
  bind_sealed_phone(q, &phone);
  query_bind_int(q, ":party_member", f->party_member > 0);
  query_bind_int(q, ":unit", f->unit_id);
  query_bind_text(q, ":village", f->village_code);
  query_bind_text(q, ":post", f->post);
  query_bind_int(q, ":now", now);
  query_bind_text(q, ":employment_type", f->employment_type);
  query_bind_text(q, ":rank", f->rank);
  query_bind_int(q, ":rural_experience", f->rural_experience > 0);
  query_bind_int(q, ":agri_expertise", f->agri_expertise > 0);
  query_bind_text(q, ":note", f->note);
  int rc = query_insert_id(q, id_out);
  free(cipher);
  free(phone.cipher);
  return rc;
}

/* has_live_post: a probe per row, not EXISTS, which PostgreSQL turns into one hash of every live post built
 * for each page (the city's page of 20 read all 3,000 posts) */
#define CADRE_COLUMNS \
  "c.id AS id, c.name AS name, c.id_masked AS id_masked, c.sex AS sex, c.birth_date AS birth_date," \
  " c.party_member AS party_member, c.unit_id AS unit_id, u.name AS unit_name, c.village_code AS village_code," \
  " cr.name AS village_name, c.post AS post, tw.name AS township_name," \
  " (SELECT 1 FROM assignment la WHERE la.cadre_id = c.id" \
  "  AND la.status IN ('pending','active','handover') LIMIT 1) IS NOT NULL AS has_live_post"
#define CADRE_FROM \
  "cadre c JOIN unit u ON u.id = c.unit_id LEFT JOIN region cr ON cr.code = c.village_code" \
  " LEFT JOIN region tw ON tw.code = cr.parent_code"

/* A text column as JSON: null when the column is NULL (a cadre not in a village). */
static json_t *text_or_null(struct query *q, const char *alias)
{
  return query_is_null(q, alias) ? json_null() : json_string(query_get_text(q, alias));
}

static json_t *cadre_row(struct query *q)
{
  const char *post = query_get_text(q, "post");
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:b}",
                   "id", (json_int_t)query_get_int(q, "id"), "name", query_get_text(q, "name"),
                   "id_number", query_get_text(q, "id_masked"),
                   "sex", strcmp(query_get_text(q, "sex"), "M") == 0 ? "男" : "女",
                   "birth_date", query_get_text(q, "birth_date"), "party_member", (int)query_get_int(q, "party_member"),
                   "unit_id", (json_int_t)query_get_int(q, "unit_id"), "unit_name", query_get_text(q, "unit_name"),
                   "village_code", text_or_null(q, "village_code"), "village_name", text_or_null(q, "village_name"),
                   "post", *post ? json_string(post) : json_null(), "post_name", cadres_post_name_zh(post),
                   "township_name", text_or_null(q, "township_name"), "has_live_post", (int)query_get_int(q, "has_live_post"));
}

json_t *cadres_list_json(struct db *db, const struct scope *scope, const char *region_code, int64_t unit_id,
                         const char *q, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  /* the province's or a city's cadres: the kept range first, in id order (store/scope); a comma, not a JOIN
   * with no ON, which PostgreSQL refuses (the WHERE joins ss to c) */
  bool kept = scope_cadres_kept(scope);
  int rc = strbuf_appendf(&where, "%s" CADRE_FROM " WHERE (:q = '' OR c.name LIKE '%%' || :q || '%%')"
                                  " AND (:unit = 0 OR c.unit_id = :unit)", kept ? "cadre_scope ss, " : "");
  if (region_code)
    rc |= strbuf_appendf(&where, " AND cr.path >= (SELECT path FROM region WHERE code = :region)"
                                 " AND cr.path < (SELECT path FROM region WHERE code = :region) || '~'");
  rc |= scope_cadre_list_sql(scope, &where);
  const struct sql_param params[] = {
    {":q", q ? q : "", 0}, {":region", region_code ? region_code : "", 0}, {":unit", NULL, unit_id}};
  /* Unfiltered, the list's rows are the scope's cadres one for one (unit_id is NOT NULL and refers to a
   * unit; the villages are LEFT JOINs on their key): the kept range counts them from the index alone. */
  const char *count_from = (!q || !*q) && !unit_id && !region_code ? scope_cadre_count_from(scope) : NULL;
  const char *order = kept ? "ss.cadre_id" : "c.id";
  json_t *out = rc == 0 ? query_list_counted(db, count_from, CADRE_COLUMNS, strbuf_cstr(&where), order, params, 3,
                                             scope, cadre_row, page, page_size)
                        : NULL;
  strbuf_free(&where);
  return out;
}

json_t *cadres_get_json(struct db *db, const struct scope *scope, int64_t id)
{
  return query_get_one(db, CADRE_COLUMNS, CADRE_FROM, "c.id", scope, SCOPE_CADRE, cadre_row, id);
}

int cadres_update(struct db *db, const struct vault *vault, int64_t id, const struct cadre_fields *f)
{
  struct sealed_phone phone;
  if (seal_phone(vault, f->phone, &phone) != 0) return DB_ERROR;
  struct query *q = query_open(db,
      "UPDATE cadre SET name = coalesce(:name, name),"
      " phone_cipher = CASE WHEN :phone_set <> 0 THEN :phone_cipher ELSE phone_cipher END,"
      " phone_masked = CASE WHEN :phone_set <> 0 THEN :phone_masked ELSE phone_masked END,"
      " party_member = CASE WHEN :party_member < 0 THEN party_member ELSE :party_member END,"
      " unit_id = CASE WHEN :unit > 0 THEN :unit ELSE unit_id END,"
      " employment_type = coalesce(:employment_type, employment_type), rank = coalesce(:rank, rank),"
      " rural_experience = CASE WHEN :rural_experience < 0 THEN rural_experience ELSE :rural_experience END,"
      " agri_expertise = CASE WHEN :agri_expertise < 0 THEN agri_expertise ELSE :agri_expertise END,"
      " note = coalesce(:note, note) WHERE id = :id");
  query_bind_int(q, ":id", id);
  query_bind_text(q, ":name", f->name);
  bind_sealed_phone(q, &phone);
  query_bind_int(q, ":phone_set", f->phone != NULL); /* "" clears the phone */
  query_bind_int(q, ":party_member", f->party_member);
  query_bind_int(q, ":unit", f->unit_id);
  query_bind_text(q, ":employment_type", f->employment_type);
  query_bind_text(q, ":rank", f->rank);
  query_bind_int(q, ":rural_experience", f->rural_experience);
  query_bind_int(q, ":agri_expertise", f->agri_expertise);
  query_bind_text(q, ":note", f->note);
  int rc = query_exec(q);
  free(phone.cipher);
  return rc;
}

int cadres_find_by_id_number(struct db *db, const struct vault *vault, const char *id_number, int64_t *id_out)
{
  unsigned char lookup[32];
  vault_lookup_hash(vault, id_number, lookup);
  struct query *q = query_open(db, "SELECT id FROM cadre WHERE id_lookup = :lookup");
  query_bind_blob(q, ":lookup", lookup, sizeof lookup);
  bool found = query_next(q);
  if (found) *id_out = query_get_int(q, "id");
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

/* The sealed value in the current row's column alias opened into *out (malloc'd). */
static int open_sealed(const struct vault *vault, struct query *q, const char *alias, char **out)
{
  size_t len;
  const void *cipher = query_get_blob(q, alias, &len);
  return cipher && vault_decrypt(vault, cipher, len, out) == 0 ? DB_OK : DB_ERROR;
}

/* The end of a reveal: rc, or the query's failure (the opened value wiped and dropped). */
static int reveal_end(struct query *q, int rc, char **out)
{
  int closed = query_close(q);
  if (closed == DB_OK) return rc;
  if (*out) {
    sodium_memzero(*out, strlen(*out));
    free(*out);
    *out = NULL;
  }
  return closed;
}

int cadres_reveal_id_number(struct db *db, const struct vault *vault, int64_t id, char **out)
{
  *out = NULL;
  struct query *q = query_open(db, "SELECT id_cipher FROM cadre WHERE id = :id");
  query_bind_int(q, ":id", id);
  int rc = query_next(q) ? open_sealed(vault, q, "id_cipher", out) : DB_NOT_FOUND;
  return reveal_end(q, rc, out);
}

/* The phone in the current row's phone_cipher opened ("" for none); malloc'd. */
static int open_phone(const struct vault *vault, struct query *q, char **out)
{
  if (query_is_null(q, "phone_cipher")) return (*out = strdup("")) ? DB_OK : DB_ERROR;
  return open_sealed(vault, q, "phone_cipher", out);
}

int cadres_reveal_phone(struct db *db, const struct vault *vault, int64_t id, char **out)
{
  *out = NULL;
  struct query *q = query_open(db, "SELECT phone_cipher FROM cadre WHERE id = :id");
  query_bind_int(q, ":id", id);
  int rc = query_next(q) ? open_phone(vault, q, out) : DB_NOT_FOUND;
  return reveal_end(q, rc, out);
}

int cadres_add_sanction(struct db *db, int64_t cadre_id, const char *kind, const char *start, const char *end,
                        const char *note, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO cadre_sanction (cadre_id, kind, start_date, end_date, note, created_at)"
      " VALUES (:cadre, :kind, :start, :end, :note, :now) RETURNING id");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":kind", kind);
  query_bind_text(q, ":start", start);
  query_bind_text(q, ":end", end);
  query_bind_text(q, ":note", note);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

int cadres_set_appraisal(struct db *db, int64_t cadre_id, int year, const char *result)
{
  struct query *q = query_open(db,
      "INSERT INTO cadre_appraisal (cadre_id, year, result) VALUES (:cadre, :year, :result)"
      " ON CONFLICT (cadre_id, year) DO UPDATE SET result = excluded.result");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_int(q, ":year", year);
  query_bind_text(q, ":result", result);
  return query_exec(q);
}

int cadres_set_station(struct db *db, int64_t cadre_id, const char *village_code, const char *post)
{
  struct query *q = query_open(db, "UPDATE cadre SET village_code = :village, post = :post WHERE id = :cadre");
  query_bind_int(q, ":cadre", cadre_id);
  query_bind_text(q, ":village", village_code);
  query_bind_text(q, ":post", village_code ? post : NULL);
  return query_exec(q);
}

/* Rows of a child table (:cadre bound to id) as a JSON array, one object per row from row_fn; NULL when a
 * read failed. */
static json_t *child_rows(struct db *db, const char *sql, int64_t id, json_t *(*row_fn)(struct query *q))
{
  struct query *q = query_open(db, sql);
  query_bind_int(q, ":cadre", id);
  json_t *out = json_array();
  while (out && query_next(q)) json_array_append_new(out, row_fn(q));
  if (query_close(q) != DB_OK) {
    json_decref(out);
    return NULL;
  }
  return out;
}

static json_t *sanction_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)query_get_int(q, "id"), "kind",
                   query_get_text(q, "kind"), "start_date", query_get_text(q, "start_date"), "end_date",
                   query_is_null(q, "end_date") ? json_null() : json_string(query_get_text(q, "end_date")),
                   "note", query_get_text(q, "note"));
}

static json_t *appraisal_row(struct query *q)
{
  return json_pack("{s:i, s:s, s:s}", "year", (int)query_get_int(q, "year"), "result", query_get_text(q, "result"),
                   "source", query_get_text(q, "source")); /* evaluation: a confirmed 驻村年度考核; registry: recorded */
}

static json_t *station_row(struct query *q)
{
  const char *post = query_get_text(q, "post");
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)query_get_int(q, "id"),
                   "village_code", query_get_text(q, "village_code"), "village_name", query_get_text(q, "village_name"),
                   "post", post, "post_name", cadres_post_name_zh(post), "status", query_get_text(q, "status"),
                   "start_date", query_get_text(q, "start_date"), "term_end", query_get_text(q, "term_end"),
                   "unit_name", query_get_text(q, "unit_name"));
}

/* The phone as this reader sees it: the cadre their own in full, anyone else masked (phone.h), the
 * full number only through the audited reveal (cadres_reveal_phone). */
static json_t *phone_for_reader(const struct vault *vault, const struct scope *scope, int64_t id, struct query *q)
{
  bool own = scope->kind == SCOPE_KIND_SELF && scope->cadre_id == id;
  if (!own) return json_string(query_get_text(q, "phone_masked"));
  char *plain = NULL;
  if (open_phone(vault, q, &plain) != DB_OK) return json_string(query_get_text(q, "phone_masked"));
  json_t *v = json_string(plain);
  sodium_memzero(plain, strlen(plain));
  free(plain);
  return v;
}

/* The registry's fields of the record beyond the list row; -1 when the read failed. */
static int registry_fields(struct db *db, const struct vault *vault, const struct scope *scope, int64_t id, json_t *c)
{
  struct query *q = query_open(db,
      "SELECT employment_type, coalesce(rank, '') AS rank, rural_experience, agri_expertise,"
      " coalesce(phone_masked, '') AS phone_masked, coalesce(note, '') AS note, phone_cipher FROM cadre WHERE id = :id");
  query_bind_int(q, ":id", id);
  if (query_next(q)) {
    json_object_set_new(c, "employment_type", json_string(query_get_text(q, "employment_type")));
    json_object_set_new(c, "rank", json_string(query_get_text(q, "rank")));
    json_object_set_new(c, "rural_experience", json_boolean(query_get_int(q, "rural_experience")));
    json_object_set_new(c, "agri_expertise", json_boolean(query_get_int(q, "agri_expertise")));
    json_object_set_new(c, "phone", phone_for_reader(vault, scope, id, q));
    json_object_set_new(c, "note", json_string(query_get_text(q, "note")));
  }
  return query_close(q) == DB_OK ? 0 : -1;
}

json_t *cadres_detail_json(struct db *db, const struct vault *vault, const struct scope *scope, int64_t id)
{
  json_t *c = cadres_get_json(db, scope, id);
  if (!c) return NULL;
  int parts = registry_fields(db, vault, scope, id, c);
  parts |= rows_set(c, "sanctions", child_rows(db,
      "SELECT id, kind, start_date, end_date, coalesce(note, '') AS note FROM cadre_sanction WHERE cadre_id = :cadre"
      " ORDER BY start_date", id, sanction_row));
  parts |= rows_set(c, "appraisals", child_rows(db,
      "SELECT year, result, source FROM appraisal_record WHERE cadre_id = :cadre ORDER BY year DESC", id,
      appraisal_row));
  parts |= rows_set(c, "assignments", child_rows(db,
      "SELECT a.id AS id, a.village_code AS village_code, r.name AS village_name, a.post AS post, a.status AS status,"
      " a.start_date AS start_date, a.term_end AS term_end, u.name AS unit_name FROM assignment a"
      " JOIN region r ON r.code = a.village_code JOIN unit u ON u.id = a.unit_id WHERE a.cadre_id = :cadre"
      " ORDER BY a.id DESC", id, station_row));
  if (parts != 0) { json_decref(c); return NULL; }
  return c;
}
