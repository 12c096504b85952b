// Private: covtool calibrate's charts and residual map, in the study's language.
#ifndef COVERAGE_STUDY_CALIBRATION_CHARTS_HPP
#define COVERAGE_STUDY_CALIBRATION_CHARTS_HPP
#include <coverage/study/calibration.hpp>
#include <string>
#include <vector>

namespace coverage::detail {

/** Write calibration_distance.png, calibration_histogram.png, calibration_scatter.png and calibration_map.png into
 *  `folder` (atomically), words in `language`. @return the file names. */
std::vector<std::string> write_calibration_charts(const std::string& folder, const StudyCalibration& calibration,
                                                  const std::string& language);

} // namespace coverage::detail

#endif // COVERAGE_STUDY_CALIBRATION_CHARTS_HPP
