/* training_status — see training_status.h. ISO dates compare as text. */
#include "core/training_status.h"

#include <string.h>

struct training_verdict training_judge(const char *const done_on[], int n, const char *deadline, bool due)
{
  struct training_verdict v = {TRAINING_COMPLETE, n, 0, 0, false};
  for (int i = 0; i < n; i++) {
    if (!done_on[i]) continue;
    v.done++;
    if (strcmp(done_on[i], deadline) > 0) v.late++; /* 4.4: after 9月底 */
  }
  if (v.done == 0 && n > 0) v.status = TRAINING_UNTRAINED;
  else if (v.done < n) v.status = TRAINING_PARTIAL;
  else if (v.late > 0) v.status = TRAINING_LATE;
  v.overdue = due && v.done < n;
  return v;
}

const char *training_status_name(enum training_status s)
{
  switch (s) {
  case TRAINING_UNTRAINED: return "untrained";
  case TRAINING_PARTIAL: return "partial";
  case TRAINING_LATE: return "late";
  case TRAINING_COMPLETE: break;
  }
  return "complete";
}
