// Sites, antennas and the coverage engine.

#include "common.hpp"

#include <coverage/radio/antenna.hpp>
#include <coverage/coverage/clutter_map.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/study/coverage_outputs.hpp>
#include <coverage/radio/sector.hpp>

namespace libcoverage_py {

using namespace pybind11::literals;

void bind_coverage(py::module_& m) {
    using namespace coverage;

    py::class_<AntennaPattern, std::shared_ptr<AntennaPattern>>(m, "AntennaPattern",
                                                                "A sector antenna's pattern as attenuation below its peak, dB (omni by default).")
        .def(py::init<>(), "An omnidirectional pattern (0 dB everywhere).")
        .def_static(
            "read_msi", [](const std::string& path) { return std::make_shared<AntennaPattern>(AntennaPattern::read_msi(path)); }, "path"_a,
            "Read a Planet/MSI pattern file.")
        .def_property_readonly("is_omni", &AntennaPattern::is_omni)
        .def_property_readonly("gain_dbi", &AntennaPattern::gain_dbi, "Peak gain, dBi (0 for omni).")
        .def_property_readonly("name", &AntennaPattern::name)
        .def("attenuation_db", &AntennaPattern::attenuation_db, "azimuth_rel_deg"_a, "below_horizon_deg"_a,
             "Attenuation, dB, toward a direction: azimuth relative to boresight (degrees clockwise) and angle below the tilted "
             "horizon (degrees).");

    py::class_<Sector>(m, "Sector", "One transmitting sector of a tower (a tower with three sectors is three Sectors sharing site_id).")
        .def(py::init<>())
        .def_readwrite("site_id", &Sector::site_id)
        .def_readwrite("sector_id", &Sector::sector_id)
        .def_readwrite("name", &Sector::name)
        .def_readwrite("location", &Sector::location, "GeoPoint of the mast.")
        .def_readwrite("ground_elev_m", &Sector::ground_elev_m, "Ground elevation, m above MSL; None: from the DEM.")
        .def_readwrite("height_agl_m", &Sector::height_agl_m, "Antenna height above ground, metres.")
        .def_readwrite("technology", &Sector::technology)
        .def_readwrite("freq_mhz", &Sector::freq_mhz, "Carrier frequency, MHz.")
        .def_readwrite("bandwidth_mhz", &Sector::bandwidth_mhz, "LTE and NR channel bandwidth, MHz.")
        .def_readwrite("subcarrier_spacing_khz", &Sector::subcarrier_spacing_khz, "NR subcarrier spacing, kHz (15 or 30).")
        .def_readwrite("tx_power_dbm", &Sector::tx_power_dbm, "Total power at the antenna connector, dBm.")
        .def_readwrite("antenna_gain_dbi", &Sector::antenna_gain_dbi, "Peak gain, dBi.")
        .def_readwrite("cable_loss_db", &Sector::cable_loss_db)
        .def_readwrite("azimuth_deg", &Sector::azimuth_deg, "Boresight, degrees clockwise from true north.")
        .def_readwrite("tilt_deg", &Sector::tilt_deg, "Mechanical + electrical downtilt, degrees (positive = down).")
        .def_property(
            "pattern", [](const Sector& s) { return std::const_pointer_cast<AntennaPattern>(s.pattern); },
            [](Sector& s, std::shared_ptr<AntennaPattern> p) {
                if (!p) {
                    throw InvalidArgument("Sector.pattern: use AntennaPattern() for an omnidirectional antenna, not None");
                }
                s.pattern = std::move(p);
            },
            "AntennaPattern (omni by default).")
        .def_readwrite("pattern_source", &Sector::pattern_source)
        .def_readwrite("operator_name", &Sector::operator_name)
        .def_readwrite("cell_id", &Sector::cell_id, "The network's cell identity as phones log it (e.g. LTE ECI); '' unknown.")
        .def_readwrite("pci", &Sector::pci, "Physical cell id (LTE, NR) or primary scrambling code (UMTS); None unknown.")
        .def_property_readonly("peak_eirp_dbm", &Sector::peak_eirp_dbm, "EIRP at the pattern's peak, dBm.")
        .def("__copy__", [](const Sector& s) { return s; })
        .def("__deepcopy__", [](const Sector& s, py::dict) { return s; }, "memo"_a)
        .def("__repr__", [](const Sector& s) {
            return "<Sector " + s.sector_id + " " + generation_name(s.technology) + " " + std::to_string(s.freq_mhz) + " MHz, " +
                   std::to_string(s.height_agl_m) + " m>";
        });
    m.def("read_sites", &read_sites, "path"_a,
          "Sectors from a CSV, GeoJSON or GeoPackage file (columns with units in their names; see the README). Errors name the "
          "file, row and column.");
    m.def("validate_sector", &validate_sector, "sector"_a, "where"_a, "Check one sector's values; InvalidArgument names `where` and the field.");

    py::enum_<CoverageMode>(m, "CoverageMode", "How per-cell path loss is obtained.")
        .value("exact", CoverageMode::exact, "Every cell gets its own profile from the antenna (the reference).")
        .value("fast", CoverageMode::fast,
               "Radial sweep, ITM evaluated incrementally along each radial (or per-cell profiles where they cost less).");

    py::class_<ClutterMap, std::shared_ptr<ClutterMap>>(m, "ClutterMap", "Each cell's land-cover class on a DEM's grid.")
        .def_property_readonly(
            "class_index", [](py::object self) { return py::cast(&self.cast<ClutterMap&>().class_index, py::return_value_policy::reference_internal, self); },
            "RasterU8: index into table.classes per cell.")
        .def_readonly("table", &ClutterMap::table)
        .def_readonly("source", &ClutterMap::source)
        .def("cell_counts", &ClutterMap::cell_counts, "Cells per class, in table order.");
    m.def(
        "read_clutter_map",
        [](const std::string& path, const Dem& dem, std::optional<LandCoverTable> table, bool allow_remote) {
            return std::make_shared<ClutterMap>(read_clutter_map(path, dem, table.value_or(worldcover_land_cover_table()), allow_remote));
        },
        "path"_a, "dem"_a, "table"_a = py::none(), "allow_remote"_a = false,
        "Read a land-cover raster onto the DEM's grid (the most frequent code per cell) and look each code up in the table "
        "(default: ESA WorldCover).");
    py::class_<CorrectionTerm>(m, "CorrectionTerm",
                               "A calibration's correction of one technology and band: signal += offset + slope·log10(d / 1 km) + class offset.")
        .def(py::init<>())
        .def_readwrite("technology", &CorrectionTerm::technology)
        .def_readwrite("freq_mhz", &CorrectionTerm::freq_mhz, "Carrier; sectors within 0.5 MHz take this term.")
        .def_readwrite("offset_db", &CorrectionTerm::offset_db)
        .def_readwrite("slope_db_per_decade", &CorrectionTerm::slope_db_per_decade)
        .def_readwrite("class_offset_db", &CorrectionTerm::class_offset_db, "{land-cover code: dB}")
        .def("correction_db", &CorrectionTerm::correction_db, "distance_m"_a, "code"_a = -1,
             "The correction at a distance (≥ 10 m) in land-cover class `code` (-1: none), dB.");
    py::class_<ModelCorrection, std::shared_ptr<ModelCorrection>>(m, "ModelCorrection", "The terms of a calibration.")
        .def(py::init<>())
        .def_readwrite("terms", &ModelCorrection::terms)
        .def_readwrite("source", &ModelCorrection::source)
        .def_property(
            "classes", [](const ModelCorrection& c) { return std::const_pointer_cast<ClutterMap>(c.classes); },
            [](ModelCorrection& c, std::shared_ptr<ClutterMap> map) { c.classes = std::move(map); },
            "ClutterMap: each cell's land-cover class (needed by class offsets).")
        .def("term_for", [](const ModelCorrection& c, Technology t, double f) -> std::optional<CorrectionTerm> {
                 const CorrectionTerm* term = c.term_for(t, f);
                 return term != nullptr ? std::optional<CorrectionTerm>(*term) : std::nullopt;
             }, "technology"_a, "freq_mhz"_a, "The term for a technology and carrier, or None.")
        .def("validate", &ModelCorrection::validate,
             "Raise InvalidArgument when class offsets have no classes or name a code the land-cover table lacks.");

    py::class_<CoverageOptions> options_class(m, "CoverageOptions", "Settings of a coverage computation.");
    options_class
        .def(py::init([](std::shared_ptr<PropagationModel> model, bool line_of_sight, CoverageMode mode, std::optional<double> radius_m,
                         double rx_height_agl_m, double rx_gain_dbi, Polarization polarization, double k_factor, int threads,
                         double cpich_fraction, std::optional<SignalThresholds> lte_thresholds,
                         std::optional<SignalThresholds> umts_thresholds, std::optional<SignalThresholds> nr_thresholds,
                         double server_threshold_dbm, std::optional<double> profile_step_m, std::optional<bool> radial_sweep,
                         ProfileSampling profile_sampling) {
                 CoverageOptions o;
                 o.profile_step_m = profile_step_m;
                 o.radial_sweep = radial_sweep;
                 o.profile_sampling = profile_sampling;
                 o.model = std::move(model);
                 o.line_of_sight = line_of_sight;
                 o.mode = mode;
                 o.radius_m = radius_m;
                 o.rx_height_agl_m = rx_height_agl_m;
                 o.rx_gain_dbi = rx_gain_dbi;
                 o.polarization = polarization;
                 o.k_factor = k_factor;
                 o.threads = threads;
                 o.cpich_fraction = cpich_fraction;
                 for (const auto& [technology, given] : {std::pair{Technology::lte, &lte_thresholds}, std::pair{Technology::umts, &umts_thresholds},
                                                         std::pair{Technology::nr, &nr_thresholds}}) {
                     if (*given) {
                         o.thresholds[technology] = **given;
                     }
                 }
                 o.server_threshold_dbm = server_threshold_dbm;
                 return o;
             }),
             py::kw_only(), "model"_a = py::none(), "line_of_sight"_a = false, "mode"_a = CoverageMode::fast, "radius_m"_a = py::none(),
             "rx_height_agl_m"_a = 1.5, "rx_gain_dbi"_a = 0.0, "polarization"_a = Polarization::vertical, "k_factor"_a = 4.0 / 3.0,
             "threads"_a = 0, "cpich_fraction"_a = 0.1, "lte_thresholds"_a = py::none(),
             "umts_thresholds"_a = py::none(), "nr_thresholds"_a = py::none(), "server_threshold_dbm"_a = -110.0,
             "profile_step_m"_a = py::none(), "radial_sweep"_a = py::none(), "profile_sampling"_a = ProfileSampling::bilinear)
        .def_property(
            "model", [](const CoverageOptions& o) { return std::const_pointer_cast<PropagationModel>(o.model); },
            [](CoverageOptions& o, std::shared_ptr<PropagationModel> model) { o.model = std::move(model); },
            "The PropagationModel (ignored in line-of-sight mode).")
        .def_readwrite("line_of_sight", &CoverageOptions::line_of_sight, "Visibility only.")
        .def_readwrite("mode", &CoverageOptions::mode)
        .def_readwrite("radius_m", &CoverageOptions::radius_m, "Per-sector radius, metres; None: free-space reach of the weakest class.")
        .def_readwrite("rx_height_agl_m", &CoverageOptions::rx_height_agl_m, "Receiver height above ground, metres.")
        .def_readwrite("rx_gain_dbi", &CoverageOptions::rx_gain_dbi)
        .def_readwrite("polarization", &CoverageOptions::polarization)
        .def_readwrite("k_factor", &CoverageOptions::k_factor, "Effective earth radius factor for line of sight.")
        .def_readwrite("threads", &CoverageOptions::threads, "Threads to use; 0: all cores.")
        .def_readwrite("cpich_fraction", &CoverageOptions::cpich_fraction, "UMTS: share of power on the CPICH.")
        .def(
            "thresholds_for", [](const CoverageOptions& o, Technology t) { return o.thresholds[t]; }, "technology"_a,
            "The class thresholds of a technology.")
        .def(
            "set_thresholds", [](CoverageOptions& o, Technology t, const SignalThresholds& v) { o.thresholds[t] = v; }, "technology"_a,
            "thresholds"_a, "Set the class thresholds of a technology.")
        .def_readwrite("server_threshold_dbm", &CoverageOptions::server_threshold_dbm, "A sector serves a cell at or above this, dBm.")
        .def_readwrite("profile_step_m", &CoverageOptions::profile_step_m,
                       "Spacing of terrain profiles (exact) and radial samples (fast), metres; None: the cell size, at most 30 m.")
        .def_readwrite("profile_sampling", &CoverageOptions::profile_sampling,
                       "How terrain is read between the DEM's posts: ProfileSampling.bilinear (default) or .nearest.")
        .def_readwrite("radial_sweep", &CoverageOptions::radial_sweep,
                       "Fast ITM: True sweeps radials, False gives each cell its own profile (= exact); None: whichever "
                       "costs less (the sweep on 30 and 60 m cells, profiles on 90 m cells).")
        .def_property(
            "rx_clutter", [](const CoverageOptions& o) { return std::const_pointer_cast<ClutterMap>(o.rx_clutter); },
            [](CoverageOptions& o, std::shared_ptr<ClutterMap> c) { o.rx_clutter = std::move(c); },
            "ClutterMap: the receiver's ITU-R P.2108 clutter loss per cell is added to every path loss; None: none.")
        .def_property(
            "correction", [](const CoverageOptions& o) { return std::const_pointer_cast<ModelCorrection>(o.correction); },
            [](CoverageOptions& o, std::shared_ptr<ModelCorrection> c) { o.correction = std::move(c); },
            "ModelCorrection fitted to measurements: its term for a sector's technology and band is subtracted from that sector's "
            "path loss everywhere; None: none.")
        .def_readwrite("clutter_along_path", &CoverageOptions::clutter_along_path,
                       "With rx_clutter and a P1812Model: clutter heights along every path (P.1812 §3.2) instead of P.2108.")
        .def("validate", &CoverageOptions::validate, "Raise InvalidArgument for an inconsistent setting.");

    bind_per_technology_thresholds(options_class);
    m.attr("default_max_profile_step_m") = default_max_profile_step_m;
    m.attr("no_server") = no_server;
    m.attr("no_class") = no_class;
    m.attr("not_computed") = not_computed;

    py::class_<CoverageStats>(m, "CoverageStats", "Figures of one computation.")
        .def_readonly("cells_in_radius", &CoverageStats::cells_in_radius)
        .def_readonly("model_evaluations", &CoverageStats::model_evaluations)
        .def_readonly("cells_without_terrain", &CoverageStats::cells_without_terrain)
        .def_readonly("cells_outside_model", &CoverageStats::cells_outside_model)
        .def_readonly("seconds", &CoverageStats::seconds, "Wall time, seconds.");

    py::class_<CoverageMap>(m, "CoverageMap",
                            "Result of CoverageEngine.compute(). The composites and `visible` share the DEM's grid; each "
                            "sector's path loss covers its window of that grid (the cells within its radius).")
        .def_readonly("sectors", &CoverageMap::sectors)
        .def_property_readonly(
            "path_loss_db", [](py::object self) { return raster_list(self.cast<CoverageMap&>().path_loss_db, self); },
            "Per sector: path loss, dB, over the sector's window of the grid (RasterFloat32 whose geo_transform places "
            "it on the grid; NaN where the path leaves the terrain). path_loss_on_grid(i) gives it as a whole-grid band.")
        .def("path_loss_on_grid", &CoverageMap::path_loss_on_grid, "sector"_a,
             "Sector `sector`'s path loss, dB, as a band of the whole grid (NaN outside its window): a copy.")
        .def("path_loss_at", &CoverageMap::path_loss_at, "sector"_a, "col"_a, "row"_a,
             "Sector `sector`'s path loss at cell (col, row) of the grid, dB; NaN outside its window.")
        .def_property_readonly(
            "visible", [](py::object self) { return raster_list(self.cast<CoverageMap&>().visible, self); },
            "Line-of-sight mode, per sector: 1 visible, 0 not, 255 not computed (RasterUInt8).")
        .def_readonly("signal_dbm", &CoverageMap::signal_dbm, "Best server's RSRP (LTE) or RSCP (UMTS), dBm; NaN where none reaches.")
        .def_readonly("best_server", &CoverageMap::best_server, "Index into sectors; no_server (65535) where none.")
        .def_readonly("signal_class", &CoverageMap::signal_class, "SignalClass value of the best server; no_class (255) where none.")
        .def_readonly("server_count", &CoverageMap::server_count, "Sectors at or above the server threshold.")
        .def_readonly("model_name", &CoverageMap::model_name)
        .def_readonly("mode", &CoverageMap::mode)
        .def_readonly("rx_height_agl_m", &CoverageMap::rx_height_agl_m)
        .def_readonly("stats", &CoverageMap::stats);

    py::class_<Composite>(m, "Composite", "Composite rasters over a set of sectors.")
        .def(py::init([](Raster<float> signal_dbm, Raster<std::uint16_t> best_server, Raster<std::uint8_t> signal_class,
                         Raster<std::uint8_t> server_count) {
                 return Composite{std::move(signal_dbm), std::move(best_server), std::move(signal_class), std::move(server_count)};
             }),
             py::kw_only(), "signal_dbm"_a, "best_server"_a, "signal_class"_a, "server_count"_a,
             "From rasters on one grid, e.g. tiles merged by libcoverage.distributed.")
        .def_readonly("signal_dbm", &Composite::signal_dbm)
        .def_readonly("best_server", &Composite::best_server)
        .def_readonly("signal_class", &Composite::signal_class)
        .def_readonly("server_count", &Composite::server_count);
    m.def(
        "combine_sectors",
        [](const CoverageMap& map, const Dem& dem, const CoverageOptions& options, std::optional<Technology> only) {
            py::gil_scoped_release nogil;
            return combine_sectors(map, dem, options, only);
        },
        "map"_a, "dem"_a, "options"_a, "only"_a = py::none(), "Recombine a map's per-sector path loss, e.g. for one technology.");

    py::class_<CoverageEngine>(m, "CoverageEngine",
                               "Per-sector path loss over a DEM's grid, combined into best-server, signal, class and server-count rasters.")
        .def(py::init<const Dem&, std::vector<Sector>, CoverageOptions>(), "dem"_a, "sectors"_a, "options"_a, py::keep_alive<1, 2>(),
             "Raises InvalidArgument for bad options or sectors, OutOfDomain for a site off the DEM (named).")
        .def(
            "compute",
            [](const CoverageEngine& e, const py::object& progress) {
                return run_interruptible(progress, "coverage", [&](const ProgressFn& fn) { return e.compute(fn); });
            },
            py::kw_only(), "progress"_a = py::none(),
            "Compute the coverage map with the GIL released. progress: None, True (a tqdm bar) or f(fraction, message) -> bool | "
            "None (False cancels). Ctrl-C (KeyboardInterrupt) stops it cleanly.")
        .def(
            "signal_at",
            [](const CoverageEngine& e, const std::vector<Dem::Cell>& cells, std::optional<Technology> only) {
                std::vector<float> v;
                {
                    py::gil_scoped_release nogil;
                    v = e.signal_at(cells, only);
                }
                return py::array_t<float>(static_cast<py::ssize_t>(v.size()), v.data());
            },
            "cells"_a, "only"_a = py::none(),
            "Best-server signal (RSRP for LTE, RSCP for UMTS), dBm, at the centres of the given cells, exact profiles; NaN where none "
            "reaches.")
        .def(
            "sector_signal_at",
            [](const CoverageEngine& e, std::size_t sector, const py::array_t<double, py::array::c_style | py::array::forcecast>& x_m,
               const py::array_t<double, py::array::c_style | py::array::forcecast>& y_m) {
                if (x_m.ndim() != 1 || y_m.ndim() != 1 || x_m.shape(0) != y_m.shape(0)) {
                    throw InvalidArgument("sector_signal_at: x_m and y_m must be 1-D arrays of one length");
                }
                std::vector<GridPoint> points(static_cast<std::size_t>(x_m.shape(0)));
                for (std::size_t i = 0; i < points.size(); ++i) {
                    points[i] = GridPoint{x_m.at(static_cast<py::ssize_t>(i)), y_m.at(static_cast<py::ssize_t>(i))};
                }
                std::vector<double> v;
                {
                    py::gil_scoped_release nogil;
                    v = e.sector_signal_at(sector, points);
                }
                return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
            },
            "sector"_a, "x_m"_a, "y_m"_a,
            "One sector's signal (RSRP, RSCP, SS-RSRP), dBm, at points of the grid's CRS (arrays of x and y, metres), exact "
            "profiles, receiver clutter and correction as in the maps; NaN where none.")
        .def("radius_m", &CoverageEngine::radius_m, "sector"_a, "The radius used for a sector, metres.")
        .def_property_readonly("sectors", &CoverageEngine::sectors)
        .def_property_readonly("options", &CoverageEngine::options);

    m.def("sector_signal_dbm", &sector_signal_dbm, "sector"_a, "path_loss_db"_a, "azimuth_deg"_a, "below_horizon_deg"_a, "rx_gain_dbi"_a,
          "cpich_fraction"_a, "Signal of one sector at a receiver, dBm (RSRP for LTE, RSCP for UMTS).");
    m.def("free_space_reach_m", &free_space_reach_m, "sector"_a, "thresholds"_a, "rx_gain_dbi"_a, "cpich_fraction"_a,
          "Where free-space loss uses up the sector's budget down to the weakest class, metres.");
    m.def(
        "write_coverage_outputs",
        [](const CoverageMap& map, const Dem& dem, const CoverageOptions& options, const std::string& folder,
           const std::vector<std::string>& only, const std::string& language) {
            py::gil_scoped_release nogil;
            return write_coverage_outputs(map, dem, options, folder, only, language);
        },
        "map"_a, "dem"_a, "options"_a, "folder"_a, py::kw_only(), "only"_a = std::vector<std::string>{}, "language"_a = "en",
        "Write path_loss_db.tif, signal_dbm.tif, best_server.tif, signal_class.tif, server_count.tif, coverage.png and coverage.kmz "
        "into an existing folder, each atomically; returns the paths. `only`: a subset by coverage_output_names(line_of_sight), "
        "or print_output_names() (coverage_pdf, coverage_svg: the map for print). `language`: the map's words ('vi', 'en').");
    m.def("print_output_names", &print_output_names, "The print copies of coverage.png written only when named in `only`.");
    m.def("coverage_output_names", &coverage_output_names, "line_of_sight"_a = false,
          "The names write_coverage_outputs(only=...) and covtool map --outputs accept.");
}

} // namespace libcoverage_py
