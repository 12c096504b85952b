// Hamlets, fibre and dead-zone priorities.

#include "common.hpp"

#include <tuple>

#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/analysis/priorities.hpp>

namespace libcoverage_py {

using namespace pybind11::literals;

void bind_analysis(py::module_& m) {
    using namespace coverage;

    py::class_<Hamlet>(m, "Hamlet", "A settlement: a point and the radius its houses spread over, or its outline, with its people.")
        .def(py::init([](std::string hamlet_id, std::string name, GeoPoint location, double settlement_radius_m, int households,
                         int population, std::vector<std::vector<GeoPoint>> outline) {
                 return Hamlet{std::move(hamlet_id), std::move(name), location, settlement_radius_m, households, population, std::move(outline)};
             }),
             py::kw_only(), "hamlet_id"_a = "", "name"_a = "", "location"_a = GeoPoint{}, "settlement_radius_m"_a = 300.0, "households"_a = 0,
             "population"_a = 0, "outline"_a = std::vector<std::vector<GeoPoint>>{})
        .def_readwrite("hamlet_id", &Hamlet::hamlet_id)
        .def_readwrite("name", &Hamlet::name)
        .def_readwrite("location", &Hamlet::location, "GeoPoint: the point, or a point inside the outline.")
        .def_readwrite("settlement_radius_m", &Hamlet::settlement_radius_m, "Houses lie within this distance of the point, metres.")
        .def_readwrite("households", &Hamlet::households)
        .def_readwrite("population", &Hamlet::population)
        .def_readwrite("outline", &Hamlet::outline, "Outline rings (lists of GeoPoints, even-odd rule); empty: use the radius.")
        .def("__repr__", [](const Hamlet& h) { return "<Hamlet " + h.hamlet_id + " " + h.name + ", " + std::to_string(h.households) + " households>"; });
    m.def("read_hamlets", &read_hamlets, "path"_a, "Hamlets from GeoJSON / GeoPackage / CSV (points with a radius, or outlines).");
    m.def("hamlet_cells", &hamlet_cells, "dem"_a, "hamlet"_a, "The grid Cells a hamlet's households live in.");

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
        .def_readonly("median_dbm", &HamletTechnology::median_dbm, "Median over the settlement's cells, dBm (None: no signal).")
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
    m.def("write_priorities_csv", &write_priorities_csv, "path"_a, "priorities"_a, "priorities.csv, atomically.");
}

} // namespace libcoverage_py
