/* Unit tests for core/geo: known distances, symmetry, the antimeridian and poles, and
 * rejection of invalid coordinates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "core/geo.h"

static void assert_near(double got, double want, double tolerance)
{
  if (!(fabs(got - want) <= tolerance))
    fail_msg("got %.6f, want %.6f ± %.6f", got, want, tolerance);
}

static void test_valid(void **state)
{
  static const struct { double lat, lng; bool ok; } cases[] = {
      {25.83, 114.93, true}, {0, 0, true},        {90, 180, true},       {-90, -180, true},
      {90.0000001, 0, false}, {-90.0000001, 0, false}, {0, 180.0000001, false},
      {0, -180.0000001, false}, {NAN, 0, false}, {0, NAN, false},     {INFINITY, 0, false},
      {0, -INFINITY, false},  {114.93, 25.83, false}, /* swapped lat/lng */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (geo_valid_lat_lng(cases[i].lat, cases[i].lng) != cases[i].ok)
      fail_msg("(%f, %f)", cases[i].lat, cases[i].lng);
}

static void test_known_distances(void **state)
{
  static const struct { double lat1, lng1, lat2, lng2, want, tol; } cases[] = {
      {0, 0, 1, 0, 111195.08, 0.01},          /* 1 degree of latitude */
      {25.83, 114.93, 26.83, 114.93, 111195.08, 0.01}, /* ... anywhere on a meridian */
      {0, 0, 0, 1, 111195.08, 0.01},          /* 1 degree of longitude at the equator */
      {60, 0, 60, 1, 55597.01, 0.01},        /* just under half of 1° at the equator */
      {0, 179.5, 0, -179.5, 111195.08, 0.01}, /* across the antimeridian */
      {90, 0, -90, 0, 20015114.44, 0.01},     /* pole to pole: half a circumference */
      {0, 0, 0, 180, 20015114.44, 0.01},      /* antipodes on the equator */
      {89.9, 0, 89.9, 180, 22239.02, 0.01},   /* over the pole: 0.2° of arc */
      {90, 0, 90, 123, 0, 1e-6},              /* the pole is one point */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_near(geo_distance_m(cases[i].lat1, cases[i].lng1, cases[i].lat2, cases[i].lng2),
                cases[i].want, cases[i].tol);
}

static void test_ganzhou_ruijin(void **state)
{
  /* 赣州 to 瑞金: ≈ 110.21 km (spherical law of cosines gives the same to the millimetre). */
  double d = geo_distance_m(25.83, 114.93, 25.88, 116.03);
  assert_near(d, 110211.0, 110211.0 * 0.01);
  assert_near(d, 110210.96, 1.0);
}

static void test_short_distances(void **state)
{
  /* Check-in radii are small: 0.00001° of latitude is 1.11 m. */
  assert_near(geo_distance_m(25.83, 114.93, 25.83001, 114.93), 1.112, 0.001);
  assert_near(geo_distance_m(25.83, 114.93, 25.83, 114.93), 0.0, 0.0);
  assert_near(geo_distance_m(25.83, 114.93, 25.8345, 114.93), 500.38, 0.05);
}

static void test_symmetry(void **state)
{
  static const double pts[][2] = {
      {25.83, 114.93}, {25.88, 116.03}, {-33.86, 151.21}, {51.48, 0}, {0, -179.99}, {-90, 0},
  };
  size_t n = sizeof pts / sizeof pts[0];
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < n; j++) {
      double ab = geo_distance_m(pts[i][0], pts[i][1], pts[j][0], pts[j][1]);
      double ba = geo_distance_m(pts[j][0], pts[j][1], pts[i][0], pts[i][1]);
      assert_near(ab, ba, 1e-6);
      assert_true(ab >= 0 && ab <= M_PI * GEO_EARTH_RADIUS_M + 1e-6);
      for (size_t k = 0; k < n; k++) { /* triangle inequality */
        double ak = geo_distance_m(pts[i][0], pts[i][1], pts[k][0], pts[k][1]);
        double kb = geo_distance_m(pts[k][0], pts[k][1], pts[j][0], pts[j][1]);
        assert_true(ab <= ak + kb + 1e-6);
      }
    }
  }
}

static void test_invalid_is_nan(void **state)
{
  static const double bad[][4] = {
      {91, 0, 0, 0},   {0, 181, 0, 0},  {0, 0, -91, 0}, {0, 0, 0, -181},
      {NAN, 0, 0, 0},  {0, 0, 0, NAN},  {INFINITY, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double d = geo_distance_m(bad[i][0], bad[i][1], bad[i][2], bad[i][3]);
    assert_true(isnan(d));
    assert_false(d <= 500.0); /* a bad fix never passes a radius check */
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid),           cmocka_unit_test(test_known_distances),
      cmocka_unit_test(test_ganzhou_ruijin),  cmocka_unit_test(test_short_distances),
      cmocka_unit_test(test_symmetry),        cmocka_unit_test(test_invalid_is_nan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
