/* h_analysis — the full-coverage analysis (全覆盖分析, 2.7): every cadre in the caller's scope,
 * one row each, with presence, 吃住在村, leave, logs by duty, violations and reminders, filterable
 * and exportable, and the roll-up by the next level for drilling down. Individuals are listed for
 * their managers, never ranked on a leaderboard (整治形式主义为基层减负若干规定). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/presence.h"
#include "http/handlers.h"
#include "http/json_in.h"
#include "store/analysis.h"
#include "store/db.h"
#include "store/list.h"
#include "store/presence.h"

static const char *const ANALYSIS_EXPORT[][2] = {
  {"name", "姓名"}, {"township_name", "乡镇"}, {"village_name", "驻村"}, {"unit_name", "派出单位"},
  {"post_name", "职务"}, {"working_days", "工作日"}, {"days_in_village", "在村天数"}, {"required_days", "应在村天数"},
  {"meets_minimum", "达到要求"}, {"leave_days", "请假天数"}, {"absent_working_days", "缺勤工作日"},
  {"stay_label_name", "吃住在村"}, {"logs", "驻村日志"}, {"violations", "违纪记录"}, {"reminders", "教育提醒"},
  {NULL, NULL}};

/* ?only=below_minimum|violations|no_logs: the rows that need attention */
static bool keep(const struct analysis_row *row, const char *only)
{
  if (!only || !*only) return true;
  if (!strcmp(only, "below_minimum")) return !row->post->result.meets_minimum;
  if (!strcmp(only, "violations")) return row->violations > 0;
  if (!strcmp(only, "no_logs")) return row->logs == 0;
  return true;
}

int api_analysis_get(struct request *req, struct reply *rep)
{
  struct presence_rules rules;
  struct presence_query q;
  const char *only;
  int page, page_size;
  if (handler_presence_query(req, rep, &q, &rules) != 0 || query_text(req, rep, "only", 16, &only) != 0 ||
      query_page(req, rep, &page, &page_size) != 0)
    return -1;
  /* the groups are computed over every row; the rows themselves are sent a page at a time (all of
   * them for an export), so a city's analysis is not megabytes on a phone */
  if (!request_query(req, "page_size")) page_size = LIST_MAX_PAGE_SIZE;
  if (only && *only && strcmp(only, "below_minimum") && strcmp(only, "violations") && strcmp(only, "no_logs"))
    return reply_error(rep, 400, "field_invalid", "筛选条件（only）应为未达最少在村天数（below_minimum）、有违纪（violations）或无驻村日志（no_logs）", "only");
  struct presence_posts posts;
  if (analysis_posts_read(req->db, &req->scope, &q, &posts) != DB_OK) return reply_internal(rep);
  struct analysis_row *rows = NULL;
  if (analysis_rows_build(&posts, &rows) != DB_OK) {
    presence_posts_free(&posts);
    return reply_internal(rep);
  }
  json_t *groups = analysis_rollup(req->db, &req->scope, rows, posts.n, q.region_code);
  json_t *kept = json_array();
  size_t matched = 0, from = query_wants_xlsx(req) ? 0 : (size_t)(page - 1) * (size_t)page_size;
  size_t upto = query_wants_xlsx(req) ? (size_t)-1 : from + (size_t)page_size;
  for (size_t i = 0; i < posts.n; i++) {
    if (!keep(&rows[i], only)) continue;
    if (matched >= from && matched < upto) json_array_append_new(kept, analysis_row_json(&rows[i], &rules));
    matched++;
  }
  free(rows);
  presence_posts_free(&posts);
  char month[8];
  snprintf(month, sizeof month, "%04d-%02d", q.year, q.month);
  json_t *out = json_pack("{s:s, s:[s,s,s,s], s:o, s:o, s:I, s:i, s:i, s:i}", "month", month, "clauses", "2.7", "2.1",
                          "3.6", "5.1", "items", kept, "groups", groups ? groups : json_array(), "total",
                          (json_int_t)matched, "page", page, "page_size", page_size, "min_days", rules.min_days);
  return handler_reply_list(req, rep, out, ANALYSIS_EXPORT, "全覆盖分析");
}
