/* cli — a small reader for "--name value" options and flags, shared by every sub-command. */
#ifndef ZHUCUN_CLI_H
#define ZHUCUN_CLI_H

#include <stdbool.h>

struct cli {
  int argc;
  char **argv;
  bool *used;      /* which argv entries an accessor consumed */
};

int cli_init(struct cli *c, int argc, char **argv);
void cli_free(struct cli *c);
/* The value of --name, or def; env (may be NULL) is consulted between the two. */
const char *cli_opt(struct cli *c, const char *name, const char *env, const char *def);
bool cli_flag(struct cli *c, const char *name);
/* The n-th argument that is not an option (0-based), or NULL. Read options first. */
const char *cli_arg(struct cli *c, int n);
/* Prints an error for any argument no accessor consumed; returns -1 if there was one. */
int cli_check_unused(struct cli *c, const char *command);

#endif
