/* trusted_proxy — which peers may speak for the client (issue 17, F10 of the 2026-12 review).
 *
 * Behind nginx every connection comes from the proxy, so the client's address (rate limits,
 * lockout, the audit's ip) and whether the browser spoke HTTPS (the cookie's Secure) are known
 * only from X-Forwarded-For and X-Forwarded-Proto. Anyone can send those headers, so they are
 * believed only from a peer in the trusted list (`serve --trusted-proxy 127.0.0.1,10.0.0.0/8`,
 * or `trusted_proxies` in policy/security.json); from anyone else they are ignored.
 *
 * The client is the rightmost X-Forwarded-For entry that is not itself a trusted proxy: each proxy
 * appends the address it saw, so entries to the left of the last trusted hop are the client's own
 * claims and worth nothing. */
#ifndef ZHUCUN_TRUSTED_PROXY_H
#define ZHUCUN_TRUSTED_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#define TRUSTED_PROXY_MAX 16
#define TRUSTED_PROXY_IP_SIZE 64

struct trusted_net {
  int family;               /* 4 or 6 */
  unsigned char addr[16];
  int prefix;               /* bits */
};

struct trusted_proxies {
  int n;                    /* 0: no proxy is trusted, the headers are always ignored */
  struct trusted_net nets[TRUSTED_PROXY_MAX];
};

/* "127.0.0.1,10.0.0.0/8,::1" (addresses or CIDRs, commas, spaces allowed; "" for none).
 * 0, or -1 with a message naming the bad entry. */
int trusted_proxies_parse(const char *text, struct trusted_proxies *out, char *err, size_t errlen);

/* Whether the address (text, IPv4 or IPv6; IPv4-mapped IPv6 counts as IPv4) is a trusted proxy. */
bool trusted_proxies_contains(const struct trusted_proxies *t, const char *ip);

/* The client's address from the X-Forwarded-For sent by a trusted peer, into out; false (out
 * untouched) when the header is absent or its last entry is not an address. */
bool trusted_proxies_client(const struct trusted_proxies *t, const char *forwarded_for, char *out, size_t len);

/* Whether X-Forwarded-Proto (from a trusted peer) says the browser spoke HTTPS. */
bool trusted_proxies_says_https(const char *forwarded_proto);

#endif
