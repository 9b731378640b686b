/* checkin_rules — the rules a check-in (考勤, 2.1) is judged by, pure: is its time believable,
 * was it sent late (kept offline), is it inside the village's fence, and which patterns make it
 * worth a look by the township (3.6: location is evidence, not proof). */
#ifndef ZHUCUN_CHECKIN_RULES_H
#define ZHUCUN_CHECKIN_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct checkin_limits {
  int clock_tolerance_s;  /* checkin_clock_tolerance_minutes */
  int max_delay_s;        /* checkin_max_delay_hours */
  double max_speed_kmh;   /* checkin_max_speed_kmh */
  int same_coords_days;   /* checkin_same_coords_days */
};

enum checkin_time_result {
  CHECKIN_TIME_OK = 0,
  CHECKIN_TIME_IN_FUTURE,     /* it happened after now (beyond the tolerance) */
  CHECKIN_TIME_CLOCK_SKEW,    /* the phone's clock (sent_at) disagrees with the server's */
  CHECKIN_TIME_TOO_LATE,      /* kept offline longer than allowed */
  CHECKIN_TIME_BEFORE_SENT,   /* happened after it was sent: impossible */
};

/* Judges the times (unix seconds): at = when it happened, sent_at = when the phone sent it,
 * now = the server's clock. *delayed tells a check-in that was kept and sent later. */
enum checkin_time_result checkin_judge_time(int64_t at, int64_t sent_at, int64_t now, const struct checkin_limits *l,
                                            bool *delayed);
const char *checkin_time_code(enum checkin_time_result r);
const char *checkin_time_message_zh(enum checkin_time_result r);

/* In the fence: within radius metres of the centre. *distance_m is set either way. */
bool checkin_in_fence(double lat, double lng, double centre_lat, double centre_lng, double radius_m, double *distance_m);

/* The sentence the cadre reads: "已在村内（距村部 320 米）" / "不在村范围内（距村部 5.2 公里）". */
void checkin_message_zh(bool in_fence, double distance_m, const char *village_name, char *out, size_t len);

#define CHECKIN_FLAG_SPEED 1u        /* faster than max_speed_kmh from the previous check-in */
#define CHECKIN_FLAG_SAME_COORDS 2u  /* the very same coordinates on each of the previous same_coords_days days */
#define CHECKIN_FLAG_POOR_ACCURACY 4u/* accuracy worse than the fence radius */

struct checkin_previous {
  bool exists;
  int64_t at;
  double lat, lng;
  int same_coords_days;           /* how many of the previous days had exactly these coordinates */
};

unsigned checkin_flags(const struct checkin_previous *prev, int64_t at, double lat, double lng, double accuracy_m,
                       double radius_m, const struct checkin_limits *l);
/* "speed,same_coords" — the flags as the comma list stored and shown. */
void checkin_flags_text(unsigned flags, char *out, size_t len);

#endif
