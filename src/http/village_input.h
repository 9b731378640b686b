/* village_input — the village a village-work write is about (cases, meetings, activities, plans,
 * resources): the body's village_code, or for a cadre the village of their own post; it must be
 * in the caller's scope (SCOPE_TEAM), else 404 — a village outside the scope looks absent. */
#ifndef ZHUCUN_VILLAGE_INPUT_H
#define ZHUCUN_VILLAGE_INPUT_H

#include <jansson.h>

struct request;
struct reply;

/* Fills village (code) and path (region path); writes the 4xx reply and returns -1 otherwise. */
int vw_write_village(struct request *req, struct reply *rep, const json_t *body, char village[16], char path[96]);

#endif
