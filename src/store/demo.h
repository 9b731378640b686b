/* demo — the one deterministic generator of a living Ganzhou: dispatching units, cadres
 * stationed in key villages (重点村) with check-in fences, and the demo accounts. The same
 * generator at a larger scale feeds the benchmarks. Same seed, same data. */
#ifndef ZHUCUN_DEMO_H
#define ZHUCUN_DEMO_H

#include <stdbool.h>
#include <stdint.h>

struct policy;
#include "core/allowance.h"
#include "core/presence.h"

struct db;
struct vault;

#define DEMO_PASSWORD "Zhucun@2026"
/* With --demo-known-passwords (tests and benchmarks only), the accounts whose role must use the second
 * factor (policy/security.json's defaults) are enrolled with this published TOTP secret (base32), so that
 * tests can compute their codes; a real demo's accounts enrol their own phones at the first login. */
#define DEMO_TOTP_SECRET "ZHUCUNDEMOTOTPSECRETFORTESTSONLY"

struct demo_options {
  const char *city_code;     /* "3607" */
  int key_village_permille;  /* share of villages flagged 重点村, per mille */
  int team_size;             /* cadres per key village: a first secretary + members */
  int checkin_days;          /* days of check-ins before today (30; 365 for the benchmarks' year), and at
                              * least back to the first of last month */
  unsigned seed;
  int households_per_village;  /* 5.6: households in each key village (12; ~86 with every village key is the city) */
  int visit_days;              /* days of visits before today (30; 365 for the benchmarks' year) */
  int64_t now;                 /* the instant the demo is made at (core/clock): its "today" */
  /* false (the default): every demo account must change the published password at first login
   * (F-L1 of the 2026-12 review); true only for tests and benchmarks (init --demo-known-passwords) */
  bool known_passwords;
  /* the policy's post parameters the demo's post stories live by (1.6 handover_days, local
   * vacancy_fill_days and term_end_notice_days); init reads them from the policy file */
  int handover_days, vacancy_fill_days, term_notice_days;
  /* issue #12: the cap on 优秀 in the demo's finished 年度考核 (local evaluation_excellent_max_percent) */
  int excellent_max_percent;
  /* issue #12 part 3: the policy the demo's 上报材料 assemble their figures by (borrowed; NULL: none) */
  const struct policy *policy;
  /* 3.4b: the allowance formula (local allowance_rules) and the presence rules of 在村情况 that the
   * demo's allowance sheets are counted by; init reads them from the policy file */
  struct allowance_rules allowance;
  struct presence_rules presence;
};

void demo_defaults(struct demo_options *o);
/* Fills the database (regions already imported). Prints a summary to stdout. The data is a
 * function of the options alone (seed and now among them): the same options, the same bytes. */
int demo_generate(struct db *db, const struct vault *vault, const struct demo_options *o);

#endif
