/* geo — great-circle distance between WGS-84 / GCJ-02 coordinates, used to check that a
 * 驻村 check-in (打卡) was made near the village. */
#ifndef ZHUCUN_GEO_H
#define ZHUCUN_GEO_H

#include <stdbool.h>

#define GEO_EARTH_RADIUS_M 6371008.8 /* IUGG mean radius */

/* True when both are finite, lat in [-90, 90] and lng in [-180, 180] (degrees). */
bool geo_valid_lat_lng(double lat, double lng);

/* Haversine distance in metres; NaN if either point is not valid. */
double geo_distance_m(double lat1, double lng1, double lat2, double lng2);

#endif
