/* demo — a deterministic Ganzhou. A xorshift generator seeded from the options drives every
 * choice, so two runs make byte-identical data: tests can rely on it, and benchmarks at city
 * or province scale use the same code with a larger key-village share.
 *
 * What it makes: the city's and every county's dispatching units (with subordinate units, so
 * that rule 1.3b has something to refuse); 重点村 flags on a share of the villages (村民委员会),
 * each with a check-in fence near its county seat; a team of cadres per key village from units
 * of its county or of the city; and the demo accounts of every role. */
#include "store/demo.h"

#include "core/settings.h"
#include "store/second_factor.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/idcard.h"
#include "core/roles.h"
#include "store/assignments.h"
#include "core/checkin_rules.h"
#include "core/date.h"
#include "store/cadres.h"
#include "store/checkins.h"
#include "store/demo_forms.h"
#include "store/demo_reviews.h"
#include "store/demo_upward.h"
#include "store/work_logs.h"
#include "store/demo_allowance.h"
#include "store/demo_evaluation.h"
#include "store/demo_funds_training.h"
#include "store/demo_supervision.h"
#include "store/demo_households.h"
#include "store/facts.h"
#include "store/demo_post_life.h"
#include "store/demo_village_profile.h"
#include "store/post_life.h"
#include "store/demo_village_work.h"
#include "store/query.h"
#include "store/units.h"
#include "store/users.h"

void demo_defaults(struct demo_options *o)
{
  o->city_code = "3607";
  o->key_village_permille = 300;
  o->team_size = 3;
  o->checkin_days = 30;
  o->seed = 20261129;
  o->households_per_village = 12;
  o->visit_days = 30;
  o->now = 0; /* the caller sets it from core/clock */
  o->known_passwords = false;
  o->handover_days = 15;      /* policy/ganzhou.json's values when init cannot read the file */
  o->vacancy_fill_days = 30;
  o->term_notice_days = 60;
  o->excellent_max_percent = 20;
  o->policy = NULL;           /* init sets it from the policy file */
  o->allowance = (struct allowance_rules){8000, 0, 220000, 30000}; /* policy allowance_rules */
  o->presence = (struct presence_rules){20, 18, 9, 80, 60};          /* policy min_days_in_village_per_month … */
}

static unsigned next_random(unsigned *state)
{
  unsigned x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* County seats (approximate), for placing village fences near where they belong. */
static const struct { const char *code; double lat, lng; } SEATS[] = {
  {"360702", 25.85, 114.93}, {"360703", 25.66, 114.77}, {"360704", 25.86, 115.01}, {"360722", 25.39, 114.92},
  {"360723", 25.40, 114.36}, {"360724", 25.79, 114.55}, {"360725", 25.68, 114.31}, {"360726", 25.14, 115.39},
  {"360728", 24.78, 115.03}, {"360729", 24.74, 114.53}, {"360730", 26.47, 116.01}, {"360731", 25.95, 115.42},
  {"360732", 26.34, 115.36}, {"360733", 25.60, 115.79}, {"360734", 24.96, 115.65}, {"360735", 26.33, 116.35},
  {"360781", 25.89, 116.03}, {"360783", 24.91, 114.79},
};

/* The province scenario (init --within 36): the seats of Jiangxi's eleven cities (approximate). A county
 * outside Ganzhou is placed near its city's seat, a few kilometres off by its own code. */
static const struct { const char *code; double lat, lng; } CITY_SEATS[] = {
  {"3601", 28.68, 115.86}, {"3602", 29.27, 117.18}, {"3603", 27.62, 113.85}, {"3604", 29.71, 116.00},
  {"3605", 27.82, 114.92}, {"3606", 28.26, 117.07}, {"3607", 25.83, 114.93}, {"3608", 27.11, 114.99},
  {"3609", 27.81, 114.42}, {"3610", 27.95, 116.36}, {"3611", 28.45, 117.94},
};

static void seat_of(const char *county, double *lat, double *lng)
{
  *lat = 25.83;
  *lng = 114.93;
  for (size_t i = 0; i < sizeof SEATS / sizeof SEATS[0]; i++)
    if (strncmp(SEATS[i].code, county, 6) == 0) { *lat = SEATS[i].lat; *lng = SEATS[i].lng; }
  if (strncmp(county, "3607", 4) == 0) return; /* Ganzhou: the table above, as the city demo always had it */
  for (size_t i = 0; i < sizeof CITY_SEATS / sizeof CITY_SEATS[0]; i++) {
    if (strncmp(CITY_SEATS[i].code, county, 4) != 0) continue;
    int n = (county[4] - '0') * 10 + (county[5] - '0');
    *lat = CITY_SEATS[i].lat + ((n * 7) % 40 - 20) / 100.0;
    *lng = CITY_SEATS[i].lng + ((n * 13) % 40 - 20) / 100.0;
  }
}

/* ---- units ---- */

struct unit_template { const char *suffix; const char *type; int parent; /* index of parent template, -1 none */ };

static const struct unit_template CITY_UNITS[] = {
  {"市委组织部", "party_gov", -1},   {"市乡村振兴局", "party_gov", -1}, {"市农业农村局", "party_gov", -1},
  {"市财政局", "party_gov", -1},     {"市教育局", "party_gov", -1},     {"市卫生健康委员会", "party_gov", -1},
  {"市农业技术推广中心", "institution", 2}, {"市人民医院", "institution", 5}, {"市城市投资控股集团有限公司", "soe", -1},
  {"市交通投资集团有限公司", "soe", -1},
};
static const struct unit_template COUNTY_UNITS[] = {
  {"委组织部", "party_gov", -1}, {"乡村振兴局", "party_gov", -1}, {"农业农村局", "party_gov", -1},
  {"财政局", "party_gov", -1},   {"自然资源局", "party_gov", -1},   {"农业技术推广中心", "institution", 2},
  {"人民医院", "institution", -1}, {"城市建设投资有限公司", "soe", -1},
};

#define MAX_COUNTY_UNITS 16
struct county {
  char code[8]; char name[64]; int64_t units[MAX_COUNTY_UNITS]; int unit_count;
  const int64_t *city_units; /* the province scenario: its own city's units (NULL: the one city's) */
};

static int add_units(struct db *db, const char *region, const char *prefix, const char *level,
                     const struct unit_template *t, int n, int64_t now, int64_t *ids)
{
  for (int i = 0; i < n; i++) {
    char name[160];
    snprintf(name, sizeof name, "%s%s", prefix, t[i].suffix);
    struct unit_fields f = {name, level, t[i].type, t[i].parent >= 0 ? ids[t[i].parent] : 0, region};
    if (units_create(db, &f, now, &ids[i]) != DB_OK) return DB_ERROR;
  }
  return DB_OK;
}

static int add_county_units(struct db *db, struct county *counties, int from, int to, int64_t now)
{
  int rc = DB_OK;
  for (int i = from; rc == DB_OK && i < to; i++) {
    counties[i].unit_count = (int)(sizeof COUNTY_UNITS / sizeof COUNTY_UNITS[0]);
    rc = add_units(db, counties[i].code, counties[i].name, "county", COUNTY_UNITS, counties[i].unit_count, now,
                   counties[i].units);
  }
  return rc;
}

static int load_counties(struct db *db, const char *city, struct county *out, int max, int *count)
{
  struct query *q = query_open(db, "SELECT code AS code, name AS name FROM region WHERE parent_code = :parent ORDER BY code");
  query_bind_text(q, ":parent", city);
  *count = 0;
  while (*count < max && query_next(q)) {
    struct county *c = &out[(*count)++];
    memset(c, 0, sizeof *c);
    snprintf(c->code, sizeof c->code, "%s", query_get_text(q, "code"));
    snprintf(c->name, sizeof c->name, "%s", query_get_text(q, "name"));
  }
  if (query_close(q) != DB_OK) return DB_ERROR;
  return *count ? DB_OK : DB_NOT_FOUND;
}

/* The province scenario (init --within 36): every city's units ("南昌市" + "市委组织部" → 南昌市委组织部),
 * then its counties' and their units, in code order; each county remembers its own city's units, from
 * which a quarter of its teams come, as in the city demo. */
#define MAX_CITIES 24
#define MAX_COUNTIES 160
static int add_province_units(struct db *db, const char *province, int64_t now, struct county *cities, int *ncities,
                              int64_t (*city_units)[10], struct county *counties, int *ncounties)
{
  int rc = load_counties(db, province, cities, MAX_CITIES, ncities);
  *ncounties = 0;
  for (int c = 0; rc == DB_OK && c < *ncities; c++) {
    char prefix[64];
    size_t len = strlen(cities[c].name);
    if (len >= 3 && strcmp(cities[c].name + len - 3, "市") == 0) len -= 3;
    snprintf(prefix, sizeof prefix, "%.*s", (int)len, cities[c].name);
    rc = add_units(db, cities[c].code, prefix, "city", CITY_UNITS, 10, now, city_units[c]);
    int k = 0;
    if (rc == DB_OK) rc = load_counties(db, cities[c].code, counties + *ncounties, MAX_COUNTIES - *ncounties, &k);
    for (int i = *ncounties; i < *ncounties + k; i++) counties[i].city_units = city_units[c];
    if (rc == DB_OK) rc = add_county_units(db, counties, *ncounties, *ncounties + k, now);
    *ncounties += k;
  }
  return rc;
}

/* ---- cadres ---- */

static const char *const SURNAMES[] = {"刘", "陈", "王", "李", "张", "钟", "黄", "谢", "曾", "赖", "杨", "罗",
                                       "郭", "肖", "邱", "温", "廖", "朱", "邓", "胡"};
static const char *const GIVEN[] = {"建华", "志强", "海燕", "文斌", "小红", "国庆", "丽萍", "俊杰", "春生", "秀英",
                                    "永福", "晓东", "桂兰", "伟", "敏", "军", "芳", "勇", "静", "磊"};

static void make_id_number(unsigned *rng, const char *county, int serial, char out[IDCARD_SIZE])
{
  int year = 1968 + (int)(next_random(rng) % 29), month = 1 + (int)(next_random(rng) % 12);
  int day = 1 + (int)(next_random(rng) % 28);
  char first17[40]; /* 17 digits; sized for what the compiler thinks the ints might print */
  snprintf(first17, sizeof first17, "%.6s%04d%02d%02d%03d", county, year % 10000, month % 100, day % 100,
           serial % 1000);
  char check;
  idcard_make_check_char(first17, &check);
  memcpy(out, first17, 17);
  out[17] = check;
  out[18] = '\0';
}

static const char *const POSTS[] = {"first_secretary", "team_leader", "team_member"};

/* A plausible rank for a cadre of a unit of this type (rule 1.9's scale in policy/ganzhou.json); NULL when
 * the unit could not be read (reported). The draw is made either way, so that a run draws what it drew. */
static const char *rank_for(struct db *db, int64_t unit, unsigned *rng)
{
  struct query *q = query_open(db, "SELECT type AS type FROM unit WHERE id = :id");
  query_bind_int(q, ":id", unit);
  bool organ = query_next(q) && strcmp(query_get_text(q, "type"), "party_gov") == 0;
  bool read = query_close(q) == DB_OK;
  static const char *const ORGAN[] = {"section", "section", "deputy_section", "clerk"};
  static const char *const OTHER[] = {"middle_manager", "middle_manager", "senior_manager", "staff"};
  const char *rank = (organ ? ORGAN : OTHER)[next_random(rng) % 4];
  return read ? rank : NULL;
}

/* The two last years' appraisals: mostly 称职, some 优秀, rarely 基本称职. */
static int add_appraisals(struct db *db, int64_t cadre, unsigned *rng, int64_t now)
{
  int this_year = date_year(date_from_unix_cst((time_t)now));
  for (int year = this_year - 2; year <= this_year - 1; year++) {
    unsigned r = next_random(rng) % 20;
    const char *result = r < 4 ? "excellent" : r == 19 ? "basically_competent" : "competent";
    if (cadres_set_appraisal(db, cadre, year, result) != DB_OK) return DB_ERROR;
  }
  return DB_OK;
}

static int make_cadre(struct db *db, const struct vault *vault, unsigned *rng, const char *county_code, int64_t unit,
                      int *serial, const char *employment, int birth_year_from, int64_t now, int64_t *id_out)
{
  char name[32], id[IDCARD_SIZE], phone[16];
  snprintf(name, sizeof name, "%s%s", SURNAMES[next_random(rng) % 20], GIVEN[next_random(rng) % 20]);
  snprintf(phone, sizeof phone, "13%09u", next_random(rng) % 1000000000u);
  struct cadre_fields f = {name, id, phone, next_random(rng) % 10 < 8, unit, NULL, NULL,
                           employment, rank_for(db, unit, rng), next_random(rng) % 3 == 0, next_random(rng) % 5 == 0,
                           NULL};
  if (!f.rank) return DB_ERROR;
  int rc;
  do { /* a clash of generated ID numbers: draw again */
    make_id_number(rng, county_code, (*serial)++, id);
    if (birth_year_from) memcpy(id + 6, (char[4]){'0' + birth_year_from / 1000, '0' + birth_year_from / 100 % 10,
                                                  '0' + birth_year_from / 10 % 10, '0' + birth_year_from % 10}, 4);
    idcard_make_check_char(id, &id[17]);
    rc = cadres_create(db, vault, &f, now, id_out);
  } while (rc == DB_CONFLICT);
  if (rc == DB_OK) rc = add_appraisals(db, *id_out, rng, now);
  return rc;
}

/* The two-year term the demo's teams serve at `today`: from the last 1 June at least ten months
 * back (rotations in Ganzhou happen mid-year), so that at any instant the teams are well inside
 * their term and the last decided 31 March (3.5) fell inside it. */
static void demo_term(int today, char start[DATE_ISO_SIZE], char end[DATE_ISO_SIZE])
{
  int first = date_make(date_year(today) - 1, 6, 1);
  if (date_add_months(first, 10) > today) first = date_make(date_year(today) - 2, 6, 1);
  date_format_iso(first, start);
  date_format_iso(date_add_days(date_add_months(first, 24), -1), end);
}

/* The posts held before the system started: active, approved outside it (kind "initial"). */
static int station(struct db *db, int64_t cadre, int64_t unit, const char *village, const char *post, int64_t now)
{
  char region[16], start[DATE_ISO_SIZE], end[DATE_ISO_SIZE];
  if (assignments_approval_region(db, unit, region) != DB_OK) return DB_ERROR;
  demo_term(date_from_unix_cst((time_t)now), start, end);
  struct nomination n = {cadre, unit, 0, 0, village, post, "initial", NULL, start, end, region,
                         "eligible", "[]", "active"};
  int64_t id;
  return assignments_insert(db, &n, NULL, now, &id);
}

static int add_team(struct db *db, const struct vault *vault, unsigned *rng, const char *village,
                    const struct county *county, const int64_t *city_units, int team_size, int first, int *serial,
                    int64_t now, int64_t *first_cadre)
{
  for (int k = first; k < team_size; k++) {
    bool from_city = next_random(rng) % 4 == 0;
    int64_t unit = from_city ? city_units[next_random(rng) % 10] : county->units[next_random(rng) % (unsigned)county->unit_count];
    int64_t cid = 0;
    int rc = make_cadre(db, vault, rng, county->code, unit, serial, "established", 0, now, &cid);
    if (rc == DB_OK) rc = station(db, cid, unit, village, POSTS[k == 0 ? 0 : (k == 1 ? 1 : 2)], now);
    if (rc != DB_OK) return rc;
    if (first_cadre && !*first_cadre) *first_cadre = cid;
  }
  return DB_OK;
}

/* Candidates not yet stationed, three per county unit, with the cases the rules of section 1
 * must catch: one over the age limit (1.3a), one 临聘 (1.3d), one under a sanction (1.3c). */
static int add_candidates(struct db *db, const struct vault *vault, unsigned *rng, const struct county *county,
                          int *serial, int64_t now)
{
  /* the sanctions of 1.3c: one whose influence period ended three months ago, one still running */
  int month = date_make(date_year(date_from_unix_cst((time_t)now)), date_month(date_from_unix_cst((time_t)now)), 1);
  char s1[DATE_ISO_SIZE], e1[DATE_ISO_SIZE], s2[DATE_ISO_SIZE], e2[DATE_ISO_SIZE];
  date_format_iso(date_add_months(month, -9), s1);
  date_format_iso(date_add_days(date_add_months(month, -3), -1), e1);
  date_format_iso(date_add_months(month, -3), s2);
  date_format_iso(date_add_days(date_add_months(month, 9), -1), e2);
  for (int u = 0; u < county->unit_count; u++) {
    for (int k = 0; k < 3; k++) {
      int64_t cid;
      int kind = (int)(next_random(rng) % 10);
      const char *employment = kind == 1 ? "temporary" : "established";
      int rc = make_cadre(db, vault, rng, county->code, county->units[u], serial, employment, kind == 0 ? 1968 : 0, now, &cid);
      if (rc == DB_OK && kind == 2) {
        int64_t sid;
        rc = cadres_add_sanction(db, cid, "警告（政务处分）", s1, e1, "影响期六个月", now, &sid);
        if (rc == DB_OK) rc = cadres_add_sanction(db, cid, "党内警告", s2, e2, NULL, now, &sid);
      }
      if (rc != DB_OK) return rc;
    }
  }
  return DB_OK;
}

/* Villages (村民委员会, not urban 居委会) are flagged key by lot; a few named ones always are,
 * so that the demo accounts have something in scope. */
static int flag_key_villages(struct db *db, const struct demo_options *o, unsigned *rng)
{
  char root[32];
  if (strlen(o->city_code) == 2) snprintf(root, sizeof root, "/%s/", o->city_code); /* a whole province */
  else snprintf(root, sizeof root, "/%.2s/%s/", o->city_code, o->city_code);
  struct query *sel = query_open(db,
      "SELECT code AS code FROM region WHERE level = 'village' AND (official_name LIKE '%村委会' OR official_name LIKE '%村民委员会')"
      " AND path >= :root AND path < :root || '~' ORDER BY code");
  query_bind_text(sel, ":root", root);
  int rc = DB_OK;
  while (rc == DB_OK && query_next(sel)) {
    const char *code = query_get_text(sel, "code");
    bool forced = strncmp(code, "360781104", 9) == 0 || strncmp(code, "360781100", 9) == 0;
    if (!forced && (int)(next_random(rng) % 1000) >= o->key_village_permille) continue;
    double lat, lng;
    seat_of(code, &lat, &lng);
    lat += ((int)(next_random(rng) % 3000) - 1500) / 10000.0;
    lng += ((int)(next_random(rng) % 3000) - 1500) / 10000.0;
    struct query *upd = query_open(db, "UPDATE region SET key_village = 1, lat = :lat, lng = :lng, radius_m = 1500 WHERE code = :code");
    query_bind_text(upd, ":code", code);
    query_bind_double(upd, ":lat", lat);
    query_bind_double(upd, ":lng", lng);
    if (query_exec(upd) != DB_OK) rc = DB_ERROR;
  }
  int end = query_close(sel);
  return rc == DB_OK ? end : rc;
}

static int staff_key_villages(struct db *db, const struct vault *vault, const struct demo_options *o, unsigned *rng,
                              struct county *counties, int ncounties, const int64_t *city_units, long *cadres,
                              int64_t *demo_cadre)
{
  struct query *q = query_open(db, "SELECT code AS code FROM region WHERE key_village = 1 ORDER BY code");
  int serial = 0, rc = DB_OK;
  while (rc == DB_OK && query_next(q)) {
    char village[16];
    snprintf(village, sizeof village, "%s", query_get_text(q, "code"));
    for (int i = 0; i < ncounties; i++) {
      if (strncmp(counties[i].code, village, 6) != 0) continue;
      bool demo_village = strcmp(village, "360781104200") == 0; /* 沙洲坝村: cadre1 serves here */
      /* a few key villages lack a first secretary, or a team, so that the coverage view (1.7) has
       * something to show */
      unsigned lot = next_random(rng) % 40;
      if (!demo_village && lot == 0) continue;
      int first = !demo_village && lot < 3 ? 1 : 0;
      rc = add_team(db, vault, rng, village, &counties[i], counties[i].city_units ? counties[i].city_units : city_units,
                    o->team_size, first, &serial, o->now,
                    demo_village ? demo_cadre : NULL);
      *cadres += o->team_size - first;
    }
  }
  int end = query_close(q);
  return rc == DB_OK ? end : rc;
}

/* ---- check-ins and work logs ---- */

static const struct { const char *duty; const char *text; } LOGS[] = {
  {"party_building", "参加村党支部主题党日活动，讲授专题党课"},
  {"party_building", "与村两委班子成员谈心谈话，研究后备力量培养"},
  {"consolidation", "走访监测户，了解务工收入和医疗报销情况"},
  {"consolidation", "召开防返贫监测研判会，排查风险户"},
  {"industry", "对接派出单位，落实蔬菜基地冷库建设资金"},
  {"industry", "联系合作社销售脐橙，协调物流运输"},
  {"construction", "检查村组道路硬化工程进度和质量"},
  {"construction", "组织村民开展人居环境整治，清理房前屋后"},
  {"governance", "参与调解邻里宅基地纠纷"},
  {"governance", "修订村规民约，召开村民代表会议"},
};

/* A work log written in the village: linked to the check-in, so one act is both (最多报一次). */
static int add_log(struct db *db, unsigned *rng, int64_t cadre, const struct station *st, const char *date,
                   int64_t checkin_id, int64_t entered_at)
{
  unsigned k = next_random(rng) % (sizeof LOGS / sizeof LOGS[0]);
  struct work_log w = {cadre, st->village_code, date, LOGS[k].duty, LOGS[k].text, checkin_id};
  int64_t id;
  return work_logs_insert(db, &w, entered_at, &id);
}

/* Every active post in a village with a fence centre, in id order: the stations the check-ins are made at. */
#define ACTIVE_POSTS \
  "SELECT a.id AS id, a.cadre_id AS cadre_id, a.village_code AS village_code, r.lat AS lat, r.lng AS lng" \
  " FROM assignment a JOIN region r ON r.code = a.village_code WHERE a.status = 'active' AND r.lat IS NOT NULL" \
  " ORDER BY a.id"

/* The current post of ACTIVE_POSTS as the station its check-ins are judged against (a 1.5 km fence),
 * and its cadre in *cadre. */
static struct station read_station(struct query *posts, int64_t *cadre)
{
  struct station st = {.assignment_id = query_get_int(posts, "id"), .has_fence = true, .radius_m = 1500,
                       .lat = query_get_double(posts, "lat"), .lng = query_get_double(posts, "lng")};
  snprintf(st.village_code, sizeof st.village_code, "%s", query_get_text(posts, "village_code"));
  *cadre = query_get_int(posts, "cadre_id");
  return st;
}

/* The last 30 days of in-village acts of every stationed cadre: most working days a check-in
 * near the village centre around 8 o'clock, some days a meeting in the county (outside the fence,
 * with a reason), some days nothing. Weekends mostly quiet. Dates are relative to today, so the
 * demo is alive whenever it is made. 30 days for `make run`; a year for the benchmarks. */
static int add_checkins(struct db *db, unsigned *rng, int days_back, int64_t now, long *count)
{
  struct query *posts = query_open(db, ACTIVE_POSTS);
  int today = date_from_unix_cst((time_t)now);
  int rc = DB_OK;
  while (rc == DB_OK && query_next(posts)) {
    int64_t cadre;
    struct station st = read_station(posts, &cadre);
    for (int back = days_back; rc == DB_OK && back >= 1; back--) {
      int day = date_add_days(today, -back);
      bool weekend = date_weekday(day) >= 6;
      unsigned lot = next_random(rng) % 100;
      if (weekend ? lot >= 45 : lot >= 93) continue;
      bool away = !weekend && lot >= 87;
      long days;
      date_to_days(day, &days);
      int64_t at = (int64_t)days * 86400 + (int64_t)(next_random(rng) % 5400); /* 08:00–09:30 CST */
      double lat = st.lat + (away ? 0.08 : ((int)(next_random(rng) % 600) - 300) / 100000.0);
      double lng = st.lng + (away ? 0.05 : ((int)(next_random(rng) % 600) - 300) / 100000.0);
      double distance;
      bool in_fence = checkin_in_fence(lat, lng, st.lat, st.lng, st.radius_m, &distance);
      char client[40], date[DATE_ISO_SIZE];
      snprintf(client, sizeof client, "demo-%08x%08x", (unsigned)cadre, (unsigned)day);
      date_format_iso(day, date);
      struct new_checkin c = {cadre, &st, client, "checkin", "gps", away ? "到县里参加驻村工作队长会议" : NULL, "",
                              at, at + 5, date, lat, lng, 15 + next_random(rng) % 30, distance, in_fence, false};
      int64_t id;
      rc = checkins_insert(db, &c, &id);
      (*count)++;
      if (rc == DB_OK && in_fence && next_random(rng) % 10 < 3) rc = add_log(db, rng, cadre, &st, date, id, at + 60);
      /* most evenings too: a check-in after 18:00 and the next morning's before 09:00 confirm a
       * night in the village (3.6, stay_in_village_evening_hour/morning_hour); a cadre who goes home
       * some evenings is the exception the 吃住在村 view shows, not the rule */
      if (rc == DB_OK && in_fence && next_random(rng) % 10 < 8) {
        snprintf(client, sizeof client, "demo-%08x%08x-pm", (unsigned)cadre, (unsigned)day);
        struct new_checkin pm = c;
        pm.client_id = client;
        pm.at = (int64_t)days * 86400 + 11 * 3600 + (int64_t)(next_random(rng) % 5400); /* 19:00–20:30 CST */
        pm.received_at = pm.at + 5;
        rc = checkins_insert(db, &pm, &id);
        (*count)++;
      }
    }
  }
  int end = query_close(posts);
  return rc == DB_OK ? end : rc;
}

/* This morning's check-ins (08:00–09:30), up to the instant the demo is made: without them every
 * home page's 今日在岗 would say nearly the whole city 未到岗 at ten in the morning, a figure no
 * official would believe. About one cadre in fourteen has not checked in. The demo's own login
 * cadre (cadre1) is left to check in by hand. A random state of its own per post, so that the rest
 * of the demo draws exactly what it drew before. */
static int add_today_checkins(struct db *db, int64_t now, int64_t skip_cadre, long *count)
{
  struct query *posts = query_open(db, ACTIVE_POSTS);
  int today = date_from_unix_cst((time_t)now);
  long days;
  date_to_days(today, &days);
  char date[DATE_ISO_SIZE];
  date_format_iso(today, date);
  int rc = DB_OK;
  while (rc == DB_OK && query_next(posts)) {
    int64_t cadre;
    struct station st = read_station(posts, &cadre);
    unsigned rng = (unsigned)(st.assignment_id * 2654435761u) ^ (unsigned)days;
    if (!rng) rng = 1;
    next_random(&rng);
    if (cadre == skip_cadre || date_weekday(today) >= 6 || next_random(&rng) % 100 >= 93) continue;
    int64_t at = (int64_t)days * 86400 + (int64_t)(next_random(&rng) % 5400);
    if (at + 5 > now) continue;
    double lat = st.lat + ((int)(next_random(&rng) % 600) - 300) / 100000.0;
    double lng = st.lng + ((int)(next_random(&rng) % 600) - 300) / 100000.0;
    double distance;
    bool in_fence = checkin_in_fence(lat, lng, st.lat, st.lng, st.radius_m, &distance);
    char client[40];
    snprintf(client, sizeof client, "demo-%08x%08x", (unsigned)cadre, (unsigned)today);
    struct new_checkin c = {cadre, &st, client, "checkin", "gps", NULL, "", at, at + 5, date, lat, lng,
                            15 + next_random(&rng) % 30, distance, in_fence, false};
    int64_t id;
    rc = checkins_insert(db, &c, &id);
    (*count)++;
  }
  int end = query_close(posts);
  return rc == DB_OK ? end : rc;
}

/* ---- accounts ---- */

struct demo_account { const char *username, *display_name, *role, *region; int unit_index; bool cadre; };

static const struct demo_account ACCOUNTS[] = {
  {"sysadmin", "系统管理员", "sys_admin", NULL, -1, false},
  {"secadmin", "安全管理员", "sec_admin", NULL, -1, false},
  {"auditadmin", "审计管理员", "audit_admin", NULL, -1, false},
  {"city_org", "赣州市委组织部", "org_city", "3607", -1, false},
  {"city_rrb", "赣州市乡村振兴局", "rrb_city", "3607", -1, false},
  {"ruijin_org", "瑞金市委组织部", "org_county", "360781", -1, false},
  {"ruijin_rrb", "瑞金市乡村振兴局", "rrb_county", "360781", -1, false},
  {"xianghu_sec", "象湖镇党委书记", "township_secretary", "360781100", -1, false},
  {"shazhouba_sec", "沙洲坝镇党委书记", "township_secretary", "360781104", -1, false},
  {"shazhouba_dep", "沙洲坝镇组织委员", "township_deputy", "360781104", -1, false},
  {"unit_leader1", "瑞金市农业农村局局长", "unit_leader", NULL, 2, false},
  {"unit_hr1", "瑞金市农业农村局人事股", "unit_hr", NULL, 2, false},
  {"unit_deputy1", "瑞金市农业农村局分管领导", "unit_deputy", NULL, 2, false},
  {"cadre1", NULL, "cadre", NULL, -1, true},
};

static int add_account(struct db *db, const struct vault *vault, const struct new_user *u, int64_t now)
{
  struct security_settings defaults;
  settings_defaults(&defaults);
  int64_t id;
  if (users_create(db, u, now, &id) != DB_OK) return DB_ERROR;
  if (!u->must_change_password && settings_second_factor_required(&defaults, u->role) &&
      second_factor_enrol_known(db, vault, id, DEMO_TOTP_SECRET, now) != DB_OK)
    return DB_ERROR;
  return DB_OK;
}

static int add_accounts(struct db *db, const struct vault *vault, const struct county *ruijin, int64_t demo_cadre,
                        int64_t now, bool must_change)
{
  for (size_t i = 0; i < sizeof ACCOUNTS / sizeof ACCOUNTS[0]; i++) {
    const struct demo_account *a = &ACCOUNTS[i];
    struct new_user u = {a->username, a->display_name ? a->display_name : "沙洲坝村第一书记", roles_find(a->role),
                         a->region, a->unit_index >= 0 ? ruijin->units[a->unit_index] : 0,
                         a->cadre ? demo_cadre : 0, DEMO_PASSWORD, must_change};
    if (add_account(db, vault, &u, now) != DB_OK) return DB_ERROR;
  }
  return DB_OK;
}

/* The province scenario's accounts beyond the city demo's: each other city's 组织部 and 乡村振兴局
 * (org3601, rrb3601, …; Ganzhou keeps city_org and city_rrb), and the province's. There is no
 * province-level role (core/roles.c stops at the city), so province_org and province_rrb hold the
 * widest roles there are, org_city and rrb_city, over the province's region: the scope is the region's
 * path, and they see all eleven cities. The users API would refuse them (a city role wants a city). */
static int add_province_accounts(struct db *db, const struct vault *vault, const char *province,
                                 const struct county *cities, int ncities, int64_t now, bool must_change, int *added)
{
  static const char *const DEPTS[][3] = {{"org", "org_city", "委组织部"}, {"rrb", "rrb_city", "乡村振兴局"}};
  char name[64] = "";
  struct query *q = query_open(db, "SELECT name AS name FROM region WHERE code = :code");
  query_bind_text(q, ":code", province);
  int rc = query_next(q) ? DB_OK : DB_NOT_FOUND;
  if (rc == DB_OK) snprintf(name, sizeof name, "%s", query_get_text(q, "name"));
  if (query_close(q) != DB_OK) rc = DB_ERROR; /* not prepared, or a failed step: not "no such region" */
  for (int c = 0; rc == DB_OK && c <= ncities; c++) {
    bool whole = c == ncities;
    if (!whole && strcmp(cities[c].code, "3607") == 0) continue;
    for (int d = 0; rc == DB_OK && d < 2; d++) {
      char username[32], display[96];
      if (whole) snprintf(username, sizeof username, "province_%s", DEPTS[d][0]);
      else snprintf(username, sizeof username, "%.3s%.7s", DEPTS[d][0], cities[c].code);
      snprintf(display, sizeof display, "%s%s", whole ? name : cities[c].name, DEPTS[d][2]);
      struct new_user u = {username, display, roles_find(DEPTS[d][1]), whole ? province : cities[c].code, 0, 0,
                           DEMO_PASSWORD, must_change};
      rc = add_account(db, vault, &u, now);
      (*added)++;
    }
  }
  return rc;
}

int demo_generate(struct db *db, const struct vault *vault, const struct demo_options *o)
{
  struct county counties[MAX_COUNTIES], cities[MAX_CITIES];
  int64_t province_units[MAX_CITIES][10];
  int ncounties = 0, ncities = 0;
  bool province = strlen(o->city_code) == 2; /* init --within 36: the province scenario */
  unsigned rng = o->seed ? o->seed : 1;
  int64_t city_units[10];
  long cadres = 0;
  int64_t demo_cadre = 0;
  if (o->now <= 0) return DB_ERROR; /* "today" is an input: main sets it from core/clock */
  int rc = db_begin_bulk(db);  /* one failure fails the demo: no savepoint per statement on PostgreSQL */
  if (rc == DB_OK && province) {
    rc = add_province_units(db, o->city_code, o->now, cities, &ncities, province_units, counties, &ncounties);
    memcpy(city_units, province_units[0], sizeof city_units);
  } else if (rc == DB_OK) {
    rc = load_counties(db, o->city_code, counties, 64, &ncounties);
    if (rc == DB_OK) rc = add_units(db, o->city_code, "赣州", "city", CITY_UNITS, 10, o->now, city_units);
    if (rc == DB_OK) rc = add_county_units(db, counties, 0, ncounties, o->now);
  }
  if (rc == DB_OK) rc = flag_key_villages(db, o, &rng);
  if (rc == DB_OK) rc = staff_key_villages(db, vault, o, &rng, counties, ncounties, city_units, &cadres, &demo_cadre);
  int serial = 500000;
  for (int i = 0; rc == DB_OK && i < ncounties; i++) rc = add_candidates(db, vault, &rng, &counties[i], &serial, o->now);
  long checkins = 0;
  /* at least all of last month and this month to date, so that "last month" is whole on any day */
  int today = date_from_unix_cst((time_t)o->now);
  long span = 0;
  date_diff_days(date_add_months(date_make(date_year(today), date_month(today), 1), -1), today, &span);
  int checkin_days = o->checkin_days > span ? o->checkin_days : (int)span;
  int visit_days = o->visit_days <= 0 || o->visit_days > span ? o->visit_days : (int)span;
  if (rc == DB_OK) rc = add_checkins(db, &rng, checkin_days, o->now, &checkins);
  long supervision = 0; /* 2.2, 2.3, 3.1, 3.2: the year's meetings, dispatches, inquiries, hearings, visits */
  if (rc == DB_OK) rc = demo_supervision(db, &rng, o->now, &supervision);
  struct demo_household_counts households; /* 5.6: 脱贫户、监测户 and a month of visits */
  if (rc == DB_OK) rc = demo_households(db, vault, &rng, o->households_per_village, visit_days,
                                              checkin_days, o->now, &households);
  /* 3.4a–3.7, 4.1–4.5: funds, insurance, training and commendations of this year and the last */
  if (rc == DB_OK) rc = demo_funds_training(db, &rng, o->now);
  /* 5.1–5.10: monitoring meetings, activities, monitoring cases, assistance plans, resources */
  struct demo_village_work_counts work;
  /* 5.8: the village profiles with their dated history, before the plans that name their weak points
   * (no draw from rng: the rest of the demo is unchanged) */
  long profiles = 0;
  if (rc == DB_OK) rc = demo_village_profiles(db, o->now, &profiles);
  if (rc == DB_OK) rc = demo_village_work(db, &rng, o->now, &work);
  const struct county *ruijin = NULL;
  for (int i = 0; i < ncounties; i++) if (strcmp(counties[i].code, "360781") == 0) ruijin = &counties[i];
  if (rc == DB_OK && (!ruijin || !demo_cadre)) rc = DB_NOT_FOUND;
  /* 1.1, 1.6, 1.8: a handover running, a recall's vacancy, a term ending, by the policy's parameters */
  const struct post_rules rules = {o->handover_days, o->vacancy_fill_days, o->term_notice_days};
  if (rc == DB_OK) rc = demo_post_life(db, "360781104", &rules, o->now); /* 沙洲坝镇: shazhouba_sec sees it */
  /* issue 15: the bulk inserts and deletions above bypass the facts; later writers keep them. Their
   * rebuild reads the tables just filled: on a server, with their statistics (db_bulk_analyze). */
  if (rc == DB_OK) rc = db_bulk_analyze(db);
  if (rc == DB_OK) rc = facts_rebuild(db, NULL);
  /* issue #12: last year's 年度考核 of 瑞金市, finished and confirmed within the 优秀 cap */
  if (rc == DB_OK) rc = demo_evaluation(db, "360781", o->excellent_max_percent, o->now);
  if (rc == DB_OK) rc = add_accounts(db, vault, ruijin, demo_cadre, o->now, !o->known_passwords);
  int accounts = (int)(sizeof ACCOUNTS / sizeof ACCOUNTS[0]);
  if (rc == DB_OK && province)
    rc = add_province_accounts(db, vault, o->city_code, cities, ncities, o->now, !o->known_passwords, &accounts);
  if (rc == DB_OK) rc = add_today_checkins(db, o->now, demo_cadre, &checkins);
  long reviewed = 0; /* 批阅 (2.1, 2.4): 沙洲坝镇's monthly reports, reviewed by the township */
  if (rc == DB_OK) rc = demo_reviews(db, o->now, &reviewed);
  if (rc == DB_OK) rc = demo_forms(db, o->now); /* a leave approved and closed: its 请假审批单 */
  /* 3.4b: the demo unit's allowance sheets, last month's confirmed into the ledger, this month's drafted */
  if (rc == DB_OK) rc = demo_allowance(db, demo_cadre, &o->allowance, &o->presence, o->now);
  /* 上报材料: last month's 月报 of 沙洲坝镇 (received by 瑞金市) and of 瑞金市 (sent to the city) */
  if (rc == DB_OK) rc = demo_upward(db, o->policy, o->now);
  if (rc == DB_OK) rc = db_commit(db);
  if (rc != DB_OK) { db_rollback(db); return rc; }
  rc = db_after_bulk_load(db);
  if (rc != DB_OK) return rc;
  if (province)
    printf("demo: %d cities, %d counties, %d units, %ld cadres stationed, %d candidates, %ld check-ins, %d accounts\n",
           ncities, ncounties, ncities * 10 + ncounties * 8, cadres, ncounties * 8 * 3, checkins, accounts);
  else
    printf("demo: %d counties, %d units, %ld cadres stationed, %d candidates, %ld check-ins, %zu accounts\n",
           ncounties, 10 + ncounties * 8, cadres, ncounties * 8 * 3, checkins, sizeof ACCOUNTS / sizeof ACCOUNTS[0]);
  return DB_OK;
}
