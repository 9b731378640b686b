/* demo_supervision — the records since the teams arrived, of the county groups' (2.2), township committees' (2.3) and
 * dispatching units' (3.1, 3.2) records for every party that has a live team in the demo city,
 * written through supervision_insert() so the evidence rows are the same as in real use.
 *
 * Deliberate gaps, so the compliance board has real misses to show: every township skips about one
 * weekly dispatch in twelve and every seventh township skips the last full week; some monthly
 * meetings, county dispatches and unit inquiries are skipped; some principals have not visited yet;
 * about one record in forty is entered three weeks late (met late). Each record is entered at 18:00
 * CST of its day (or of its late day), so "entered on time" is what the engine sees. */
#include "store/demo_supervision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "store/query.h"
#include "store/supervision.h"

static unsigned next(unsigned *state)
{
  unsigned x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

struct ctx {
  struct db *db;
  unsigned *rng;
  int today;
  int since;       /* the day the demo's teams arrived: records run from there to today */
  int year_start;  /* 1 January of this year, for the once-a-year visit */
  long count;
};

/* Unix seconds of 18:00 CST on date. */
static int64_t evening(int date)
{
  long days = 0;
  date_to_days(date, &days);
  return (int64_t)days * 86400 + 10 * 3600;
}

/* One record: usually entered the same day, now and then three weeks late. */
static int put(struct ctx *c, struct supervision_new *s, int date)
{
  if (date > c->today || date < c->since) return DB_OK;
  char iso[DATE_ISO_SIZE];
  date_format_iso(date, iso);
  s->date = iso;
  int entered = next(c->rng) % 40 == 0 ? date_add_days(date, 21) : date;
  if (entered > c->today) entered = c->today;
  int64_t id;
  int rc = supervision_insert(c->db, s, evening(entered), &id);
  if (rc == DB_CONFLICT) return DB_OK;
  if (rc == DB_OK) c->count++;
  return rc;
}

/* A plausible on-duty status snapshot for a dispatch of n cadres (the demo has no board then). */
static void snapshot(struct ctx *c, int n, char *out, size_t len)
{
  int leave = n > 4 ? (int)(next(c->rng) % 3) : 0, absent = n > 6 ? (int)(next(c->rng) % 2) : 0;
  snprintf(out, len, "{\"taken_at\":null,\"clause\":\"2.1\",\"note\":\"演示数据\",\"totals\":{\"present\":%d,"
           "\"leave\":%d,\"absent\":%d,\"rest\":0},\"items\":[]}", n - leave - absent, leave, absent);
}

/* ---- counties and townships ---- */

static int region_records(struct ctx *c, const char *level)
{
  bool county = strcmp(level, "county") == 0;
  struct query *q = query_open(c->db, county
      ? "SELECT co.code AS code, count(DISTINCT a.cadre_id) AS cadres, '[]' AS attendees"
        " FROM assignment a JOIN region v ON v.code = a.village_code"
        " JOIN region tw ON tw.code = v.parent_code JOIN region co ON co.code = tw.parent_code"
        " WHERE a.status = 'active' GROUP BY co.code ORDER BY co.code"
      : "SELECT tw.code AS code, count(DISTINCT a.cadre_id) AS cadres,"
        " (SELECT json_group_array(json_object('cadre_id', x.id, 'name', x.name, 'post', 'first_secretary',"
        " 'post_name', '第一书记', 'village_name', x.vname)) FROM (SELECT c2.id, c2.name, v2.name AS vname"
        " FROM region v2 CROSS JOIN assignment a2 ON a2.village_code = v2.code JOIN cadre c2 ON c2.id = a2.cadre_id"
        " WHERE v2.parent_code = tw.code AND a2.status = 'active' AND a2.post = 'first_secretary'"
        " ORDER BY c2.id LIMIT 6) x) AS attendees"
        " FROM assignment a JOIN region v ON v.code = a.village_code JOIN region tw ON tw.code = v.parent_code"
        " WHERE a.status = 'active' GROUP BY tw.code ORDER BY tw.code");
  /* the township's villages first (CROSS JOIN keeps that order: region_parent, then the posts of each
   * village), not every active post per township, which was quadratic at province scale. Copy the
   * parties first: supervision_insert uses other statements of the same connection */
  struct party { char code[16]; int cadres; char attendees[1200]; } *parties = NULL;
  size_t n = 0, cap = 0;
  int rc = DB_OK;
  while (rc == DB_OK && query_next(q)) {
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      struct party *p = realloc(parties, cap * sizeof *p);
      if (!p) { rc = DB_ERROR; break; }
      parties = p;
    }
    snprintf(parties[n].code, sizeof parties[n].code, "%s", query_get_text(q, "code"));
    parties[n].cadres = (int)query_get_int(q, "cadres");
    snprintf(parties[n].attendees, sizeof parties[n].attendees, "%s", query_get_text(q, "attendees"));
    if (strlen(parties[n].attendees) >= sizeof parties[n].attendees - 1) strcpy(parties[n].attendees, "[]");
    n++;
  }
  int closed = query_close(q);
  if (rc == DB_OK) rc = closed;
  int monday, sunday;
  date_period_bounds(PERIOD_WEEK, c->today, &monday, &sunday);
  int last_full_week = date_add_days(monday, -7);
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    struct party *p = &parties[i];
    char snap[400];
    struct supervision_new s = {.party_type = level, .party_id = p->code, .region_code = p->code, .attendees_json = "[]"};
    /* dispatches: the county monthly (2.2b), the township weekly (2.3b) */
    s.kind = county ? "county_dispatch" : "township_dispatch";
    s.clause = county ? "2.2b" : "2.3b";
    s.title = county ? "县级调度驻村干部在岗履职情况" : "乡镇调度驻村干部在岗履职情况";
    s.snapshot_json = snap;
    int first, last;
    date_period_bounds(county ? PERIOD_MONTH : PERIOD_WEEK, c->since, &first, &last);
    bool lazy = i % 7 == 3; /* skips the last full week */
    while (rc == DB_OK && first <= c->today) {
      bool skip = next(c->rng) % (county ? 14 : 12) == 0 || (!county && lazy && first == last_full_week);
      int day = date_add_days(first, (long)(next(c->rng) % (county ? 20 : 5)));
      snapshot(c, p->cadres, snap, sizeof snap);
      if (!skip) rc = put(c, &s, day);
      if (date_period_next(county ? PERIOD_MONTH : PERIOD_WEEK, first, 0, &first, &last) != DATE_OK) break;
    }
    /* team-leader meetings: the county quarterly (2.2a), the township monthly (2.3a) */
    s.kind = county ? "county_team_leader_meeting" : "township_meeting";
    s.clause = county ? "2.2a" : "2.3a";
    s.title = county ? "全县驻村工作队长会议" : "驻村工作队长月度例会";
    s.minutes = "通报上期驻村干部在岗履职情况，部署本期重点工作：防返贫监测、产业发展和村级组织建设。";
    s.snapshot_json = NULL;
    s.attendees_json = p->attendees;
    date_period_bounds(county ? PERIOD_QUARTER : PERIOD_MONTH, c->since, &first, &last);
    while (rc == DB_OK && first <= c->today) {
      bool skip = next(c->rng) % 10 == 0;
      int day = date_add_days(first, (long)(next(c->rng) % 25));
      if (!skip) rc = put(c, &s, day);
      if (date_period_next(county ? PERIOD_QUARTER : PERIOD_MONTH, first, 0, &first, &last) != DATE_OK) break;
    }
  }
  free(parties);
  return rc;
}

/* ---- dispatching units ---- */

static int unit_records(struct ctx *c)
{
  struct query *q = query_open(c->db,
      "SELECT x.unit_id AS unit_id, x.village AS village, r.lat AS lat, r.lng AS lng"
      " FROM (SELECT a.unit_id, min(a.village_code) AS village FROM assignment a WHERE a.status = 'active'"
      " GROUP BY a.unit_id) x JOIN region r ON r.code = x.village"
      " ORDER BY x.unit_id");
  struct unit { int64_t id; char village[16]; double lat, lng; } *units = NULL;
  size_t n = 0, cap = 0;
  int rc = DB_OK;
  while (rc == DB_OK && query_next(q)) {
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      struct unit *u = realloc(units, cap * sizeof *u);
      if (!u) { rc = DB_ERROR; break; }
      units = u;
    }
    units[n].id = query_get_int(q, "unit_id");
    snprintf(units[n].village, sizeof units[n].village, "%s", query_get_text(q, "village"));
    units[n].lat = query_get_double(q, "lat");
    units[n].lng = query_get_double(q, "lng");
    n++;
  }
  int closed = query_close(q);
  if (rc == DB_OK) rc = closed;
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    struct unit *u = &units[i];
    char party[24], team[40];
    snprintf(party, sizeof party, "%lld", (long long)u->id);
    snprintf(team, sizeof team, "%lld:%s", (long long)u->id, u->village);
    struct supervision_new s = {.party_id = team, .region_code = u->village, .unit_id = u->id,
                                .village_code = u->village, .attendees_json = "[]"};
    int first, last;
    /* 3.1a monthly inquiry, for this team of the unit (its other teams: unit_other_teams); some units skip often */
    bool careless = i % 5 == 2;
    s.kind = "unit_inquiry"; s.clause = "3.1a"; s.party_type = "unit_team";
    s.title = "了解驻村干部在岗履职情况";
    s.contacts = "乡镇党委组织委员、村党组织书记";
    s.minutes = "驻村干部能坚持吃住在村，按时参加村两委会议，群众评价较好。";
    date_period_bounds(PERIOD_MONTH, c->since, &first, &last);
    while (rc == DB_OK && first <= c->today) {
      if (next(c->rng) % (careless ? 3 : 12) != 0) rc = put(c, &s, date_add_days(first, (long)(next(c->rng) % 25)));
      if (date_period_next(PERIOD_MONTH, first, 0, &first, &last) != DATE_OK) break;
    }
    /* 3.1b quarterly hearing */
    s.kind = "unit_report_hearing"; s.clause = "3.1b";
    s.title = "听取驻村工作队季度工作汇报";
    s.contacts = NULL;
    s.minutes = "工作队汇报了本季度帮扶项目进展和下一步计划，单位研究解决了工作经费和项目资金问题。";
    date_period_bounds(PERIOD_QUARTER, c->since, &first, &last);
    while (rc == DB_OK && first <= c->today) {
      if (next(c->rng) % 8 != 0) rc = put(c, &s, date_add_days(first, 20 + (long)(next(c->rng) % 40)));
      if (date_period_next(PERIOD_QUARTER, first, 0, &first, &last) != DATE_OK) break;
    }
    /* 3.2a the principal hears the report each half-year; 3.2c the deputy visits each half-year */
    s.party_id = party;
    date_period_bounds(PERIOD_HALF_YEAR, c->since, &first, &last);
    while (rc == DB_OK && first <= c->today) {
      s.kind = "principal_report_hearing"; s.clause = "3.2a"; s.party_type = "unit_principal";
      s.title = "主要领导听取驻村工作汇报";
      s.has_geo = false;
      if (next(c->rng) % 6 != 0) rc = put(c, &s, date_add_days(first, 30 + (long)(next(c->rng) % 100)));
      s.kind = "deputy_visit"; s.clause = "3.2c"; s.party_type = "unit_deputy";
      s.title = "分管领导到村指导";
      s.has_geo = true;
      s.lat = u->lat; s.lng = u->lng; s.accuracy_m = 20; s.distance_m = 35;
      if (rc == DB_OK && next(c->rng) % 5 != 0) rc = put(c, &s, date_add_days(first, 40 + (long)(next(c->rng) % 100)));
      if (date_period_next(PERIOD_HALF_YEAR, first, 0, &first, &last) != DATE_OK) break;
    }
    /* 3.2b the principal visits once a year: most have by now */
    s.kind = "principal_visit"; s.clause = "3.2b"; s.party_type = "unit_principal";
    s.title = "主要领导到村走访";
    if (rc == DB_OK && next(c->rng) % 4 != 0) rc = put(c, &s, date_add_days(c->year_start, 60 + (long)(next(c->rng) % 200)));
  }
  free(units);
  return rc;
}

/* 3.1a and 3.1b for a unit's other teams (the first is in unit_records): they are owed per team. A
 * random stream of their own, so that the rest of the demo stays what it was. */
static int unit_other_teams(struct ctx *c)
{
  struct query *q = query_open(c->db,
      "SELECT DISTINCT a.unit_id AS unit_id, a.village_code AS village_code FROM assignment a"
      " JOIN (SELECT b.unit_id, min(b.village_code) AS first FROM assignment b WHERE b.status = 'active'"
      " GROUP BY b.unit_id) f ON f.unit_id = a.unit_id"
      " WHERE a.status = 'active' AND a.village_code > f.first ORDER BY a.unit_id, a.village_code");
  /* each unit's first village once (GROUP BY), not per row: at province scale (~50,000 posts) the
   * correlated form read the assignments 50,000 times */
  unsigned rng = 20260611u;
  struct ctx t = *c;
  t.rng = &rng;
  int rc = DB_OK;
  while (rc == DB_OK && query_next(q)) {
    char team[40], village[16];
    int64_t unit = query_get_int(q, "unit_id");
    snprintf(village, sizeof village, "%s", query_get_text(q, "village_code"));
    snprintf(team, sizeof team, "%lld:%s", (long long)unit, village);
    struct supervision_new s = {.party_id = team, .party_type = "unit_team", .region_code = village,
                                .unit_id = unit, .village_code = village, .attendees_json = "[]",
                                .kind = "unit_inquiry", .clause = "3.1a", .title = "了解驻村干部在岗履职情况",
                                .contacts = "乡镇党委组织委员、村党组织书记",
                                .minutes = "驻村干部在岗在位，按时参加村两委会议。"};
    int first, last;
    date_period_bounds(PERIOD_MONTH, c->since, &first, &last);
    while (rc == DB_OK && first <= c->today) {
      if (next(t.rng) % 6 != 0) rc = put(&t, &s, date_add_days(first, (long)(next(t.rng) % 25)));
      if (date_period_next(PERIOD_MONTH, first, 0, &first, &last) != DATE_OK) break;
    }
    s.kind = "unit_report_hearing"; s.clause = "3.1b"; s.title = "听取驻村工作队季度工作汇报"; s.contacts = NULL;
    s.minutes = "工作队汇报了本季度帮扶工作进展。";
    date_period_bounds(PERIOD_QUARTER, c->since, &first, &last);
    while (rc == DB_OK && first <= c->today) {
      if (next(t.rng) % 6 != 0) rc = put(&t, &s, date_add_days(first, 20 + (long)(next(t.rng) % 40)));
      if (date_period_next(PERIOD_QUARTER, first, 0, &first, &last) != DATE_OK) break;
    }
  }
  int closed = query_close(q);
  if (rc == DB_OK) rc = closed;
  c->count = t.count;
  return rc;
}

int demo_supervision(struct db *db, unsigned *rng, int64_t now, long *count)
{
  int today = date_from_unix_cst((time_t)now);
  /* from the teams' arrival (their term's start), so that at any instant — 3 January too — the
   * matrix has the months before it, met and missed */
  struct query *q = query_open(db, "SELECT min(start_date) AS since FROM assignment WHERE status = 'active'");
  int since = 0;
  if (!query_next(q) || date_parse_iso(query_get_text(q, "since"), &since) != DATE_OK) since = today;
  int rc = query_close(q);
  if (rc != DB_OK) return rc; /* a failed read of the arrival is not a demo that starts today */
  struct ctx c = {db, rng, today, since, date_make(date_year(today), 1, 1), 0};
  rc = region_records(&c, "county");
  if (rc == DB_OK) rc = region_records(&c, "township");
  if (rc == DB_OK) rc = unit_records(&c);
  if (rc == DB_OK) rc = unit_other_teams(&c);
  *count = c.count;
  return rc;
}
