/* review_flow — see review_flow.h. */
#include "core/review_flow.h"

#include <string.h>

static const char *const STATE_CODES[REVIEW_STATE_COUNT] = {"pending", "returned", "resubmitted", "accepted"};
static const char *const STATE_NAMES[REVIEW_STATE_COUNT] = {"待批阅", "已退回", "已重新提交", "已通过"};
static const char *const ACTION_CODES[REVIEW_ACTION_COUNT] = {"comment", "return", "accept", "resubmit"};

enum review_result review_flow_step(enum review_state from, enum review_action action, enum review_state *to)
{
  *to = from;
  if (action == REVIEW_COMMENT) return REVIEW_OK;
  if (from == REVIEW_ACCEPTED) return REVIEW_ALREADY_ACCEPTED;
  if (action == REVIEW_RESUBMIT) {
    if (from != REVIEW_RETURNED) return REVIEW_NOT_RETURNED;
    *to = REVIEW_RESUBMITTED;
    return REVIEW_OK;
  }
  if (from == REVIEW_RETURNED) return REVIEW_ALREADY_RETURNED;
  *to = action == REVIEW_RETURN ? REVIEW_RETURNED : REVIEW_ACCEPTED;
  return REVIEW_OK;
}

static int parse(const char *const *codes, int n, const char *code)
{
  for (int i = 0; code && i < n; i++)
    if (strcmp(codes[i], code) == 0) return i;
  return -1;
}

int review_state_parse(const char *code) { return parse(STATE_CODES, REVIEW_STATE_COUNT, code); }
int review_action_parse(const char *code) { return parse(ACTION_CODES, REVIEW_ACTION_COUNT, code); }

const char *review_state_code(enum review_state s)
{
  return (unsigned)s < REVIEW_STATE_COUNT ? STATE_CODES[s] : "";
}

const char *review_state_name(enum review_state s)
{
  return (unsigned)s < REVIEW_STATE_COUNT ? STATE_NAMES[s] : "";
}

const char *review_action_code(enum review_action a)
{
  return (unsigned)a < REVIEW_ACTION_COUNT ? ACTION_CODES[a] : "";
}
