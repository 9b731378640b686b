#!/usr/bin/env bash
# The calendar sweep: the instants at which the suites that judge time run again (tests/run_all.sh
# sweep), each with a demo made at that instant. They are chosen to break naive date code:
#   2026-06-13 Sat 15:00      a weekend day
#   2026-09-20 Sun 10:00      a 调休 working Sunday (chinese-days: 国庆节)
#   2026-10-02 Fri 10:00      a public holiday (国庆)
#   2026-12-28 Mon 09:00      ISO week 2026-W53 begins...
#   2027-01-03 Sun 20:00      ...and ends in the next year
#   2026-12-31 23:30 CST      the year's last day in Beijing, still 15:30 on 12-31 in UTC
#   2027-03-31 23:59 / 04-01 00:00 CST   a quarter end (3.5 work funds by 03-31)
#   2027-06-30 23:59 / 07-01 00:00 CST   a half-year end
#   2027-09-30 23:59 / 10-01 00:00 CST   the training deadline (4.2a, 09-30), a quarter end
#   2028-02-29 12:00          a leap day
# Usage: tests/sweep.sh instants | files
case ${1:-} in
  instants)
    echo 2026-06-13T15:00:00+08:00 2026-09-20T10:00:00+08:00 2026-10-02T10:00:00+08:00 \
         2026-12-28T09:00:00+08:00 2027-01-03T20:00:00+08:00 2026-12-31T23:30:00+08:00 \
         2027-03-31T23:59:00+08:00 2027-04-01T00:00:00+08:00 2027-06-30T23:59:00+08:00 \
         2027-07-01T00:00:00+08:00 2027-09-30T23:59:00+08:00 2027-10-01T00:00:00+08:00 \
         2028-02-29T12:00:00+08:00 ;;
  # the API test files that judge periods, deadlines, weekdays and days in the village
  files)
    echo obligations presence leave_logs training funds selection_nomination selection_flow \
         cases visits discipline checkins reports analysis village_work plans commendations village_profile ;;
  *) echo "usage: tests/sweep.sh instants|files" >&2; exit 2 ;;
esac
