// covtool calibrate's stage: the study's prediction at every bin of a drive test, the fit, calibration.toml.
#include <coverage/study/calibration.hpp>
#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/core/version.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/study/stages.hpp>

#include "core/input_file.hpp"
#include "core/text.hpp"
#include "study/calibration_charts.hpp"
#include "study/report_stage.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace coverage {

namespace fs = std::filesystem;
using detail::format;

namespace {

// Received total power over `bandwidth_mhz` for a predicted signal measure: the measure's share of the channel's
// power undone (LTE RSRP: one of 12·N_RB resource elements; UMTS RSCP: the CPICH fraction), at full load, then the
// share of the channel the RSSI was measured over.
double predicted_rssi_dbm(const Sector& s, double measure_dbm, double cpich_fraction, double bandwidth_mhz) {
    const double share_db = signal_measure_dbm(s.technology, 0.0, s.channel(cpich_fraction)); // measure of 0 dBm total, dB
    const double channel_mhz = s.technology == Technology::umts ? 5.0 : s.bandwidth_mhz;
    return measure_dbm - share_db + 10.0 * std::log10(std::min(1.0, bandwidth_mhz / channel_mhz));
}

std::string band_name(const CorrectionTerm& t) { return std::string(traits(t.technology).key) + format(" %g MHz", t.freq_mhz); }

} // namespace

StudyCalibration calibrate_study(const Study& study_in, const std::string& measurements_path, const StudyCalibrationOptions& o) {
    Study study = study_in;
    study.calibration_file.clear(); // calibrate the model itself
    // Measured local means scatter around the median: compare them with the median prediction. The correction, an offset,
    // then moves the study's quantile (e.g. 90 % of locations) as it moves the median.
    study.model.location_pct.reset();
    study.model.itm.location_pct = 50.0;
    study.model.p1812.location_pct = 50.0;
    StudyCalibration out;
    out.measurements_path = measurements_path;
    const StudyInputs inputs = read_study_inputs(study);
    out.sectors = inputs.sectors;
    out.measurements = read_measurements(measurements_path, inputs.sectors, o.measurements);
    out.dem = std::make_shared<const Dem>(read_study_terrain(study, inputs));
    const Dem& dem = *out.dem;
    out.terrain_synthetic = detail::study_terrain_is_synthetic(study);
    out.cell_m = dem.cell_size_m();
    BinOptions bin_options = o.bins;
    if (!bin_options.bin_length_m) {
        bin_options.bin_length_m = dem.cell_size_m();
    }
    out.binned = bin_measurements(out.measurements, inputs.sectors, dem, bin_options);

    const CoverageOptions options = study_coverage_options(study, dem, o.threads);
    out.model_description = describe_model(study.model);
    // The classes of the bins: the land cover the clutter already read, else read for them.
    const std::shared_ptr<const ClutterMap> land_cover = options.rx_clutter ? options.rx_clutter : read_study_land_cover(study, dem);
    out.has_land_cover = land_cover != nullptr;
    out.land_cover = study.land_cover_classes;

    // The receiver: the bin's logged phone height (to 0.1 m), else the study's coverage.rx_height_m. One engine per height.
    std::map<long, std::unique_ptr<const CoverageEngine>> engines;
    const auto height_key = [&](const CalibrationBin& b) { return std::lround(10.0 * b.rx_height_agl_m.value_or(study.rx_height_m)); };
    std::map<std::pair<std::size_t, long>, std::vector<std::size_t>> groups; // (sector, height) -> bins
    for (std::size_t i = 0; i < out.binned.bins.size(); ++i) {
        groups[{out.binned.bins[i].sector, height_key(out.binned.bins[i])}].push_back(i);
    }
    for (const auto& [key, index] : groups) {
        const auto [si, height] = key;
        auto engine = engines.find(height);
        if (engine == engines.end()) {
            CoverageOptions at_height = options;
            at_height.rx_height_agl_m = static_cast<double>(height) / 10.0;
            engine = engines.emplace(height, std::make_unique<const CoverageEngine>(dem, inputs.sectors, at_height)).first;
        }
        std::vector<GridPoint> points;
        for (std::size_t i : index) {
            points.push_back(out.binned.bins[i].grid);
        }
        const std::vector<double> predicted = engine->second->sector_signal_at(si, points);
        for (std::size_t k = 0; k < points.size(); ++k) {
            CalibrationBin& b = out.binned.bins[index[k]];
            b.predicted_dbm = b.quantity == MeasuredQuantity::rssi && std::isfinite(predicted[k])
                                  ? predicted_rssi_dbm(inputs.sectors[si], predicted[k], study.cpich_fraction,
                                                       *out.measurements.rssi_bandwidth_mhz)
                                  : predicted[k];
            if (land_cover) {
                if (const auto cell = dem.cell_at(b.grid)) {
                    b.class_code = land_cover->at(cell->col, cell->row).code;
                }
            }
        }
    }
    drop_censored_bins(out.binned, inputs.sectors, bin_options, out.measurements.rssi_bandwidth_mhz);
    out.bins_without_prediction = static_cast<std::size_t>(
        std::count_if(out.binned.bins.begin(), out.binned.bins.end(), [](const CalibrationBin& b) { return !std::isfinite(b.predicted_dbm); }));
    out.fit = fit_calibration(out.binned.bins, inputs.sectors, o.fit);
    return out;
}

void write_calibration_file(const StudyCalibration& c, const Study& study, const std::string& path) {
    toml::table root;
    toml::table about;
    about.insert("study", study.study_file.empty() ? study.name : fs::path(study.study_file).filename().string());
    about.insert("measurements", fs::path(c.measurements_path).filename().string());
    about.insert("measurements_format", c.measurements.format);
    about.insert("model", c.model_description);
    about.insert("rows", static_cast<std::int64_t>(c.measurements.rows));
    about.insert("samples", static_cast<std::int64_t>(c.measurements.samples.size()));
    toml::table refused;
    for (const auto& [reason, n] : c.measurements.refused) {
        refused.insert(reason, static_cast<std::int64_t>(n));
    }
    about.insert("rows_refused", refused);
    about.insert("bins", static_cast<std::int64_t>(c.binned.bins.size()));
    about.insert("bins_without_prediction", static_cast<std::int64_t>(c.bins_without_prediction));
    toml::table dropped;
    for (const auto& [reason, n] : c.binned.dropped) {
        dropped.insert(reason, static_cast<std::int64_t>(n));
    }
    about.insert("bins_dropped", dropped);
    about.insert("bin_length_m", c.binned.bin_length_m);
    const FitOptions& f = c.fit.options;
    about.insert("fit_slope", f.fit_slope);
    about.insert("class_offsets", f.class_offsets && c.has_land_cover);
    about.insert("class_prior_db", f.class_prior_db);
    about.insert("folds", f.folds);
    about.insert("fold_kind", f.folds_kind == FitOptions::Folds::spatial_blocks ? "spatial blocks" : "random");
    about.insert("block_m", f.block_m);
    about.insert("min_class_bins", f.min_class_bins);
    about.insert("seed", static_cast<std::int64_t>(f.seed));
    toml::array warnings;
    for (const std::string& w : c.fit.warnings) {
        warnings.push_back(w);
    }
    about.insert("warnings", warnings);
    root.insert("calibration", about);

    auto stats = [](const ErrorStats& before, const ErrorStats& after) {
        toml::table t;
        t.insert("bins", static_cast<std::int64_t>(before.bins));
        t.insert("mean_before_db", before.mean_db);
        t.insert("std_before_db", before.std_db);
        t.insert("rms_before_db", before.rms_db);
        t.insert("mean_after_db", after.mean_db);
        t.insert("std_after_db", after.std_db);
        t.insert("rms_after_db", after.rms_db);
        return t;
    };
    toml::array terms;
    for (const FittedTerm& ft : c.fit.terms) {
        toml::table t;
        t.insert("technology", traits(ft.term.technology).key);
        t.insert("freq_mhz", ft.term.freq_mhz);
        t.insert("offset_db", ft.term.offset_db);
        t.insert("offset_se_db", ft.offset_se_db);
        t.insert("slope_db_per_decade", ft.term.slope_db_per_decade);
        t.insert("slope_se_db", ft.slope_se_db);
        toml::table offsets, ses, names, counts, totals, total_ses;
        for (const auto& [code, v] : ft.term.class_offset_db) {
            const std::string key = std::to_string(code);
            offsets.insert(key, v);
            ses.insert(key, ft.class_offset_se_db.at(code));
            totals.insert(key, ft.class_correction_db.at(code));
            total_ses.insert(key, ft.class_correction_se_db.at(code));
            counts.insert(key, static_cast<std::int64_t>(ft.class_bins.count(code) ? ft.class_bins.at(code) : 0));
            const auto& cl = c.land_cover.classes;
            const auto it = std::find_if(cl.begin(), cl.end(), [code = code](const LandCoverClass& x) { return x.code == code; });
            names.insert(key, it != cl.end() ? it->name : std::string());
        }
        if (!offsets.empty()) {
            t.insert("class_offset_db", offsets);
            t.insert("class_offset_se_db", ses);
            t.insert("class_correction_db", totals);
            t.insert("class_correction_se_db", total_ses);
            t.insert("class_bins", counts);
            t.insert("class_name", names);
        }
        t.insert("bins", static_cast<std::int64_t>(ft.bins));
        t.insert("samples", static_cast<std::int64_t>(ft.samples));
        t.insert("blocks", static_cast<std::int64_t>(ft.blocks));
        t.insert("held_out", stats(ft.held_out_before, ft.held_out_after));
        t.insert("fitted", stats(ft.fit_before, ft.fit_after));
        toml::table sectors;
        for (const auto& [id, e] : ft.per_sector) {
            sectors.insert(id, stats(e.first, e.second));
        }
        t.insert("held_out_by_sector", sectors);
        toml::table classes;
        for (const auto& [code, e] : ft.per_class) {
            classes.insert(std::to_string(code), stats(e.first, e.second));
        }
        t.insert("held_out_by_class", classes);
        terms.push_back(t);
    }
    root.insert("term", terms);

    std::ostringstream text;
    text << "# Calibration of \"" << study.name << "\" against the drive test " << fs::path(c.measurements_path).filename().string()
         << ",\n# written by covtool calibrate (libcoverage " << version << ").\n"
         << "# Each [[term]] corrects the predicted signal of one technology and band (dB, added to the prediction):\n"
         << "#   offset_db + slope_db_per_decade * log10(distance / 1 km) + class_offset_db[land-cover code at the receiver].\n"
         << "# Standard errors (*_se_db): the larger of the least-squares one and a delete-one-block jackknife over the\n"
         << "# spatial blocks. class_correction_db: offset_db + class_offset_db, what a receiver in that class gets, and\n"
         << "# its standard error (the split between the global and the class offsets is set by the ridge; the sum is\n"
         << "# the well-determined quantity). held_out: errors (measured - predicted) on bins predicted by fits without\n"
         << "# their fold.\n"
         << "# A study applies it with  [calibration] file = \"" << fs::path(path).filename().string() << "\"\n\n"
         << toml::toml_formatter(root) << "\n";
    write_file_atomically(path, text.str());
}

namespace {

toml::table parse_calibration_toml(const std::string& path) {
    std::string text;
    {
        std::ifstream in = detail::open_input_file(path, "calibration file", std::uint64_t{64} << 20);
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    try {
        return toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw InvalidArgument(format("calibration file '%s', line %u, column %u: not valid TOML: %s", path.c_str(),
                                     static_cast<unsigned>(e.source().begin.line), static_cast<unsigned>(e.source().begin.column),
                                     std::string(e.description()).c_str()));
    }
}

// The terms of a parsed calibration.toml, checked.
ModelCorrection correction_of(const toml::table& root, const std::string& path) {
    auto where = [&](const toml::node& n, const std::string& key) {
        return format("calibration file '%s', line %u, %s", path.c_str(), static_cast<unsigned>(n.source().begin.line), key.c_str());
    };
    for (const auto& [k, v] : root) {
        if (k.str() != "calibration" && k.str() != "term") {
            throw InvalidArgument(where(v, std::string(k.str())) + ": unknown table (expected [calibration] and [[term]])");
        }
    }
    const toml::array* terms = root["term"].as_array();
    if (terms == nullptr || terms->empty()) {
        throw InvalidArgument("calibration file '" + path + "': no [[term]] table (a correction per technology and band)");
    }
    static const std::set<std::string> known = {"technology", "freq_mhz", "offset_db", "offset_se_db", "slope_db_per_decade", "slope_se_db",
                                                "class_offset_db", "class_offset_se_db", "class_correction_db", "class_correction_se_db", "class_bins", "class_name", "bins", "samples",
                                                "blocks", "held_out", "fitted", "held_out_by_sector", "held_out_by_class"};
    ModelCorrection c;
    c.source = path;
    for (const toml::node& node : *terms) {
        const toml::table* t = node.as_table();
        if (t == nullptr) {
            throw InvalidArgument(where(node, "term") + ": expected a table");
        }
        for (const auto& [k, v] : *t) {
            if (known.count(std::string(k.str())) == 0) {
                throw InvalidArgument(where(v, "term." + std::string(k.str())) + ": unknown key");
            }
        }
        auto number = [&](const char* key, bool required, double lo, double hi) -> double {
            const toml::node* n = t->get(key);
            if (n == nullptr) {
                if (required) {
                    throw InvalidArgument(where(node, std::string("term.") + key) + ": missing");
                }
                return 0.0;
            }
            const std::optional<double> v = n->value<double>();
            if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
                throw InvalidArgument(where(*n, std::string("term.") + key) + format(": expected a number in %g..%g", lo, hi));
            }
            return *v;
        };
        CorrectionTerm term;
        const toml::node* tech = t->get("technology");
        if (tech == nullptr || !tech->is_string()) {
            throw InvalidArgument(where(node, "term.technology") + ": missing (lte, umts or nr)");
        }
        try {
            term.technology = technology_from(tech->as_string()->get());
        } catch (const InvalidArgument& e) {
            throw InvalidArgument(where(*tech, "term.technology") + ": " + e.what());
        }
        term.freq_mhz = number("freq_mhz", true, 30.0, 100000.0);
        term.offset_db = number("offset_db", true, -100.0, 100.0);
        term.slope_db_per_decade = number("slope_db_per_decade", false, -100.0, 100.0);
        if (const toml::node* n = t->get("class_offset_db")) {
            const toml::table* offsets = n->as_table();
            if (offsets == nullptr) {
                throw InvalidArgument(where(*n, "term.class_offset_db") + ": expected a table \"code\" = dB");
            }
            for (const auto& [k, v] : *offsets) {
                const std::string key(k.str());
                char* end = nullptr;
                const long code = std::strtol(key.c_str(), &end, 10);
                const std::optional<double> dv = v.value<double>();
                if (end == nullptr || *end != '\0' || k.str().empty() || code < 0 || code > 255) {
                    throw InvalidArgument(where(v, "term.class_offset_db." + std::string(k.str())) + ": a class is named by its code (0..255)");
                }
                if (!dv || !std::isfinite(*dv) || std::abs(*dv) > 100.0) {
                    throw InvalidArgument(where(v, "term.class_offset_db." + std::string(k.str())) + ": expected a number of dB within ±100");
                }
                term.class_offset_db[static_cast<int>(code)] = *dv;
            }
        }
        if (c.term_for(term.technology, term.freq_mhz) != nullptr) {
            throw InvalidArgument(where(node, "term") + ": a second term for " + band_name(term));
        }
        c.terms.push_back(std::move(term));
    }
    return c;
}

} // namespace

ModelCorrection read_calibration_file(const std::string& path) { return correction_of(parse_calibration_toml(path), path); }

CalibrationSummary read_calibration_summary(const std::string& path) {
    const toml::table root = parse_calibration_toml(path);
    const ModelCorrection correction = correction_of(root, path); // checks the file and its terms
    CalibrationSummary s;
    const toml::node_view about = root["calibration"];
    s.measurements = about["measurements"].value_or(std::string());
    s.samples = static_cast<std::size_t>(about["samples"].value_or(std::int64_t{0}));
    s.bins = static_cast<std::size_t>(about["bins"].value_or(std::int64_t{0}));
    s.fold_kind = about["fold_kind"].value_or(std::string());
    s.block_m = about["block_m"].value_or(0.0);
    s.min_class_bins = static_cast<std::size_t>(about["min_class_bins"].value_or(std::int64_t{0}));
    if (const toml::array* w = about["warnings"].as_array()) {
        for (const toml::node& n : *w) {
            s.warnings.push_back(n.value_or(std::string()));
        }
    }
    const toml::array& terms = *root["term"].as_array();
    for (std::size_t i = 0; i < terms.size(); ++i) {
        const toml::node_view t{terms[i]};
        CalibrationSummary::Term term;
        term.technology = correction.terms[i].technology;
        term.freq_mhz = correction.terms[i].freq_mhz;
        term.offset_db = correction.terms[i].offset_db;
        term.slope_db_per_decade = correction.terms[i].slope_db_per_decade;
        term.offset_se_db = t["offset_se_db"].value_or(0.0);
        term.bins = static_cast<std::size_t>(t["bins"].value_or(std::int64_t{0}));
        const auto stats = [&](const char* when) {
            ErrorStats e;
            e.bins = term.bins;
            e.mean_db = t["held_out"][std::string("mean_") + when + "_db"].value_or(0.0);
            e.std_db = t["held_out"][std::string("std_") + when + "_db"].value_or(0.0);
            e.rms_db = t["held_out"][std::string("rms_") + when + "_db"].value_or(0.0);
            return e;
        };
        term.before = stats("before");
        term.after = stats("after");
        for (const auto& [code, offset] : correction.terms[i].class_offset_db) {
            const std::string key = std::to_string(code);
            CalibrationSummary::ClassRow row;
            row.code = code;
            row.name = t["class_name"][key].value_or(std::string());
            row.bins = static_cast<std::size_t>(t["class_bins"][key].value_or(std::int64_t{0}));
            row.correction_db = t["class_correction_db"][key].value_or(correction.terms[i].offset_db + offset);
            row.correction_se_db = t["class_correction_se_db"][key].value_or(0.0);
            term.classes.push_back(row);
        }
        s.terms.push_back(std::move(term));
    }
    return s;
}

std::vector<std::string> write_calibration_outputs(const std::string& folder, const StudyCalibration& c, const Study& study) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        throw IoError("cannot create the folder '" + folder + "': " + ec.message());
    }
    std::vector<std::string> files;
    write_calibration_file(c, study, (fs::path(folder) / "calibration.toml").string());
    files.emplace_back("calibration.toml");

    std::string csv = "sector_id,technology,freq_mhz,lat_deg,lon_deg,distance_m,samples,quantity,measured_dbm,spread_db,predicted_dbm,"
                      "residual_db,land_cover_code,correction_db,held_out_correction_db,first_row\n";
    std::map<std::pair<Technology, double>, const CorrectionTerm*> terms;
    const ModelCorrection correction = c.fit.correction();
    for (std::size_t i = 0; i < c.binned.bins.size(); ++i) {
        const CalibrationBin& b = c.binned.bins[i];
        const Sector& s = c.sectors[b.sector];
        const CorrectionTerm* term = correction.term_for(s.technology, s.freq_mhz);
        const bool predicted = std::isfinite(b.predicted_dbm);
        csv += detail::csv_field(s.sector_id) + "," + traits(s.technology).key + format(",%g,%.6f,%.6f,%.1f,%d,", s.freq_mhz, b.position.lat_deg,
                                                                                       b.position.lon_deg, b.distance_m, b.samples) +
               to_string(b.quantity) + format(",%.2f,%.2f,", b.measured_dbm, b.spread_db) +
               (predicted ? format("%.2f,%.2f", b.predicted_dbm, b.residual_db()) : std::string(",")) + "," +
               (b.class_code >= 0 ? std::to_string(b.class_code) : std::string()) + "," +
               (predicted && term != nullptr ? format("%.2f", term->correction_db(b.distance_m, b.class_code)) : std::string()) + "," +
               (std::isfinite(c.fit.held_out_correction_db[i]) ? format("%.2f", c.fit.held_out_correction_db[i]) : std::string()) + "," +
               std::to_string(b.first_row) + "\n";
    }
    write_file_atomically((fs::path(folder) / "bins.csv").string(), csv);
    files.emplace_back("bins.csv");
    for (const std::string& f : detail::write_calibration_charts(folder, c, study.language)) {
        files.push_back(f);
    }
    return files;
}

} // namespace coverage
