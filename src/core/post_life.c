/* post_life — see post_life.h. */
#include "core/post_life.h"

#include <stddef.h>
#include <string.h>

#include "core/date.h"

int post_handover_last(int first, int days)
{
  if (days < 1) days = 1;
  return date_add_days(first, days - 1);
}

int post_last_day(const struct post_dates *p, enum post_end *cause)
{
  int last = p->term_end;
  enum post_end why = POST_END_TERM;
  if (p->succeeded_last && p->succeeded_last < last) {
    last = p->succeeded_last;
    why = p->succeeded_by;
  }
  if (p->recalled_from) {
    int before = date_add_days(p->recalled_from, -1);
    if (before < last) {
      last = before;
      why = POST_END_RECALL;
    }
  }
  if (cause) *cause = why;
  return last;
}

enum post_state post_state_on(const struct post_dates *p, int day, int *last_day, enum post_end *cause)
{
  enum post_end why;
  int last = post_last_day(p, &why);
  if (last_day) *last_day = last;
  if (cause) *cause = why;
  if (day > last) return POST_ENDED;
  if (day < p->start) return POST_APPROVED;
  if (p->handover_in_last && day <= p->handover_in_last) return POST_HANDOVER;
  if (p->succeeded_from && day >= p->succeeded_from) return POST_HANDOVER;
  return POST_ACTIVE;
}

const char *post_state_name(enum post_state s)
{
  switch (s) {
  case POST_APPROVED: return "approved";
  case POST_HANDOVER: return "handover";
  case POST_ACTIVE: return "active";
  case POST_ENDED: return "ended";
  }
  return NULL;
}

static const struct { enum post_end e; const char *name, *zh; } ENDS[] = {
  {POST_END_TERM, "term_end", "任期届满"},
  {POST_END_ROTATION, "rotation", "集中轮换"},
  {POST_END_ADJUSTMENT, "adjustment", "调整"},
  {POST_END_RECALL, "recall", "召回"},
};

const char *post_end_name(enum post_end e)
{
  for (size_t i = 0; i < sizeof ENDS / sizeof ENDS[0]; i++) if (ENDS[i].e == e) return ENDS[i].name;
  return NULL;
}

const char *post_end_name_zh(enum post_end e)
{
  for (size_t i = 0; i < sizeof ENDS / sizeof ENDS[0]; i++) if (ENDS[i].e == e) return ENDS[i].zh;
  return NULL;
}

int post_end_parse(const char *name, enum post_end *out)
{
  for (size_t i = 0; name && i < sizeof ENDS / sizeof ENDS[0]; i++)
    if (strcmp(ENDS[i].name, name) == 0) { *out = ENDS[i].e; return 0; }
  return -1;
}
