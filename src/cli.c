/* cli — options are read on demand, and whatever nobody asked for is reported at the end,
 * so a mistyped option is an error instead of being silently ignored. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_init(struct cli *c, int argc, char **argv)
{
  c->argc = argc;
  c->argv = argv;
  c->used = calloc((size_t)argc + 1, sizeof *c->used);
  return c->used ? 0 : -1;
}

void cli_free(struct cli *c) { free(c->used); }

const char *cli_opt(struct cli *c, const char *name, const char *env, const char *def)
{
  for (int i = 0; i + 1 < c->argc; i++) {
    if (strncmp(c->argv[i], "--", 2) == 0 && strcmp(c->argv[i] + 2, name) == 0) {
      c->used[i] = c->used[i + 1] = true;
      return c->argv[i + 1];
    }
  }
  const char *e = env ? getenv(env) : NULL;
  return e && *e ? e : def;
}

bool cli_flag(struct cli *c, const char *name)
{
  for (int i = 0; i < c->argc; i++) {
    if (strncmp(c->argv[i], "--", 2) == 0 && strcmp(c->argv[i] + 2, name) == 0) {
      c->used[i] = true;
      return true;
    }
  }
  return false;
}

const char *cli_arg(struct cli *c, int n)
{
  /* Options are read before positional arguments, so their values are already marked used. */
  for (int i = 0; i < c->argc; i++) {
    if (c->used[i] || strncmp(c->argv[i], "--", 2) == 0) continue;
    if (n-- == 0) { c->used[i] = true; return c->argv[i]; }
  }
  return NULL;
}

int cli_check_unused(struct cli *c, const char *command)
{
  int bad = 0;
  for (int i = 0; i < c->argc; i++) {
    if (c->used[i]) continue;
    fprintf(stderr, "zhucun %s: unknown argument '%s' (see zhucun %s --help)\n", command, c->argv[i], command);
    bad = -1;
  }
  return bad;
}
