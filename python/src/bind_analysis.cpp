// Hamlets, fibre and dead-zone priorities.

#include "common.hpp"

#include <tuple>

#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/analysis/priorities.hpp>
#include <coverage/analysis/calibration.hpp>
#include <coverage/analysis/measurements.hpp>

namespace libcoverage_py {

using namespace pybind11::literals;

void bind_analysis(py::module_& m) {
    using namespace coverage;

    py::class_<HouseholdPoint>(m, "HouseholdPoint", "Where households live: a house, a footprint's point, or a point with several.")
        .def(py::init([](GeoPoint location, double households) { return HouseholdPoint{location, households}; }), py::kw_only(),
             "location"_a, "households"_a = 1.0)
        .def_readwrite("location", &HouseholdPoint::location)
        .def_readwrite("households", &HouseholdPoint::households, "How many households the point stands for (> 0).");
    py::class_<HouseholdCell>(m, "HouseholdCell", "One grid cell of a hamlet and the households in it.")
        .def_readonly("cell", &HouseholdCell::cell)
        .def_readonly("households", &HouseholdCell::households);
    py::class_<HouseholdPointsSummary>(m, "HouseholdPointsSummary", "What read_household_points did with a file's points.")
        .def_readonly("path", &HouseholdPointsSummary::path)
        .def_readonly("points", &HouseholdPointsSummary::points)
        .def_readonly("linked", &HouseholdPointsSummary::linked)
        .def_readonly("outside", &HouseholdPointsSummary::outside, "Points in no hamlet, left out.")
        .def_readonly("hamlets_with_points", &HouseholdPointsSummary::hamlets_with_points);
    py::class_<Hamlet>(m, "Hamlet", "A settlement: a point and the radius its houses spread over, or its outline, with its people.")
        .def(py::init([](std::string hamlet_id, std::string name, GeoPoint location, double settlement_radius_m, int households,
                         int population, std::vector<std::vector<GeoPoint>> outline, std::vector<HouseholdPoint> homes) {
                 return Hamlet{std::move(hamlet_id), std::move(name), location, settlement_radius_m, households, population, std::move(outline),
                               std::move(homes)};
             }),
             py::kw_only(), "hamlet_id"_a = "", "name"_a = "", "location"_a = GeoPoint{}, "settlement_radius_m"_a = 300.0, "households"_a = 0,
             "population"_a = 0, "outline"_a = std::vector<std::vector<GeoPoint>>{}, "homes"_a = std::vector<HouseholdPoint>{})
        .def_readwrite("hamlet_id", &Hamlet::hamlet_id)
        .def_readwrite("name", &Hamlet::name)
        .def_readwrite("location", &Hamlet::location, "GeoPoint: the point, or a point inside the outline.")
        .def_readwrite("settlement_radius_m", &Hamlet::settlement_radius_m, "Houses lie within this distance of the point, metres.")
        .def_readwrite("households", &Hamlet::households)
        .def_readwrite("population", &Hamlet::population)
        .def_readwrite("outline", &Hamlet::outline, "Outline rings (lists of GeoPoints, even-odd rule); empty: use the radius.")
        .def_readwrite("homes", &Hamlet::homes, "HouseholdPoints: where its households live; empty: spread evenly over its cells.")
        .def("__repr__", [](const Hamlet& h) { return "<Hamlet " + h.hamlet_id + " " + h.name + ", " + std::to_string(h.households) + " households>"; });
    m.def("read_hamlets", &read_hamlets, "path"_a, "Hamlets from GeoJSON / GeoPackage / CSV (points with a radius, or outlines).");
    m.def("hamlet_cells", &hamlet_cells, "dem"_a, "hamlet"_a, "The grid Cells of a hamlet's outline or settlement radius.");
    m.def("household_cells", &household_cells, "dem"_a, "hamlet"_a,
          "HouseholdCells: where the hamlet's households live on the grid (at its points, or spread evenly), summing to its households.");
    m.def(
        "read_household_points",
        [](const std::string& path, std::vector<Hamlet> hamlets) {
            HouseholdPointsSummary s = read_household_points(path, hamlets);
            return std::pair{std::move(hamlets), s};
        },
        "path"_a, "hamlets"_a,
        "(hamlets with their homes, summary): points or footprints linked by hamlet_id / hamlet (name), else by outline or radius.");

    py::class_<TechnologyCoverage>(m, "TechnologyCoverage", "One technology's own composite, with the thresholds that classify it.")
        .def(py::init([](Technology technology, Composite composite, SignalThresholds thresholds) {
                 return TechnologyCoverage{technology, std::move(composite), std::move(thresholds)};
             }),
             py::kw_only(), "technology"_a, "composite"_a, "thresholds"_a)
        .def_readonly("technology", &TechnologyCoverage::technology)
        .def_readonly("composite", &TechnologyCoverage::composite)
        .def_readonly("thresholds", &TechnologyCoverage::thresholds);
    m.def(
        "coverage_by_technology",
        [](const CoverageMap& map, const Dem& dem, const CoverageOptions& options) {
            py::gil_scoped_release nogil;
            return coverage_by_technology(map, dem, options);
        },
        "map"_a, "dem"_a, "options"_a, "One TechnologyCoverage per technology among the map's sectors (LTE first).");

    py::class_<DeadZoneRule>(m, "DeadZoneRule",
                             "A hamlet is a dead zone when fewer than min_households_share of its households get at least min_class.")
        .def(py::init([](Technology technology, SignalClass min_class, double min_households_share, double indoor_loss_db) {
                 return DeadZoneRule{technology, min_class, min_households_share, indoor_loss_db};
             }),
             py::kw_only(), "technology"_a = Technology::lte, "min_class"_a = SignalClass::fair, "min_households_share"_a = 0.5,
             "indoor_loss_db"_a = 0.0)
        .def_readwrite("indoor_loss_db", &DeadZoneRule::indoor_loss_db,
                       "Building entry loss, dB, a household's outdoor signal must exceed the class bound by (0: outdoors).")
        .def("required_dbm", &DeadZoneRule::required_dbm, "thresholds"_a, "The outdoor signal a household needs, dBm.")
        .def_readwrite("technology", &DeadZoneRule::technology)
        .def_readwrite("min_class", &DeadZoneRule::min_class)
        .def_readwrite("min_households_share", &DeadZoneRule::min_households_share, "0..1.");
    py::class_<HamletTechnology>(m, "HamletTechnology", "One hamlet's signal on one technology.")
        .def_readonly("technology", &HamletTechnology::technology)
        .def_readonly("median_dbm", &HamletTechnology::median_dbm, "Median over the households, dBm (None: no signal).")
        .def_readonly("p10_dbm", &HamletTechnology::p10_dbm, "10th percentile, dBm.")
        .def_readonly("best_server", &HamletTechnology::best_server, "Sector id serving the hamlet's point ('' when none).")
        .def_readonly("median_class", &HamletTechnology::median_class)
        .def_readonly("area_served_share", &HamletTechnology::area_served_share, "Share (0..1) of cells at or above the rule's class.")
        .def_readonly("households_served", &HamletTechnology::households_served);
    py::class_<HamletReport>(m, "HamletReport", "A hamlet's statistics per technology and whether it is a dead zone.")
        .def_readonly("hamlet", &HamletReport::hamlet)
        .def_readonly("cells", &HamletReport::cells)
        .def_readonly("technologies", &HamletReport::technologies)
        .def_readonly("dead_zone", &HamletReport::dead_zone)
        .def("__repr__", [](const HamletReport& r) {
            return "<HamletReport " + r.hamlet.name + (r.dead_zone ? " (dead zone)>" : ">");
        });
    m.def(
        "analyse_hamlets",
        [](const Dem& dem, const std::vector<Hamlet>& hamlets, const std::vector<TechnologyCoverage>& coverages, const CoverageMap& map,
           const DeadZoneRule& rule) {
            py::gil_scoped_release nogil;
            return analyse_hamlets(dem, hamlets, technology_layers(coverages, map), rule);
        },
        "dem"_a, "hamlets"_a, "coverages"_a, "map"_a, "rule"_a = DeadZoneRule{},
        "Per-hamlet statistics over each hamlet's cells for every technology in `coverages` (from coverage_by_technology).");
    m.def(
        "analyse_hamlets",
        [](const Dem& dem, const std::vector<Hamlet>& hamlets,
           const std::vector<std::tuple<Technology, const Raster<float>*, const Raster<std::uint16_t>*, SignalThresholds>>& layers,
           const std::vector<std::string>& sector_ids, const DeadZoneRule& rule) {
            std::vector<TechnologyLayer> l;
            for (const auto& [technology, signal, best, thresholds] : layers) {
                if (signal == nullptr || best == nullptr) {
                    throw InvalidArgument("analyse_hamlets: a layer needs a signal and a best-server raster");
                }
                l.push_back(TechnologyLayer{technology, signal, best, sector_ids, thresholds});
            }
            py::gil_scoped_release nogil;
            return analyse_hamlets(dem, hamlets, l, rule);
        },
        "dem"_a, "hamlets"_a, "layers"_a, "sector_ids"_a, "rule"_a = DeadZoneRule{},
        "Per-hamlet statistics from rasters: layers are (technology, signal_dbm RasterFloat32, best_server RasterUInt16 indexing "
        "sector_ids, thresholds), e.g. composites merged from tiles (libcoverage.distributed).");
    m.def("write_hamlets_csv", &write_hamlets_csv, "path"_a, "reports"_a, "rule"_a = DeadZoneRule{}, "hamlets.csv, atomically.");
    m.def("write_hamlets_geojson", &write_hamlets_geojson, "path"_a, "reports"_a, "rule"_a = DeadZoneRule{}, "hamlets.geojson, atomically.");

    py::class_<FibreRoute>(m, "FibreRoute", "One fibre cable route: a polyline of GeoPoints.")
        .def(py::init([](std::string route_id, std::string name, std::vector<GeoPoint> points) {
                 return FibreRoute{std::move(route_id), std::move(name), std::move(points)};
             }),
             py::kw_only(), "route_id"_a = "", "name"_a = "", "points"_a = std::vector<GeoPoint>{})
        .def_readwrite("route_id", &FibreRoute::route_id)
        .def_readwrite("name", &FibreRoute::name)
        .def_readwrite("points", &FibreRoute::points);
    m.def("read_fibre_routes", &read_fibre_routes, "path"_a, "Fibre routes (lines) from GeoJSON / GeoPackage / KML / Shapefile.");
    py::class_<FibreAccess>(m, "FibreAccess", "The point of the network nearest to a place.")
        .def_readonly("distance_m", &FibreAccess::distance_m)
        .def_readonly("route_id", &FibreAccess::route_id)
        .def_readonly("point", &FibreAccess::point, "GridPoint on the route.");
    py::class_<FibreNetwork>(m, "FibreNetwork", "Existing fibre projected onto a DEM's grid, for distances.")
        .def(py::init<>())
        .def(py::init<const Dem&, std::vector<FibreRoute>>(), "dem"_a, "routes"_a)
        .def_property_readonly("routes", &FibreNetwork::routes)
        .def_property_readonly("empty", &FibreNetwork::empty)
        .def_property_readonly("length_m", &FibreNetwork::length_m, "Total length, metres.")
        .def("nearest", &FibreNetwork::nearest, "point"_a, "Nearest point of the network to a GridPoint (FibreAccess).");

    py::class_<PriorityWeights>(m, "PriorityWeights", "Weights of the dead-zone priority score (any scale; score = 100·Σw·part/Σw).")
        .def(py::init([](double households_unserved, double fibre_distance, double tower_distance, double terrain_difficulty,
                         double terrain_radius_m) {
                 return PriorityWeights{households_unserved, fibre_distance, tower_distance, terrain_difficulty, terrain_radius_m};
             }),
             py::kw_only(), "households_unserved"_a = 0.4, "fibre_distance"_a = 0.25, "tower_distance"_a = 0.15,
             "terrain_difficulty"_a = 0.2, "terrain_radius_m"_a = 1000.0)
        .def_readwrite("households_unserved", &PriorityWeights::households_unserved)
        .def_readwrite("fibre_distance", &PriorityWeights::fibre_distance)
        .def_readwrite("tower_distance", &PriorityWeights::tower_distance)
        .def_readwrite("terrain_difficulty", &PriorityWeights::terrain_difficulty)
        .def_readwrite("terrain_radius_m", &PriorityWeights::terrain_radius_m, "Mean slope is taken within this distance, metres.")
        .def("validate", &PriorityWeights::validate, "Raise InvalidArgument for a negative weight, all zero, or a bad radius.");
    py::class_<PriorityFactors>(m, "PriorityFactors", "What a priority score is made of.")
        .def_readonly("households_unserved", &PriorityFactors::households_unserved)
        .def_readonly("fibre_distance_m", &PriorityFactors::fibre_distance_m)
        .def_readonly("nearest_fibre_route", &PriorityFactors::nearest_fibre_route)
        .def_readonly("tower_distance_m", &PriorityFactors::tower_distance_m)
        .def_readonly("nearest_tower", &PriorityFactors::nearest_tower)
        .def_readonly("mean_slope_deg", &PriorityFactors::mean_slope_deg);
    py::class_<PriorityPoints>(m, "PriorityPoints", "Points (out of 100 in all) each factor contributes.")
        .def_readonly("households", &PriorityPoints::households)
        .def_readonly("fibre", &PriorityPoints::fibre)
        .def_readonly("tower", &PriorityPoints::tower)
        .def_readonly("terrain", &PriorityPoints::terrain);
    py::class_<DeadZonePriority>(m, "DeadZonePriority", "A ranked dead-zone hamlet, with its score and the reason in words.")
        .def_readonly("rank", &DeadZonePriority::rank, "1 = serve first.")
        .def_readonly("hamlet_id", &DeadZonePriority::hamlet_id)
        .def_readonly("name", &DeadZonePriority::name)
        .def_readonly("households", &DeadZonePriority::households)
        .def_readonly("factors", &DeadZonePriority::factors)
        .def_readonly("points", &DeadZonePriority::points)
        .def_readonly("score", &DeadZonePriority::score, "0..100.")
        .def_readonly("reason", &DeadZonePriority::reason)
        .def_readonly("reason_vi", &DeadZonePriority::reason_vi)
        .def("__repr__", [](const DeadZonePriority& p) { return "<DeadZonePriority " + std::to_string(p.rank) + ". " + p.name + ">"; });
    m.def(
        "rank_dead_zones",
        [](const Dem& dem, const std::vector<HamletReport>& reports, const DeadZoneRule& rule, const FibreNetwork& fibre,
           const std::vector<Sector>& towers, const PriorityWeights& weights) {
            py::gil_scoped_release nogil;
            return rank_dead_zones(dem, reports, rule, fibre, towers, weights);
        },
        "dem"_a, "reports"_a, "rule"_a, "fibre"_a, "towers"_a, "weights"_a = PriorityWeights{},
        "Rank the dead-zone hamlets by the weighted score (households, fibre distance, tower distance, terrain).");
    m.def("mean_slope_deg", &mean_slope_deg, "dem"_a, "centre"_a, "radius_m"_a, "Mean slope, degrees, of the cells within radius_m of a GridPoint.");
    py::class_<RankStability>(m, "RankStability", "How a dead zone ranks across the Monte Carlo's trials.")
        .def_readonly("hamlet_id", &RankStability::hamlet_id)
        .def_readonly("name", &RankStability::name)
        .def_readonly("rank", &RankStability::rank, "The deterministic rank (0: not a dead zone there).")
        .def_readonly("dead_zone_share", &RankStability::dead_zone_share, "Share of trials in which it is a dead zone.")
        .def_readonly("median_rank", &RankStability::median_rank, "Over the trials in which it is a dead zone (0: never).")
        .def_readonly("top3_share", &RankStability::top3_share, "Share of all trials ranked 1-3.")
        .def_readonly("first_share", &RankStability::first_share, "Share of all trials ranked first.")
        .def_readonly("rank_counts", &RankStability::rank_counts, "[r]: trials ranked r + 1; last: trials not a dead zone.");
    m.def("score_dead_zones", &score_dead_zones, "zones"_a, "weights"_a, "use_fibre"_a,
          "Points, score and rank of dead zones whose factors are filled in (returns nothing: use rank_dead_zones from Python).");
    m.def(
        "write_priorities_csv",
        [](const std::string& path, const std::vector<DeadZonePriority>& priorities, std::optional<std::vector<RankStability>> stability) {
            write_priorities_csv(path, priorities, stability ? &*stability : nullptr);
        },
        "path"_a, "priorities"_a, "stability"_a = py::none(), "priorities.csv, atomically (with the Monte Carlo's columns when given).");

    py::enum_<MeasuredQuantity>(m, "MeasuredQuantity", "What a drive-test level measures.")
        .value("rsrp", MeasuredQuantity::rsrp)
        .value("rscp", MeasuredQuantity::rscp)
        .value("rssi", MeasuredQuantity::rssi);
    py::class_<Measurement>(m, "Measurement", "One accepted drive-test sample.")
        .def_readonly("row", &Measurement::row)
        .def_readonly("position", &Measurement::position)
        .def_readonly("level_dbm", &Measurement::level_dbm)
        .def_readonly("quantity", &Measurement::quantity)
        .def_readonly("sector", &Measurement::sector, "Index into the sectors.")
        .def_readonly("time_s", &Measurement::time_s)
        .def_readonly("rx_height_agl_m", &Measurement::rx_height_agl_m);
    py::class_<MeasurementOptions>(m, "MeasurementOptions", "How measurements are read: the RSSI bandwidth, the plausible level range.")
        .def(py::init<>())
        .def_readwrite("rssi_bandwidth_mhz", &MeasurementOptions::rssi_bandwidth_mhz)
        .def_readwrite("min_level_dbm", &MeasurementOptions::min_level_dbm)
        .def_readwrite("max_level_dbm", &MeasurementOptions::max_level_dbm);
    py::class_<MeasurementSet>(m, "MeasurementSet", "The samples of a file and what was refused, per reason.")
        .def_readonly("path", &MeasurementSet::path)
        .def_readonly("format", &MeasurementSet::format)
        .def_readonly("rows", &MeasurementSet::rows)
        .def_readonly("samples", &MeasurementSet::samples)
        .def_readonly("refused", &MeasurementSet::refused, "{reason: rows}")
        .def_readonly("first_refused_row", &MeasurementSet::first_refused_row);
    m.def(
        "read_measurements",
        [](const std::string& path, const std::vector<Sector>& sectors, const MeasurementOptions& o) {
            py::gil_scoped_release nogil;
            return read_measurements(path, sectors, o);
        },
        "path"_a, "sectors"_a, "options"_a = MeasurementOptions{},
        "Drive-test samples (CSV/GeoJSON/GeoPackage table or a G-NetTrack Pro log), each tied to its serving sector; bad rows "
        "counted per reason.");
    py::class_<BinOptions>(m, "BinOptions", "How samples become bins.")
        .def(py::init<>())
        .def_readwrite("bin_length_m", &BinOptions::bin_length_m, "Default: 40 wavelengths (a study passes its cell size).")
        .def_readwrite("min_samples", &BinOptions::min_samples)
        .def_readwrite("min_distance_m", &BinOptions::min_distance_m)
        .def_readwrite("max_distance_m", &BinOptions::max_distance_m)
        .def_readwrite("floor_dbm", &BinOptions::floor_dbm, "Default: the measure's noise floor.")
        .def_readwrite("censor_margin_db", &BinOptions::censor_margin_db, "Drop bins predicted less than this above the floor.");
    m.def("drop_censored_bins", [](BinnedMeasurements& b, const std::vector<Sector>& s, const BinOptions& o, std::optional<double> bw) {
              drop_censored_bins(b, s, o, bw);
              return b;
          }, "binned"_a, "sectors"_a, "options"_a, "rssi_bandwidth_mhz"_a = py::none(),
          "A copy without the bins predicted within options.censor_margin_db of the floor (counted in .dropped).");
    py::class_<CalibrationBin>(m, "CalibrationBin", "Samples of one serving sector along a stretch of route.")
        .def(py::init<>())
        .def_readwrite("sector", &CalibrationBin::sector)
        .def_readwrite("position", &CalibrationBin::position)
        .def_readwrite("grid", &CalibrationBin::grid)
        .def_readwrite("distance_m", &CalibrationBin::distance_m)
        .def_readwrite("samples", &CalibrationBin::samples)
        .def_readwrite("measured_dbm", &CalibrationBin::measured_dbm)
        .def_readwrite("spread_db", &CalibrationBin::spread_db)
        .def_readwrite("quantity", &CalibrationBin::quantity)
        .def_readwrite("predicted_dbm", &CalibrationBin::predicted_dbm)
        .def_readwrite("class_code", &CalibrationBin::class_code)
        .def_readwrite("time_s", &CalibrationBin::time_s)
        .def_readwrite("first_row", &CalibrationBin::first_row)
        .def_readwrite("rx_height_agl_m", &CalibrationBin::rx_height_agl_m, "The phone's height when every sample of the bin gives it.")
        .def_property_readonly("residual_db", &CalibrationBin::residual_db, "measured − predicted, dB");
    py::class_<BinnedMeasurements>(m, "BinnedMeasurements", "The bins of a measurement set and what binning dropped, per reason.")
        .def_readonly("bins", &BinnedMeasurements::bins)
        .def_readonly("dropped", &BinnedMeasurements::dropped)
        .def_readonly("bin_length_m", &BinnedMeasurements::bin_length_m);
    m.def("bin_measurements", &bin_measurements, "measurements"_a, "sectors"_a, "dem"_a, "options"_a = BinOptions{},
          "Average samples in bins along the route (power mean), dropping bins by the options' rules (counted).");
    py::class_<ErrorStats>(m, "ErrorStats", "Error of predictions against measurements (measured − predicted) over bins.")
        .def_readonly("bins", &ErrorStats::bins)
        .def_readonly("mean_db", &ErrorStats::mean_db)
        .def_readonly("std_db", &ErrorStats::std_db)
        .def_readonly("rms_db", &ErrorStats::rms_db);
    py::class_<FitOptions> fit_options(m, "FitOptions", "How the correction is fitted and judged.");
    py::enum_<FitOptions::Folds>(fit_options, "Folds")
        .value("spatial_blocks", FitOptions::Folds::spatial_blocks)
        .value("random", FitOptions::Folds::random);
    fit_options.def(py::init<>())
        .def_readwrite("fit_slope", &FitOptions::fit_slope)
        .def_readwrite("class_offsets", &FitOptions::class_offsets)
        .def_readwrite("class_prior_db", &FitOptions::class_prior_db)
        .def_readwrite("min_class_bins", &FitOptions::min_class_bins)
        .def_readwrite("folds_kind", &FitOptions::folds_kind)
        .def_readwrite("folds", &FitOptions::folds)
        .def_readwrite("block_m", &FitOptions::block_m)
        .def_readwrite("seed", &FitOptions::seed);
    py::class_<FittedTerm>(m, "FittedTerm", "One fitted technology and band, with standard errors and held-out errors.")
        .def_readonly("term", &FittedTerm::term)
        .def_readonly("offset_se_db", &FittedTerm::offset_se_db)
        .def_readonly("slope_se_db", &FittedTerm::slope_se_db)
        .def_readonly("class_offset_se_db", &FittedTerm::class_offset_se_db)
        .def_readonly("class_correction_db", &FittedTerm::class_correction_db, "{code: offset + class offset}, what a class receives")
        .def_readonly("class_correction_se_db", &FittedTerm::class_correction_se_db)
        .def_readonly("class_bins", &FittedTerm::class_bins)
        .def_readonly("bins", &FittedTerm::bins)
        .def_readonly("samples", &FittedTerm::samples)
        .def_readonly("blocks", &FittedTerm::blocks)
        .def_readonly("fit_before", &FittedTerm::fit_before)
        .def_readonly("fit_after", &FittedTerm::fit_after)
        .def_readonly("held_out_before", &FittedTerm::held_out_before)
        .def_readonly("held_out_after", &FittedTerm::held_out_after)
        .def_readonly("per_sector", &FittedTerm::per_sector, "{sector_id: (held-out before, after)}")
        .def_readonly("per_class", &FittedTerm::per_class, "{land-cover code: (held-out before, after)}");
    py::class_<CalibrationFit>(m, "CalibrationFit", "The fit of every technology and band found in the bins, with warnings.")
        .def_readonly("terms", &CalibrationFit::terms)
        .def_readonly("warnings", &CalibrationFit::warnings)
        .def_readonly("options", &CalibrationFit::options)
        .def_readonly("held_out_correction_db", &CalibrationFit::held_out_correction_db, "Per bin, its cross-validated correction.")
        .def("correction", [](const CalibrationFit& f) { return std::make_shared<ModelCorrection>(f.correction()); },
             "The ModelCorrection the terms make (attach .classes for class offsets).");
    m.def(
        "fit_calibration",
        [](const std::vector<CalibrationBin>& bins, const std::vector<Sector>& sectors, const FitOptions& o) {
            py::gil_scoped_release nogil;
            return fit_calibration(bins, sectors, o);
        },
        "bins"_a, "sectors"_a, "options"_a = FitOptions{},
        "Fit the correction per technology and band (regularised weighted least squares) and cross-validate it.");
}

} // namespace libcoverage_py
