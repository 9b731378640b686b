/* demo_village_profile — see demo_village_profile.h. Writes through village_profile_insert, the
 * API's own store function, inside the generator's transaction. */
#include "store/demo_village_profile.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "store/query.h"
#include "store/village_profile.h"

#define DEMO_COUNTY_PATH "/36/3607/360781/"

static const char *const INDUSTRIES[] = {"脐橙", "蔬菜大棚", "白莲", "油茶", "生猪养殖", "红色旅游", "光伏发电", "竹木加工"};
static const char *const INFRA[] = {"通组道路硬化", "安全饮水", "农田灌溉设施", "4G/5G网络", "村级活动场所", "污水处理"};
static const char *const SURNAMES[] = {"刘", "钟", "杨", "谢", "黄", "曾", "赖", "朱"};
static const char *const GIVEN[] = {"建国", "春华", "小平", "秀英", "卫东", "桂兰", "志强", "海燕", "永红", "德明"};
static const char *const POSTS[] = {"村党组织书记、村委会主任", "村党组织副书记", "村委会副主任", "村党组织委员、妇联主席",
                                    "村监委会主任"};
#define N(a) (sizeof a / sizeof a[0])

/* FNV-1a of the village code: the same village, the same profile, whatever the seed. */
static unsigned hash_of(const char *s)
{
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

struct gen {
  struct db *db;
  const char *village;
  int64_t now;
  long *count;
};

static int put(struct gen *g, const char *field, json_t *value, int as_of, const char *note)
{
  char *text = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  json_decref(value);
  if (!text) return DB_ERROR;
  char day[DATE_ISO_SIZE];
  date_format_iso(as_of, day);
  struct profile_change c = {g->village, field, text, day, note, 0};
  int64_t id;
  int rc = village_profile_insert(g->db, &c, g->now, &id);
  free(text);
  if (rc == DB_OK) (*g->count)++;
  return rc;
}

/* One village: last year's values on 1 January of last year, this year's changes since. */
static int one_village(struct gen *g, int today)
{
  unsigned h = hash_of(g->village);
  int y = date_year(today);
  int last_jan = date_make(y - 1, 1, 1), this_jan = date_make(y, 1, 15);
  if (this_jan > today) this_jan = today; /* early January: nothing is dated ahead of today */
  int recent = date_add_days(today, -20) > this_jan ? date_add_days(today, -20) : this_jan;
  double income_before = 10000.0 * (1 + h % 9), income_last = income_before + 5000.0 * (h / 9 % 5);
  int households = 180 + (int)(h % 320), people = households * 3 + (int)(h / 7 % 300);
  int rc = put(g, "collective_income", json_pack("{s:i, s:f}", "year", y - 2, "amount", income_before),
               date_make(y - 1, 1, 10), "上年度村级集体经济收入");
  if (rc == DB_OK)
    rc = put(g, "collective_income", json_pack("{s:i, s:f}", "year", y - 1, "amount", income_last), this_jan,
             "上年度村级集体经济收入");
  if (rc == DB_OK) rc = put(g, "population", json_pack("{s:i, s:i}", "households", households, "people", people), last_jan, "");
  if (rc == DB_OK && h % 3 == 0)
    rc = put(g, "population", json_pack("{s:i, s:i}", "households", households + 2, "people", people + 7), recent,
             "新分户、新生儿登记");
  json_t *ind = json_array();
  json_array_append_new(ind, json_string(INDUSTRIES[h % N(INDUSTRIES)]));
  if (h % 4) json_array_append_new(ind, json_string(INDUSTRIES[(h / 8 + 1 + h % N(INDUSTRIES)) % N(INDUSTRIES)]));
  bool single = json_array_size(ind) == 1;
  if (rc == DB_OK) rc = put(g, "industries", ind, last_jan, "");
  json_t *infra = json_array();
  const char *missing = NULL;
  for (size_t i = 0; i < 4; i++) {
    unsigned s = (h >> (i * 3)) % 6;
    const char *status = s == 0 ? "missing" : s == 1 ? "partial" : "done";
    if (s == 0 && !missing) missing = INFRA[(h + i) % N(INFRA)];
    json_array_append_new(infra, json_pack("{s:s, s:s}", "item", INFRA[(h + i) % N(INFRA)], "status", status));
  }
  if (rc == DB_OK) rc = put(g, "infrastructure", infra, last_jan, "");
  json_t *committee = json_array();
  for (size_t i = 0; i < N(POSTS); i++) {
    char name[32];
    snprintf(name, sizeof name, "%s%s", SURNAMES[(h / (i + 3)) % N(SURNAMES)], GIVEN[(h / (i + 5) + i) % N(GIVEN)]);
    json_array_append_new(committee, json_pack("{s:s, s:s}", "name", name, "post", POSTS[i]));
  }
  if (rc == DB_OK) rc = put(g, "committee", committee, last_jan, "2021年村“两委”换届");
  /* the weak points follow from the values: what a team's analysis would name */
  json_t *weak = json_array();
  if (income_last < 50000) json_array_append_new(weak, json_string("村级集体经济薄弱（年收入不足5万元）"));
  if (missing) {
    char text[96];
    snprintf(text, sizeof text, "%s缺失", missing);
    json_array_append_new(weak, json_string(text));
  }
  if (single) json_array_append_new(weak, json_string("产业单一，抗风险能力弱"));
  if (rc == DB_OK) rc = put(g, "weak_points", weak, this_jan, "驻村工作队年初调研分析");
  else json_decref(weak);
  return rc;
}

int demo_village_profiles(struct db *db, int64_t now, long *count)
{
  *count = 0;
  int today = date_from_unix_cst((time_t)now);
  struct query *q = query_open(db, "SELECT DISTINCT r.code AS code FROM region r JOIN assignment a ON a.village_code = r.code"
                                   " AND a.status IN ('active','handover') WHERE r.level = 'village'"
                                   " AND r.path >= :path AND r.path < :path || '~' ORDER BY r.code");
  if (!q) return DB_ERROR;
  query_bind_text(q, ":path", DEMO_COUNTY_PATH);
  /* the codes first: the inserts reuse cached statements while this one is open */
  json_t *codes = json_array();
  while (query_next(q)) json_array_append_new(codes, json_string(query_get_text(q, "code")));
  int result = query_close(q);
  size_t i;
  json_t *code;
  json_array_foreach(codes, i, code) {
    if (result != DB_OK) break;
    struct gen g = {db, json_string_value(code), now, count};
    result = one_village(&g, today);
  }
  json_decref(codes);
  return result;
}
