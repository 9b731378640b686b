/* api_token — see api_token.h. */
#include "core/api_token.h"

#include <sodium.h>
#include <string.h>

static const struct api_grant GRANTS[] = {
  {"region_read", PERM_REGION_READ, "读取行政区划"},
  {"unit_read", PERM_UNIT_READ, "读取派出单位"},
  {"cadre_read", PERM_CADRE_READ, "读取驻村干部名册"},
  {"assign_read", PERM_ASSIGN_READ, "读取选派任职（岗位）"},
  {"presence_read", PERM_PRESENCE_READ, "读取在村情况"},
  {"household_read", PERM_HOUSEHOLD_READ, "读取脱贫户、监测户和监测帮扶案件"},
  {"obligation_read", PERM_OBLIGATION_READ, "读取履职监督情况"},
  {NULL, 0, NULL},
};

const struct api_grant *api_token_grants(void) { return GRANTS; }

perm_t api_token_grant_perm(const char *name)
{
  for (const struct api_grant *g = GRANTS; name && g->name; g++)
    if (strcmp(g->name, name) == 0) return g->perm;
  return 0;
}

perm_t api_token_perms_of(const char *list)
{
  perm_t perms = 0;
  char needle[64];
  for (const struct api_grant *g = GRANTS; list && g->name; g++) {
    size_t n = strlen(g->name);
    if (n + 3 > sizeof needle) continue;
    needle[0] = ',';
    memcpy(needle + 1, g->name, n);
    needle[n + 1] = ',';
    needle[n + 2] = '\0';
    if (strstr(list, needle)) perms |= g->perm;
  }
  return perms;
}

void api_token_generate(char out[API_TOKEN_SIZE])
{
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  memcpy(out, API_TOKEN_PREFIX, 3);
  sodium_bin2hex(out + 3, API_TOKEN_SIZE - 3, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
}

void api_token_hash(const char *token, char out[API_TOKEN_HASH_SIZE])
{
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
  sodium_bin2hex(out, API_TOKEN_HASH_SIZE, h, sizeof h);
}

bool api_token_well_formed(const char *text)
{
  if (!text || strncmp(text, API_TOKEN_PREFIX, 3) != 0 || strlen(text) != API_TOKEN_SIZE - 1) return false;
  for (const char *p = text + 3; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
  return true;
}
