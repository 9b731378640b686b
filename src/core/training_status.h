/* training_status — a cadre's year of training judged against 4.4 ("上半年启动、9月底前基本完成"):
 * from the day each required training of the cadre's post was first completed (or none), the
 * status of the year and whether it is overdue. Pure: no database, no clock. */
#ifndef ZHUCUN_TRAINING_STATUS_H
#define ZHUCUN_TRAINING_STATUS_H

#include <stdbool.h>

enum training_status {
  TRAINING_UNTRAINED, /* none of the required trainings attended */
  TRAINING_PARTIAL,   /* some attended, some missing */
  TRAINING_LATE,      /* all attended, at least one after the deadline */
  TRAINING_COMPLETE,  /* all attended by the deadline */
};

struct training_verdict {
  enum training_status status;
  int required, done, late;
  bool overdue; /* the deadline has passed and a required training is still missing */
};

/* done_on[i]: "YYYY-MM-DD" of required training i, or NULL when not attended; deadline ISO;
 * due: the deadline has passed (today > deadline). A post with no required training is complete. */
struct training_verdict training_judge(const char *const done_on[], int n, const char *deadline, bool due);
/* "untrained", "partial", "late", "complete" */
const char *training_status_name(enum training_status s);

#endif
