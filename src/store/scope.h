/* scope — what part of the record a user may see and change (本级及以下).
 *
 * This is the one place where a user's role and assignment become data bounds. Every list
 * and every single-record query appends scope_sql() for its entity and binds its bounds (query_bind_scope);
 * a record outside the scope is then simply not found. The router builds the scope before
 * any handler runs, so a handler cannot forget it. The SQL of the bounds (scope_sql, scope_params) is
 * store-internal: store/scope_sql.h. */
#ifndef ZHUCUN_SCOPE_H
#define ZHUCUN_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/roles.h"

struct scope {
  enum scope_kind kind;
  char region_code[16];
  char path_lo[96];   /* region path, e.g. /36/3607/360781/ */
  char path_hi[97];   /* path_lo + "~": every descendant path sorts between the two */
  int64_t unit_id;
  int64_t cadre_id;
  char unit_region_code[16];
  char unit_path_lo[96];  /* a unit user: the region that administers the unit, whose villages it */
  char unit_path_hi[97];  /* may browse and nominate into */
};

/* The entities that scope knows how to bound, and the table aliases their queries must use:
 * region r; unit u (with its region joined as ur); cadre c (with its village joined as cr);
 * assignment a (with its village joined as ar); checkin k (its village as kr, its cadre as c). A unit sees the assignments it dispatches, a
 * cadre their own, a region official those in villages of the region. A work report rp (its
 * village as rpv): by the village and the dispatching unit it was sent to, not the cadre's post now. */
enum scope_entity { SCOPE_REGION, SCOPE_UNIT, SCOPE_CADRE, SCOPE_ASSIGNMENT, SCOPE_CHECKIN, SCOPE_REPORT,
                    SCOPE_TEAM /* a village's team (3.4, 3.5): its village as tv; a unit sees the teams
                                  where its cadres are in post, a cadre their own team */ };

struct db;
struct auth_user;

/* Fills *out for the user; -1 if the user's scope is broken (e.g. its region was deleted). */
int scope_for_user(struct db *db, const struct auth_user *user, struct scope *out);

/* True if a region path lies inside a region scope (used by writes that name a region). */
bool scope_covers_path(const struct scope *scope, const char *path);

#endif
