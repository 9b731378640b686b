/* region_path — see the header. */
#include "store/region_path.h"

#include "store/db.h"
#include "store/regions.h"
#include "store/scope.h"
#include "util/log.h"

int region_path_level(struct db *db, const char *code, char path[96], char level[16])
{
  struct scope all = {.kind = SCOPE_KIND_NONE};
  path[0] = '\0';
  level[0] = '\0';
  if (!code) return DB_NOT_FOUND;
  int rc = regions_lookup(db, &all, code, path, level);
  if (rc != DB_OK && rc != DB_NOT_FOUND) {
    log_error("region_path", "looking up region %s failed", code);
    return DB_ERROR;
  }
  return rc;
}

int region_path(struct db *db, const char *code, char path[96])
{
  char level[16];
  return region_path_level(db, code, path, level);
}
