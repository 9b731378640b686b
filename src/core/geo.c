/* geo — a check-in radius is a few hundred metres to a few kilometres, so a sphere is far
 * more accurate than the phone's GPS fix (and than the GCJ-02 offset Chinese map SDKs add),
 * and Vincenty's ellipsoidal iteration would buy nothing. Haversine is chosen over the
 * spherical law of cosines because it stays accurate at the short distances that matter here.
 * Invalid coordinates answer NaN rather than 0 so that a bad fix can never pass a
 * "within radius" comparison (every comparison with NaN is false). */
#include "core/geo.h"

#include <math.h>

static double radians(double deg) { return deg * (M_PI / 180.0); }

bool geo_valid_lat_lng(double lat, double lng)
{
  return isfinite(lat) && isfinite(lng) && lat >= -90.0 && lat <= 90.0 && lng >= -180.0 &&
         lng <= 180.0;
}

double geo_distance_m(double lat1, double lng1, double lat2, double lng2)
{
  if (!geo_valid_lat_lng(lat1, lng1) || !geo_valid_lat_lng(lat2, lng2)) return NAN;
  double dlat = radians(lat2 - lat1);
  double dlng = radians(lng2 - lng1);
  double s1 = sin(dlat / 2), s2 = sin(dlng / 2);
  double h = s1 * s1 + cos(radians(lat1)) * cos(radians(lat2)) * s2 * s2;
  /* Rounding can push h a hair above 1 for antipodal points; asin would then give NaN. */
  if (h > 1.0) h = 1.0;
  return 2.0 * GEO_EARTH_RADIUS_M * asin(sqrt(h));
}
