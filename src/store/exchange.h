/* exchange — the rows of the bulk exchange with the 防返贫监测 platforms (core/exchange_layout):
 * households, members, risk leads and monitoring cases in scope, walked one row at a time so that
 * an export of a whole city never holds the sheet as JSON; and the look-ups the import of the 成员
 * layout needs (a village code, a member known by the masked ID number the export wrote).
 * Queries bound by SCOPE_TEAM (the household h, its village tv). Only masked ID numbers and phones
 * leave through these functions. */
#ifndef ZHUCUN_STORE_EXCHANGE_H
#define ZHUCUN_STORE_EXCHANGE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/idcard.h"

struct db;
struct scope;
struct vault;

/* Called once per row with the row as {column alias: value} (borrowed); non-zero stops the walk. It
 * must not use the store on the walk's connection (the walk holds the connection's statement). */
typedef int (*exchange_row_fn)(void *ctx, json_t *row);

/* Walks dataset ("households", "members", "leads", "cases") in scope, under region (NULL: the whole
 * scope), in the order of village code and 户编号. DB_OK, DB_ERROR, or the callback's non-zero. */
int exchange_walk(struct db *db, const struct scope *scope, const char *dataset, const char *region,
                  exchange_row_fn fn, void *ctx);

/* A region's level ("village", …) and path; DB_NOT_FOUND when no such code. */
int exchange_region(struct db *db, const char *code, char level[16], char path[96]);

/* The full ID number of the member of village + 户编号 with that name and masked number (as the
 * export wrote it); DB_NOT_FOUND unless exactly one current member matches. out is wiped by the
 * caller after use. */
int exchange_member_id(struct db *db, const struct vault *vault, const char *village, const char *household_no,
                       const char *name, const char *masked, char out[IDCARD_SIZE]);

#endif
