// Propagation models, link budgets, signal classes and link geometry.

#include "common.hpp"

#include <coverage/propagation/delta_bullington_model.hpp>
#include <coverage/propagation/free_space_model.hpp>
#include <coverage/propagation/hata_model.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/propagation/link_analysis.hpp>
#include <coverage/propagation/land_cover.hpp>
#include <coverage/propagation/p1812_model.hpp>
#include <coverage/propagation/p2108.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/propagation/model_spec.hpp>
#include <coverage/propagation/location_variability.hpp>
#include <coverage/propagation/p2109.hpp>
#include <coverage/core/numbers.hpp>
#include <coverage/propagation/propagation_model.hpp>
#include <coverage/radio/signal_class.hpp>

namespace libcoverage_py {

using namespace pybind11::literals;

void bind_models(py::module_& m) {
    using namespace coverage;

    py::enum_<Polarization>(m, "Polarization")
        .value("horizontal", Polarization::horizontal)
        .value("vertical", Polarization::vertical);
    py::enum_<PropagationMode>(m, "PropagationMode", "Dominant propagation mechanism a model reports.")
        .value("not_applicable", PropagationMode::not_applicable)
        .value("line_of_sight", PropagationMode::line_of_sight)
        .value("diffraction", PropagationMode::diffraction)
        .value("troposcatter", PropagationMode::troposcatter);

    py::class_<LinkParams>(m, "LinkParams", "Frequency and antenna heights of a link.")
        .def(py::init([](double freq_mhz, double tx_height_agl_m, double rx_height_agl_m, Polarization polarization,
                         double path_centre_lat_deg) {
                 return LinkParams{freq_mhz, tx_height_agl_m, rx_height_agl_m, polarization, path_centre_lat_deg};
             }),
             py::kw_only(), "freq_mhz"_a, "tx_height_agl_m"_a, "rx_height_agl_m"_a, "polarization"_a = Polarization::vertical,
             "path_centre_lat_deg"_a = std::numeric_limits<double>::quiet_NaN())
        .def_readwrite("freq_mhz", &LinkParams::freq_mhz, "Carrier frequency, MHz.")
        .def_readwrite("tx_height_agl_m", &LinkParams::tx_height_agl_m, "Transmitter antenna height above ground, metres.")
        .def_readwrite("rx_height_agl_m", &LinkParams::rx_height_agl_m, "Receiver antenna height above ground, metres.")
        .def_readwrite("polarization", &LinkParams::polarization)
        .def_readwrite("path_centre_lat_deg", &LinkParams::path_centre_lat_deg,
                       "Latitude of the path centre, degrees (ITU-R P.1812's climate); NaN when not known.");

    py::class_<ItmIntermediate>(m, "ItmIntermediate", "ITM intermediate values (NTIA IntermediateValues).")
        .def_readonly("theta_hzn_tx_rad", &ItmIntermediate::theta_hzn_tx_rad)
        .def_readonly("theta_hzn_rx_rad", &ItmIntermediate::theta_hzn_rx_rad)
        .def_readonly("d_hzn_tx_m", &ItmIntermediate::d_hzn_tx_m)
        .def_readonly("d_hzn_rx_m", &ItmIntermediate::d_hzn_rx_m)
        .def_readonly("h_e_tx_m", &ItmIntermediate::h_e_tx_m)
        .def_readonly("h_e_rx_m", &ItmIntermediate::h_e_rx_m)
        .def_readonly("n_s", &ItmIntermediate::n_s, "Surface refractivity, N-units.")
        .def_readonly("delta_h_m", &ItmIntermediate::delta_h_m, "Terrain irregularity, metres.")
        .def_readonly("a_ref_db", &ItmIntermediate::a_ref_db, "Reference attenuation, dB.")
        .def_readonly("d_km", &ItmIntermediate::d_km);
    py::class_<BullingtonIntermediate>(m, "BullingtonIntermediate", "Delta-Bullington intermediate values (ITU-R P.526-15 §4.5).")
        .def_readonly("hts_prime_m", &BullingtonIntermediate::hts_prime_m)
        .def_readonly("hrs_prime_m", &BullingtonIntermediate::hrs_prime_m)
        .def_readonly("l_bulla_db", &BullingtonIntermediate::l_bulla_db)
        .def_readonly("l_bulls_db", &BullingtonIntermediate::l_bulls_db)
        .def_readonly("l_dsph_db", &BullingtonIntermediate::l_dsph_db)
        .def_readonly("l_d_db", &BullingtonIntermediate::l_d_db);
    py::class_<PathLoss>(m, "PathLoss", "Result of one path-loss evaluation.")
        .def_readonly("loss_db", &PathLoss::loss_db, "Basic transmission loss, dB.")
        .def_readonly("free_space_loss_db", &PathLoss::free_space_loss_db, "Free-space loss over the same distance, dB.")
        .def_readonly("mode", &PathLoss::mode)
        .def_readonly("warnings", &PathLoss::warnings, "Warning bit flags; describe_warnings() puts them in words.")
        .def_readonly("itm", &PathLoss::itm)
        .def_readonly("bullington", &PathLoss::bullington)
        .def("__repr__", [](const PathLoss& p) {
            return "<PathLoss " + std::to_string(p.loss_db) + " dB, " + to_string(p.mode) + ">";
        });
    m.def("describe_warnings", &describe_warnings, "warnings"_a, "Text for each set warning bit, comma separated.");
    m.def("free_space_loss_db", &free_space_loss_db, "distance_m"_a, "freq_mhz"_a,
          "Free-space basic transmission loss (ITU-R P.525), dB, over distance_m metres at freq_mhz MHz.");

    py::class_<PropagationModel, std::shared_ptr<PropagationModel>>(m, "PropagationModel",
                                                                      "A path-loss model over a terrain profile; immutable and thread-safe.")
        .def(
            "path_loss",
            [](const PropagationModel& model, const TerrainProfile& profile, const LinkParams& link) {
                py::gil_scoped_release nogil;
                return model.path_loss(profile, link);
            },
            "profile"_a, "link"_a, "Path loss over a TerrainProfile (transmitter first) for a link (LinkParams).")
        .def_property_readonly("name", &PropagationModel::name, "Short name as on the command line ('itm', 'hata', ...).");

    py::class_<FreeSpaceModel, PropagationModel, std::shared_ptr<FreeSpaceModel>>(m, "FreeSpaceModel",
                                                                                  "Free-space loss (ITU-R P.525) over the slant distance.")
        .def(py::init<>());

    py::class_<HataModel, PropagationModel, std::shared_ptr<HataModel>> hata(
        m, "HataModel", "Okumura-Hata (150-1500 MHz) and COST-231 (1500-2000 MHz) median loss; terrain only gives the distance.");
    py::enum_<HataModel::Variant>(hata, "Variant").value("okumura_hata", HataModel::Variant::okumura_hata).value("cost231", HataModel::Variant::cost231);
    py::enum_<HataModel::Environment>(hata, "Environment")
        .value("urban", HataModel::Environment::urban)
        .value("suburban", HataModel::Environment::suburban)
        .value("open", HataModel::Environment::open);
    py::enum_<HataModel::Validity>(hata, "Validity").value("strict", HataModel::Validity::strict).value("warn", HataModel::Validity::warn);
    hata.def(py::init<HataModel::Variant, HataModel::Environment, HataModel::Validity>(), "variant"_a = HataModel::Variant::okumura_hata,
             "environment"_a = HataModel::Environment::urban, "validity"_a = HataModel::Validity::strict)
        .def("loss", &HataModel::loss, "distance_m"_a, "freq_mhz"_a, "base_height_m"_a, "mobile_height_m"_a,
             "Median basic transmission loss, dB, for a horizontal distance.");

    py::enum_<RadioClimate>(m, "RadioClimate", "ITM radio climates (Longley-Rice).")
        .value("equatorial", RadioClimate::equatorial)
        .value("continental_subtropical", RadioClimate::continental_subtropical)
        .value("maritime_subtropical", RadioClimate::maritime_subtropical)
        .value("desert", RadioClimate::desert)
        .value("continental_temperate", RadioClimate::continental_temperate)
        .value("maritime_temperate_over_land", RadioClimate::maritime_temperate_over_land)
        .value("maritime_temperate_over_sea", RadioClimate::maritime_temperate_over_sea);
    py::enum_<SitingCriteria>(m, "SitingCriteria")
        .value("random", SitingCriteria::random)
        .value("careful", SitingCriteria::careful)
        .value("very_careful", SitingCriteria::very_careful);
    py::class_<ItmParams>(m, "ItmParams", "Parameters of the Irregular Terrain Model (defaults: average ground, continental temperate, median).")
        .def(py::init([](RadioClimate climate, double n0_n_units, double epsilon, double sigma_s_per_m, int mdvar, double time_pct,
                         double location_pct, double situation_pct) {
                 return ItmParams{climate, n0_n_units, epsilon, sigma_s_per_m, mdvar, time_pct, location_pct, situation_pct};
             }),
             py::kw_only(), "climate"_a = RadioClimate::continental_temperate, "n0_n_units"_a = 301.0, "epsilon"_a = 15.0,
             "sigma_s_per_m"_a = 0.005, "mdvar"_a = 12, "time_pct"_a = 50.0, "location_pct"_a = 50.0, "situation_pct"_a = 50.0)
        .def_readwrite("climate", &ItmParams::climate)
        .def_readwrite("n0_n_units", &ItmParams::n0_n_units, "Surface refractivity at sea level, N-units (250..400).")
        .def_readwrite("epsilon", &ItmParams::epsilon, "Relative permittivity of the ground.")
        .def_readwrite("sigma_s_per_m", &ItmParams::sigma_s_per_m, "Ground conductivity, S/m.")
        .def_readwrite("mdvar", &ItmParams::mdvar, "Variability mode (0..3, +10, +20).")
        .def_readwrite("time_pct", &ItmParams::time_pct)
        .def_readwrite("location_pct", &ItmParams::location_pct)
        .def_readwrite("situation_pct", &ItmParams::situation_pct);
    py::class_<ItmModel, PropagationModel, std::shared_ptr<ItmModel>>(
        m, "ItmModel", "Irregular Terrain Model (Longley-Rice) v1.4, point-to-point; validated against NTIA's reference cases.")
        .def(py::init<ItmParams>(), "params"_a = ItmParams{})
        .def_property_readonly("params", &ItmModel::params)
        .def("validate_link", &ItmModel::validate_link, "link"_a, "Raise ItmError if ITM would refuse the link's inputs.");
    py::class_<ItmAreaInputs>(m, "ItmAreaInputs", "Inputs of ITM area mode.")
        .def(py::init([](double distance_km, double delta_h_m, SitingCriteria tx_siting, SitingCriteria rx_siting) {
                 return ItmAreaInputs{distance_km, delta_h_m, tx_siting, rx_siting};
             }),
             py::kw_only(), "distance_km"_a, "delta_h_m"_a, "tx_siting"_a = SitingCriteria::random, "rx_siting"_a = SitingCriteria::random)
        .def_readwrite("distance_km", &ItmAreaInputs::distance_km)
        .def_readwrite("delta_h_m", &ItmAreaInputs::delta_h_m)
        .def_readwrite("tx_siting", &ItmAreaInputs::tx_siting)
        .def_readwrite("rx_siting", &ItmAreaInputs::rx_siting);
    m.def("itm_area_loss", &itm_area_loss, "area"_a, "link"_a, "params"_a, "ITM area mode (terrain described by Δh and siting).");
    m.def("with_confidence_reliability", &with_confidence_reliability, "params"_a, "confidence_pct"_a, "reliability_pct"_a,
          "ItmParams for the confidence/reliability form (time = reliability, location = 50, situation = confidence).");

    py::class_<GroundConstants>(m, "GroundConstants", "Ground electrical constants (ITU-R P.527).")
        .def(py::init([](double epsilon, double sigma_s_per_m) { return GroundConstants{epsilon, sigma_s_per_m}; }), py::kw_only(),
             "epsilon"_a = 22.0, "sigma_s_per_m"_a = 0.003)
        .def_readwrite("epsilon", &GroundConstants::epsilon)
        .def_readwrite("sigma_s_per_m", &GroundConstants::sigma_s_per_m);
    py::class_<DeltaBullingtonModel, PropagationModel, std::shared_ptr<DeltaBullingtonModel>>(
        m, "DeltaBullingtonModel", "Delta-Bullington diffraction (ITU-R P.526-15 §4.5) plus free space.")
        .def(py::init<double, GroundConstants>(), "effective_earth_radius_km"_a = 8500.0, "ground"_a = GroundConstants{})
        .def_property_readonly("effective_earth_radius_km", &DeltaBullingtonModel::effective_earth_radius_km);

    py::class_<DistanceProfile>(m, "DistanceProfile", "A profile with explicit distances (not equally spaced), TX first.")
        .def(py::init([](std::vector<double> distance_km, std::vector<double> elevation_m) {
                 DistanceProfile p{std::move(distance_km), std::move(elevation_m)};
                 p.validate();
                 return p;
             }),
             py::kw_only(), "distance_km"_a, "elevation_m"_a)
        .def_static("from_profile", &DistanceProfile::from, "profile"_a, "The equally spaced TerrainProfile as a DistanceProfile.")
        .def_readonly("distance_km", &DistanceProfile::distance_km)
        .def_readonly("elevation_m", &DistanceProfile::elevation_m);
    m.def("delta_bullington", &delta_bullington, "profile"_a, "tx_height_agl_m"_a, "rx_height_agl_m"_a, "freq_mhz"_a, "a_e_km"_a = 8500.0,
          "ground"_a = GroundConstants{}, "polarization"_a = Polarization::vertical,
          "The delta-Bullington method on a DistanceProfile: BullingtonIntermediate with l_d_db = L_bulla + max(L_dsph − L_bulls, 0), dB.");

    py::enum_<P1812Clutter>(m, "P1812Clutter", "Representative clutter categories of ITU-R P.1812-6 Table 2.")
        .value("water_sea", P1812Clutter::water_sea)
        .value("open_rural", P1812Clutter::open_rural)
        .value("suburban", P1812Clutter::suburban)
        .value("urban_trees_forest", P1812Clutter::urban_trees_forest)
        .value("dense_urban", P1812Clutter::dense_urban);
    py::enum_<RadioClimaticZone>(m, "RadioClimaticZone", "Radio-climatic zones of ITU-R P.1812-6 Table 1.")
        .value("sea", RadioClimaticZone::sea)
        .value("coastal_land", RadioClimaticZone::coastal_land)
        .value("inland", RadioClimaticZone::inland);
    py::class_<P1812Path>(m, "P1812Path", "A path for ITU-R P.1812: any spacing, TX first, with clutter heights, categories and zones.")
        .def(py::init([](std::vector<double> distance_km, std::vector<double> elevation_m, std::vector<double> clutter_height_m,
                         std::vector<P1812Clutter> clutter, std::vector<RadioClimaticZone> zone) {
                 P1812Path p{std::move(distance_km), std::move(elevation_m), std::move(clutter_height_m), std::move(clutter), std::move(zone)};
                 p.validate();
                 return p;
             }),
             py::kw_only(), "distance_km"_a, "elevation_m"_a, "clutter_height_m"_a = std::vector<double>{},
             "clutter"_a = std::vector<P1812Clutter>{}, "zone"_a = std::vector<RadioClimaticZone>{})
        .def_static("from_profile", &P1812Path::from, "profile"_a, "An equally spaced TerrainProfile, without clutter, inland.")
        .def_readonly("distance_km", &P1812Path::distance_km)
        .def_readonly("elevation_m", &P1812Path::elevation_m)
        .def_readonly("clutter_height_m", &P1812Path::clutter_height_m)
        .def_readonly("clutter", &P1812Path::clutter)
        .def_readonly("zone", &P1812Path::zone);
    py::class_<P1812Settings>(m, "P1812Settings", "ITU-R P.1812 settings; delta_n_per_km and n0_n_units have no default.")
        .def(py::init([](double delta_n_per_km, double n0_n_units, double time_pct, double location_pct,
                         std::optional<double> location_sigma_db, double location_area_m, double tx_coast_distance_km,
                         double rx_coast_distance_km) {
                 P1812Settings s{time_pct, location_pct, location_sigma_db, location_area_m, delta_n_per_km, n0_n_units,
                                 tx_coast_distance_km, rx_coast_distance_km};
                 s.validate();
                 return s;
             }),
             py::kw_only(), "delta_n_per_km"_a, "n0_n_units"_a, "time_pct"_a = 50.0, "location_pct"_a = 50.0,
             "location_sigma_db"_a = py::none(), "location_area_m"_a = 100.0, "tx_coast_distance_km"_a = 500.0,
             "rx_coast_distance_km"_a = 500.0)
        .def_readwrite("delta_n_per_km", &P1812Settings::delta_n_per_km, "ΔN, N-units/km (DN50 map of P.1812).")
        .def_readwrite("n0_n_units", &P1812Settings::n0_n_units, "N0, sea-level surface refractivity, N-units (N050 map).")
        .def_readwrite("time_pct", &P1812Settings::time_pct, "Per cent of time the loss is not exceeded, 1..50.")
        .def_readwrite("location_pct", &P1812Settings::location_pct, "Per cent of locations, 1..99.")
        .def_readwrite("location_sigma_db", &P1812Settings::location_sigma_db, "σL, dB; None: eq. (65).")
        .def_readwrite("location_area_m", &P1812Settings::location_area_m, "w_a of eq. (65), metres.")
        .def_readwrite("tx_coast_distance_km", &P1812Settings::tx_coast_distance_km)
        .def_readwrite("rx_coast_distance_km", &P1812Settings::rx_coast_distance_km);
    {
        py::class_<P1812Intermediate> pi(m, "P1812Intermediate", "Every intermediate value of ITU-R P.1812-6 its validation tables list.");
#define LC_P1812_FIELD(name) pi.def_readonly(#name, &P1812Intermediate::name)
        LC_P1812_FIELD(d_km); LC_P1812_FIELD(dlt_km); LC_P1812_FIELD(dlr_km); LC_P1812_FIELD(theta_t_mrad); LC_P1812_FIELD(theta_r_mrad);
        LC_P1812_FIELD(theta_mrad); LC_P1812_FIELD(hts_m); LC_P1812_FIELD(hrs_m); LC_P1812_FIELD(omega); LC_P1812_FIELD(dtm_km);
        LC_P1812_FIELD(dlm_km); LC_P1812_FIELD(path_centre_lat_deg); LC_P1812_FIELD(beta0_pct); LC_P1812_FIELD(ae_km);
        LC_P1812_FIELD(hst_uncorrected_m); LC_P1812_FIELD(hsr_uncorrected_m); LC_P1812_FIELD(hst_m); LC_P1812_FIELD(hsr_m);
        LC_P1812_FIELD(hstd_m); LC_P1812_FIELD(hsrd_m); LC_P1812_FIELD(hte_m); LC_P1812_FIELD(hre_m); LC_P1812_FIELD(hm_m);
        LC_P1812_FIELD(fi); LC_P1812_FIELD(fj); LC_P1812_FIELD(fk); LC_P1812_FIELD(lbfs_db); LC_P1812_FIELD(lb0p_db);
        LC_P1812_FIELD(lb0b_db); LC_P1812_FIELD(lbulla_db); LC_P1812_FIELD(lbulls_db); LC_P1812_FIELD(ldsph_db); LC_P1812_FIELD(ld50_db);
        LC_P1812_FIELD(ldb_db); LC_P1812_FIELD(ldp_db); LC_P1812_FIELD(lbd50_db); LC_P1812_FIELD(lbd_db); LC_P1812_FIELD(lminb0p_db);
        LC_P1812_FIELD(lba_db); LC_P1812_FIELD(lminbap_db); LC_P1812_FIELD(lbda_db); LC_P1812_FIELD(lbam_db); LC_P1812_FIELD(lbs_db);
        LC_P1812_FIELD(lbc_db); LC_P1812_FIELD(sigma_l_db); LC_P1812_FIELD(lloc_db); LC_P1812_FIELD(lb_db); LC_P1812_FIELD(ep_dbuv_per_m);
        LC_P1812_FIELD(trans_horizon);
#undef LC_P1812_FIELD
    }
    m.def("p1812_loss", &p1812_loss, "path"_a, "link"_a, "path_centre_lat_deg"_a, "settings"_a,
          "ITU-R P.1812-6: basic transmission loss not exceeded for p % time and pL % locations, with every intermediate.");
    m.def("p1812_location_sigma_db", &p1812_location_sigma_db, "freq_mhz"_a, "rx_height_agl_m"_a, "rx_clutter_height_m"_a, "area_m"_a,
          "σL of ITU-R P.1812-6 eq. (65), dB.");
    m.def("p1812_inverse_normal", &p1812_inverse_normal, "x"_a, "I(x) of ITU-R P.1812-6 Attachment 2 (eqs. (96), (97)).");
    m.def("path_centre_latitude_deg", &path_centre_latitude_deg, "tx"_a, "rx"_a,
          "path_length_km"_a = std::numeric_limits<double>::quiet_NaN(),
          "Latitude of the point half the path length (default: the great-circle distance) from tx towards rx "
          "(ITU-R P.2001 Annex H), degrees.");
    py::class_<P1812Model, PropagationModel, std::shared_ptr<P1812Model>>(
        m, "P1812Model", "ITU-R P.1812-6 over an equally spaced profile without clutter; LinkParams.path_centre_lat_deg required.")
        .def(py::init<P1812Settings>(), "settings"_a)
        .def_property_readonly("settings", &P1812Model::settings);

    py::enum_<P2108Clutter>(m, "P2108Clutter", "Clutter types of ITU-R P.2108-1 Table 3.")
        .value("water_sea", P2108Clutter::water_sea)
        .value("open_rural", P2108Clutter::open_rural)
        .value("suburban", P2108Clutter::suburban)
        .value("urban", P2108Clutter::urban)
        .value("trees_forest", P2108Clutter::trees_forest)
        .value("dense_urban", P2108Clutter::dense_urban);
    m.def("p2108_terminal_correction_db", &p2108_terminal_correction_db, "freq_mhz"_a, "height_m"_a, "clutter_height_m"_a, "clutter"_a,
          "street_width_m"_a = 27.0, "ITU-R P.2108 §3.1 height-gain terminal correction, dB.");
    m.def("p2108_terrestrial_clutter_loss_db", &p2108_terrestrial_clutter_loss_db, "freq_mhz"_a, "distance_km"_a, "location_pct"_a,
          "ITU-R P.2108 §3.2 statistical clutter loss of one terrestrial terminal, dB.");
    py::class_<LandCoverClass>(m, "LandCoverClass", "One land-cover class as the clutter models see it.")
        .def(py::init([](int code, std::string name, P2108Clutter clutter, double clutter_height_m, std::string source) {
                 return LandCoverClass{code, std::move(name), clutter, clutter_height_m, std::move(source)};
             }),
             py::kw_only(), "code"_a, "name"_a, "clutter"_a, "clutter_height_m"_a, "source"_a = "")
        .def_readwrite("code", &LandCoverClass::code)
        .def_readwrite("name", &LandCoverClass::name)
        .def_readwrite("clutter", &LandCoverClass::clutter, "P2108Clutter.")
        .def_readwrite("clutter_height_m", &LandCoverClass::clutter_height_m, "R, metres (0: no clutter).")
        .def_readwrite("source", &LandCoverClass::source);
    py::class_<LandCoverTable>(m, "LandCoverTable", "The classes of a land-cover raster.")
        .def(py::init([](std::string name, std::vector<LandCoverClass> classes) {
                 LandCoverTable t{std::move(name), std::move(classes)};
                 t.validate();
                 return t;
             }),
             py::kw_only(), "name"_a, "classes"_a)
        .def_readwrite("name", &LandCoverTable::name)
        .def_readwrite("classes", &LandCoverTable::classes)
        .def("find", [](const LandCoverTable& t, int code) -> std::optional<LandCoverClass> {
                 const LandCoverClass* c = t.find(code);
                 return c != nullptr ? std::optional<LandCoverClass>(*c) : std::nullopt;
             }, "code"_a, "The class of a raster value, or None.");
    m.def("worldcover_land_cover_table", &worldcover_land_cover_table, "The default class table, for ESA WorldCover 10 m codes.");
    m.def("receiver_clutter_loss_db", &receiver_clutter_loss_db, "land_cover_class"_a, "freq_mhz"_a, "rx_height_agl_m"_a, "distance_km"_a,
          "The receiver's ITU-R P.2108 clutter loss in a land-cover class, dB (§3.1 up to 3 GHz, §3.2 above).");

    py::class_<ModelSpec>(m, "ModelSpec", "A propagation model named by its settings, as a command line or study file gives them.")
        .def(py::init([](std::string model, std::string environment, bool hata_extrapolate, std::string polarization, int climate,
                         ItmParams itm, double bullington_earth_radius_km, std::optional<P1812Settings> p1812,
                         std::optional<double> location_pct, std::optional<double> location_sigma_db) {
                 return ModelSpec{std::move(model), std::move(environment), hata_extrapolate, std::move(polarization), climate, itm,
                                  bullington_earth_radius_km, p1812.value_or(P1812Settings{}), location_pct, location_sigma_db};
             }),
             py::kw_only(), "model"_a = "itm", "environment"_a = "urban", "hata_extrapolate"_a = false, "polarization"_a = "vertical",
             "climate"_a = 5, "itm"_a = ItmParams{}, "bullington_earth_radius_km"_a = 8500.0, "p1812"_a = py::none(),
             "location_pct"_a = py::none(), "location_sigma_db"_a = py::none())
        .def_readwrite("model", &ModelSpec::model, "itm, hata, cost231, free-space, bullington or p1812.")
        .def_readwrite("environment", &ModelSpec::environment, "hata/cost231: urban, suburban, open.")
        .def_readwrite("hata_extrapolate", &ModelSpec::hata_extrapolate)
        .def_readwrite("polarization", &ModelSpec::polarization)
        .def_readwrite("climate", &ModelSpec::climate, "ITM radio climate 1..7.")
        .def_readwrite("itm", &ModelSpec::itm)
        .def_readwrite("bullington_earth_radius_km", &ModelSpec::bullington_earth_radius_km)
        .def_readwrite("p1812", &ModelSpec::p1812, "P1812Settings (delta_n_per_km and n0_n_units required for p1812).")
        .def_readwrite("location_pct", &ModelSpec::location_pct,
                       "Share of locations, 1..99 %, for every model (ITM needs mdvar 3; None: each model's own setting).")
        .def_readwrite("location_sigma_db", &ModelSpec::location_sigma_db,
                       "Log-normal σ, dB, of the models without their own location variability (None: P.1812 eq. (65)).");
    m.def("p1812_settings_of", &p1812_settings_of, "spec"_a, "The P1812Settings make_model() uses for a ModelSpec.");
    py::class_<LocationQuantileModel, PropagationModel, std::shared_ptr<LocationQuantileModel>>(
        m, "LocationQuantileModel", "A median model's loss at a share of locations: L + σ·Φ⁻¹(p/100).")
        .def(py::init([](std::shared_ptr<PropagationModel> median, double location_pct, std::optional<double> sigma_db, double area_m) {
                 return std::make_shared<LocationQuantileModel>(std::move(median), location_pct, sigma_db, area_m);
             }),
             "median"_a, "location_pct"_a, "sigma_db"_a = py::none(), "area_m"_a = 100.0)
        .def_property_readonly("location_pct", &LocationQuantileModel::location_pct)
        .def("sigma_db", &LocationQuantileModel::sigma_db, "freq_mhz"_a, "σ at this frequency, dB.")
        .def("margin_db", &LocationQuantileModel::margin_db, "freq_mhz"_a, "What is added to the median, dB.");
    m.def("default_location_sigma_db", &default_location_sigma_db, "freq_mhz"_a, "area_m"_a = 100.0,
          "σL of ITU-R P.1812 eq. (65) for a receiver in clutter, dB: the default of the models without their own.");
    m.def("standard_normal_quantile", &standard_normal_quantile, "p"_a, "Φ⁻¹(p), 0 < p < 1.");
    py::enum_<BuildingType>(m, "BuildingType", "Building classes of ITU-R P.2109-1 Table 1.")
        .value("traditional", BuildingType::traditional)
        .value("thermally_efficient", BuildingType::thermally_efficient);
    m.def("p2109_building_entry_loss_db", &p2109_building_entry_loss_db, "freq_mhz"_a, "prob_pct"_a, "building_type"_a,
          "elevation_deg"_a = 0.0, "ITU-R P.2109 building entry loss not exceeded for prob_pct % of buildings, dB.");
    m.def("model_names", &model_names, "The model names make_model() knows.");
    py::class_<ModelComparison>(m, "ModelComparison", "One model's answer in compare_models(): a loss, or why it does not apply.")
        .def_readonly("model", &ModelComparison::model)
        .def_readonly("description", &ModelComparison::description)
        .def_readonly("loss", &ModelComparison::loss, "PathLoss, or None.")
        .def_readonly("not_applicable", &ModelComparison::not_applicable, "Why there is no loss ('' when there is one).");
    m.def("compare_models", &compare_models, "profile"_a, "link"_a, "settings"_a,
          "The same path through every model, with the settings of a ModelSpec (its model ignored).");
    m.def(
        "make_model", [](const ModelSpec& spec) { return std::shared_ptr<PropagationModel>(make_model(spec)); }, "spec"_a,
        "The PropagationModel a ModelSpec names.");
    m.def("describe_model", &describe_model, "spec"_a, "One line describing the model and its settings.");
    m.def("polarization_of", &polarization_of, "spec"_a, "The Polarization a ModelSpec names.");

    py::enum_<Technology> technology(m, "Technology", "Radio access technology of a sector (one per row of the technology table).");
    for (const TechnologyTraits& tr : technology_table) {
        technology.value(tr.key, tr.technology, (std::string(tr.generation) + " " + tr.name + ": signal as " + tr.measure + ".").c_str());
    }
    py::class_<TechnologyTraits>(m, "TechnologyTraits", "One technology's row of the table: names, signal measure, defaults.")
        .def_readonly("technology", &TechnologyTraits::technology)
        .def_property_readonly("key", [](const TechnologyTraits& t) { return std::string(t.key); }, "'lte', 'umts', 'nr'.")
        .def_property_readonly("name", [](const TechnologyTraits& t) { return std::string(t.name); })
        .def_property_readonly("generation", [](const TechnologyTraits& t) { return std::string(t.generation); }, "'4G', '3G', '5G'.")
        .def_property_readonly("file_tag", [](const TechnologyTraits& t) { return std::string(t.file_tag); }, "'4g', '3g', '5g'.")
        .def_property_readonly("measure", [](const TechnologyTraits& t) { return std::string(t.measure); }, "'RSRP', 'RSCP', 'SS-RSRP'.")
        .def_property_readonly("measure_key", [](const TechnologyTraits& t) { return std::string(t.measure_key); })
        .def_property_readonly("measure_definition", [](const TechnologyTraits& t) { return std::string(t.measure_definition); })
        .def_readonly("default_bandwidth_mhz", &TechnologyTraits::default_bandwidth_mhz)
        .def_property_readonly("default_thresholds", [](const TechnologyTraits& t) { return SignalThresholds::default_for(t.technology); })
        .def_property_readonly("thresholds_source", [](const TechnologyTraits& t) { return std::string(t.thresholds_source); })
        .def_property_readonly("colour", [](const TechnologyTraits& t) { return py::make_tuple(t.colour[0], t.colour[1], t.colour[2]); },
                               "(red, green, blue), 0-255.");
    m.def("traits", [](Technology t) { return traits(t); }, "technology"_a, "The technology's row of the table.");
    m.def("technologies", [] { return std::vector<TechnologyTraits>(technology_table.begin(), technology_table.end()); },
          "Every technology's row, in the order outputs list them (4G, 3G, 5G).");
    m.def("technology_from", &technology_from, "key"_a, "The Technology a key ('lte', 'umts', 'nr') names.");
    m.def("generation_name", [](Technology t) { return std::string(generation_name(t)); }, "technology"_a, "'4G', '3G' or '5G'.");
    m.def("signal_measure_name", [](Technology t) { return std::string(signal_measure_name(t)); }, "technology"_a,
          "'RSRP', 'RSCP' or 'SS-RSRP'.");
    py::class_<LinkBudget>(m, "LinkBudget", "A downlink link budget (dB, dBm, dBi).")
        .def(py::init([](double tx_power_dbm, double tx_gain_dbi, double cable_loss_db, double path_loss_db, double rx_gain_dbi,
                         double other_losses_db) {
                 return LinkBudget{tx_power_dbm, tx_gain_dbi, cable_loss_db, path_loss_db, rx_gain_dbi, other_losses_db};
             }),
             py::kw_only(), "tx_power_dbm"_a = 0.0, "tx_gain_dbi"_a = 0.0, "cable_loss_db"_a = 0.0, "path_loss_db"_a = 0.0,
             "rx_gain_dbi"_a = 0.0, "other_losses_db"_a = 0.0)
        .def_readwrite("tx_power_dbm", &LinkBudget::tx_power_dbm)
        .def_readwrite("tx_gain_dbi", &LinkBudget::tx_gain_dbi)
        .def_readwrite("cable_loss_db", &LinkBudget::cable_loss_db)
        .def_readwrite("path_loss_db", &LinkBudget::path_loss_db)
        .def_readwrite("rx_gain_dbi", &LinkBudget::rx_gain_dbi)
        .def_readwrite("other_losses_db", &LinkBudget::other_losses_db)
        .def_property_readonly("eirp_dbm", &LinkBudget::eirp_dbm, "EIRP, dBm.")
        .def_property_readonly("rx_power_dbm", &LinkBudget::rx_power_dbm, "Received power, dBm.")
        .def("margin_db", &LinkBudget::margin_db, "sensitivity_dbm"_a, "Received power above a sensitivity, dB.");
    m.def("lte_resource_blocks", &lte_resource_blocks, "bandwidth_mhz"_a, "LTE resource blocks of a channel (3GPP TS 36.101).");
    m.def("rsrp_dbm", &rsrp_dbm, "total_power_dbm"_a, "bandwidth_mhz"_a, "LTE RSRP from the received channel power, dBm.");
    m.def("rscp_dbm", &rscp_dbm, "total_power_dbm"_a, "cpich_fraction"_a = 0.1, "UMTS RSCP from the received power, dBm.");
    m.def("nr_resource_blocks", &nr_resource_blocks, "bandwidth_mhz"_a, "subcarrier_spacing_khz"_a,
          "NR resource blocks of a channel at a subcarrier spacing (3GPP TS 38.101-1 table 5.3.2-1).");
    m.def("ss_rsrp_dbm", &ss_rsrp_dbm, "total_power_dbm"_a, "bandwidth_mhz"_a, "subcarrier_spacing_khz"_a,
          "NR SS-RSRP from the received channel power, dBm (SS/PBCH block at the average energy per resource element).");

    py::enum_<SignalClass>(m, "SignalClass", "Signal classes, best first (values as stored in class rasters).")
        .value("excellent", SignalClass::excellent)
        .value("good", SignalClass::good)
        .value("fair", SignalClass::fair)
        .value("poor", SignalClass::poor)
        .value("edge", SignalClass::edge)
        .value("no_service", SignalClass::no_service);
    m.def("signal_class_from", &signal_class_from, "name"_a, "The SignalClass named 'excellent' ... 'no_service'.");
    m.def("signal_class_name", [](SignalClass c) { return std::string(to_string(c)); }, "signal_class"_a, "The class in words.");
    py::class_<SignalThresholds>(m, "SignalThresholds", "Lower bounds of each signal class, dBm, best first.")
        .def(py::init([](std::vector<double> lower_bound_dbm) {
                 if (lower_bound_dbm.empty() || lower_bound_dbm.size() > 5) {
                     throw InvalidArgument("SignalThresholds: give 1 to 5 lower bounds, dBm, best first");
                 }
                 SignalThresholds t;
                 t.class_count = static_cast<int>(lower_bound_dbm.size());
                 std::copy(lower_bound_dbm.begin(), lower_bound_dbm.end(), t.lower_bound_dbm.begin());
                 t.validate();
                 return t;
             }),
             "lower_bound_dbm"_a)
        .def_property_readonly(
            "lower_bound_dbm",
            [](const SignalThresholds& t) {
                return std::vector<double>(t.lower_bound_dbm.begin(), t.lower_bound_dbm.begin() + t.class_count);
            },
            "The class bounds in use, dBm, best first.")
        .def_readonly("class_count", &SignalThresholds::class_count)
        .def("classify", &SignalThresholds::classify, "signal_dbm"_a, "The SignalClass of a signal, dBm.")
        .def_static("lte_default", &SignalThresholds::lte_default, "−80/−90/−100/−110/−120 dBm RSRP.")
        .def_static("umts_default", &SignalThresholds::umts_default, "−80/−90/−100/−110 dBm RSCP.")
        .def_static("nr_default", &SignalThresholds::nr_default, "−80/−90/−100/−110 dBm SS-RSRP.")
        .def_static("default_for", &SignalThresholds::default_for, "technology"_a);

    py::class_<LinkGeometryParams>(m, "LinkGeometryParams", "Radio geometry of a path (frequency, heights, refraction).")
        .def(py::init([](double freq_mhz, double tx_height_agl_m, double rx_height_agl_m, double k_factor) {
                 return LinkGeometryParams{freq_mhz, tx_height_agl_m, rx_height_agl_m, k_factor};
             }),
             py::kw_only(), "freq_mhz"_a, "tx_height_agl_m"_a, "rx_height_agl_m"_a, "k_factor"_a = 4.0 / 3.0)
        .def_readwrite("freq_mhz", &LinkGeometryParams::freq_mhz)
        .def_readwrite("tx_height_agl_m", &LinkGeometryParams::tx_height_agl_m)
        .def_readwrite("rx_height_agl_m", &LinkGeometryParams::rx_height_agl_m)
        .def_readwrite("k_factor", &LinkGeometryParams::k_factor, "Effective earth radius factor.");
    py::class_<LinkGeometry>(m, "LinkGeometry", "Line of sight and first-Fresnel-zone clearance over a profile.")
        .def_readonly("distance_m", &LinkGeometry::distance_m)
        .def_readonly("line_of_sight", &LinkGeometry::line_of_sight)
        .def_readonly("worst_clearance_m", &LinkGeometry::worst_clearance_m)
        .def_readonly("worst_fresnel_radius_m", &LinkGeometry::worst_fresnel_radius_m)
        .def_readonly("worst_fresnel_clear_pct", &LinkGeometry::worst_fresnel_clear_pct)
        .def_readonly("worst_distance_m", &LinkGeometry::worst_distance_m)
        .def_readonly("worst_index", &LinkGeometry::worst_index);
    m.def("analyse_link_geometry", &analyse_link_geometry, "profile"_a, "params"_a, "Line of sight and Fresnel clearance of a profile.");
    m.def(
        "profile_points",
        [](const TerrainProfile& profile, const LinkGeometryParams& params) {
            const auto pts = profile_points(profile, params);
            py::dict out;
            auto column = [&](const char* name, double ProfilePoint::*field) {
                py::array_t<double> a(static_cast<py::ssize_t>(pts.size()));
                double* d = a.mutable_data();
                for (std::size_t i = 0; i < pts.size(); ++i) {
                    d[i] = pts[i].*field;
                }
                out[name] = a;
            };
            column("distance_m", &ProfilePoint::distance_m);
            column("ground_m", &ProfilePoint::ground_m);
            column("ground_with_bulge_m", &ProfilePoint::ground_with_bulge_m);
            column("los_m", &ProfilePoint::los_m);
            column("fresnel_radius_m", &ProfilePoint::fresnel_radius_m);
            return out;
        },
        "profile"_a, "params"_a,
        "Per-point quantities for plotting as numpy arrays: distance_m, ground_m, ground_with_bulge_m, los_m, fresnel_radius_m.");
}

} // namespace libcoverage_py
