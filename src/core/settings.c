/* settings — parse policy/security.json strictly: a typo in a security parameter must stop
 * the server rather than silently fall back to a default. */
#include "core/settings.h"

#include <stdio.h>
#include <string.h>

void settings_defaults(struct security_settings *s)
{
  s->lockout_attempts = 5;
  s->lockout_minutes = 15;
  s->idle_timeout_minutes = 30;
  s->absolute_timeout_hours = 12;
  s->password_min_length = 8;
  s->password_min_classes = 3;
  s->password_max_age_days = 90;
  s->max_body_bytes = 1024 * 1024;
  s->per_address_connections = 32;
  s->max_connections = 2000;
  s->connection_timeout_seconds = 10;
  s->login_address_burst = 30;
  s->login_address_refill_seconds = 2;
  s->login_account_burst = 10;
  s->login_account_refill_seconds = 30;
  s->reveal_reauth_minutes = 10;
  s->reveal_burst = 20;
  s->reveal_refill_seconds = 60;
  s->second_factor_roles = 0;
  static const char *const REQUIRED[] = {"sys_admin", "sec_admin", "audit_admin", "org_city", "rrb_city",
                                         "org_county", "rrb_county"};
  int n;
  const struct role *all = roles_all(&n);
  for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
    for (int k = 0; k < n && k < 32; k++)
      if (strcmp(all[k].code, REQUIRED[i]) == 0) s->second_factor_roles |= (uint32_t)1 << k;
  s->second_factor_pending_minutes = 5;
  s->trusted_proxies[0] = '\0';
}

bool settings_second_factor_required(const struct security_settings *s, const struct role *role)
{
  int n;
  const struct role *all = roles_all(&n);
  for (int k = 0; role && k < n && k < 32; k++)
    if (&all[k] == role) return (s->second_factor_roles >> k) & 1u;
  return false;
}

/* "second_factor_roles": ["sys_admin", ...], every one a known role */
static int parse_roles(const json_t *value, struct security_settings *s, char *err, size_t errlen)
{
  if (!json_is_array(value)) { snprintf(err, errlen, "security settings: second_factor_roles must be a list"); return -1; }
  int n;
  const struct role *all = roles_all(&n);
  uint32_t bits = 0;
  size_t i;
  json_t *item;
  json_array_foreach(value, i, item) {
    const struct role *r = roles_find(json_string_value(item) ? json_string_value(item) : "");
    if (!r || r - all >= 32) {
      snprintf(err, errlen, "security settings: second_factor_roles: unknown role %s",
               json_string_value(item) ? json_string_value(item) : "(not text)");
      return -1;
    }
    bits |= (uint32_t)1 << (r - all);
  }
  s->second_factor_roles = bits;
  return 0;
}

/* The one text key: checked for shape here, for content by core/trusted_proxy when the server starts. */
static int text_key(const char *name, const json_t *value, struct security_settings *s, char *err, size_t errlen)
{
  if (!json_is_string(value) || strlen(json_string_value(value)) >= sizeof s->trusted_proxies) {
    snprintf(err, errlen, "security settings: %s must be a string of addresses or CIDRs (under %zu characters)", name,
             sizeof s->trusted_proxies);
    return -1;
  }
  snprintf(s->trusted_proxies, sizeof s->trusted_proxies, "%s", json_string_value(value));
  return 0;
}

struct int_key { const char *name; size_t offset; int min; int max; };

#define KEY(f, lo, hi) {#f, offsetof(struct security_settings, f), lo, hi}
static const struct int_key KEYS[] = {
  KEY(lockout_attempts, 1, 100),        KEY(lockout_minutes, 1, 24 * 60),
  KEY(idle_timeout_minutes, 1, 24 * 60), KEY(absolute_timeout_hours, 1, 24 * 7),
  KEY(password_min_length, 6, 64),      KEY(password_min_classes, 1, 4),
  KEY(password_max_age_days, 0, 3650),
  KEY(per_address_connections, 1, 10000), KEY(max_connections, 16, 100000),
  KEY(connection_timeout_seconds, 2, 600),
  KEY(login_address_burst, 1, 10000),  KEY(login_address_refill_seconds, 1, 3600),
  KEY(login_account_burst, 1, 10000),  KEY(login_account_refill_seconds, 1, 3600),
  KEY(reveal_reauth_minutes, 1, 24 * 60), KEY(reveal_burst, 1, 10000), KEY(reveal_refill_seconds, 1, 24 * 3600),
  KEY(second_factor_pending_minutes, 1, 30),
};

int settings_from_json(const json_t *obj, struct security_settings *s, char *err, size_t errlen)
{
  if (!json_is_object(obj)) { snprintf(err, errlen, "security settings: not a JSON object"); return -1; }
  const char *name;
  json_t *value;
  json_object_foreach((json_t *)obj, name, value) {
    if (name[0] == '_' || strcmp(name, "clause") == 0) continue; /* comments */
    if (strcmp(name, "second_factor_roles") == 0) {
      if (parse_roles(value, s, err, errlen) != 0) return -1;
      continue;
    }
    if (strcmp(name, "max_body_bytes") == 0) {
      if (!json_is_integer(value) || json_integer_value(value) < 1024) {
        snprintf(err, errlen, "security settings: max_body_bytes must be an integer >= 1024");
        return -1;
      }
      s->max_body_bytes = (size_t)json_integer_value(value);
      continue;
    }
    if (strcmp(name, "trusted_proxies") == 0) {
      if (text_key(name, value, s, err, errlen) != 0) return -1;
      continue;
    }
    const struct int_key *key = NULL;
    for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
      if (strcmp(KEYS[i].name, name) == 0) key = &KEYS[i];
    if (!key) { snprintf(err, errlen, "security settings: unknown key %s", name); return -1; }
    if (!json_is_integer(value) || json_integer_value(value) < key->min || json_integer_value(value) > key->max) {
      snprintf(err, errlen, "security settings: %s must be an integer in [%d, %d]", name, key->min, key->max);
      return -1;
    }
    *(int *)((char *)s + key->offset) = (int)json_integer_value(value);
  }
  return 0;
}
