// covtool calibrate: fit the study's prediction to a drive test; calibration.toml for the study's [calibration] file.

#include "commands.hpp"
#include "terminal.hpp"

#include <coverage/core/error.hpp>
#include <coverage/study/calibration.hpp>
#include <coverage/study/output_folder.hpp>
#include <coverage/study/study.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace covtool {

namespace {

struct CalibrateOptions {
    std::string study_file;
    std::string measurements;
    std::string out;
    std::optional<double> rssi_bandwidth_mhz;
    std::optional<double> bin_length_m;
    int min_samples = 3;
    double min_distance_m = 200.0;
    std::optional<double> max_distance_m;
    std::optional<double> floor_dbm;
    double censor_margin_db = 16.0;
    bool slope = false;
    bool no_class_offsets = false;
    double class_prior_db = 6.0;
    int min_class_bins = 20;
    int folds = 5;
    double block_m = 1000.0;
    std::string fold_kind = "blocks";
    std::uint64_t seed = 1;
    int threads = 0;
    bool allow_remote = false;
};

// A JSON string's contents: quotes, backslashes and control characters escaped.
std::string json_text(const std::string& s) {
    std::string out;
    for (const char ch : s) {
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (static_cast<unsigned char>(ch) < 0x20) {
            out += fmt("\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(ch)));
        } else {
            out += ch;
        }
    }
    return out;
}

std::string stats_row(const coverage::ErrorStats& before, const coverage::ErrorStats& after) {
    return fmt("mean %+.1f -> %+.1f, std %.1f -> %.1f, RMS %.1f -> %.1f dB", before.mean_db, after.mean_db, before.std_db, after.std_db,
               before.rms_db, after.rms_db);
}

int run_calibrate_command(const CalibrateOptions& o) {
    using namespace coverage;
    Study study = read_study(o.study_file);
    study.terrain_allow_remote = study.terrain_allow_remote || o.allow_remote;
    StudyCalibrationOptions c;
    c.measurements.rssi_bandwidth_mhz = o.rssi_bandwidth_mhz;
    c.bins.bin_length_m = o.bin_length_m;
    c.bins.min_samples = o.min_samples;
    c.bins.min_distance_m = o.min_distance_m;
    c.bins.max_distance_m = o.max_distance_m;
    c.bins.floor_dbm = o.floor_dbm;
    c.bins.censor_margin_db = o.censor_margin_db;
    c.fit.fit_slope = o.slope;
    c.fit.class_offsets = !o.no_class_offsets;
    c.fit.class_prior_db = o.class_prior_db;
    c.fit.min_class_bins = o.min_class_bins;
    c.fit.folds = o.folds;
    c.fit.block_m = o.block_m;
    c.fit.folds_kind = o.fold_kind == "random" ? FitOptions::Folds::random : FitOptions::Folds::spatial_blocks;
    c.fit.seed = o.seed;
    c.threads = o.threads;
    // Refuse an output folder of anything but an earlier calibration before the work, and never remove other files.
    (void)remove_previous_outputs(o.out, RunKind::calibration);
    const StudyCalibration cal = calibrate_study(study, o.measurements, c);
    const std::vector<std::string> files = write_calibration_outputs(o.out, cal, study);
    write_run_manifest(o.out, RunKind::calibration, files,
                       "{\"study_file\": \"" + json_text(o.study_file) + "\", \"measurements\": \"" + json_text(o.measurements) + "\"}");

    std::printf("covtool calibrate: %zu rows of %s (%s), %zu samples kept\n", cal.measurements.rows, o.measurements.c_str(),
                cal.measurements.format.c_str(), cal.measurements.samples.size());
    for (const auto& [reason, n] : cal.measurements.refused) {
        std::printf("  refused: %zu %s, %s (first: row %d)\n", n, n == 1 ? "row" : "rows", reason.c_str(),
                    cal.measurements.first_refused_row.at(reason));
    }
    std::printf("  %zu bins of %.0f m%s\n", cal.binned.bins.size(), cal.binned.bin_length_m,
                cal.bins_without_prediction ? fmt(", %zu without a prediction (off the terrain or beyond the radius)", cal.bins_without_prediction).c_str() : "");
    for (const auto& [reason, n] : cal.binned.dropped) {
        std::printf("  dropped: %zu %s, %s\n", n, n == 1 ? "bin" : "bins", reason.c_str());
    }
    for (const FittedTerm& t : cal.fit.terms) {
        std::printf("%s %g MHz: %zu bins, %zu samples, %zu blocks\n", traits(t.term.technology).key, t.term.freq_mhz, t.bins, t.samples, t.blocks);
        std::printf("  offset %+.2f ± %.2f dB", t.term.offset_db, t.offset_se_db);
        if (o.slope) {
            std::printf(", slope %+.2f ± %.2f dB per decade", t.term.slope_db_per_decade, t.slope_se_db);
        }
        std::printf("\n");
        for (const auto& [code, v] : t.term.class_offset_db) {
            std::printf("  land-cover class %d: correction %+.2f ± %.2f dB (class offset %+.2f; %zu bins)\n", code, t.class_correction_db.at(code),
                        t.class_correction_se_db.at(code), v, t.class_bins.at(code));
        }
        std::printf("  held-out %s: %s\n", o.fold_kind == "random" ? "random folds" : fmt("blocks of %g m", o.block_m).c_str(),
                    stats_row(t.held_out_before, t.held_out_after).c_str());
        for (const auto& [id, e] : t.per_sector) {
            std::printf("    sector %s: %zu bins, %s\n", id.c_str(), e.first.bins, stats_row(e.first, e.second).c_str());
        }
    }
    for (const std::string& w : cal.fit.warnings) {
        std::printf("warning: %s\n", w.c_str());
    }
    std::printf("wrote %zu files to %s (calibration.toml: add [calibration] file = \"...\" to the study)\n", files.size() + 1, o.out.c_str());
    return 0;
}

} // namespace

void register_calibrate(CLI::App& app, Action& action) {
    auto o = std::make_shared<CalibrateOptions>();
    CLI::App* cmd = app.add_subcommand("calibrate", "Fit the study's prediction to drive-test measurements: calibration.toml, "
                                                    "bins.csv and charts");
    cmd->add_option("study_file", o->study_file, "the study file whose prediction is calibrated")->required();
    cmd->add_option("--measurements", o->measurements, "drive test: CSV/GeoJSON/GeoPackage points (rsrp_dbm | rscp_dbm | rssi_dbm, "
                                                       "sector_id | cell_id | pci) or a G-NetTrack Pro log")
        ->required();
    cmd->add_option("-o,--out", o->out, "output folder (created; files of an earlier calibration there are replaced)")->required();
    cmd->add_option("--rssi-bandwidth-mhz", o->rssi_bandwidth_mhz, "the bandwidth an rssi_dbm column was measured over");
    cmd->add_option("--bin-length-m", o->bin_length_m, "route length one bin averages [default: the study's cell size]");
    cmd->add_option("--min-samples", o->min_samples, "fewest samples in a bin")->capture_default_str();
    cmd->add_option("--min-distance-m", o->min_distance_m, "drop bins closer to the serving antenna")->capture_default_str();
    cmd->add_option("--max-distance-m", o->max_distance_m, "drop bins farther from the serving antenna [default: no limit]");
    cmd->add_option("--floor-dbm", o->floor_dbm, "drop bins at or below this level [default: the measure's noise floor]");
    cmd->add_option("--censor-margin-db", o->censor_margin_db,
                    "drop bins predicted less than this above the floor (where the phone's floor biases what it logs)")
        ->capture_default_str();
    cmd->add_flag("--slope", o->slope, "fit a slope in log10(distance) as well as the offset");
    cmd->add_flag("--no-class-offsets", o->no_class_offsets, "no offset per land-cover class");
    cmd->add_option("--class-prior-db", o->class_prior_db, "prior spread of a class offset (the ridge)")->capture_default_str();
    cmd->add_option("--min-class-bins", o->min_class_bins, "classes with fewer bins get a warning")->capture_default_str();
    cmd->add_option("--folds", o->folds, "cross-validation folds")->capture_default_str();
    cmd->add_option("--block-m", o->block_m, "spatial block edge for the folds and the standard errors")->capture_default_str();
    cmd->add_option("--fold-kind", o->fold_kind, "blocks (spatial, honest) or random (overstates the gain; for comparison)")
        ->check(CLI::IsMember({"blocks", "random"}))
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "assigns blocks to folds")->capture_default_str();
    cmd->add_flag("--allow-remote", o->allow_remote, "let the DEM's VRT read sources over the network (as terrain.allow_remote = true)");
    cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
    cmd->callback([o, &action] { action = [o] { return run_calibrate_command(*o); }; });
}

} // namespace covtool
