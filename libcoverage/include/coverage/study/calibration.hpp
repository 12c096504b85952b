#ifndef COVERAGE_STUDY_CALIBRATION_HPP
#define COVERAGE_STUDY_CALIBRATION_HPP
// Calibrating a study's prediction against a drive test (covtool calibrate), and the calibration.toml that a study's
// `[calibration] file` applies.
#include <coverage/analysis/calibration.hpp>
#include <coverage/analysis/measurements.hpp>
#include <coverage/coverage/model_correction.hpp>
#include <coverage/propagation/land_cover.hpp>
#include <coverage/study/study.hpp>
#include <coverage/terrain/dem.hpp>
#include <memory>
#include <string>
#include <vector>

namespace coverage {

/** How covtool calibrate reads, bins and fits. BinOptions::bin_length_m defaults to the study's cell size here. */
struct StudyCalibrationOptions {
    MeasurementOptions measurements;
    BinOptions bins;
    FitOptions fit;
    int threads = 0;   ///< 0: all cores
};

/** A calibration and everything it was made from. */
struct StudyCalibration {
    std::string measurements_path;
    MeasurementSet measurements;
    BinnedMeasurements binned;     ///< bins with predictions (NaN off the terrain or beyond a sector's radius) and classes
    std::size_t bins_without_prediction = 0;
    CalibrationFit fit;
    std::vector<Sector> sectors;
    LandCoverTable land_cover;     ///< the study's class table (names of the class offsets)
    bool has_land_cover = false;
    std::string model_description; ///< the prediction calibrated (the study's model, without any calibration it has)
    double cell_m = 0.0;
    std::shared_ptr<const Dem> dem; ///< the study's terrain (the residual map is drawn on it)
    bool terrain_synthetic = false;
};

/**
 * Predict every bin of a drive test with the study's terrain, model, clutter and receiver (without the study's own
 * calibration.file, if it has one: the fit is of the model itself), then fit the correction.
 * @throws the errors of read_measurements, of the study's stages and of fit_calibration.
 */
[[nodiscard]] StudyCalibration calibrate_study(const Study& study, const std::string& measurements_path,
                                               const StudyCalibrationOptions& options = {});

/** Write calibration.toml: the correction per technology and band, its standard errors and statistics, the options
 *  used and the warnings. Atomic. @throws IoError when the file cannot be written. */
void write_calibration_file(const StudyCalibration& calibration, const Study& study, const std::string& path);

/**
 * Read the correction of a calibration.toml ([[term]] tables: technology, freq_mhz, offset_db, slope_db_per_decade,
 * class_offset_db; the statistics beside them are for people and are not read back).
 * @throws IoError when the file cannot be read; InvalidArgument naming the file, line and key for a malformed one.
 */
[[nodiscard]] ModelCorrection read_calibration_file(const std::string& path);

/** What calibration.toml says of its fit, for the report: read back from the file a study applies. */
struct CalibrationSummary {
    std::string measurements;            ///< the drive test's file name
    std::size_t samples = 0;
    std::size_t bins = 0;
    std::string fold_kind;               ///< "spatial blocks" or "random"
    double block_m = 0.0;
    std::size_t min_class_bins = 0;      ///< classes with fewer bins were warned about
    std::vector<std::string> warnings;
    struct ClassRow {
        int code = 0;
        std::string name;
        std::size_t bins = 0;
        double correction_db = 0.0;
        double correction_se_db = 0.0;
    };
    struct Term {
        Technology technology = Technology::lte;
        double freq_mhz = 0.0;
        double offset_db = 0.0;
        double offset_se_db = 0.0;
        double slope_db_per_decade = 0.0;
        std::size_t bins = 0;
        ErrorStats before, after;        ///< held out
        std::vector<ClassRow> classes;
    };
    std::vector<Term> terms;
};

/** The summary of a calibration.toml (its statistics as covtool calibrate wrote them; absent ones stay zero).
 *  @throws as read_calibration_file. */
[[nodiscard]] CalibrationSummary read_calibration_summary(const std::string& path);

/**
 * covtool calibrate's folder: calibration.toml, bins.csv (every bin with its prediction, residual and held-out
 * correction), and the charts (calibration_distance.png: error against distance before and after;
 * calibration_histogram.png; calibration_scatter.png: measured against predicted; calibration_map.png: the
 * residuals where they were measured). Files are written atomically. @return the file names written.
 */
std::vector<std::string> write_calibration_outputs(const std::string& folder, const StudyCalibration& calibration, const Study& study);

} // namespace coverage

#endif // COVERAGE_STUDY_CALIBRATION_HPP
