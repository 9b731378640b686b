/* demo_funds_training — see demo_funds_training.h. The posts are read once into memory (a team
 * is the run of posts of one village, a county the run of its villages); each year then draws a
 * fate per team (funded on time, short, late, none; insured, partly, not) and per cadre (which
 * classes they attend), and writes the records through the stores. */
#include "store/demo_funds_training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "store/commendations.h"
#include "store/funds.h"
#include "store/query.h"
#include "store/training.h"

#define CITY "3607"

static unsigned next_random(unsigned *state)
{
  unsigned x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

struct post {
  char village[16], county[8];
  int64_t cadre, unit;
  char kind[20]; /* first_secretary | team_leader | team_member */
};

struct posts {
  struct post *p;
  size_t n;
};

static int load_posts(struct db *db, struct posts *out)
{
  struct query *q = query_open(db,
      "SELECT a.village_code AS village_code, substr(a.village_code, 1, 6) AS county_code, a.cadre_id AS cadre_id,"
      " a.unit_id AS unit_id, a.post AS post FROM assignment a"
      " WHERE a.status = 'active' ORDER BY a.village_code, a.id");
  if (!q) return DB_ERROR;
  size_t cap = 1024;
  out->n = 0;
  out->p = malloc(cap * sizeof *out->p);
  while (out->p && query_next(q)) {
    if (out->n == cap) {
      struct post *bigger = realloc(out->p, 2 * cap * sizeof *out->p);
      if (!bigger) { free(out->p); out->p = NULL; break; }
      out->p = bigger;
      cap *= 2;
    }
    struct post *p = &out->p[out->n++];
    snprintf(p->village, sizeof p->village, "%s", query_get_text(q, "village_code"));
    snprintf(p->county, sizeof p->county, "%s", query_get_text(q, "county_code"));
    p->cadre = query_get_int(q, "cadre_id");
    p->unit = query_get_int(q, "unit_id");
    snprintf(p->kind, sizeof p->kind, "%s", query_get_text(q, "post"));
  }
  int rc = query_close(q);
  if (rc != DB_OK) {
    free(out->p);
    out->p = NULL;
  }
  return out->p ? DB_OK : DB_ERROR;
}

/* A day of the year as ISO, or "" when it is after today (nothing is recorded ahead of time). */
static const char *day(char buf[16], int year, int month, int dom, int today)
{
  int d = date_make(year, month, dom);
  if (!d || d > today) { buf[0] = '\0'; return buf; }
  date_format_iso(d, buf);
  return buf;
}

/* The instant a record dated `iso` was entered: 10:00 China Standard Time that day, so that the
 * obligation engine, which judges lateness by when a record was entered, sees demo records made
 * in time as in time. */
static int64_t entered(const char *iso)
{
  int d;
  long days;
  if (date_parse_iso(iso, &d) != 0 || date_to_days(d, &days) != 0) return 0; /* never: callers pass dates */
  return (int64_t)days * 86400 + 2 * 3600;
}

#define DEMO_VILLAGE "360781104200" /* 沙洲坝村: the demo cadre's village */

/* ---- funds and insurance (3.4a, 3.4b, 3.5) ---- */

static int pay(struct db *db, const struct post *p, const char *kind, int64_t cadre, double amount, const char *on,
               int serial)
{
  if (!*on) return DB_OK;
  char payer[160], doc[64];
  if (funds_unit_name(db, p->unit, payer, sizeof payer) != DB_OK) return DB_ERROR;
  snprintf(doc, sizeof doc, "%.4s年经费第%d号", on, serial);
  struct fund_new f = {p->village, kind, on, doc, payer, NULL, cadre, p->unit, amount, 0};
  int64_t id;
  return funds_insert(db, &f, entered(on), &id);
}

/* One team's year: the fate of its work funds, its cadres' allowances, its insurance. */
static int fund_team(struct db *db, unsigned *rng, const struct post *team, size_t n, int year, int today,
                     const char *today_iso, int *serial)
{
  char on[16], on2[16];
  unsigned fate = next_random(rng) % 100;
  if (strcmp(team[0].village, DEMO_VILLAGE) == 0) fate = 0; /* cadre1's team: funded in time, every year */
  int rc = DB_OK;
  if (fate < 72) /* in place by the end of Q1, in one or two payments */
    rc = pay(db, &team[0], "work_funds", 0, 10000 + 1000.0 * (next_random(rng) % 11),
             day(on, year, 1 + (int)(next_random(rng) % 3), 1 + (int)(next_random(rng) % 28), today), (*serial)++);
  else if (fate < 82) /* short of 10,000 */
    rc = pay(db, &team[0], "work_funds", 0, 5000 + 500.0 * (next_random(rng) % 9), day(on, year, 3, 10, today), (*serial)++);
  else if (fate < 92) { /* reached only after Q1 */
    rc = pay(db, &team[0], "work_funds", 0, 6000, day(on, year, 3, 20, today), (*serial)++);
    if (rc == DB_OK) rc = pay(db, &team[0], "work_funds", 0, 6000, day(on2, year, 5 + (int)(next_random(rng) % 3), 15, today), (*serial)++);
  } /* else: nothing recorded */
  if (rc == DB_OK && next_random(rng) % 3 == 0)
    rc = pay(db, &team[0], "assistance_funds", 0, 20000 + 5000.0 * (next_random(rng) % 7), day(on, year, 4, 18, today), (*serial)++);
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    rc = pay(db, &team[i], "living_allowance", team[i].cadre, 100.0 * 365, day(on, year, 1, 15, today), (*serial)++);
    if (rc == DB_OK && next_random(rng) % 2)
      rc = pay(db, &team[i], "health_check", team[i].cadre, 800, day(on, year, 6, 12, today), (*serial)++);
  }
  if (rc != DB_OK) return rc;
  unsigned ins = next_random(rng) % 100;
  if (ins >= 94) return DB_OK; /* uninsured */
  int64_t covered[16];
  size_t k = 0;
  for (size_t i = 0; i < n && k < 16; i++)
    if (!(ins >= 88 && i == n - 1 && n > 1)) covered[k++] = team[i].cadre; /* partly insured: the last one left out */
  char start[16], end[16], no[40], payer[160];
  day(start, year, ins < 80 ? 1 : 4, 1, today);
  if (!*start) return DB_OK;
  snprintf(end, sizeof end, "%04d-12-31", year);
  snprintf(no, sizeof no, "PA%04d%s", year, team[0].village);
  if (funds_unit_name(db, team[0].unit, payer, sizeof payer) != DB_OK) return DB_ERROR;
  struct insurance_new pol = {team[0].village, "中国人民财产保险股份有限公司赣州市分公司", no, start, end, payer, year,
                              team[0].unit, covered, k, 0};
  int64_t id;
  return insurance_insert(db, &pol, today_iso, entered(start), &id);
}

static int fund_year(struct db *db, unsigned *rng, const struct posts *ps, int year, int today, const char *today_iso)
{
  int serial = 1, rc = DB_OK;
  for (size_t i = 0; rc == DB_OK && i < ps->n;) {
    size_t j = i;
    while (j < ps->n && strcmp(ps->p[j].village, ps->p[i].village) == 0) j++;
    rc = fund_team(db, rng, &ps->p[i], j - i, year, today, today_iso, &serial);
    i = j;
  }
  return rc;
}

/* ---- training (4.1–4.5) ---- */

static const char *const TOPICS_ALL = "[\"xi_sannong\",\"no1_document\",\"assistance_policy\",\"work_methods\",\"qianwan\"]";

struct batch {
  struct participant *list;
  size_t n;
};

static int event(struct db *db, const char *type, const char *title, const char *organizer, const char *start,
                 const char *end, double hours, const char *place, const char *topics, const char *evidence,
                 bool county_evidence, const struct batch *b)
{
  if (!*start || !*end || b->n == 0) return DB_OK;
  struct event_new n = {type, title, organizer, start, end, place, topics, NULL, hours, evidence, county_evidence,
                        b->list, b->n, 0};
  int64_t id;
  return training_event_insert(db, &n, entered(end), &id);
}

static void add_cadre(struct batch *b, const struct post *p, bool attended)
{
  b->list[b->n++] = (struct participant){"cadre", p->cadre, NULL, 0, attended};
}

/* The city's classes: the demonstration class for first secretaries (4.1a) in May and two
 * sessions of 乡村振兴大讲堂 (4.1b). A cadre's lot decides: mostly both, some one, a few none. */
static int city_year(struct db *db, unsigned *rng, const struct posts *ps, int year, int today, unsigned char *fate)
{
  struct batch demo = {calloc(ps->n, sizeof(struct participant)), 0}, hall[2] = {{calloc(ps->n, sizeof(struct participant)), 0},
                                                                                  {calloc(ps->n, sizeof(struct participant)), 0}};
  int rc = demo.list && hall[0].list && hall[1].list ? DB_OK : DB_ERROR;
  for (size_t i = 0; rc == DB_OK && i < ps->n; i++) {
    fate[i] = (unsigned char)(next_random(rng) % 100); /* < 8: untrained this year */
    if (fate[i] < 8) continue;
    if (strcmp(ps->p[i].kind, "first_secretary") == 0 && fate[i] < 88) add_cadre(&demo, &ps->p[i], fate[i] != 50);
    if (fate[i] < 70) add_cadre(&hall[fate[i] % 2], &ps->p[i], true);
  }
  char s[16], e[16], title[160];
  snprintf(title, sizeof title, "%d年全市驻村第一书记示范培训班", year);
  if (rc == DB_OK)
    rc = event(db, "city_demo", title, CITY, day(s, year, 5, 12, today), day(e, year, 5, 15, today), 28, "赣州市委党校",
               TOPICS_ALL, "training_city_demo", false, &demo);
  snprintf(title, sizeof title, "%d年乡村振兴大讲堂（第一期）", year);
  if (rc == DB_OK)
    rc = event(db, "lecture_hall", title, CITY, day(s, year, 4, 20, today), day(e, year, 4, 20, today), 4, "线上直播（各县设分会场）",
               "[\"xi_sannong\",\"no1_document\"]", "training_lecture_hall", false, &hall[0]);
  snprintf(title, sizeof title, "%d年乡村振兴大讲堂（第二期）", year);
  if (rc == DB_OK)
    rc = event(db, "lecture_hall", title, CITY, day(s, year, 8, 22, today), day(e, year, 8, 22, today), 4, "线上直播（各县设分会场）",
               "[\"qianwan\",\"industry_skills\"]", "training_lecture_hall", false, &hall[1]);
  free(demo.list);
  free(hall[0].list);
  free(hall[1].list);
  return rc;
}

/* Unit staff of a county for the biennial policy training (4.5): each unit's deputy and HR head. */
static int policy_training(struct db *db, const char *county, int year, int today, int county_no)
{
  struct query *q = query_open(db, "SELECT id AS id FROM unit WHERE region_code = :county ORDER BY id");
  if (!q) return DB_ERROR;
  query_bind_text(q, ":county", county);
  struct participant staff[64];
  size_t n = 0;
  while (n + 2 <= 64 && query_next(q)) {
    int64_t unit = query_get_int(q, "id");
    staff[n++] = (struct participant){"unit_deputy", 0, "分管领导", unit, true};
    staff[n++] = (struct participant){"unit_hr", 0, "人事部门负责人", unit, true};
  }
  if (query_close(q) != DB_OK) return DB_ERROR;
  char s[16], e[16];
  struct batch b = {staff, n};
  return event(db, "policy_biennial", "驻村帮扶政策培训（派出单位分管领导、人事部门负责人）", county,
               day(s, year, 10, 10 + county_no % 10, today), day(e, year, 10, 10 + county_no % 10, today), 6, "县委党校",
               "[\"assistance_policy\",\"work_methods\"]", "policy_training_biennial", true, &b);
}

/* A county's year: its plan (4.2a), two rotation batches (4.2a, 4.4), an industry class (4.2b). */
static int county_year(struct db *db, unsigned *rng, const struct posts *ps, size_t from, size_t to, int year,
                       int today, const unsigned char *fate, int county_no)
{
  const char *county = ps->p[from].county;
  unsigned lot = next_random(rng) % 100;
  char on[16], s[16], e[16], title[160], doc[64];
  int rc = DB_OK;
  if (lot < 88) { /* a plan for most counties, a few filed late */
    snprintf(title, sizeof title, "%d年度驻村干部培训计划", year);
    snprintf(doc, sizeof doc, "县驻组字〔%d〕%d号", year, 3 + county_no);
    struct plan_new plan = {county, title, "分期分批轮训全体驻村干部，9月底前基本完成。", doc,
                            day(on, year, lot < 80 ? 3 : 7, 5 + county_no, today), year, 0};
    if (!*plan.filed_on) plan.filed_on = NULL, plan.doc_no = NULL;
    int64_t id;
    char today_iso[16];
    date_format_iso(today, today_iso);
    rc = training_plan_insert(db, &plan, entered(plan.filed_on ? plan.filed_on : today_iso), &id);
  }
  size_t n = to - from;
  struct batch rot[2] = {{calloc(n, sizeof(struct participant)), 0}, {calloc(n, sizeof(struct participant)), 0}};
  struct batch industry = {calloc(n, sizeof(struct participant)), 0};
  if (!rot[0].list || !rot[1].list || !industry.list) rc = DB_ERROR;
  for (size_t i = from; rc == DB_OK && i < to; i++) {
    if (fate[i] < 8) continue;
    if (fate[i] < 92) add_cadre(&rot[fate[i] % 2], &ps->p[i], fate[i] != 9);
    if (fate[i] % 3 == 0) add_cadre(&industry, &ps->p[i], true);
  }
  bool late_start = lot % 7 == 0; /* a county that starts only in the second half-year (4.4) */
  snprintf(title, sizeof title, "%d年驻村干部轮训（第一期）", year);
  if (rc == DB_OK)
    rc = event(db, "county_rotation", title, county, day(s, year, late_start ? 7 : 5, 20, today),
               day(e, year, late_start ? 7 : 5, 23, today), 24, "县委党校", TOPICS_ALL, "training_county_rotation", false, &rot[0]);
  snprintf(title, sizeof title, "%d年驻村干部轮训（第二期）", year);
  if (rc == DB_OK)
    rc = event(db, "county_rotation", title, county, day(s, year, 9, 8, today), day(e, year, 9, 11, today), 24, "县委党校",
               TOPICS_ALL, "training_county_rotation", false, &rot[1]);
  snprintf(title, sizeof title, "%d年产业发展专题培训", year);
  if (rc == DB_OK)
    rc = event(db, "industry", title, county, day(s, year, 6, 16, today), day(e, year, 6, 17, today), 12, "县农业农村局",
               "[\"industry_skills\"]", "training_industry", false, &industry);
  /* 4.5: every two years from 2023 — in the odd year, for most counties */
  if (rc == DB_OK && year % 2 == 1 && lot % 5 != 0) rc = policy_training(db, county, year, today, county_no);
  free(rot[0].list);
  free(rot[1].list);
  free(industry.list);
  return rc;
}

static int training_year(struct db *db, unsigned *rng, const struct posts *ps, int year, int today)
{
  unsigned char *fate = calloc(ps->n ? ps->n : 1, 1);
  if (!fate) return DB_ERROR;
  int rc = city_year(db, rng, ps, year, today, fate);
  int county_no = 0;
  for (size_t i = 0; rc == DB_OK && i < ps->n;) {
    size_t j = i;
    while (j < ps->n && strcmp(ps->p[j].county, ps->p[i].county) == 0) j++;
    rc = county_year(db, rng, ps, i, j, year, today, fate, county_no++);
    i = j;
  }
  free(fate);
  return rc;
}

/* ---- commendations (3.7) ---- */

static int commend(struct db *db, unsigned *rng, const struct posts *ps, int year, int today)
{
  static const struct { const char *kind, *level, *title; } AWARDS[] = {
    {"award", "city", "优秀驻村第一书记"}, {"award", "county", "优秀驻村工作队员"},
    {"promotion", "county", "提拔使用（乡镇党委副书记）"}, {"rank", "county", "晋升一级主任科员"},
    {"title", "city", "评定高级农艺师"},
  };
  int rc = DB_OK;
  char on[16], doc[64];
  for (int k = 0; rc == DB_OK && k < 12 && ps->n; k++) {
    const struct post *p = &ps->p[next_random(rng) % ps->n];
    int a = (int)(next_random(rng) % 5);
    if (a == 0 && strcmp(p->kind, "first_secretary") != 0) a = 1;
    snprintf(doc, sizeof doc, "赣组字〔%d〕%d号", year, 20 + k);
    struct commendation_new n = {"cadre", p->cadre, 0, AWARDS[a].kind, AWARDS[a].level, day(on, year, 12, 20, today), doc,
                                 AWARDS[a].title, "驻村期间工作扎实，年度考核优秀，帮扶成效明显。", 0};
    int64_t id;
    if (*n.date) rc = commendations_insert(db, &n, entered(n.date), &id);
    if (rc == DB_CONFLICT) rc = DB_OK; /* the same cadre drawn twice */
  }
  if (rc == DB_OK && ps->n) {
    snprintf(doc, sizeof doc, "赣组字〔%d〕90号", year);
    struct commendation_new u = {"unit", 0, ps->p[0].unit, "award", "city", day(on, year, 12, 20, today), doc,
                                 "驻村帮扶工作先进派出单位", "保障驻村工作经费和干部待遇到位，选派干部表现突出。", 0};
    int64_t id;
    if (*u.date) rc = commendations_insert(db, &u, entered(u.date), &id);
  }
  return rc;
}

int demo_funds_training(struct db *db, unsigned *rng, int64_t now)
{
  struct posts ps = {0};
  if (load_posts(db, &ps) != DB_OK) return DB_ERROR;
  int today = date_from_unix_cst((time_t)now);
  char today_iso[16];
  date_format_iso(today, today_iso);
  int rc = DB_OK;
  for (int year = date_year(today) - 1; rc == DB_OK && year <= date_year(today); year++) {
    rc = fund_year(db, rng, &ps, year, today, today_iso);
    if (rc == DB_OK) rc = training_year(db, rng, &ps, year, today);
  }
  if (rc == DB_OK) rc = commend(db, rng, &ps, date_year(today) - 1, today);
  free(ps.p);
  return rc;
}
