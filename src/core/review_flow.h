/* review_flow — 批阅: the states of what a cadre writes (a work report or a work log) under the
 * township's review, as pure data (2.1 工作报告制度; 2.4 乡镇党委书记要直接抓驻村干部平时管理).
 *
 *   pending 待批阅 ──return──▶ returned 已退回 ──resubmit──▶ resubmitted 已重新提交
 *      │                                                        │   └──return──▶ returned
 *      └──accept──▶ accepted 已通过 ◀──────────accept────────────┘
 *
 * A comment changes no state and is allowed in any state. An act that does not start from a state
 * that allows it (accepting twice, returning an accepted item, resubmitting what was not returned)
 * is refused: review_flow_step() says which. No SQL here: the store writes, the handler answers. */
#ifndef ZHUCUN_REVIEW_FLOW_H
#define ZHUCUN_REVIEW_FLOW_H

enum review_state { REVIEW_PENDING, REVIEW_RETURNED, REVIEW_RESUBMITTED, REVIEW_ACCEPTED, REVIEW_STATE_COUNT };
enum review_action { REVIEW_COMMENT, REVIEW_RETURN, REVIEW_ACCEPT, REVIEW_RESUBMIT, REVIEW_ACTION_COUNT };

enum review_result {
  REVIEW_OK = 0,
  REVIEW_ALREADY_ACCEPTED = -1, /* the item is accepted: nothing more to return, accept or revise */
  REVIEW_ALREADY_RETURNED = -2, /* returned and not yet resubmitted: the cadre's turn */
  REVIEW_NOT_RETURNED = -3,     /* a resubmission of an item nobody returned */
};

/* The state after `action` from `from` in *to (a comment leaves it as it is), or why not. */
enum review_result review_flow_step(enum review_state from, enum review_action action, enum review_state *to);

/* Codes as stored and sent ("pending", "return", ...) and their Chinese names. -1 when unknown. */
int review_state_parse(const char *code);
int review_action_parse(const char *code);
const char *review_state_code(enum review_state s);
const char *review_state_name(enum review_state s);
const char *review_action_code(enum review_action a);

#endif
