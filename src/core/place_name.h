/* place_name — the short name a village is shown by (沙洲坝村), derived once from its official
 * name (沙洲坝村民委员会, 沙洲坝村委会). The official name is the name of the committee (村民委员会,
 * 居民委员会), the body that governs the place; officials speak of the place itself: 村 for a
 * village, 社区 for a neighbourhood. One table and one table only turns the first into the
 * second, so that no list writes the same village three ways; the official name stays for
 * the village page. Rules, applied to the end of the name:
 *   X村民委员会, X村委会                  → X村 (X already ending in 村 is kept: 龙村村委会 → 龙村)
 *   X社区居民委员会, X社区居委会          → X社区
 *   X居民委员会, X居委会                  → X社区 (西津路居委会 → 西津路社区)
 *   anything else (X社区, X村)            → unchanged
 * A committee named by its kind alone (社区居委会 of 五云镇) takes the township's name: 五云镇社区. */
#ifndef ZHUCUN_PLACE_NAME_H
#define ZHUCUN_PLACE_NAME_H

#include <stddef.h>

/* Writes the display name of a village whose official name is `official`, in the township named
 * township (may be NULL), into out. Returns 0, or -1 when out is too small (out then holds the
 * official name cut short, never a half character). */
int place_village_display_name(const char *official, const char *township, char *out, size_t outlen);

#endif
