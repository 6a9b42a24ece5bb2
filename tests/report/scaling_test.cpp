// Serial-fraction fits on synthetic sweeps, and the series they come from.
#include "schedlab/report/scaling.hpp"

#include <gtest/gtest.h>

#include "schedlab/report/reader.hpp"

using namespace schedlab::report;

namespace {
ScalingPoint point(int workers, double speedup) {
  ScalingPoint p;
  p.workers = workers;
  p.speedup = speedup;
  return p;
}
}  // namespace

TEST(AmdahlFit, RecoversTheSerialFractionOfExactData) {
  std::vector<ScalingPoint> points;
  for (int p : {1, 2, 4, 8, 16}) points.push_back(point(p, amdahl_speedup(0.05, p)));
  EXPECT_NEAR(amdahl_serial_fraction(points), 0.05, 1e-12);
}

TEST(AmdahlFit, PerfectScalingHasNoSerialPart) {
  EXPECT_NEAR(amdahl_serial_fraction({point(1, 1), point(2, 2), point(4, 4)}), 0.0, 1e-12);
  // Superlinear points cannot make it negative.
  EXPECT_EQ(amdahl_serial_fraction({point(2, 2.5)}), 0.0);
}

TEST(AmdahlFit, LeastSquaresOnNoisyPointsByHand) {
  // Karp-Flatt of (2, 1.6): (1/1.6 - 1/2)/(1/2) = 0.25, x = 0.5;
  // of (4, 2.5): (0.4 - 0.25)/(0.75) = 0.2, x = 0.75.
  // f = (0.5*0.125 + 0.75*0.15) / (0.25 + 0.5625) = 0.175 / 0.8125.
  EXPECT_NEAR(amdahl_serial_fraction({point(2, 1.6), point(4, 2.5)}), 0.175 / 0.8125, 1e-12);
}

TEST(GustafsonFit, RecoversTheSerialFractionOfExactData) {
  std::vector<ScalingPoint> points;
  for (int p : {1, 2, 4, 8}) points.push_back(point(p, gustafson_speedup(0.3, p)));
  EXPECT_NEAR(gustafson_serial_fraction(points), 0.3, 1e-12);
}

TEST(ScalingSeries, TellsStrongFromWeakInTheFixture) {
  const auto series =
      build_scaling(read_csv(std::string(SCHEDLAB_REPORT_DATA) + "/scaling.csv"), 4);
  ASSERT_EQ(series.size(), 2u);
  const auto strong =
      std::find_if(series.begin(), series.end(), [](const ScalingSeries& s) { return !s.weak; });
  const auto weak =
      std::find_if(series.begin(), series.end(), [](const ScalingSeries& s) { return s.weak; });
  ASSERT_NE(strong, series.end());
  ASSERT_NE(weak, series.end());
  EXPECT_EQ(strong->points.size(), 3u);
  EXPECT_NEAR(strong->points[2].speedup, 10.0 / 3.25, 1e-6);
  EXPECT_NEAR(strong->serial_fraction, 0.1, 1e-6);
  EXPECT_NEAR(weak->serial_fraction, 0.2, 1e-6);
  EXPECT_EQ(weak->points.back().tasks, 16u);
}

TEST(ScalingSeries, LeavesOversubscribedPointsOutOfTheFit) {
  // The fixture's strong series on a 2-core machine: P = 4 is shown, marked, not fitted.
  const auto series =
      build_scaling(read_csv(std::string(SCHEDLAB_REPORT_DATA) + "/scaling.csv"), 2);
  const auto strong =
      std::find_if(series.begin(), series.end(), [](const ScalingSeries& s) { return !s.weak; });
  ASSERT_NE(strong, series.end());
  ASSERT_EQ(strong->points.size(), 3u);
  EXPECT_TRUE(strong->points.back().oversubscribed);
  EXPECT_FALSE(strong->points.front().oversubscribed);
  std::vector<ScalingPoint> within(strong->points.begin(), strong->points.end() - 1);
  EXPECT_NEAR(strong->serial_fraction, amdahl_serial_fraction(within), 1e-12);
  const std::string text = render_scaling(series, 2);
  EXPECT_NE(text.find("oversubscribed"), std::string::npos) << text;
}

TEST(ScalingSeries, RefusesToFitOnePoint) {
  const auto series =
      build_scaling(read_csv(std::string(SCHEDLAB_REPORT_DATA) + "/scaling.csv"), 1);
  for (const auto& s : series) EXPECT_FALSE(s.fitted) << s.label;
  const std::string text = render_scaling(series, 1);
  EXPECT_NE(text.find("not fitted"), std::string::npos) << text;
  EXPECT_EQ(text.find("Amdahl fit"), std::string::npos) << text;
}
