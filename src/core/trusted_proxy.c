/* trusted_proxy — addresses parsed with inet_pton into 4 or 16 bytes and compared by prefix. */
#include "core/trusted_proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An address (no prefix) into family and bytes; IPv4-mapped IPv6 becomes IPv4. */
static bool parse_addr(const char *text, int *family, unsigned char addr[16])
{
  memset(addr, 0, 16);
  if (inet_pton(AF_INET, text, addr) == 1) { *family = 4; return true; }
  if (inet_pton(AF_INET6, text, addr) != 1) return false;
  static const unsigned char MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (memcmp(addr, MAPPED, 12) == 0) {
    memmove(addr, addr + 12, 4);
    memset(addr + 4, 0, 12);
    *family = 4;
  } else {
    *family = 6;
  }
  return true;
}

/* [start, end) trimmed of spaces, copied into out (NUL-terminated); false when too long or empty. */
static bool take_trimmed(const char *start, const char *end, char *out, size_t len)
{
  while (start < end && isspace((unsigned char)*start)) start++;
  while (end > start && isspace((unsigned char)end[-1])) end--;
  size_t n = (size_t)(end - start);
  if (n == 0 || n >= len) return false;
  memcpy(out, start, n);
  out[n] = '\0';
  return true;
}

static bool parse_net(const char *entry, struct trusted_net *net)
{
  char addr[TRUSTED_PROXY_IP_SIZE];
  snprintf(addr, sizeof addr, "%s", entry);
  char *slash = strchr(addr, '/');
  if (slash) *slash = '\0';
  if (!parse_addr(addr, &net->family, net->addr)) return false;
  int max = net->family == 4 ? 32 : 128;
  net->prefix = max;
  if (!slash) return true;
  char *end;
  long p = strtol(slash + 1, &end, 10);
  if (!slash[1] || *end || p < 0 || p > max) return false;
  net->prefix = (int)p;
  return true;
}

int trusted_proxies_parse(const char *text, struct trusted_proxies *out, char *err, size_t errlen)
{
  memset(out, 0, sizeof *out);
  const char *p = text ? text : "";
  while (*p) {
    const char *comma = strchr(p, ',');
    const char *end = comma ? comma : p + strlen(p);
    char entry[TRUSTED_PROXY_IP_SIZE];
    bool blank = end == p || strspn(p, " \t") == (size_t)(end - p);
    if (!blank) {
      if (out->n == TRUSTED_PROXY_MAX) { snprintf(err, errlen, "more than %d trusted proxies", TRUSTED_PROXY_MAX); return -1; }
      if (!take_trimmed(p, end, entry, sizeof entry) || !parse_net(entry, &out->nets[out->n])) {
        snprintf(err, errlen, "trusted proxy '%.*s' is not an address or CIDR (e.g. 127.0.0.1 or 10.0.0.0/8)",
                 (int)(end - p > 60 ? 60 : end - p), p);
        return -1;
      }
      out->n++;
    }
    p = comma ? comma + 1 : end;
  }
  return 0;
}

static bool in_net(const struct trusted_net *net, int family, const unsigned char addr[16])
{
  if (net->family != family) return false;
  int full = net->prefix / 8, rest = net->prefix % 8;
  if (memcmp(net->addr, addr, (size_t)full) != 0) return false;
  if (!rest) return true;
  unsigned char mask = (unsigned char)(0xff << (8 - rest));
  return (net->addr[full] & mask) == (addr[full] & mask);
}

bool trusted_proxies_contains(const struct trusted_proxies *t, const char *ip)
{
  int family;
  unsigned char addr[16];
  if (!t || !ip || !parse_addr(ip, &family, addr)) return false;
  for (int i = 0; i < t->n; i++)
    if (in_net(&t->nets[i], family, addr)) return true;
  return false;
}

bool trusted_proxies_client(const struct trusted_proxies *t, const char *forwarded_for, char *out, size_t len)
{
  if (!forwarded_for) return false;
  const char *end = forwarded_for + strlen(forwarded_for);
  char found[TRUSTED_PROXY_IP_SIZE] = "";
  /* from the right: skip the trusted hops, stop at the first address that is not one */
  while (end > forwarded_for) {
    const char *start = end;
    while (start > forwarded_for && start[-1] != ',') start--;
    char entry[TRUSTED_PROXY_IP_SIZE];
    int family;
    unsigned char addr[16];
    if (!take_trimmed(start, end, entry, sizeof entry) || !parse_addr(entry, &family, addr)) break;
    snprintf(found, sizeof found, "%s", entry);
    if (!trusted_proxies_contains(t, entry)) break;
    end = start > forwarded_for ? start - 1 : start;
  }
  if (!found[0]) return false;
  snprintf(out, len, "%s", found);
  return true;
}

bool trusted_proxies_says_https(const char *forwarded_proto)
{
  if (!forwarded_proto) return false;
  /* a chain of proxies may list one scheme per hop: the first is the browser's */
  size_t n = strcspn(forwarded_proto, ",");
  while (n > 0 && isspace((unsigned char)forwarded_proto[n - 1])) n--;
  const char *p = forwarded_proto;
  while (n > 0 && isspace((unsigned char)*p)) { p++; n--; }
  return n == 5 && strncasecmp(p, "https", 5) == 0;
}
