/* settings — the security parameters (policy/security.json). 等保2.0 level 3 defaults:
 * lock after 5 failures for 15 minutes, 30-minute idle timeout, 8-character passwords of
 * 3 classes, rotation every 90 days. OWASP ASVS 5.0 disagrees on composition and rotation,
 * so both are parameters (min_classes 1 and max_age_days 0 turn them off). */
#ifndef ZHUCUN_SETTINGS_H
#define ZHUCUN_SETTINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/roles.h"

struct security_settings {
  int lockout_attempts;
  int lockout_minutes;
  int idle_timeout_minutes;
  int absolute_timeout_hours;
  int password_min_length;
  int password_min_classes;
  int password_max_age_days;
  size_t max_body_bytes;
  /* connections (F1 of the 2026-12 review): one address may hold at most per_address_connections
   * at once, all addresses together max_connections; a connection that sends nothing for
   * connection_timeout_seconds (while its head or body is awaited, or between requests) is closed */
  int per_address_connections;
  int max_connections;
  int connection_timeout_seconds;
  /* login throttle (F4): failed logins from one address may come login_address_burst at once, then
   * one every login_address_refill_seconds; failures on one user name (from every address that has
   * failed on it) likewise with the login_account_* pair; beyond: 429 rate_limited with Retry-After */
  int login_address_burst;
  int login_address_refill_seconds;
  int login_account_burst;
  int login_account_refill_seconds;
  /* revealing full ID numbers (F8/F9): the password typed again within reveal_reauth_minutes, and per
   * user reveal_burst reveals at once, then one per reveal_refill_seconds; the last one of a burst
   * raises alert.bulk_reveal */
  int reveal_reauth_minutes;
  int reveal_burst;
  int reveal_refill_seconds;
  /* the second factor (F2, 等保 身份鉴别 d): the roles that must log in with a TOTP code, as bits over
   * the positions of roles_all() (the three administrators and the city and county departments by
   * default); a password accepted waits second_factor_pending_minutes for its code */
  uint32_t second_factor_roles;
  int second_factor_pending_minutes;
  /* reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (core/trusted_proxy; F10):
   * addresses or CIDRs, commas between; "" for none. `serve --trusted-proxy` overrides it. */
  char trusted_proxies[512];
};

void settings_defaults(struct security_settings *s);
/* Whether an account of role must use the second factor. */
bool settings_second_factor_required(const struct security_settings *s, const struct role *role);
/* Reads the known keys of obj over the defaults; unknown keys and bad values are errors. */
int settings_from_json(const json_t *obj, struct security_settings *s, char *err, size_t errlen);

#endif
