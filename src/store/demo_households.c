/* demo_households — bulk inserts through cached statements inside the generator's one
 * transaction. The cost that matters is encrypting each member's ID number (one secretbox and
 * one keyed hash each): a few microseconds, so the default demo stays well inside init's budget
 * and the city-scale benchmark (350,000 households) inside a minute or two. */
#include "store/demo_households.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/household_sheet.h"
#include "core/idcard.h"
#include "store/query.h"
#include "store/vault.h"

#define DEMO_VILLAGE "360781104200" /* 沙洲坝村: the demo cadre's village */
#define MAX_TEAM 8

static unsigned next(unsigned *state)
{
  unsigned x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

static const char *const SURNAMES[] = {"刘", "陈", "王", "李", "张", "钟", "黄", "谢", "曾", "赖", "杨", "罗",
                                       "郭", "肖", "邱", "温", "廖", "朱", "邓", "胡"};
static const char *const MALE[] = {"长生", "福明", "春林", "水根", "国华", "建平", "德胜", "有才", "金发", "桂生"};
static const char *const FEMALE[] = {"秀英", "桂花", "冬梅", "小兰", "春花", "玉珍", "美华", "凤英", "菊香", "爱莲"};
static const char *const FINDINGS[] = {
  "两不愁三保障情况稳定，家中种植脐橙 5 亩，长势良好", "户主在县城务工，收入稳定，子女在校就读",
  "老人慢性病按时服药，家庭医生已签约", "了解春耕生产准备，宣讲防返贫监测政策",
  "房屋经鉴定安全，饮水正常，已告知帮扶联系电话", "家中养殖生猪 10 头，询问销售渠道困难",
  "子女大学学费有压力，已告知助学贷款政策", "户主腿伤未愈暂不能务工，需关注收入变化"};
static const char *const RISKS[] = {"illness", "schooling", "unstable_work", "accident", "industry_failure", "disaster"};
#define N(a) (sizeof (a) / sizeof (a)[0])

struct village { char code[16]; double lat, lng; int team; int64_t cadres[MAX_TEAM], assignments[MAX_TEAM]; };

struct gen {
  struct db *db;
  const struct vault *vault;
  unsigned *rng;
  int today, visit_days, checkin_days;
  long today_days;
  long serial;           /* members: makes ID numbers distinct */
  long visit_serial;     /* client_ids of the demo visits */
  int64_t now;
  struct demo_household_counts *out;
};

static void make_id(struct gen *g, const char *village, int year, bool male, char out[IDCARD_SIZE])
{
  int month = 1 + (int)(next(g->rng) % 12), day = 1 + (int)(next(g->rng) % 28);
  long s = g->serial++;
  int seq = (int)((s % 500) * 2 + (male ? 1 : 0)); /* the 17th digit's parity is the sex (GB 11643) */
  char first17[40];
  snprintf(first17, sizeof first17, "%.6s%04d%02d%02d%03d", village, year % 10000, month % 100, day % 100, seq % 1000);
  char check = '0';
  idcard_make_check_char(first17, &check);
  memcpy(out, first17, 17);
  out[17] = check;
  out[18] = '\0';
}

static int insert_member(struct gen *g, int64_t household, const char *village, const char *name, const char *relation,
                         int year, bool male, bool able)
{
  char id[IDCARD_SIZE], masked[IDCARD_SIZE], birth[DATE_ISO_SIZE];
  make_id(g, village, year, male, id);
  idcard_mask(id, masked);
  snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
  unsigned char *cipher, lookup[32];
  size_t len;
  if (vault_encrypt(g->vault, id, &cipher, &len) != 0) return DB_ERROR;
  vault_lookup_hash(g->vault, id, lookup);
  struct query *q = query_open(g->db,
      "INSERT INTO household_member (household_id, name, id_cipher, id_lookup, id_masked, sex, birth_date,"
      " relation, able_bodied) VALUES (:household, :name, :id_cipher, :id_lookup, :id_masked, :sex, :birth_date,"
      " :relation, :able) ON CONFLICT DO NOTHING");
  query_bind_int(q, ":household", household);
  query_bind_text(q, ":name", name);
  query_bind_blob(q, ":id_cipher", cipher, len);
  query_bind_blob(q, ":id_lookup", lookup, 32);
  query_bind_text(q, ":id_masked", masked);
  query_bind_text(q, ":sex", male ? "M" : "F");
  query_bind_text(q, ":birth_date", birth);
  query_bind_text(q, ":relation", relation);
  query_bind_int(q, ":able", able);
  int rc = query_exec(q);
  free(cipher);
  g->out->members++;
  return rc;
}

/* The family: a head, often a spouse, children and sometimes a parent. Returns the able count. */
static int add_members(struct gen *g, int64_t household, const char *village, const char *surname, const char *head,
                       int size, int *added)
{
  int year = g->today / 10000, head_year = 1950 + (int)(next(g->rng) % 40), able = 0;
  bool head_able = year - head_year < 60 && next(g->rng) % 5 != 0;
  int rc = insert_member(g, household, village, head, "户主", head_year, true, head_able);
  able += head_able;
  *added = 1;
  for (int k = 1; rc == DB_OK && k < size; k++) {
    char name[64];
    bool male = k != 1 && next(g->rng) % 2; /* the spouse of the (male) head */
    const char *given = male ? MALE[next(g->rng) % N(MALE)] : FEMALE[next(g->rng) % N(FEMALE)];
    const char *relation = k == 1 ? "配偶" : k == 4 ? "父母" : "子女";
    int born = k == 1 ? head_year + (int)(next(g->rng) % 5) : k == 4 ? head_year - 25 : head_year + 22 + (int)(next(g->rng) % 12);
    if (born > year - 1) born = year - 1;
    snprintf(name, sizeof name, "%s%s", k == 1 ? SURNAMES[next(g->rng) % N(SURNAMES)] : surname, given);
    bool member_able = year - born >= 18 && year - born < 60;
    rc = insert_member(g, household, village, name, relation, born, male, member_able);
    able += member_able;
    (*added)++;
  }
  return rc == DB_OK ? able : -1;
}

static const char *pick_category(unsigned r)
{
  unsigned p = r % 100; /* 5.6: most are 脱贫户; about one in five is a 监测户 */
  return p < 72 ? "alleviated" : p < 82 ? "unstable" : p < 90 ? "marginal" : p < 94 ? "sudden" : "general";
}

static int insert_household(struct gen *g, const char *village, int number, const char *category, const char *head,
                            int64_t *id)
{
  char no[16];
  snprintf(no, sizeof no, "%04d", number % 10000);
  bool monitoring = household_category_monitoring(category);
  struct query *q = query_open(g->db,
      "INSERT INTO household (village_code, household_no, head_name, category, monitored, food_clothing, schooling,"
      " medical, housing, water, created_at, updated_at) VALUES (:village, :no, :head, :category, :monitored, 1,"
      " :schooling, 1, :housing, :water, :now, :now) RETURNING id");
  if (!q) return DB_ERROR;
  query_bind_text(q, ":village", village);
  query_bind_text(q, ":no", no);
  query_bind_text(q, ":head", head);
  query_bind_text(q, ":category", category);
  query_bind_int(q, ":monitored", monitoring);
  query_bind_int(q, ":schooling", !(monitoring && next(g->rng) % 6 == 0));  /* a few 监测户 with an item at risk */
  query_bind_int(q, ":housing", !(monitoring && next(g->rng) % 8 == 0));
  query_bind_int(q, ":water", !(monitoring && next(g->rng) % 10 == 0));
  query_bind_int(q, ":now", g->now);
  return query_insert_id(q, id);
}

static int finish_household(struct gen *g, int64_t id, const char *category, int size, int able)
{
  struct query *q = query_open(g->db, "UPDATE household SET members_count = :size, able_bodied = :able WHERE id = :id");
  if (!q) return DB_ERROR;
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":size", size);
  query_bind_int(q, ":able", able);
  int rc = query_exec(q);
  /* 人均纯收入 of the last two years: 监测户 near the threshold, 脱贫户 above it */
  bool monitoring = household_category_monitoring(category);
  double base = monitoring ? 5200 + next(g->rng) % 4000 : 8500 + next(g->rng) % 12000;
  unsigned odd = next(g->rng) % 40; /* a few for the cross-checks (疑点比对) to find */
  if (odd == 0) base = monitoring ? 16000 + next(g->rng) % 4000 : 6000 + next(g->rng) % 1000;
  for (int k = 2; rc == DB_OK && k >= 1; k--) {
    q = query_open(g->db, "INSERT INTO household_income (household_id, year, per_capita) VALUES (:id, :year, :per_capita)");
    if (!q) return DB_ERROR;
    query_bind_int(q, ":id", id);
    query_bind_int(q, ":year", g->today / 10000 - k);
    query_bind_double(q, ":per_capita", base * (k == 2 ? 0.92 : 1.0));
    rc = query_exec(q);
  }
  if (rc != DB_OK) return DB_ERROR;
  char changes[160];
  snprintf(changes, sizeof changes, "{\"created\":{\"category\":\"%s\"}}", category);
  q = query_open(g->db,
      "INSERT INTO household_history (household_id, at, source, changes) VALUES (:id, :at, 'import', :changes)");
  query_bind_int(q, ":id", id);
  query_bind_int(q, ":at", g->now - 86400L * 60);
  query_bind_text(q, ":changes", changes);
  return query_exec(q);
}

/* One visit: the check-in of kind 'visit' at the village and the visit row, as the API writes them.
 * Visits older than the demo's check-ins (checkin_days) have no check-in row, like the days then. */
static int add_visit(struct gen *g, const struct village *v, int64_t household, long days_back,
                     char latest[DATE_ISO_SIZE])
{
  int who = (int)(next(g->rng) % (unsigned)v->team);
  long day = g->today_days - days_back;
  int64_t at = (int64_t)day * 86400 + 2 * 3600 + (int64_t)(next(g->rng) % 21600); /* 10:00–16:00 CST */
  char date[DATE_ISO_SIZE], client[24];
  date_format_iso(date_from_unix_cst((time_t)at), date);
  if (strcmp(date, latest) > 0) memcpy(latest, date, DATE_ISO_SIZE);
  snprintf(client, sizeof client, "d0%014lx", (unsigned long)g->visit_serial++);
  double lat = v->lat + ((int)(next(g->rng) % 600) - 300) / 100000.0, lng = v->lng + ((int)(next(g->rng) % 600) - 300) / 100000.0;
  double distance = 100 + next(g->rng) % 600; /* drawn for every visit, so the demo is the same for any checkin_days */
  int64_t checkin = 0;
  int rc = DB_OK;
  if (days_back <= g->checkin_days) {
    struct query *q = query_open(g->db,
        "INSERT INTO checkin (cadre_id, assignment_id, village_code, client_id, kind, at, received_at, date, lat, lng,"
        " accuracy_m, source, distance_m, in_fence) VALUES (:cadre, :assignment, :village, :client, 'visit', :at,"
        " :at + 3, :date, :lat, :lng, 20, 'gps', :distance, 1) RETURNING id");
    query_bind_int(q, ":cadre", v->cadres[who]);
    query_bind_int(q, ":assignment", v->assignments[who]);
    query_bind_text(q, ":village", v->code);
    query_bind_text(q, ":client", client);
    query_bind_int(q, ":at", at);
    query_bind_text(q, ":date", date);
    query_bind_double(q, ":lat", lat);
    query_bind_double(q, ":lng", lng);
    query_bind_double(q, ":distance", distance);
    rc = query_insert_id(q, &checkin);
  }
  if (rc != DB_OK) return rc;
  char risks[64] = "[]";
  if (next(g->rng) % 10 == 0) snprintf(risks, sizeof risks, "[\"%s\"]", RISKS[next(g->rng) % N(RISKS)]);
  struct query *q = query_open(g->db,
      "INSERT INTO visit (household_id, cadre_id, village_code, checkin_id, client_id, visited_on, findings, risks,"
      " created_at) VALUES (:household, :cadre, :village, :checkin, :client, :date, :findings, :risks, :created)");
  if (!q) return DB_ERROR;
  query_bind_int(q, ":household", household);
  query_bind_int(q, ":cadre", v->cadres[who]);
  query_bind_text(q, ":village", v->code);
  query_bind_int_or_null(q, ":checkin", checkin);
  query_bind_text(q, ":client", client);
  query_bind_text(q, ":date", date);
  query_bind_text(q, ":findings", FINDINGS[next(g->rng) % N(FINDINGS)]);
  query_bind_text(q, ":risks", risks);
  query_bind_int(q, ":created", at + 3);
  rc = query_exec(q);
  g->out->visits++;
  return rc;
}

/* 遍访: in each period (a month; a quarter over a long window) three households in four are
 * visited once, on a day of that period; the rest are the unvisited list's material. */
static int add_visits(struct gen *g, const struct village *v, int64_t household)
{
  if (!v->team || g->visit_days <= 0) return DB_OK;
  int period = g->visit_days > 62 ? 91 : 30;
  int rc = DB_OK;
  char latest[DATE_ISO_SIZE] = "";
  for (int start = 1; rc == DB_OK && start <= g->visit_days; start += period) {
    if (next(g->rng) % 4 == 0) continue;
    int span = g->visit_days - start + 1 < period ? g->visit_days - start + 1 : period;
    rc = add_visit(g, v, household, start + (long)(next(g->rng) % (unsigned)span), latest);
  }
  if (rc != DB_OK || !*latest) return rc;
  struct query *q = query_open(g->db, "UPDATE household SET last_visit_on = :latest WHERE id = :id");
  query_bind_int(q, ":id", household);
  query_bind_text(q, ":latest", latest);
  return query_exec(q);
}

static int add_village(struct gen *g, const struct village *v, int count)
{
  int rc = DB_OK;
  for (int i = 1; rc == DB_OK && i <= count; i++) {
    char head[64];
    const char *surname = SURNAMES[next(g->rng) % N(SURNAMES)];
    snprintf(head, sizeof head, "%s%s", surname, MALE[next(g->rng) % N(MALE)]);
    const char *category = pick_category(next(g->rng));
    int size = 1 + (int)(next(g->rng) % 5), added = 0;
    int64_t id = 0;
    rc = insert_household(g, v->code, i, category, head, &id);
    int able = rc == DB_OK ? add_members(g, id, v->code, surname, head, size, &added) : -1;
    if (able < 0) return DB_ERROR;
    rc = finish_household(g, id, category, added, able);
    if (rc == DB_OK) rc = add_visits(g, v, id);
    g->out->households++;
  }
  return rc;
}

static int load_team(struct db *db, struct village *v)
{
  struct query *q = query_open(db, "SELECT id, cadre_id FROM assignment WHERE village_code = :village"
                                   " AND status IN ('active','handover') ORDER BY id");
  query_bind_text(q, ":village", v->code);
  v->team = 0;
  while (v->team < MAX_TEAM && query_next(q)) {
    v->assignments[v->team] = query_get_int(q, "id");
    v->cadres[v->team++] = query_get_int(q, "cadre_id");
  }
  return query_close(q);
}

int demo_households(struct db *db, const struct vault *vault, unsigned *rng, int per_village, int visit_days,
                    int checkin_days, int64_t now, struct demo_household_counts *out)
{
  memset(out, 0, sizeof *out);
  if (per_village <= 0) return DB_OK;
  struct gen g = {db, vault, rng, date_from_unix_cst((time_t)now), visit_days, checkin_days, 0, 0, 0, now, out};
  if (date_to_days(g.today, &g.today_days) != 0) return DB_ERROR;
  /* the key villages, read whole first: the statement cache reuses statements per text */
  struct query *q = query_open(db, "SELECT code, coalesce(lat, 0) AS lat, coalesce(lng, 0) AS lng FROM region"
                                   " WHERE key_village = 1 AND level = 'village' ORDER BY code");
  if (!q) return DB_ERROR;
  size_t n = 0, cap = 1024;
  struct village *villages = malloc(cap * sizeof *villages);
  while (villages && query_next(q)) {
    if (n == cap) {
      struct village *grown = realloc(villages, (cap *= 2) * sizeof *villages);
      if (!grown) { free(villages); villages = NULL; break; }
      villages = grown;
    }
    memset(&villages[n], 0, sizeof villages[n]);
    snprintf(villages[n].code, sizeof villages[n].code, "%s", query_get_text(q, "code"));
    villages[n].lat = query_get_double(q, "lat");
    villages[n].lng = query_get_double(q, "lng");
    n++;
  }
  int read = query_close(q);
  if (!villages) return DB_ERROR;
  if (read != DB_OK) { free(villages); return DB_ERROR; }
  int rc = DB_OK;
  for (size_t i = 0; rc == DB_OK && i < n; i++) {
    rc = load_team(db, &villages[i]);
    int count = strcmp(villages[i].code, DEMO_VILLAGE) == 0 && per_village < 40 ? 40 : per_village;
    if (rc == DB_OK) rc = add_village(&g, &villages[i], count);
  }
  free(villages);
  if (rc == DB_OK)
    printf("demo households: %ld households, %ld members, %ld visits over %d days\n", out->households, out->members,
           out->visits, visit_days);
  return rc;
}
