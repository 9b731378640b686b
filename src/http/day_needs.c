/* day_needs — see day_needs.h. The reads that may skip a stage are named by the path of the route
 * (a prefix ending at a path segment); the list was drawn up from the store: only store/allowance,
 * notifications, notify_*, outbox, todo and webhooks read the notices or the allowance sheets, and the
 * routes below reach none of them (h_allowance, h_notifications, h_todo, h_upward_reports and
 * h_webhooks do, so they are not named as posts-only). Add a route here only when the same holds. */
#include "http/day_needs.h"

#include <stdbool.h>
#include <string.h>

struct day_read {
  const char *prefix; /* "/api/v1/cadres": the path itself and everything under it */
  unsigned stages;
};

/* The GETs that read the posts' day and neither the notices nor the allowance sheets. */
static const struct day_read READS[] = {
    {"/api/v1/roles", DAY_POSTS},        {"/api/v1/regions", DAY_POSTS},
    {"/api/v1/units", DAY_POSTS},        {"/api/v1/users", DAY_POSTS},
    {"/api/v1/policy", DAY_POSTS},       {"/api/v1/cadres", DAY_POSTS},
    {"/api/v1/eligibility", DAY_POSTS},  {"/api/v1/candidates", DAY_POSTS},
    {"/api/v1/batches", DAY_POSTS},      {"/api/v1/assignments", DAY_POSTS},
    {"/api/v1/handovers", DAY_POSTS},    {"/api/v1/coverage", DAY_POSTS},
    {"/api/v1/stability", DAY_POSTS},    {"/api/v1/vacancies", DAY_POSTS},
    {"/api/v1/terms-ending", DAY_POSTS}, {"/api/v1/presence", DAY_POSTS},
    {"/api/v1/calendar", DAY_POSTS},     {"/api/v1/checkins", DAY_POSTS},
    {"/api/v1/me/today", DAY_POSTS},     {"/api/v1/board", DAY_POSTS},
    {"/api/v1/screen", DAY_POSTS},       {"/api/v1/scores", DAY_POSTS},
    {"/api/v1/analysis", DAY_POSTS},     {"/api/v1/leaves", DAY_POSTS},
    {"/api/v1/logs", DAY_POSTS},         {"/api/v1/cases", DAY_POSTS},
    {"/api/v1/households", DAY_POSTS},   {"/api/v1/visits", DAY_POSTS},
    {"/api/v1/villages", DAY_POSTS},     {"/api/v1/compliance", DAY_POSTS},
    /* the notices of the day, not the allowance sheets */
    {"/api/v1/notifications", DAY_POSTS | DAY_NOTICES},
    /* the allowance sheets, not the notices */
    {"/api/v1/allowance-sheets", DAY_POSTS | DAY_ALLOWANCE},
    {"/api/v1/me/allowances", DAY_POSTS | DAY_ALLOWANCE},
};

/* The writes that read the posts' day and neither the notices nor the allowance sheets, by their exact
 * path: a cadre's check-in (2.1) judges the post of the day (is there one, which village, its fence) and
 * writes the check-in and its facts; it raises no notice and drafts no sheet. At a province's first
 * request of a day the notices take about a minute (bench/README.md), and the morning's check-ins must
 * not queue behind them. */
static const struct day_read WRITES[] = {
    {"/api/v1/checkins", DAY_POSTS},
};

/* Whether url is prefix or a path under it. */
static bool under(const char *url, const char *prefix)
{
  size_t n = strlen(prefix);
  return strncmp(url, prefix, n) == 0 && (url[n] == '\0' || url[n] == '/');
}

unsigned day_needs(const char *method, const char *url)
{
  if (strcmp(url, "/api/v1/health") == 0 || strcmp(url, "/api/v1/openapi.json") == 0 || under(url, "/api/v1/session"))
    return 0;
  if (strcmp(method, "POST") == 0) {
    for (size_t i = 0; i < sizeof WRITES / sizeof WRITES[0]; i++)
      if (strcmp(url, WRITES[i].prefix) == 0) return WRITES[i].stages;
  }
  if (strcmp(method, "GET") != 0) return DAY_ALL;
  for (size_t i = 0; i < sizeof READS / sizeof READS[0]; i++)
    if (under(url, READS[i].prefix)) return READS[i].stages;
  return DAY_ALL;
}
