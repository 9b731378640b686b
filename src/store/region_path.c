/* region_path — see region_path.h: regions_lookup under a scope that bounds nothing (places are
 * reference data, seen whole as an administrator sees them). */
#include "store/region_path.h"

#include "store/regions.h"
#include "store/scope.h"

int region_path(struct db *db, const char *code, char path[96])
{
  const struct scope whole = {.kind = SCOPE_KIND_NONE};
  char level[16];
  return regions_lookup(db, &whole, code, path, level);
}
