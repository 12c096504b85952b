// The study's stages as public functions (run_study, covtool, Python and the province runner share them).

#include <coverage/study/stages.hpp>
#include <coverage/study/calibration.hpp>
#include <coverage/propagation/p2109.hpp>

#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/report/map_render.hpp>

#include "core/text.hpp"
#include "radio/technology_files.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace coverage {

using detail::format;

namespace {

// "study file 'F', key 'K': " before an error about a study file's key; nothing for a study built in code (covtool
// map and hamlets give their inputs as options, and the errors name the files).
std::string where_in(const Study& study, const char* key) {
    return study.study_file.empty() ? std::string() : "study file '" + study.study_file + "', key '" + key + "': ";
}

} // namespace

StudyInputs read_study_inputs(const Study& study) {
    StudyInputs in;
    in.sectors = read_sites(study.sites_file);
    in.hamlets = read_hamlets(study.hamlets_file);
    if (!study.household_points_file.empty()) {
        in.household_points = read_household_points(study.household_points_file, in.hamlets);
    }
    if (!study.fibre_file.empty()) {
        in.fibre_routes = read_fibre_routes(study.fibre_file);
    }
    return in;
}

std::optional<GeoBox> study_area(const Study& study, const StudyInputs& inputs) {
    if (!study.radius_km) {
        return std::nullopt;
    }
    // Never less than a few cells around each site: a radius of 1 m must still give the site a cell with terrain
    // under it and its neighbours, not "off the DEM".
    const double sector_margin_m = std::max(*study.radius_km * 1000.0, 3.0 * study.cell_m.value_or(100.0));
    GeoBox box = GeoBox::empty();
    for (const Sector& sec : inputs.sectors) {
        box.include(sec.location, sector_margin_m);
    }
    for (const Hamlet& h : inputs.hamlets) {
        include_hamlet(box, h, study.weights.terrain_radius_m + 100.0);
    }
    return box;
}

DemOptions study_terrain_options(const Study& study, const StudyInputs& inputs) {
    DemOptions o;
    o.void_policy = study.voids;
    o.cell_size_m = study.cell_m;
    o.area = study_area(study, inputs);
    o.allow_remote = study.terrain_allow_remote;
    o.resampling = study.resampling;
    return o;
}

Dem read_study_terrain(const Study& study, const StudyInputs& inputs, const ProgressFn& progress) {
    Dem dem = read_dem(study.dem_files, study_terrain_options(study, inputs), progress);
    for (const Hamlet& h : inputs.hamlets) {
        if (!dem.covers(dem.to_grid(h.location))) {
            throw OutOfDomain(where_in(study, "inputs.hamlets") + "hamlet '" + h.name + "' (" + h.hamlet_id + ") of '" +
                              study.hamlets_file + "' at " + describe(h.location) + " is outside the terrain (" + dem.source() + ")");
        }
    }
    return dem;
}

std::shared_ptr<const ClutterMap> read_study_clutter(const Study& study, const Dem& dem) {
    if (study.clutter == "none") {
        return nullptr;
    }
    return read_study_land_cover(study, dem);
}

std::shared_ptr<const ClutterMap> read_study_land_cover(const Study& study, const Dem& dem) {
    if (study.land_cover_file.empty()) {
        return nullptr;
    }
    try {
        return std::make_shared<const ClutterMap>(read_clutter_map(study.land_cover_file, dem, study.land_cover_classes,
                                                                   study.terrain_allow_remote));
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(where_in(study, "terrain.land_cover") + e.what());
    }
}

namespace {

// The study's correction; its land-cover classes from `land_cover` when the caller has already read them onto this grid.
std::shared_ptr<const ModelCorrection> study_correction(const Study& study, const Dem& dem, std::shared_ptr<const ClutterMap> land_cover) {
    if (study.calibration_file.empty()) {
        return nullptr;
    }
    ModelCorrection c;
    try {
        c = read_calibration_file(study.calibration_file);
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(where_in(study, "calibration.file") + e.what());
    }
    if (c.uses_classes()) {
        if (study.land_cover_file.empty()) {
            throw InvalidArgument(where_in(study, "calibration.file") + "'" + study.calibration_file +
                                  "' has offsets per land-cover class; the study needs terrain.land_cover to apply them");
        }
        c.classes = land_cover ? std::move(land_cover) : read_study_land_cover(study, dem);
    }
    try {
        c.validate();
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(where_in(study, "calibration.file") + e.what());
    }
    return std::make_shared<const ModelCorrection>(std::move(c));
}

} // namespace

std::shared_ptr<const ModelCorrection> read_study_correction(const Study& study, const Dem& dem) { return study_correction(study, dem, nullptr); }

CoverageOptions study_coverage_options(const Study& study, const Dem& dem, int threads) {
    CoverageOptions c = study_coverage_options(study, threads);
    c.rx_clutter = read_study_clutter(study, dem);
    c.correction = study_correction(study, dem, c.rx_clutter); // the clutter's land cover is the classes' land cover
    return c;
}

CoverageOptions study_coverage_options(const Study& study, int threads) {
    CoverageOptions c;
    c.model = std::shared_ptr<const PropagationModel>(make_model(study.model));
    c.mode = study.mode;
    c.profile_sampling = study.profile_sampling;
    if (study.radius_km) {
        c.radius_m = *study.radius_km * 1000.0;
    }
    c.rx_height_agl_m = study.rx_height_m;
    c.rx_gain_dbi = study.rx_gain_dbi;
    c.polarization = polarization_of(study.model);
    c.cpich_fraction = study.cpich_fraction;
    c.thresholds = study.thresholds;
    c.threads = threads;
    c.clutter_along_path = study.clutter == "path"; // with the land cover, which read_study_clutter() gives
    return c;
}

namespace {

SettingStep setting_step(std::string label, SettingStep::Kind kind, const Study& study, const StudyAnalysis& a) {
    SettingStep row;
    row.label = std::move(label);
    row.kind = kind;
    row.location_pct = study.model.location_pct.value_or(50.0);
    row.model_description = describe_model(study.model);
    for (const HamletReport& h : a.hamlets) {
        row.households += h.hamlet.households;
        for (const HamletTechnology& t : h.technologies) {
            row.households_served += t.technology == a.rule.technology ? t.households_served : 0.0;
        }
        row.dead_zones += h.dead_zone ? 1U : 0U;
    }
    for (const DeadZonePriority& p : a.priorities) {
        row.ranking.push_back(p.name);
    }
    return row;
}

} // namespace

std::vector<SettingStep> study_setting_steps(const Study& study, const StudyInputs& inputs, const Dem& dem, const StudyAnalysis& analysis,
                                             int threads, const ProgressFn& progress) {
    std::vector<std::string> ids;
    for (const Sector& s : inputs.sectors) {
        ids.push_back(s.sector_id);
    }
    // The plain setting: ITM with the study's parameters, no clutter, the median, outdoors, no plan, no Monte Carlo.
    Study step = study;
    step.planning.enabled = false;
    step.uncertainty.enabled = false;
    step.model.model = "itm";
    step.model.location_pct.reset();
    step.model.location_sigma_db.reset();
    step.model.itm.location_pct = 50.0;
    step.clutter = "none";
    step.indoor.enabled = false;
    const double location_pct = study.model.location_pct.value_or(study.model.model == "itm" ? study.model.itm.location_pct : 50.0);
    using Kind = SettingStep::Kind;
    std::vector<std::tuple<std::string, Kind, Study>> rows{{"ITM, no clutter, median, outdoors", Kind::plain, step}};
    if (study.clutter != "none") {
        step.clutter = "p2108"; // ITM takes the receiver's clutter (P.1812 may take it along the path: the last row)
        rows.emplace_back("+ trees and houses at the receiver (ITU-R P.2108)", Kind::receiver_clutter, step);
    }
    if (location_pct != 50.0) {
        step.model.location_pct = location_pct;
        step.model.itm.mdvar = 3; // broadcast: ITM's location variability on its own
        rows.emplace_back(format("+ %g %% of locations (ITM's location variability)", location_pct), Kind::location, step);
    }
    if (study.indoor.enabled) {
        step.indoor = study.indoor;
        rows.emplace_back("+ households indoors (ITU-R P.2109)", Kind::indoors, step);
    }
    // Every row with clutter reads the same land cover onto the same grid: read it once.
    const std::shared_ptr<const ClutterMap> clutter = study.clutter != "none" ? read_study_clutter(study, dem) : nullptr;
    std::vector<SettingStep> out;
    const std::size_t computed = rows.size();
    for (std::size_t i = 0; i < computed; ++i) {
        const Study& s = std::get<2>(rows[i]);
        const ProgressFn part = scaled(progress, static_cast<double>(i) / static_cast<double>(computed),
                                       static_cast<double>(i + 1) / static_cast<double>(computed));
        CoverageOptions c = study_coverage_options(s, threads);
        c.rx_clutter = s.clutter != "none" ? clutter : nullptr;
        const CoverageMap map = CoverageEngine(dem, inputs.sectors, c).compute(scaled(part, 0.0, 0.9));
        const std::vector<TechnologyCoverage> by_tech = coverage_by_technology(map, dem, c);
        const StudyAnalysis a = analyse_study(s, inputs, dem, by_tech, ids, c, scaled(part, 0.9, 1.0));
        out.push_back(setting_step(std::get<0>(rows[i]), std::get<1>(rows[i]), s, a));
    }
    out.push_back(setting_step("= the study's setting: " + describe_model(study.model) +
                                   (study.clutter == "path" ? ", clutter along the path (P.1812 §3.2)"
                                    : study.clutter == "p2108" ? ", receiver clutter (P.2108)"
                                                               : "") +
                                   (study.indoor.enabled ? ", indoors" : ", outdoors") +
                                   (study.calibration_file.empty()
                                        ? std::string()
                                        : ", calibrated (" + std::filesystem::path(study.calibration_file).filename().string() + ")"),
                               SettingStep::Kind::study, study, analysis));
    report(progress, 1.0, "setting steps");
    return out;
}

DeadZoneRule study_dead_zone_rule(const Study& study, const std::vector<Sector>& sectors) {
    DeadZoneRule rule = study.dead_zone;
    rule.indoor_loss_db = 0.0;
    if (!study.indoor.enabled) {
        return rule;
    }
    double freq_mhz = 0.0;
    for (const Sector& s : sectors) {
        if (s.technology == rule.technology) {
            freq_mhz = std::max(freq_mhz, s.freq_mhz);
        }
    }
    if (freq_mhz <= 0.0) {
        throw InvalidArgument("study file '" + study.study_file + "', key 'dead_zone.indoor': no sector of the rule's technology (" +
                              traits(rule.technology).key + ") gives the frequency of the building entry loss");
    }
    rule.indoor_loss_db = p2109_building_entry_loss_db(freq_mhz, study.indoor.building_entry_pct, study.indoor.building_type);
    return rule;
}

StudyAnalysis analyse_study(const Study& study, const StudyInputs& inputs, const Dem& dem,
                            const std::vector<TechnologyCoverage>& by_technology, const std::vector<std::string>& sector_ids,
                            const CoverageOptions& coverage, const ProgressFn& progress) {
    using Clock = std::chrono::steady_clock;
    const auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
    auto t0 = Clock::now();
    StudyAnalysis out;
    out.fibre = FibreNetwork(dem, inputs.fibre_routes);
    std::vector<TechnologyLayer> layers;
    for (const TechnologyCoverage& t : by_technology) {
        layers.push_back(TechnologyLayer{t.technology, &t.composite.signal_dbm, &t.composite.best_server, sector_ids, t.thresholds});
    }
    report(progress, 0.0, "hamlets and priorities");
    out.rule = study_dead_zone_rule(study, inputs.sectors);
    out.hamlets = analyse_hamlets(dem, inputs.hamlets, layers, out.rule);
    out.priorities = rank_dead_zones(dem, out.hamlets, out.rule, out.fibre, inputs.sectors, study.weights);
    out.analysis_s = seconds_since(t0);
    // The dead-zone rule's technology (analyse_hamlets checked it is there): the plan and the Monte Carlo start from its coverage.
    const auto rule_cov = std::find_if(by_technology.begin(), by_technology.end(),
                                       [&](const TechnologyCoverage& t) { return t.technology == study.dead_zone.technology; });
    if (rule_cov == by_technology.end()) {
        throw InvalidArgument("study file '" + study.study_file + "', key 'dead_zone.technology': no sector of that technology");
    }
    // How sure the ranking and the plan are, when the study asks.
    const auto assess = [&] {
        if (!study.uncertainty.enabled) {
            return;
        }
        report(progress, 0.96, "uncertainty");
        const auto t1 = Clock::now();
        UncertaintySettings u = study.uncertainty.settings;
        std::string source = study.uncertainty.model_error_given ? "study" : "default";
        if (!study.uncertainty.model_error_given && !study.calibration_file.empty()) {
            for (const CalibrationSummary::Term& term : read_calibration_summary(study.calibration_file).terms) {
                if (term.technology == out.rule.technology && term.after.bins > 0) {
                    u.model_error_db = term.after.rms_db; // held out: what the calibrated prediction still gets wrong
                    source = "calibration";
                    break;
                }
            }
        }
        try {
            out.uncertainty = assess_uncertainty(dem, out.hamlets, out.rule, rule_cov->thresholds, rule_cov->composite.signal_dbm, out.fibre,
                                                 inputs.sectors, study.weights, out.priorities, out.plan ? &*out.plan : nullptr, u);
        } catch (const InvalidArgument& e) {
            throw InvalidArgument("study file '" + study.study_file + "', table [uncertainty]: " + e.what());
        }
        out.uncertainty->model_error_source = source;
        out.analysis_s += seconds_since(t1);
    };
    if (!study.planning.enabled) {
        assess();
        report(progress, 1.0, "done");
        return out;
    }
    report(progress, 0.1, "planning");
    t0 = Clock::now();
    const Study::Planning& p = study.planning;
    CostLayers cost_layers;
    if (!p.roads_file.empty()) {
        cost_layers.roads = rasterize_vector(p.roads_file, dem);
    }
    if (!p.rivers_file.empty()) {
        cost_layers.rivers = rasterize_vector(p.rivers_file, dem);
    }
    if (!p.landcover_file.empty()) {
        cost_layers.landcover = read_raster_on_grid(p.landcover_file, dem);
    }
    const CostSurface cost(dem, p.settings.costs, cost_layers);
    std::vector<Candidate> candidates;
    if (!p.candidates_file.empty()) {
        candidates = read_candidates(p.candidates_file, p.settings.search.mast_height_m, p.settings.small_cell.mast_height_m);
    }
    out.plan = plan_network(dem, out.hamlets, out.rule, rule_cov->thresholds, rule_cov->composite.signal_dbm, inputs.sectors,
                            out.fibre, cost, candidates, p.settings, coverage, scaled(progress, 0.1, 0.95));
    out.planning_s = seconds_since(t0);
    assess();
    report(progress, 1.0, "done");
    return out;
}

std::vector<std::string> write_study_rasters(const std::string& folder, const Study& study,
                                             const std::vector<TechnologyCoverage>& by_technology,
                                             const std::vector<std::string>& sector_ids) {
    namespace fs = std::filesystem;
    std::vector<std::string> written;
    auto add = [&](const std::string& name) {
        written.push_back(name);
        return (fs::path(folder) / name).string();
    };
    for (const TechnologyCoverage& t : by_technology) {
        const std::string measure = signal_measure_name(t.technology);
        const std::string generation = generation_name(t.technology);
        write_raster(add(detail::signal_file(t.technology)), {&t.composite.signal_dbm},
                     {BandInfo{generation + " best-server " + measure + ", receiver " + format("%.1f", study.rx_height_m) + " m above ground",
                               "dBm"}});
        write_raster(add(detail::technology_file("signal_class", t.technology)), {&t.composite.signal_class},
                     {BandInfo{generation + " signal class of the best server", ""}}, signal_class_palette(t.thresholds, measure));
        write_raster(add(detail::technology_file("best_server", t.technology)), t.composite.best_server,
                     BandInfo{generation + " best server: index of the sector (see colour table names)", ""}, server_palette(sector_ids));
    }
    return written;
}

std::vector<std::string> write_study_tables(const std::string& folder, [[maybe_unused]] const Study& study, const StudyAnalysis& analysis,
                                            bool plan_only) {
    namespace fs = std::filesystem;
    std::vector<std::string> written;
    auto add = [&](const std::string& name) {
        written.push_back(name);
        return (fs::path(folder) / name).string();
    };
    if (analysis.plan) {
        write_plan_csv(add("plan.csv"), *analysis.plan, analysis.uncertainty ? &*analysis.uncertainty : nullptr);
        if (analysis.uncertainty) {
            write_uncertainty_csv(add("uncertainty_households.csv"), *analysis.uncertainty);
        }
        write_plan_geojson(add("plan.geojson"), *analysis.plan);
    }
    if (!plan_only) {
        write_hamlets_csv(add("hamlets.csv"), analysis.hamlets, analysis.rule);
        write_hamlets_geojson(add("hamlets.geojson"), analysis.hamlets, analysis.rule);
        write_priorities_csv(add("priorities.csv"), analysis.priorities, analysis.uncertainty ? &analysis.uncertainty->ranks : nullptr);
    }
    return written;
}

} // namespace coverage
