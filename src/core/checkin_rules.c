/* checkin_rules — times first (a check-in must have happened, recently enough, on a phone whose
 * clock agrees with ours), then the fence, then the patterns for review. A late check-in is not
 * wrong: with no signal the phone keeps it and sends it later, and it is marked, not refused. */
#include "core/checkin_rules.h"

#include <stdio.h>
#include <string.h>

#include "core/geo.h"

/* sent at least this long after it happened: it waited on the phone */
#define DELAY_THRESHOLD_S 120

enum checkin_time_result checkin_judge_time(int64_t at, int64_t sent_at, int64_t now, const struct checkin_limits *l,
                                            bool *delayed)
{
  *delayed = false;
  int64_t skew = sent_at - now;
  if (skew > l->clock_tolerance_s || skew < -l->clock_tolerance_s) return CHECKIN_TIME_CLOCK_SKEW;
  if (at > now + l->clock_tolerance_s) return CHECKIN_TIME_IN_FUTURE;
  if (at > sent_at + l->clock_tolerance_s) return CHECKIN_TIME_BEFORE_SENT;
  if (now - at > l->max_delay_s) return CHECKIN_TIME_TOO_LATE;
  *delayed = sent_at - at >= DELAY_THRESHOLD_S;
  return CHECKIN_TIME_OK;
}

const char *checkin_time_code(enum checkin_time_result r)
{
  switch (r) {
  case CHECKIN_TIME_OK: return "ok";
  case CHECKIN_TIME_IN_FUTURE: return "time_in_future";
  case CHECKIN_TIME_CLOCK_SKEW: return "clock_skew";
  case CHECKIN_TIME_TOO_LATE: return "too_late";
  case CHECKIN_TIME_BEFORE_SENT: return "time_in_future";
  }
  return "time_invalid";
}

const char *checkin_time_message_zh(enum checkin_time_result r)
{
  switch (r) {
  case CHECKIN_TIME_OK: return "时间正常";
  case CHECKIN_TIME_IN_FUTURE:
  case CHECKIN_TIME_BEFORE_SENT: return "打卡时间晚于当前时间，请检查手机时间设置";
  case CHECKIN_TIME_CLOCK_SKEW: return "手机时间与标准时间相差过大，请开启自动设置时间后重试";
  case CHECKIN_TIME_TOO_LATE: return "该打卡记录保存过久，已超过补传时限";
  }
  return "打卡时间无效";
}

bool checkin_in_fence(double lat, double lng, double centre_lat, double centre_lng, double radius_m, double *distance_m)
{
  *distance_m = geo_distance_m(lat, lng, centre_lat, centre_lng);
  return *distance_m == *distance_m && *distance_m <= radius_m; /* NaN (bad input) is outside */
}

void checkin_message_zh(bool in_fence, double distance_m, const char *village_name, char *out, size_t len)
{
  char dist[32];
  if (distance_m < 1000) snprintf(dist, sizeof dist, "%.0f 米", distance_m);
  else snprintf(dist, sizeof dist, "%.1f 公里", distance_m / 1000);
  if (in_fence) snprintf(out, len, "已在%s范围内（距村部 %s）", village_name, dist);
  else snprintf(out, len, "不在%s范围内（距村部 %s）", village_name, dist);
}

unsigned checkin_flags(const struct checkin_previous *prev, int64_t at, double lat, double lng, double accuracy_m,
                       double radius_m, const struct checkin_limits *l)
{
  unsigned flags = 0;
  if (accuracy_m > radius_m) flags |= CHECKIN_FLAG_POOR_ACCURACY;
  if (prev->exists) {
    double km = geo_distance_m(prev->lat, prev->lng, lat, lng) / 1000.0;
    double hours = (double)(at > prev->at ? at - prev->at : prev->at - at) / 3600.0;
    /* a minute's grace: two check-ins seconds apart with GPS jitter are not a jump */
    if (km > 1.0 && km / (hours > 1.0 / 60 ? hours : 1.0 / 60) > l->max_speed_kmh) flags |= CHECKIN_FLAG_SPEED;
    if (l->same_coords_days > 0 && prev->same_coords_days >= l->same_coords_days) flags |= CHECKIN_FLAG_SAME_COORDS;
  }
  return flags;
}

void checkin_flags_text(unsigned flags, char *out, size_t len)
{
  snprintf(out, len, "%s%s%s%s%s", flags & CHECKIN_FLAG_SPEED ? "speed" : "",
           (flags & CHECKIN_FLAG_SPEED) && (flags & (CHECKIN_FLAG_SAME_COORDS | CHECKIN_FLAG_POOR_ACCURACY)) ? "," : "",
           flags & CHECKIN_FLAG_SAME_COORDS ? "same_coords" : "",
           (flags & CHECKIN_FLAG_SAME_COORDS) && (flags & CHECKIN_FLAG_POOR_ACCURACY) ? "," : "",
           flags & CHECKIN_FLAG_POOR_ACCURACY ? "poor_accuracy" : "");
}
