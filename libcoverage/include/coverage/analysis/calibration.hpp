#ifndef COVERAGE_ANALYSIS_CALIBRATION_HPP
#define COVERAGE_ANALYSIS_CALIBRATION_HPP
// Calibrating a prediction against drive tests: samples averaged in bins along the route, then a correction
// (global offset, optional slope in log10 distance, one offset per land-cover class) fitted per technology and band
// by regularised weighted least squares and judged on held-out spatial blocks.
#include <coverage/analysis/measurements.hpp>
#include <coverage/coverage/model_correction.hpp>
#include <coverage/terrain/dem.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** How samples become bins. */
struct BinOptions {
    /** Length of route one bin averages, m; default 40 wavelengths of the serving sector's carrier (W. C. Y. Lee's
     *  local-mean rule: it averages out fast fading, not shadowing). A study passes its cell size. */
    std::optional<double> bin_length_m;
    int min_samples = 3;                 ///< bins with fewer samples are dropped (counted)
    double min_distance_m = 200.0;       ///< bins closer to the serving antenna are dropped (near field, pattern nulls)
    std::optional<double> max_distance_m;///< bins farther are dropped; default: no limit
    /** Bins whose mean level is at or below this are at the noise floor, where phones no longer measure the signal;
     *  dropped. Default per measure: thermal noise (−174 dBm/Hz) in one resource element (15 kHz, NR: the sector's
     *  subcarrier spacing) plus a 7 dB noise figure for RSRP (−125.2 dBm); for RSCP the same over 3.84 MHz less the
     *  −20 dB Ec/Io a UMTS phone still decodes (−101.2 − 20 = −121.2 dBm); for RSSI over the stated bandwidth. */
    std::optional<double> floor_dbm;
    /** Bins whose *prediction* is less than this above the floor are dropped (drop_censored_bins): there a phone often
     *  logs nothing (below its floor), so the samples it did log are the lucky ones and bias the fit upwards. Selecting
     *  on the prediction, not on the measurement, keeps the selection blind to the error being fitted. Default 16 dB:
     *  two standard deviations of rural shadowing (σ_SF = 8 dB, 3GPP TR 38.901 Table 7.4.1-1, RMa NLOS). */
    double censor_margin_db = 16.0;
};

/** One bin: samples of one serving sector along a stretch of route. */
struct CalibrationBin {
    std::size_t sector = 0;               ///< index into the sectors
    GeoPoint position;                    ///< mean position of its samples
    GridPoint grid;                       ///< the same on the DEM's grid
    double distance_m = 0.0;              ///< horizontal, from the serving antenna
    int samples = 0;
    double measured_dbm = 0.0;            ///< power mean of the samples (dB of the mean of mW)
    double spread_db = 0.0;               ///< standard deviation of the samples' levels, dB
    MeasuredQuantity quantity = MeasuredQuantity::rsrp;
    double predicted_dbm = std::numeric_limits<double>::quiet_NaN(); ///< the model's value for the same quantity
    int class_code = -1;                  ///< land-cover code at the bin, -1 without land cover
    std::optional<double> time_s;         ///< of the first sample
    std::optional<double> rx_height_agl_m;///< the phone's height, when every sample of the bin gives it (mean)
    int first_row = 0;                    ///< file row of the first sample
    [[nodiscard]] double residual_db() const noexcept { return measured_dbm - predicted_dbm; }
};

/** The bins of a measurement set, and what binning dropped, per reason. */
struct BinnedMeasurements {
    std::vector<CalibrationBin> bins;
    std::map<std::string, std::size_t> dropped;   ///< bins per reason ("fewer than 3 samples", "closer than 200 m", ...)
    double bin_length_m = 0.0;                    ///< as used (the first sector's, when it follows the carrier)
};

/**
 * Average samples in bins along the route: each sector's samples in time order (file order without times), a bin
 * closing when its route length reaches the bin length or the next sample jumps farther than that. Levels are
 * averaged as power. Positions go to `dem`'s grid (its CRS) for distances.
 * @throws InvalidArgument for options out of range, or a sample's sector index not in `sectors`.
 */
[[nodiscard]] BinnedMeasurements bin_measurements(const MeasurementSet& set, const std::vector<Sector>& sectors, const Dem& dem,
                                                  const BinOptions& options = {});

/**
 * Drop the bins whose prediction lies less than options.censor_margin_db above the floor (BinOptions), counting them in
 * `binned.dropped`; bins without a prediction stay (the fit leaves them out).
 */
void drop_censored_bins(BinnedMeasurements& binned, const std::vector<Sector>& sectors, const BinOptions& options,
                        std::optional<double> rssi_bandwidth_mhz);

/** The default noise floor of a measure (see BinOptions::floor_dbm). */
[[nodiscard]] double default_floor_dbm(MeasuredQuantity q, const Sector& s, std::optional<double> rssi_bandwidth_mhz);

/** Error of predictions against measurements over a set of bins (measured − predicted). */
struct ErrorStats {
    std::size_t bins = 0;
    double mean_db = 0.0;
    double std_db = 0.0;
    double rms_db = 0.0;
};

/** How the correction is fitted and judged. */
struct FitOptions {
    bool fit_slope = false;              ///< fit a slope in log10(distance) as well as the offset
    bool class_offsets = true;           ///< one offset per land-cover class (when bins carry classes)
    /** Prior standard deviation of a class offset, dB: the ridge that pulls an offset with few bins towards the global
     *  offset (λ = residual variance / prior², so well-sampled classes are hardly affected). */
    double class_prior_db = 6.0;
    int min_class_bins = 20;             ///< classes with fewer bins get a warning
    enum class Folds { spatial_blocks, random };
    Folds folds_kind = Folds::spatial_blocks;
    int folds = 5;                       ///< cross-validation folds
    double block_m = 1000.0;             ///< spatial block edge, m (the default 1 km exceeds typical shadowing correlation)
    std::uint64_t seed = 1;              ///< assigns blocks (or bins) to folds
};

/** One fitted technology and band. */
struct FittedTerm {
    CorrectionTerm term;
    double offset_se_db = 0.0;                        ///< standard errors: delete-one-block jackknife over the spatial blocks
    double slope_se_db = 0.0;                         ///< (honest under spatially correlated shadowing); 0 when not fitted
    std::map<int, double> class_offset_se_db;
    /** The correction applied in each class (offset_db + its class offset) and its standard error. The split between
     *  the global offset and the class offsets is set by the ridge and is uncertain on its own (they trade off); the
     *  sum, what the maps receive, is the well-determined quantity. */
    std::map<int, double> class_correction_db;
    std::map<int, double> class_correction_se_db;
    std::map<int, std::size_t> class_bins;            ///< bins per land-cover code
    std::size_t bins = 0;
    std::size_t samples = 0;
    std::size_t blocks = 0;
    ErrorStats fit_before, fit_after;                 ///< on the bins the fit used
    ErrorStats held_out_before, held_out_after;       ///< cross-validated: each bin predicted by a fit without its fold
    std::map<std::string, std::pair<ErrorStats, ErrorStats>> per_sector; ///< sector_id -> held-out before, after
    std::map<int, std::pair<ErrorStats, ErrorStats>> per_class;          ///< land-cover code -> held-out before, after
};

/** The fit of every technology and band found in the bins. */
struct CalibrationFit {
    std::vector<FittedTerm> terms;
    std::vector<std::string> warnings;                ///< e.g. a class with too few bins to trust its offset
    FitOptions options;
    /** Per bin (in the order given): its cross-validated correction, dB, NaN for bins without a prediction. */
    std::vector<double> held_out_correction_db;

    /** The correction the terms make (without land-cover classes; the caller attaches them). */
    [[nodiscard]] ModelCorrection correction() const;
};

/**
 * Fit a correction to bins that carry predictions (bins without one are left out): per technology and carrier,
 * weights = samples per bin, regularised least squares (Eigen), cross-validated by `options.folds_kind`.
 * @throws InvalidArgument for options out of range, or when no bin carries a prediction.
 */
[[nodiscard]] CalibrationFit fit_calibration(const std::vector<CalibrationBin>& bins, const std::vector<Sector>& sectors,
                                             const FitOptions& options = {});

/** Statistics of measured − (predicted + correction) over a set of residuals. */
[[nodiscard]] ErrorStats error_stats(const std::vector<double>& errors_db);

} // namespace coverage

#endif // COVERAGE_ANALYSIS_CALIBRATION_HPP
