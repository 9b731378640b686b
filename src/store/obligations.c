/* obligations (store) — parties, evidence facts and the compliance matrix (see obligations.h).
 *
 * One run = load the parties of the owner types asked about (one pass over the posts live in the
 * range: a county's or township's from its own villages, a city's by status), load the facts of
 * each obligation's evidence kind over the range for the parties judged (party by party when they
 * are a few thousand at most, else one range of the index; either way ordered by party id, merged
 * with the parties, which are ordered the same way), judge every cell, and add it to its roll-up
 * row, its month and, when asked, to the list of cells. A township's answer costs in proportion to
 * the township (issue 15; tests/unit/test_obligation_plans.c checks the plans). */
#include "store/obligations.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/dialect.h"
#include "store/list_sql.h"
#include "store/query.h"
#include "store/scope_sql.h"
#include "util/strbuf.h"

struct party {
  enum obligation_owner type;
  char id[24];
  char name[160];
  char county[16], township[16], village[16], unit[24];
  char post[20];
  int first, last;      /* live in [first, last] */
  int group;            /* roll-up row, -1: outside R */
  bool want;            /* judged for the obligation at hand */
  size_t fact0, nfacts; /* its facts of the kind being judged */
};

struct party_set { struct party *v; size_t n, cap; };

struct group {
  char key[24];
  char name[160];
  const char *level;    /* county | township | unit | team | self */
  int *stat;            /* per obligation: expected, done, on_time, missing, not_yet_due */
};
#define NSTAT 5

struct cell {
  const struct party *party;
  const struct obligation *o;
  struct obligation_period p;
  struct cell_result r;
};

struct run {
  const struct compliance_query *q;
  char r_level[12], r_path[96], r_name[96];
  char unit_name[160];
  struct party_set parties[OWNER_COUNT];
  bool need[OWNER_COUNT];  /* the owner types some obligation asked about falls on */
  struct group *groups;
  size_t ngroups, capgroups;
  int nmonths, month0;  /* month index: (year*12 + month-1) - month0 */
  int *trend;           /* [month][obligation][NSTAT] */
  struct cell *cells;
  size_t ncells, capcells;
  bool want_cells;
};

#define LIVE_END "(CASE WHEN a.status = 'ended' THEN coalesce(a.ended_on, a.term_end) ELSE '9999-12-31' END)"
#define LIVE_JOINS \
  " JOIN region tw ON tw.code = ar.parent_code" \
  " JOIN region co ON co.code = tw.parent_code JOIN unit u ON u.id = a.unit_id JOIN region ur ON ur.code = u.region_code" \
  " JOIN cadre c ON c.id = a.cadre_id" \
  " WHERE a.status IN ('active','handover','ended') AND a.start_date <= :to AND " LIVE_END " >= :from"
/* A city or a province: nearly every post, read by status. */
#define LIVE_FROM " FROM assignment a JOIN region ar ON ar.code = a.village_code" LIVE_JOINS
/* A county, a township or a village (issue 15): its villages by the range of their paths, then each
 * village's posts by assignment_village, so that a township reads its own posts and not the city's. */
#define LIVE_FROM_PLACES " FROM region ar CROSS JOIN assignment a ON a.village_code = ar.code" LIVE_JOINS

static const char *NAME_SUFFIX[OWNER_COUNT] = {
  [OWNER_COUNTY] = "县级驻村工作领导小组", [OWNER_TOWNSHIP] = "党委", [OWNER_TEAM] = "驻村工作队",
  [OWNER_UNIT_PRINCIPAL] = "主要领导", [OWNER_UNIT_DEPUTY] = "分管领导", [OWNER_UNIT_HR] = "人事部门负责人",
  [OWNER_CITY] = "（市级）", [OWNER_UNIT_TEAM] = "工作队"};

static int push_party(struct party_set *s, const struct party *p)
{
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    struct party *v = realloc(s->v, cap * sizeof *v);
    if (!v) return -1;
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = *p;
  return 0;
}

static void iso_of(int date, char out[DATE_ISO_SIZE]) { date_format_iso(date, out); }

/* snprintf(dst, size, "%.*s", max, src) appended at *at, without parsing a format: the parties are
 * built ten thousand rows at a time (a city's posts). */
static void text_put(char *dst, size_t size, size_t *at, const char *src, size_t max)
{
  size_t n = strnlen(src, max);
  if (*at + n > size - 1) n = size - 1 - *at;
  memcpy(dst + *at, src, n);
  *at += n;
  dst[*at] = '\0';
}

static void text_set(char *dst, size_t size, const char *src)
{
  size_t at = 0;
  text_put(dst, size, &at, src, SIZE_MAX);
}

/* snprintf(dst, size, "%.*s%s", max, head, tail) */
static void text_join(char *dst, size_t size, const char *head, size_t max, const char *tail)
{
  size_t at = 0;
  text_put(dst, size, &at, head, max);
  text_put(dst, size, &at, tail, SIZE_MAX);
}

/* An index of a party set by id (open addressing, FNV-1a), so that one pass over the posts can
 * merge the rows of the same party. */
struct pindex { int *slot; size_t cap; };

static size_t hash_id(const char *s)
{
  size_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static int pindex_grow(struct pindex *ix, const struct party_set *set)
{
  size_t cap = ix->cap ? ix->cap * 2 : 256;
  int *slot = malloc(cap * sizeof *slot);
  if (!slot) return -1;
  for (size_t i = 0; i < cap; i++) slot[i] = -1;
  for (size_t k = 0; k < set->n; k++) {
    size_t h = hash_id(set->v[k].id) & (cap - 1);
    while (slot[h] >= 0) h = (h + 1) & (cap - 1);
    slot[h] = (int)k;
  }
  free(ix->slot);
  ix->slot = slot;
  ix->cap = cap;
  return 0;
}

/* The party with p's id in set (merged: the widest live range; a team's unit by post), or p added. */
static int merge_party(struct party_set *set, struct pindex *ix, const struct party *p, int rank, int *ranks)
{
  if ((set->n + 1) * 2 > ix->cap && pindex_grow(ix, set) != 0) return -1;
  size_t h = hash_id(p->id) & (ix->cap - 1);
  while (ix->slot[h] >= 0) {
    struct party *q = &set->v[ix->slot[h]];
    if (strcmp(q->id, p->id) == 0) {
      if (p->first < q->first) q->first = p->first;
      if (p->last > q->last) q->last = p->last;
      if (ranks && rank < ranks[ix->slot[h]]) {   /* the team's unit: first secretary, else team leader */
        ranks[ix->slot[h]] = rank;
        text_set(q->unit, sizeof q->unit, p->unit);
      }
      if (p->type == OWNER_CADRE && p->first >= q->first) { /* a cadre's latest post */
        text_set(q->post, sizeof q->post, p->post);
        text_set(q->village, sizeof q->village, p->village);
        text_set(q->township, sizeof q->township, p->township);
        text_set(q->county, sizeof q->county, p->county);
        text_set(q->unit, sizeof q->unit, p->unit);
      }
      return 0;
    }
    h = (h + 1) & (ix->cap - 1);
  }
  ix->slot[h] = (int)set->n;
  if (ranks) ranks[set->n] = rank;
  return push_party(set, p);
}

static int cmp_party(const void *a, const void *b) { return strcmp(((const struct party *)a)->id, ((const struct party *)b)->id); }

static int post_rank(const char *post)
{
  return strcmp(post, "first_secretary") == 0 ? 0 : strcmp(post, "team_leader") == 0 ? 1 : 2;
}

/* Slashes in a region path: 3 for a city ("/36/3607/"), more below it, 0 for none. */
static int path_depth(const char *path)
{
  int n = 0;
  for (; *path; path++) n += *path == '/';
  return n;
}

/* The path whose places the posts are read below: R's, else a region scope's own, else "" (all). */
static const char *places_below(const struct scope *scope, const struct run *run)
{
  if (*run->r_path) return run->r_path;
  return scope->kind == SCOPE_KIND_REGION ? scope->path_lo : "";
}

/* One row of the posts live in the range (load_all_parties' SELECT), valid until the next row. */
struct post_row {
  const char *county, *county_name, *township, *township_name, *village, *village_name, *unit, *unit_name,
      *unit_county, *cadre, *cadre_name, *post, *live_from, *live_to, *city, *city_name;
};

static struct post_row post_row_read(struct query *q)
{
  struct post_row r;
  r.county = query_get_text(q, "county");
  r.county_name = query_get_text(q, "county_name");
  r.township = query_get_text(q, "township");
  r.township_name = query_get_text(q, "township_name");
  r.village = query_get_text(q, "village");
  r.village_name = query_get_text(q, "village_name");
  r.unit = query_get_text(q, "unit");
  r.unit_name = query_get_text(q, "unit_name");
  r.unit_county = query_get_text(q, "unit_county");
  r.cadre = query_get_text(q, "cadre");
  r.cadre_name = query_get_text(q, "cadre_name");
  r.post = query_get_text(q, "post");
  r.live_from = query_get_text(q, "live_from");
  r.live_to = query_get_text(q, "live_to");
  r.city = query_get_text(q, "city");
  r.city_name = query_get_text(q, "city_name");
  return r;
}

/* Every party of every owner type in scope and R, from one pass over the posts live in the range;
 * each set ends ordered by id (as the evidence rows are). */
static int load_all_parties(struct db *db, const struct scope *scope, struct run *run)
{
  struct strbuf sql;
  strbuf_init(&sql, 8192);
  const char *below = places_below(scope, run);
  int rc = strbuf_appendf(&sql, "%s%s",
      "SELECT co.code AS county, co.name AS county_name, tw.code AS township, tw.name AS township_name,"
      " ar.code AS village, ar.name AS village_name, CAST(a.unit_id AS TEXT) AS unit, u.name AS unit_name,"
      " CASE WHEN ur.level = 'county' THEN ur.code ELSE '' END AS unit_county, CAST(c.id AS TEXT) AS cadre,"
      " c.name AS cadre_name, a.post AS post, a.start_date AS live_from, " LIVE_END " AS live_to, co.parent_code AS city,"
      " (SELECT ci.name FROM region ci WHERE ci.code = co.parent_code) AS city_name",
      path_depth(below) > 3 ? LIVE_FROM_PLACES : LIVE_FROM);
  /* below R (or the scope): a range of the region paths, so that a township reads its own posts only */
  if (*below) rc |= strbuf_appendf(&sql, " AND ar.path >= :lo AND ar.path < :lo || '~'");
  if (run->q->unit_id) rc |= strbuf_appendf(&sql, " AND a.unit_id = :unit");
  rc |= scope_sql(scope, SCOPE_ASSIGNMENT, &sql);
  struct query *q = rc == 0 ? query_open(db, strbuf_cstr(&sql)) : NULL;
  strbuf_free(&sql);
  if (!q) return DB_ERROR;
  char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE];
  iso_of(run->q->from, from);
  iso_of(run->q->to, to);
  query_bind_scope(q, scope);
  query_bind_text(q, ":from", from);
  query_bind_text(q, ":to", to);
  if (*below) query_bind_text(q, ":lo", below);
  if (run->q->unit_id) query_bind_int(q, ":unit", run->q->unit_id);
  struct pindex ix[OWNER_COUNT] = {{0}};
  int *team_ranks = NULL;
  size_t team_cap = 0;
  rc = DB_OK;
  while (rc == DB_OK && query_next(q)) {
    /* every column read once a row, in the order of the SELECT: the query's memo then finds each by one
     * pointer comparison (a city's ten thousand posts) */
    struct post_row row = post_row_read(q);
    struct party base = {.group = -1};
    const char *post = row.post;
    if (date_parse_iso(row.live_from, &base.first) != 0) base.first = DATE_MIN;
    if (date_parse_iso(row.live_to, &base.last) != 0) base.last = DATE_MAX;
    struct party p = base;
    /* the county and the township of the village */
    p.type = OWNER_COUNTY;
    text_set(p.id, sizeof p.id, row.county);
    text_join(p.name, sizeof p.name, row.county_name, SIZE_MAX, NAME_SUFFIX[OWNER_COUNTY]);
    text_set(p.county, sizeof p.county, row.county);
    if (run->need[OWNER_COUNTY]) rc |= merge_party(&run->parties[OWNER_COUNTY], &ix[OWNER_COUNTY], &p, 0, NULL);
    p.type = OWNER_TOWNSHIP;
    text_set(p.id, sizeof p.id, row.township);
    text_join(p.name, sizeof p.name, row.township_name, SIZE_MAX, NAME_SUFFIX[OWNER_TOWNSHIP]);
    text_set(p.township, sizeof p.township, row.township);
    if (run->need[OWNER_TOWNSHIP]) rc |= merge_party(&run->parties[OWNER_TOWNSHIP], &ix[OWNER_TOWNSHIP], &p, 0, NULL);
    /* the city (4.5: each level trains its own units' staff), for the region officials who see it: above
     * every county, it is the own row ("self") of a city-wide R and outside a county's R */
    if (scope->kind == SCOPE_KIND_REGION && run->need[OWNER_CITY] && *row.city) {
      struct party city = base;
      city.type = OWNER_CITY;
      text_set(city.id, sizeof city.id, row.city);
      text_join(city.name, sizeof city.name, row.city_name, 120, NAME_SUFFIX[OWNER_CITY]);
      rc |= merge_party(&run->parties[OWNER_CITY], &ix[OWNER_CITY], &city, 0, NULL);
    }
    /* the team (its village), its unit by post */
    p.type = OWNER_TEAM;
    text_set(p.id, sizeof p.id, row.village);
    text_join(p.name, sizeof p.name, row.village_name, SIZE_MAX, NAME_SUFFIX[OWNER_TEAM]);
    text_set(p.village, sizeof p.village, row.village);
    text_set(p.unit, sizeof p.unit, row.unit);
    if (run->parties[OWNER_TEAM].n + 1 > team_cap) {
      team_cap = team_cap ? team_cap * 2 : 256;
      int *r = realloc(team_ranks, team_cap * sizeof *r);
      if (!r) { rc = DB_ERROR; break; }
      team_ranks = r;
    }
    if (run->need[OWNER_TEAM]) rc |= merge_party(&run->parties[OWNER_TEAM], &ix[OWNER_TEAM], &p, post_rank(post), team_ranks);
    /* the cadre */
    p.type = OWNER_CADRE;
    text_set(p.id, sizeof p.id, row.cadre);
    text_set(p.name, sizeof p.name, row.cadre_name);
    text_set(p.post, sizeof p.post, post);
    if (run->need[OWNER_CADRE]) rc |= merge_party(&run->parties[OWNER_CADRE], &ix[OWNER_CADRE], &p, 0, NULL);
    /* the dispatching unit: its place is its region (a county, or the city: no county) */
    if (run->need[OWNER_UNIT]) {
      struct party u = base;
      u.type = OWNER_UNIT;
      text_set(u.id, sizeof u.id, row.unit);
      text_set(u.name, sizeof u.name, row.unit_name);
      text_set(u.county, sizeof u.county, row.unit_county);
      text_set(u.unit, sizeof u.unit, u.id);
      rc |= merge_party(&run->parties[OWNER_UNIT], &ix[OWNER_UNIT], &u, 0, NULL);
    }
    /* the unit for this team (3.1a, 3.1b are owed per team the unit has cadres in) */
    if (run->need[OWNER_UNIT_TEAM]) {
      struct party ut = p;
      ut.type = OWNER_UNIT_TEAM;
      snprintf(ut.id, sizeof ut.id, "%s:%s", row.unit, row.village);
      snprintf(ut.name, sizeof ut.name, "%.80s·%.60s%s", row.unit_name, row.village_name, NAME_SUFFIX[OWNER_UNIT_TEAM]);
      text_set(ut.unit, sizeof ut.unit, row.unit);
      text_set(ut.post, sizeof ut.post, "");
      rc |= merge_party(&run->parties[OWNER_UNIT_TEAM], &ix[OWNER_UNIT_TEAM], &ut, 0, NULL);
    }
  }
  int closed = query_close(q);
  if (rc == DB_OK) rc = closed;
  for (int t = 0; t < OWNER_COUNT; t++) free(ix[t].slot);
  free(team_ranks);
  if (rc != DB_OK) return DB_ERROR;
  /* the unit's leaders owe while the unit does */
  static const enum obligation_owner LEADERS[] = {OWNER_UNIT_PRINCIPAL, OWNER_UNIT_DEPUTY, OWNER_UNIT_HR};
  const struct party_set *units = &run->parties[OWNER_UNIT];
  for (size_t k = 0; k < 3; k++)
    for (size_t i = 0; run->need[LEADERS[k]] && i < units->n; i++) {
      struct party l = units->v[i];
      l.type = LEADERS[k];
      snprintf(l.name, sizeof l.name, "%.120s%s", units->v[i].name, NAME_SUFFIX[LEADERS[k]]);
      if (push_party(&run->parties[LEADERS[k]], &l) != 0) return DB_ERROR;
    }
  for (int t = 0; t < OWNER_COUNT; t++)
    if (run->parties[t].n) qsort(run->parties[t].v, run->parties[t].n, sizeof *run->parties[t].v, cmp_party);
  return DB_OK;
}

/* ---- roll-up rows ---- */

/* The row of key, added when new; -2 when out of memory. */
static int group_index(struct run *run, const char *key, const char *level, const char *name)
{
  for (size_t i = run->ngroups; i-- > 0;)
    if (strcmp(run->groups[i].key, key) == 0) return (int)i;
  if (run->ngroups == run->capgroups) {
    size_t cap = run->capgroups ? run->capgroups * 2 : 64;
    struct group *g = realloc(run->groups, cap * sizeof *g);
    if (!g) return -2;
    run->groups = g;
    run->capgroups = cap;
  }
  struct group *g = &run->groups[run->ngroups];
  memset(g, 0, sizeof *g);
  snprintf(g->key, sizeof g->key, "%s", key);
  snprintf(g->name, sizeof g->name, "%s", name ? name : key);
  g->level = level;
  g->stat = calloc(run->q->nobligations * NSTAT, sizeof *g->stat);
  if (!g->stat) return -2;
  return (int)run->ngroups++;
}

/* The roll-up row of party p below R, -1 when p lies outside R, -2 when out of memory. */
static int group_of(struct run *run, const struct party *p)
{
  const char *lvl = run->r_level, *code = run->q->region_code;
  const char *key = NULL, *level = NULL;
  if (!*lvl || strcmp(lvl, "city") == 0 || strcmp(lvl, "province") == 0) {
    key = *p->county ? p->county : "self";
    level = *p->county ? "county" : "self";
  } else if (strcmp(lvl, "county") == 0) {
    if (strcmp(p->county, code) != 0) return -1;
    key = *p->township ? p->township : "self";
    level = *p->township ? "township" : "self";
  } else if (strcmp(lvl, "township") == 0) {
    if (strcmp(p->township, code) != 0) return -1;
    if (run->q->unit_id) {
      key = *p->village ? p->village : "self";
      level = *p->village ? "team" : "self";
    } else {
      key = *p->unit ? p->unit : "self";
      level = *p->unit ? "unit" : "self";
    }
  } else {
    if (strcmp(p->village, code) != 0) return -1;
    key = "self";
    level = "self";
  }
  return group_index(run, key, level, NULL);
}

/* ---- facts ---- */

struct facts { char (*party)[24]; struct obligation_fact *f; size_t n, cap; };

static int grow_facts(struct facts *out)
{
  size_t cap = out->cap ? out->cap * 2 : 1024;
  char (*party)[24] = realloc(out->party, cap * sizeof *party);
  if (party) out->party = party;
  struct obligation_fact *f = party ? realloc(out->f, cap * sizeof *f) : NULL;
  if (!f) return -1;
  out->f = f;
  out->cap = cap;
  return 0;
}

/* INDEXED BY: SQLite's planner prefers (kind, done_on) and then sorts and visits the table; the
 * covering index in merge order is 18 times faster on a city's year (bench/run.sh) */
#define FACTS_SELECT \
  "SELECT party_id AS party_id, done_on AS done_on, recorded_at AS recorded_at, coalesce(amount, 0) AS amount" \
  " FROM obligation_evidence INDEXED BY obligation_evidence_engine WHERE kind = :kind AND party_type = :party_type"
const char *const OBLIGATION_FACTS_ALL_SQL =
    FACTS_SELECT " AND done_on >= :from AND done_on <= :to AND revoked_at IS NULL ORDER BY party_id, done_on";
/* the wanted parties' ids as a JSON array: one statement for all of them, not one a party — on a server
 * each statement is a round trip (a city's compliance matrix sought 5,000 parties one by one: 0.5 s).
 * Unordered: the rows are put in order here (facts_in_order), in strcmp's order whatever the database's
 * collation, which a server's locale decides (SQLite's BINARY answers them in order already). */
const char *const OBLIGATION_FACTS_PARTIES_SQL =
    FACTS_SELECT " AND party_id IN (SELECT value FROM json_each(:parties))"
    " AND done_on >= :from AND done_on <= :to AND revoked_at IS NULL";

const char *const OBLIGATION_FACTS_PARTY_SQL =
    FACTS_SELECT " AND party_id = :party AND done_on >= :from AND done_on <= :to AND revoked_at IS NULL ORDER BY done_on";

/* Appends the rows of the kind's facts to out: sql one of the three above, bound with the kind, party type
 * and range, and with name (":party" or ":parties") = value when name is not NULL. */
static int read_facts(struct db *db, const struct obligation *o, int from, int to, const char *sql,
                      const char *name, const char *value, struct facts *out)
{
  struct query *q = query_open(db, sql);
  char f[DATE_ISO_SIZE], t[DATE_ISO_SIZE];
  iso_of(from, f);
  iso_of(to, t);
  query_bind_text(q, ":kind", o->evidence);
  query_bind_text(q, ":party_type", obligation_owner_name(o->owner));
  query_bind_text(q, ":from", f);
  query_bind_text(q, ":to", t);
  if (name) query_bind_text(q, name, value);
  int rc = DB_OK;
  while (query_next(q)) {
    if (out->n == out->cap && grow_facts(out) != 0) { rc = DB_ERROR; break; }
    /* each column read once a row, in the order of the SELECT (the query's memo: one pointer comparison) */
    const char *party_id = query_get_text(q, "party_id"), *done_on = query_get_text(q, "done_on");
    int64_t recorded_at = query_get_int(q, "recorded_at");
    double amount = query_get_double(q, "amount");
    struct obligation_fact *r = &out->f[out->n];
    if (date_parse_iso(done_on, &r->done_on) != 0) continue;
    text_set(out->party[out->n], sizeof out->party[0], party_id);
    r->recorded_on = date_from_unix_cst((time_t)recorded_at);
    r->amount = amount;
    out->n++;
  }
  int closed = query_close(q);
  return rc != DB_OK ? rc : closed;
}

/* Up to this many parties judged, their facts are sought by their ids (an index search each, in
 * proportion to the township or county asked about); beyond it one range of the index is read in
 * party order (a city's or province's year: nearly every party has its rows read anyway). Below
 * FACTS_BATCH_MIN a statement a party (a township's own duties: a few parties): PostgreSQL plans the
 * JSON array of the batch as a thousand ids and reads the kind's whole range for three (a township's
 * 履职监督 22 → 46 ms); from it on, one statement for all (a county's: 95 → 66 ms). */
#define FACTS_SEEK_MAX 2048
#define FACTS_BATCH_MIN 32

/* The wanted parties' ids of set as a JSON array of strings (malloc'd), NULL when out of memory. */
static char *wanted_ids_json(const struct party_set *set)
{
  json_t *ids = json_array();
  for (size_t i = 0; ids && i < set->n; i++)
    if (set->v[i].want && json_array_append_new(ids, json_string(set->v[i].id)) != 0) {
      json_decref(ids);
      ids = NULL;
    }
  char *text = ids ? json_dumps(ids, JSON_COMPACT) : NULL;
  json_decref(ids);
  return text;
}

/* The order merge_facts needs: party id in strcmp's order, then the day; then the rest, for one order. */
static int fact_cmp(const void *a, const void *b, void *ctx)
{
  const struct facts *f = ctx;
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  int c = strcmp(f->party[i], f->party[j]);
  if (c) return c;
  const struct obligation_fact *x = &f->f[i], *y = &f->f[j];
  if (x->done_on != y->done_on) return x->done_on < y->done_on ? -1 : 1;
  if (x->recorded_on != y->recorded_on) return x->recorded_on < y->recorded_on ? -1 : 1;
  return (x->amount > y->amount) - (x->amount < y->amount);
}

static bool facts_sorted(const struct facts *f)
{
  for (size_t i = 1; i < f->n; i++) {
    int c = strcmp(f->party[i - 1], f->party[i]);
    if (c > 0 || (c == 0 && f->f[i - 1].done_on > f->f[i].done_on)) return false;
  }
  return true;
}

/* Puts the facts in party order, then by day (a copy through a sorted index: two parallel arrays). */
static int facts_in_order(struct facts *f)
{
  if (facts_sorted(f)) return DB_OK;
  size_t *idx = malloc(f->n * sizeof *idx);
  char (*party)[24] = malloc(f->n * sizeof *party);
  struct obligation_fact *fact = malloc(f->n * sizeof *fact);
  if (!idx || !party || !fact) { free(idx); free(party); free(fact); return DB_ERROR; }
  for (size_t i = 0; i < f->n; i++) idx[i] = i;
  qsort_r(idx, f->n, sizeof *idx, fact_cmp, f);
  for (size_t i = 0; i < f->n; i++) {
    memcpy(party[i], f->party[idx[i]], sizeof party[i]);
    fact[i] = f->f[idx[i]];
  }
  free(idx);
  free(f->party);
  free(f->f);
  f->party = party;
  f->f = fact;
  f->cap = f->n;
  return DB_OK;
}

/* The facts of the obligation's kind over [from, to] for the wanted parties of set, in party order. */
static int load_facts(struct db *db, const struct obligation *o, int from, int to, const struct party_set *set,
                      size_t wanted, struct facts *out)
{
  out->n = 0;
  if (wanted == 0) return DB_OK;
  int rc = DB_OK;
  if (wanted > FACTS_SEEK_MAX) {
    rc = read_facts(db, o, from, to, OBLIGATION_FACTS_ALL_SQL, NULL, NULL, out);
  } else if (wanted < FACTS_BATCH_MIN) {
    for (size_t i = 0; rc == DB_OK && i < set->n; i++)
      if (set->v[i].want) rc = read_facts(db, o, from, to, OBLIGATION_FACTS_PARTY_SQL, ":party", set->v[i].id, out);
  } else {
    char *ids = wanted_ids_json(set);
    if (!ids) return DB_ERROR;
    rc = read_facts(db, o, from, to, OBLIGATION_FACTS_PARTIES_SQL, ":parties", ids, out);
    free(ids);
  }
  return rc == DB_OK && out->n ? facts_in_order(out) : rc;
}

/* Sets each party's slice of facts: both lists are ordered by party id (binary text order). */
static void merge_facts(struct party_set *s, const struct facts *f)
{
  size_t j = 0;
  for (size_t i = 0; i < s->n; i++) {
    struct party *p = &s->v[i];
    while (j < f->n && strcmp(f->party[j], p->id) < 0) j++;
    p->fact0 = j;
    while (j < f->n && strcmp(f->party[j], p->id) == 0) j++;
    p->nfacts = j - p->fact0;
  }
}

/* ---- judging ---- */

/* Whether p is in the list; a unit_team entry "unit id:" stands for every team of the unit. */
static bool party_listed(const struct party_ref *list, size_t n, const struct party *p)
{
  for (size_t i = 0; i < n; i++) {
    if (list[i].type != p->type) continue;
    size_t k = strlen(list[i].id);
    if (strcmp(list[i].id, p->id) == 0 || (k && list[i].id[k - 1] == ':' && strncmp(list[i].id, p->id, k) == 0))
      return true;
  }
  return false;
}

static bool status_wanted(const char *want, enum cell_status s)
{
  if (!want) return true;
  if (strcmp(want, "late") == 0) return s == CELL_MISSING || s == CELL_MET_LATE;
  return strcmp(want, obligation_status_name(s)) == 0;
}

static void count(int *stat, enum cell_status s)
{
  if (s == CELL_NOT_YET_DUE) { stat[4]++; return; }
  stat[0]++;
  if (s == CELL_MET || s == CELL_MET_LATE) stat[1]++;
  if (s == CELL_MET) stat[2]++;
  if (s == CELL_MISSING) stat[3]++;
}

static int add_cell(struct run *run, const struct cell *c)
{
  if (run->ncells == run->capcells) {
    size_t cap = run->capcells ? run->capcells * 2 : 1024;
    struct cell *v = realloc(run->cells, cap * sizeof *v);
    if (!v) return -1;
    run->cells = v;
    run->capcells = cap;
  }
  run->cells[run->ncells++] = *c;
  return 0;
}

#define MAX_PERIODS 800

/* Whether p is judged for o (its post, the lists, R and the row asked for): sets p->want and
 * returns it, -1 when out of memory. */
static int party_wanted(struct run *run, const struct obligation *o, struct party *p)
{
  const struct compliance_query *q = run->q;
  p->want = false;
  if (o->owner == OWNER_CADRE && !obligation_binds_post(o, p->post)) return 0;
  if (q->parties && !party_listed(q->parties, q->nparties, p)) return 0;
  if (q->exclude && party_listed(q->exclude, q->nexclude, p)) return 0;
  if (p->group == -1) p->group = group_of(run, p);
  if (p->group == -2) return -1;
  if (p->group < 0) return 0;
  if (q->group && strcmp(q->group, run->groups[p->group].key) != 0) return 0;
  p->want = true;
  return 1;
}

/* Keeps the periods falling due in [from, to], in their order (the facts are read over the span of
 * those kept); their count. */
static int periods_due_within(struct obligation_period *periods, int n, int from, int to)
{
  int kept = 0;
  for (int k = 0; k < n; k++)
    if (periods[k].due >= from && periods[k].due <= to) periods[kept++] = periods[k];
  return kept;
}

static int judge_obligation(struct db *db, const struct scope *scope, struct run *run, size_t oi, struct facts *facts)
{
  const struct compliance_query *q = run->q;
  const struct obligation *o = &q->obligations[oi];
  if (q->obligation && strcmp(q->obligation, o->code) != 0) return DB_OK;
  static __thread struct obligation_period periods[MAX_PERIODS];
  int np = obligation_periods(o, q->from, q->to, q->anchor_year, periods, MAX_PERIODS);
  if (q->due_to) np = periods_due_within(periods, np, q->due_from, q->due_to);
  if (np <= 0) return DB_OK;
  /* a cadre sees what they and their team owe, not their township's or unit's duties */
  if (scope->kind == SCOPE_KIND_SELF && o->owner != OWNER_CADRE && o->owner != OWNER_TEAM) return DB_OK;
  struct party_set *set = &run->parties[o->owner];
  size_t wanted = 0;
  for (size_t i = 0; i < set->n; i++) {
    int w = party_wanted(run, o, &set->v[i]);
    if (w < 0) return DB_ERROR;
    wanted += (size_t)w;
  }
  if (wanted == 0) return DB_OK;
  if (load_facts(db, o, periods[0].first, periods[np - 1].last, set, wanted, facts) != DB_OK) return DB_ERROR;
  merge_facts(set, facts);
  for (size_t i = 0; i < set->n; i++) {
    struct party *p = &set->v[i];
    if (!p->want) continue;
    struct group *g = &run->groups[p->group];
    for (int k = 0; k < np; k++) {
      const struct obligation_period *per = &periods[k];
      if (per->last < p->first || per->first > p->last) continue; /* not owed then */
      struct cell c = {p, o, *per, {0}};
      obligation_evaluate(o, per, p->nfacts ? &facts->f[p->fact0] : NULL, p->nfacts, q->today, q->lock_days, &c.r);
      count(&g->stat[oi * NSTAT], c.r.status);
      /* the month it falls due, or the range's last month for what falls due later */
      int due = per->due < q->to ? per->due : q->to;
      int m = (date_year(due) * 12 + date_month(due) - 1) - run->month0;
      if (m < 0) m = 0;
      if (m < run->nmonths) count(&run->trend[((size_t)m * q->nobligations + oi) * NSTAT], c.r.status);
      if (run->want_cells && status_wanted(q->status, c.r.status) && add_cell(run, &c) != 0) return DB_ERROR;
    }
  }
  return DB_OK;
}

/* Whether o has a period falling due in q's due range (always, without one). */
static bool falls_due(const struct compliance_query *q, const struct obligation *o)
{
  if (!q->due_to) return true;
  static __thread struct obligation_period periods[MAX_PERIODS];
  int np = obligation_periods(o, q->from, q->to, q->anchor_year, periods, MAX_PERIODS);
  return np > 0 && periods_due_within(periods, np, q->due_from, q->due_to) > 0;
}

/* The owner types to read parties of: those of the obligations asked about (falling due in the due
 * range), in the lists when lists are given (a user's own duties read one type, not all eight), in
 * what a cadre sees; the unit's leaders come from its units. */
static void owner_types_needed(const struct scope *scope, struct run *run)
{
  const struct compliance_query *q = run->q;
  for (size_t i = 0; i < q->nobligations; i++) {
    const struct obligation *o = &q->obligations[i];
    if (q->obligation && strcmp(q->obligation, o->code) != 0) continue;
    if (!falls_due(q, o)) continue;
    if (scope->kind == SCOPE_KIND_SELF && o->owner != OWNER_CADRE && o->owner != OWNER_TEAM) continue;
    bool listed = !q->parties;
    for (size_t k = 0; !listed && k < q->nparties; k++) listed = q->parties[k].type == o->owner;
    if (!listed) continue;
    run->need[o->owner] = true;
    if (o->owner == OWNER_UNIT_PRINCIPAL || o->owner == OWNER_UNIT_DEPUTY || o->owner == OWNER_UNIT_HR)
      run->need[OWNER_UNIT] = true;
  }
}

static void run_free(struct run *run)
{
  for (int t = 0; t < OWNER_COUNT; t++) free(run->parties[t].v);
  for (size_t i = 0; i < run->ngroups; i++) free(run->groups[i].stat);
  free(run->groups);
  free(run->trend);
  free(run->cells);
}

/* R and the unit: their level, path and name; DB_NOT_FOUND when unknown or out of scope. */
static int resolve_region(struct db *db, const struct scope *scope, struct run *run)
{
  const struct compliance_query *q = run->q;
  if (q->region_code) {
    struct query *r = query_open(db, "SELECT level AS level, path AS path, name AS name FROM region WHERE code = :code");
    query_bind_text(r, ":code", q->region_code);
    bool found = query_next(r);
    if (found) {
      snprintf(run->r_level, sizeof run->r_level, "%s", query_get_text(r, "level"));
      snprintf(run->r_path, sizeof run->r_path, "%s", query_get_text(r, "path"));
      snprintf(run->r_name, sizeof run->r_name, "%s", query_get_text(r, "name"));
    }
    if (query_close(r) != DB_OK) return DB_ERROR;
    if (!found) return DB_NOT_FOUND;
    if (scope->kind == SCOPE_KIND_REGION && !scope_covers_path(scope, run->r_path)) return DB_NOT_FOUND;
    if (scope->kind == SCOPE_KIND_NONE) return DB_NOT_FOUND;
  }
  if (q->unit_id) {
    if (strcmp(run->r_level, "township") != 0) return DB_NOT_FOUND;
    if (scope->kind == SCOPE_KIND_UNIT && scope->unit_id != q->unit_id) return DB_NOT_FOUND;
    struct query *u = query_open(db, "SELECT name AS name FROM unit WHERE id = :id");
    query_bind_int(u, ":id", q->unit_id);
    bool found = query_next(u);
    if (found) snprintf(run->unit_name, sizeof run->unit_name, "%s", query_get_text(u, "name"));
    if (query_close(u) != DB_OK) return DB_ERROR;
    if (!found) return DB_NOT_FOUND;
  }
  return DB_OK;
}

static int run_matrix(struct db *db, const struct scope *scope, const struct compliance_query *q, bool want_cells,
                      struct run *run, bool *not_found)
{
  memset(run, 0, sizeof *run);
  run->q = q;
  run->want_cells = want_cells;
  *not_found = false;
  int rc = resolve_region(db, scope, run);
  if (rc == DB_NOT_FOUND) { *not_found = true; return DB_NOT_FOUND; }
  if (rc != DB_OK) return rc;
  run->month0 = date_year(q->from) * 12 + date_month(q->from) - 1;
  run->nmonths = date_year(q->to) * 12 + date_month(q->to) - run->month0;
  run->trend = calloc((size_t)run->nmonths * q->nobligations * NSTAT + 1, sizeof *run->trend);
  if (!run->trend) return DB_ERROR;
  owner_types_needed(scope, run);
  rc = load_all_parties(db, scope, run);
  struct facts facts = {0};
  for (size_t i = 0; rc == DB_OK && i < q->nobligations; i++) rc = judge_obligation(db, scope, run, i, &facts);
  free(facts.party);
  free(facts.f);
  return rc;
}

/* ---- JSON ---- */

static double rate_of(int done, int expected) { return expected ? round(1000.0 * done / expected) / 10.0 : 0; }

static json_t *stat_json(const int *s)
{
  json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i}", "expected", s[0], "done", s[1], "on_time", s[2], "missing", s[3],
                        "not_yet_due", s[4]);
  json_object_set_new(o, "rate", s[0] ? json_real(rate_of(s[1], s[0])) : json_null());
  json_object_set_new(o, "on_time_rate", s[0] ? json_real(rate_of(s[2], s[0])) : json_null());
  return o;
}

json_t *obligation_json(const struct obligation *o)
{
  json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "code", o->code, "clause", o->clause,
                        "deadline_clause", o->deadline_clause, "action_zh", o->action_zh, "evidence", o->evidence,
                        "owner", obligation_owner_name(o->owner), "owner_name", obligation_owner_name_zh(o->owner),
                        "period", date_period_name(o->period), "period_name", date_period_name_zh(o->period),
                        "min_count", o->min_count);
  json_object_set_new(j, "min_amount", o->min_amount > 0 ? json_real(o->min_amount) : json_null());
  char dl[24];
  snprintf(dl, sizeof dl, "%02d-%02d", o->deadline_mmdd / 100 % 100, o->deadline_mmdd % 100);
  json_object_set_new(j, "deadline", o->deadline_mmdd ? json_string(dl) : json_null());
  return j;
}

json_t *obligation_periods_json(const struct obligation *o, int from, int to, int anchor_year)
{
  static __thread struct obligation_period p[MAX_PERIODS];
  int n = obligation_periods(o, from, to, anchor_year, p, MAX_PERIODS);
  json_t *a = json_array();
  for (int i = 0; i < n; i++) {
    char f[DATE_ISO_SIZE], l[DATE_ISO_SIZE], d[DATE_ISO_SIZE];
    iso_of(p[i].first, f);
    iso_of(p[i].last, l);
    iso_of(p[i].due, d);
    json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "first", f, "last", l, "due", d));
  }
  return a;
}

/* Names of the roll-up rows: one query per kind of key. */
static void name_groups(struct db *db, struct run *run)
{
  for (size_t i = 0; i < run->ngroups; i++) {
    struct group *g = &run->groups[i];
    if (strcmp(g->level, "self") == 0) {
      if (run->q->unit_id) snprintf(g->name, sizeof g->name, "%.120s（单位本级）", run->unit_name);
      else snprintf(g->name, sizeof g->name, "%s本级", *run->r_name ? run->r_name : "");
      continue;
    }
    bool unit = strcmp(g->level, "unit") == 0;
    struct query *q = query_open(db, unit ? "SELECT name AS name FROM unit WHERE id = :key"
                                          : "SELECT name AS name FROM region WHERE code = :key");
    if (unit) query_bind_int(q, ":key", strtoll(g->key, NULL, 10));
    else query_bind_text(q, ":key", g->key);
    if (query_next(q))
      snprintf(g->name, sizeof g->name, "%s%s", query_get_text(q, "name"), strcmp(g->level, "team") == 0 ? "驻村工作队" : "");
    (void)query_close(q); /* a name not found (or not read: reported) stays the key */
  }
}

static int cmp_group(const void *a, const void *b)
{
  const struct group *x = a, *y = b;
  bool xs = strcmp(x->level, "self") == 0, ys = strcmp(y->level, "self") == 0;
  if (xs != ys) return xs ? -1 : 1;
  return strcmp(x->key, y->key);
}

json_t *compliance_summary_json(struct db *db, const struct scope *scope, const struct compliance_query *q,
                                bool *not_found)
{
  struct run run;
  if (run_matrix(db, scope, q, false, &run, not_found) != DB_OK) { run_free(&run); return NULL; }
  name_groups(db, &run);
  if (run.ngroups) qsort(run.groups, run.ngroups, sizeof *run.groups, cmp_group);
  size_t no = q->nobligations;
  int totals[NSTAT] = {0};
  int *per_ob = calloc(no * NSTAT + 1, sizeof *per_ob);
  json_t *rows = json_array();
  for (size_t i = 0; per_ob && i < run.ngroups; i++) {
    struct group *g = &run.groups[i];
    int sum[NSTAT] = {0};
    json_t *by = json_object();
    for (size_t k = 0; k < no; k++) {
      const int *s = &g->stat[k * NSTAT];
      if (s[0] + s[4] == 0) continue;
      for (int j = 0; j < NSTAT; j++) { sum[j] += s[j]; per_ob[k * NSTAT + j] += s[j]; }
      json_object_set_new(by, q->obligations[k].code, stat_json(s));
    }
    for (int j = 0; j < NSTAT; j++) totals[j] += sum[j];
    json_t *row = stat_json(sum);
    json_object_set_new(row, "key", json_string(g->key));
    json_object_set_new(row, "name", json_string(g->name));
    json_object_set_new(row, "level", json_string(g->level));
    json_object_set_new(row, "by_obligation", by);
    json_array_append_new(rows, row);
  }
  json_t *obs = json_array();
  for (size_t k = 0; per_ob && k < no; k++) {
    if (q->obligation && strcmp(q->obligation, q->obligations[k].code) != 0) continue;
    json_t *o = obligation_json(&q->obligations[k]);
    json_object_set_new(o, "totals", stat_json(&per_ob[k * NSTAT]));
    json_array_append_new(obs, o);
  }
  json_t *trend = json_array();
  for (int m = 0; m < run.nmonths; m++) {
    int sum[NSTAT] = {0};
    json_t *by = json_object();
    for (size_t k = 0; k < no; k++) {
      const int *s = &run.trend[((size_t)m * no + k) * NSTAT];
      if (s[0] + s[4] == 0) continue;
      for (int j = 0; j < NSTAT; j++) sum[j] += s[j];
      json_object_set_new(by, q->obligations[k].code, stat_json(s));
    }
    int ym = run.month0 + m;
    char month[24];
    snprintf(month, sizeof month, "%04d-%02d", ym / 12, ym % 12 + 1);
    json_t *t = stat_json(sum);
    json_object_set_new(t, "month", json_string(month));
    /* issue 14: the month of today is not over — its rate counts only what fell due so far */
    int today_ym = date_year(q->today) * 12 + date_month(q->today) - 1;
    json_object_set_new(t, "in_progress", json_boolean(ym == today_ym));
    json_object_set_new(t, "by_obligation", by);
    json_array_append_new(trend, t);
  }
  char f[DATE_ISO_SIZE], t[DATE_ISO_SIZE], d[DATE_ISO_SIZE];
  iso_of(q->from, f);
  iso_of(q->to, t);
  iso_of(q->today, d);
  json_t *region = q->region_code ? json_pack("{s:s, s:s, s:s}", "code", q->region_code, "name", run.r_name, "level",
                                              run.r_level)
                                  : json_null();
  json_t *unit = q->unit_id ? json_pack("{s:I, s:s}", "id", (json_int_t)q->unit_id, "name", run.unit_name) : json_null();
  json_t *out = per_ob ? json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:i}", "from", f, "to", t, "today", d,
                                   "region", region, "unit", unit, "obligations", obs, "totals", stat_json(totals),
                                   "rows", rows, "trend", trend, "lock_days", q->lock_days)
                       : NULL;
  if (!out) { json_decref(region); json_decref(unit); json_decref(obs); json_decref(rows); json_decref(trend); }
  free(per_ob);
  run_free(&run);
  return out;
}

static int cmp_cell(const void *a, const void *b)
{
  const struct cell *x = a, *y = b;
  if (x->p.due != y->p.due) return x->p.due > y->p.due ? -1 : 1;
  int c = strcmp(x->o->code, y->o->code);
  if (c) return c;
  return strcmp(x->party->id, y->party->id);
}

static json_t *cell_json(const struct cell *c)
{
  char f[DATE_ISO_SIZE], l[DATE_ISO_SIZE], d[DATE_ISO_SIZE];
  iso_of(c->p.first, f);
  iso_of(c->p.last, l);
  iso_of(c->p.due, d);
  const struct party *p = c->party;
  const struct obligation *o = c->o;
  json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i}",
                        "obligation", o->code, "clause", o->deadline_mmdd ? o->deadline_clause : o->clause,
                        "obligation_clause", o->clause, "action_zh", o->action_zh, "party_type",
                        obligation_owner_name(p->type), "party_type_name", obligation_owner_name_zh(p->type),
                        "party_id", p->id, "party_name", p->name, "period_first", f, "period_last", l, "due", d,
                        "status", obligation_status_name(c->r.status), "status_name",
                        obligation_status_name_zh(c->r.status), "count", c->r.count, "on_time", c->r.on_time);
  char key[96];
  snprintf(key, sizeof key, "%s|%s|%s", o->code, p->id, f);
  json_object_set_new(j, "key", json_string(key));
  json_object_set_new(j, "required", json_integer(o->min_count));
  json_object_set_new(j, "amount", o->min_amount > 0 ? json_real(c->r.amount) : json_null());
  json_object_set_new(j, "min_amount", o->min_amount > 0 ? json_real(o->min_amount) : json_null());
  json_object_set_new(j, "county_code", *p->county ? json_string(p->county) : json_null());
  json_object_set_new(j, "township_code", *p->township ? json_string(p->township) : json_null());
  json_object_set_new(j, "village_code", *p->village ? json_string(p->village) : json_null());
  return j;
}

/* The name of the place code, looked up once per call of name_places (seen: code → name or null). */
static json_t *place_name(struct db *db, json_t *seen, const char *code)
{
  json_t *name = json_object_get(seen, code);
  if (name) return json_incref(name);
  name = json_null();
  struct query *q = query_open(db, "SELECT name AS name FROM region WHERE code = :code");
  query_bind_text(q, ":code", code);
  if (query_next(q)) { json_decref(name); name = json_string(query_get_text(q, "name")); }
  (void)query_close(q); /* a name not found (or not read: reported) stays null */
  json_object_set(seen, code, name);
  return name;
}

/* Adds township_name / county_name to the page's cells: one lookup per distinct code (a page's cells share
 * a few places; on a server each lookup is a round trip — a township's page of 200 cells made 400). */
static void name_places(struct db *db, json_t *items)
{
  json_t *seen = json_object();
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    static const char *const KEYS[][2] = {{"county_code", "county_name"}, {"township_code", "township_name"}};
    for (int k = 0; k < 2; k++) {
      const char *code = json_string_value(json_object_get(it, KEYS[k][0]));
      json_object_set_new(it, KEYS[k][1], code && seen ? place_name(db, seen, code) : json_null());
    }
  }
  json_decref(seen);
}

/* A page of the run's cells (sorted), {items, total, page, page_size}. */
static json_t *cells_page(struct db *db, const struct run *run, int page, int page_size)
{
  size_t first = page_size ? (size_t)(page - 1) * (size_t)page_size : 0;
  size_t last = page_size ? first + (size_t)page_size : run->ncells;
  json_t *items = json_array();
  for (size_t i = first; i < run->ncells && i < last; i++) json_array_append_new(items, cell_json(&run->cells[i]));
  name_places(db, items);
  return json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)run->ncells, "page", page,
                   "page_size", page_size);
}

json_t *compliance_cells_json(struct db *db, const struct scope *scope, const struct compliance_query *q, int page,
                              int page_size, bool *not_found)
{
  struct run run;
  if (run_matrix(db, scope, q, true, &run, not_found) != DB_OK) { run_free(&run); return NULL; }
  if (run.ncells) qsort(run.cells, run.ncells, sizeof *run.cells, cmp_cell);
  json_t *out = cells_page(db, &run, page, page_size);
  run_free(&run);
  return out;
}

int compliance_cells_each(struct db *db, const struct scope *scope, const struct compliance_query *q,
                          int (*each)(void *ctx, const struct compliance_cell *c), void *ctx, bool *not_found)
{
  struct run run;
  int rc = run_matrix(db, scope, q, true, &run, not_found);
  if (rc == DB_OK && run.ncells) qsort(run.cells, run.ncells, sizeof *run.cells, cmp_cell);
  for (size_t i = 0; rc == DB_OK && i < run.ncells; i++) {
    const struct cell *c = &run.cells[i];
    struct compliance_cell out = {c->o, c->party->type, c->party->id, c->party->name, c->p, c->r.status};
    if (each(ctx, &out) != 0) rc = DB_ERROR;
  }
  run_free(&run);
  return rc;
}

/* ---- the cells grouped by duty (下级未完成 on the home page) ---- */

struct duty_group {
  const struct obligation *o;
  size_t count;
  const struct party **parties;  /* distinct, in order of first cell */
  size_t nparties, cap;
};

static int group_add_party(struct duty_group *g, const struct party *p)
{
  for (size_t i = 0; i < g->nparties; i++)
    if (g->parties[i] == p) return 0;
  if (g->nparties == g->cap) {
    size_t cap = g->cap ? g->cap * 2 : 16;
    const struct party **v = realloc(g->parties, cap * sizeof *v);
    if (!v) return -1;
    g->parties = v;
    g->cap = cap;
  }
  g->parties[g->nparties++] = p;
  return 0;
}

static int cmp_duty_group(const void *a, const void *b)
{
  const struct duty_group *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->o->code, y->o->code);
}

static json_t *duty_group_json(const struct duty_group *g, size_t max_names)
{
  json_t *names = json_array();
  for (size_t i = 0; i < g->nparties && i < max_names; i++) json_array_append_new(names, json_string(g->parties[i]->name));
  return json_pack("{s:s, s:s, s:s, s:I, s:I, s:o}", "obligation", g->o->code, "clause",
                   g->o->deadline_mmdd ? g->o->deadline_clause : g->o->clause, "action_zh", g->o->action_zh, "count",
                   (json_int_t)g->count, "parties", (json_int_t)g->nparties, "party_names", names);
}

/* Groups every cell of the run (not a page) by duty. */
static json_t *duty_groups_of(const struct run *run, const struct compliance_query *q, size_t max_names)
{
  struct duty_group *g = calloc(q->nobligations ? q->nobligations : 1, sizeof *g);
  if (!g) return NULL;
  size_t n = 0;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < run->ncells; i++) {
    size_t k = 0;
    while (k < n && g[k].o != run->cells[i].o) k++;
    if (k == n) { if (n == q->nobligations) { rc = -1; break; } g[n++].o = run->cells[i].o; }
    g[k].count++;
    rc = group_add_party(&g[k], run->cells[i].party);
  }
  json_t *out = NULL;
  if (rc == 0) {
    qsort(g, n, sizeof *g, cmp_duty_group);
    json_t *groups = json_array();
    for (size_t k = 0; k < n; k++) json_array_append_new(groups, duty_group_json(&g[k], max_names));
    out = json_pack("{s:I, s:o}", "total", (json_int_t)run->ncells, "groups", groups);
  }
  for (size_t k = 0; k < n; k++) free(g[k].parties);
  free(g);
  return out;
}

json_t *compliance_cells_with_duties_json(struct db *db, const struct scope *scope, const struct compliance_query *q,
                                         int page, int page_size, size_t max_names, bool *not_found)
{
  struct run run;
  if (run_matrix(db, scope, q, true, &run, not_found) != DB_OK) { run_free(&run); return NULL; }
  if (run.ncells) qsort(run.cells, run.ncells, sizeof *run.cells, cmp_cell);
  json_t *out = cells_page(db, &run, page, page_size);
  json_t *duties = out ? duty_groups_of(&run, q, max_names) : NULL;
  run_free(&run);
  if (!duties) { json_decref(out); return NULL; }
  json_object_set(out, "groups", json_object_get(duties, "groups"));
  json_decref(duties);
  return out;
}

/* ---- the records behind a cell ---- */

json_t *compliance_evidence_json(struct db *db, const struct scope *scope, const struct obligation *o,
                                 const char *party_id, int from, int to, bool *not_found)
{
  struct party_ref ref = {o->owner, ""};
  snprintf(ref.id, sizeof ref.id, "%s", party_id);
  struct compliance_query q = {.from = from, .to = to, .today = to, .obligations = o, .nobligations = 1,
                               .parties = &ref, .nparties = 1};
  struct run run;
  int rc = run_matrix(db, scope, &q, false, &run, not_found);
  bool seen = false;
  for (size_t i = 0; rc == DB_OK && i < run.parties[o->owner].n; i++)
    seen |= strcmp(run.parties[o->owner].v[i].id, party_id) == 0;
  run_free(&run);
  if (rc != DB_OK && rc != DB_NOT_FOUND) return NULL;
  if (!seen) { *not_found = true; return NULL; }
  struct query *eq = query_open(db,
      "SELECT e.id AS id, e.done_on AS done_on, e.amount AS amount, e.record_type AS record_type,"
      " e.record_id AS record_id, " SQL_CST_ISO("e.recorded_at") " AS recorded_at,"
      " CASE WHEN e.revoked_at IS NULL THEN NULL ELSE " SQL_CST_ISO("e.revoked_at") " END AS revoked_at,"
      " s.title AS title, s.kind AS record_kind, coalesce(vr.name, '') AS village_name,"
      " coalesce(uu.display_name, '') AS recorded_by_name"
      " FROM obligation_evidence e LEFT JOIN supervision_record s ON e.record_type = 'supervision_record' AND s.id = e.record_id"
      " LEFT JOIN region vr ON vr.code = s.village_code LEFT JOIN \"user\" uu ON uu.id = s.created_by"
      " WHERE e.kind = :kind AND e.party_type = :party_type AND e.party_id = :party AND e.done_on >= :from"
      " AND e.done_on <= :to ORDER BY e.done_on, e.id");
  char f[DATE_ISO_SIZE], t[DATE_ISO_SIZE];
  iso_of(from, f);
  iso_of(to, t);
  query_bind_text(eq, ":kind", o->evidence);
  query_bind_text(eq, ":party_type", obligation_owner_name(o->owner));
  query_bind_text(eq, ":party", party_id);
  query_bind_text(eq, ":from", f);
  query_bind_text(eq, ":to", t);
  json_t *items = json_array();
  while (items && query_next(eq)) {
    json_t *it = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)query_get_int(eq, "id"), "done_on",
                           query_get_text(eq, "done_on"), "record_type", query_get_text(eq, "record_type"),
                           "record_id", (json_int_t)query_get_int(eq, "record_id"), "recorded_at",
                           query_get_text(eq, "recorded_at"), "kind", o->evidence);
    json_object_set_new(it, "amount", query_is_null(eq, "amount") ? json_null() : json_real(query_get_double(eq, "amount")));
    json_object_set_new(it, "revoked_at", query_is_null(eq, "revoked_at") ? json_null()
                                                                          : json_string(query_get_text(eq, "revoked_at")));
    json_object_set_new(it, "title", query_is_null(eq, "title") ? json_null() : json_string(query_get_text(eq, "title")));
    const char *village = query_get_text(eq, "village_name"), *by = query_get_text(eq, "recorded_by_name");
    json_object_set_new(it, "village_name", *village ? json_string(village) : json_null());
    json_object_set_new(it, "recorded_by_name", *by ? json_string(by) : json_null());
    json_array_append_new(items, it);
  }
  if (query_close(eq) != DB_OK) { json_decref(items); return NULL; }
  json_t *out = json_pack("{s:o, s:s, s:s, s:s, s:o}", "obligation", obligation_json(o), "party_id", party_id, "from", f,
                          "to", t, "items", items);
  json_object_set_new(out, "total", json_integer((json_int_t)json_array_size(items)));
  return out;
}

/* ---- period unlocks and calendar tokens ---- */

int period_unlock_insert(struct db *db, const char *region_code, const char *month, const char *until,
                         const char *reason, int64_t user_id, int64_t now, int64_t *id_out)
{
  struct query *q = query_open(db,
      "INSERT INTO period_unlock (region_code, month, until, reason, user_id, created_at)"
      " VALUES (:region, :month, :until, :reason, :user, :now) RETURNING id");
  query_bind_text(q, ":region", region_code);
  query_bind_text(q, ":month", month);
  query_bind_text(q, ":until", until);
  query_bind_text(q, ":reason", reason);
  query_bind_int(q, ":user", user_id);
  query_bind_int(q, ":now", now);
  return query_insert_id(q, id_out);
}

static json_t *unlock_row(struct query *q)
{
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)query_get_int(q, "id"),
                   "region_code", query_get_text(q, "region_code"), "region_name", query_get_text(q, "region_name"),
                   "month", query_get_text(q, "month"), "until", query_get_text(q, "until"), "reason",
                   query_get_text(q, "reason"), "user_name", query_get_text(q, "user_name"), "created_at",
                   query_get_text(q, "created_at"));
}

json_t *period_unlocks_list_json(struct db *db, const struct scope *scope, int page, int page_size)
{
  struct strbuf where;
  strbuf_init(&where, 4096);
  int rc = strbuf_appendf(&where, "period_unlock pu JOIN region r ON r.code = pu.region_code"
                                  " LEFT JOIN \"user\" us ON us.id = pu.user_id WHERE 1 = 1");
  rc |= scope_sql(scope, SCOPE_REGION, &where);
  json_t *out = rc == 0 ? query_list(db,
      "pu.id AS id, pu.region_code AS region_code, r.name AS region_name, pu.month AS month, pu.until AS until,"
      " pu.reason AS reason, coalesce(us.display_name, '') AS user_name, " SQL_CST_ISO("pu.created_at") " AS created_at",
      strbuf_cstr(&where), "pu.id DESC", NULL, 0, scope, unlock_row, page, page_size) : NULL;
  strbuf_free(&where);
  return out;
}

int ics_token_set(struct db *db, int64_t user_id, const unsigned char hash[32], int64_t now)
{
  struct query *q = query_open(db,
      "INSERT INTO ics_token (user_id, token_hash, created_at) VALUES (:user, :hash, :now)"
      " ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at");
  query_bind_int(q, ":user", user_id);
  query_bind_blob(q, ":hash", hash, 32);
  query_bind_int(q, ":now", now);
  return query_exec(q);
}

int ics_token_user(struct db *db, const unsigned char hash[32], int64_t *user_id)
{
  struct query *q = query_open(db,
      "SELECT t.user_id AS user_id FROM ics_token t JOIN \"user\" u ON u.id = t.user_id"
      " WHERE t.token_hash = :hash AND u.disabled = 0");
  query_bind_blob(q, ":hash", hash, 32);
  bool found = query_next(q);
  if (found) *user_id = query_get_int(q, "user_id");
  int rc = query_close(q);
  return rc != DB_OK ? rc : found ? DB_OK : DB_NOT_FOUND;
}

int ics_token_exists(struct db *db, int64_t user_id, bool *exists)
{
  struct query *q = query_open(db, "SELECT 1 AS one FROM ics_token WHERE user_id = :user");
  query_bind_int(q, ":user", user_id);
  bool found = query_next(q);
  int rc = query_close(q);
  *exists = rc == DB_OK && found;
  return rc;
}
