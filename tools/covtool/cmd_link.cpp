// covtool link: one path, on a DEM or over a given profile.

#include "commands.hpp"
#include "model_options.hpp"
#include "terminal.hpp"

#include <coverage/core/atomic_file.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/core/error.hpp>
#include <coverage/coverage/clutter_map.hpp>
#include <coverage/propagation/link_analysis.hpp>
#include <coverage/propagation/p1812_model.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/radio/signal_class.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace covtool {

namespace {

struct LinkOptions {
    std::string from;
    std::string to;
    std::vector<std::string> dem;
    std::string voids = "error";
    bool allow_remote = false;
    std::string resampling = "bilinear";
    std::string profile;
    std::optional<double> step_m;
    std::string profile_sampling = "bilinear";
    ModelOptions model;
    double freq_mhz = 1800.0;
    double tx_height_m = 30.0;
    double rx_height_m = 1.5;
    // Link budget defaults: 3GPP TR 36.814 v9.0.0 table A.2.1.1-2 (macro BS 46 dBm over 10 MHz,
    // antenna gain 14 dBi after cable loss; UE antenna 0 dBi at 1.5 m).
    double tx_power_dbm = 46.0;
    double tx_gain_dbi = 14.0;
    double cable_loss_db = 0.0;
    double rx_gain_dbi = 0.0;
    std::string technology = "lte";
    std::optional<double> bandwidth_mhz;          // default: the technology's (LTE 10, NR 20 MHz)
    std::optional<double> subcarrier_spacing_khz; // NR; default: the band's usual spacing
    double cpich_fraction = 0.1;
    double k_factor = 4.0 / 3.0;
    bool json = false;
    std::string profile_csv;
    std::string land_cover;       // with --dem: P.1812's clutter along the path, or the receiver's P.2108 clutter
    std::string clutter = "none"; // none or p2108
};

coverage::GeoPoint parse_point(const std::string& text, const char* option) {
    const std::vector<double> v = parse_decimals(text, 2, option, "LAT,LON in decimal degrees");
    const double lat = v[0];
    const double lon = v[1];
    if (!(lat >= -90.0 && lat <= 90.0) || !(lon >= -180.0 && lon <= 180.0)) {
        throw coverage::InvalidArgument(std::string(option) + ": latitude must be -90..90 and longitude -180..180 (got '" +
                                        text + "')");
    }
    return coverage::GeoPoint{.lat_deg = lat, .lon_deg = lon};
}

std::string profile_csv_text(const std::vector<coverage::ProfilePoint>& pts) {
    std::string out = "distance_m,elevation_m,elevation_with_bulge_m,los_m,fresnel_radius_m,fresnel_lower_m\n";
    for (const auto& p : pts) {
        out += fmt("%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", p.distance_m, p.ground_m, p.ground_with_bulge_m, p.los_m,
                   p.fresnel_radius_m, p.los_m - p.fresnel_radius_m);
    }
    return out;
}

// A profile of any spacing, for the line-of-sight and Fresnel analysis, which walks equal steps: the ground
// interpolated linearly every smallest interval of the file (the file itself when it is evenly spaced).
coverage::TerrainProfile evenly_spaced(const coverage::ProfileTable& t) {
    double step = t.distance_m.back();
    for (std::size_t i = 1; i < t.distance_m.size(); ++i) {
        step = std::min(step, t.distance_m[i] - t.distance_m[i - 1]);
    }
    const auto n = static_cast<std::size_t>(std::ceil(t.distance_m.back() / step - 1e-6));
    step = t.distance_m.back() / static_cast<double>(n);
    coverage::TerrainProfile out{.elevation_m = std::vector<double>(n + 1), .step_m = step};
    std::size_t k = 0;
    for (std::size_t i = 0; i <= n; ++i) {
        const double d = static_cast<double>(i) * step;
        while (k + 2 < t.distance_m.size() && t.distance_m[k + 1] < d) {
            ++k;
        }
        const double w = std::clamp((d - t.distance_m[k]) / (t.distance_m[k + 1] - t.distance_m[k]), 0.0, 1.0);
        out.elevation_m[i] = t.elevation_m[k] + w * (t.elevation_m[k + 1] - t.elevation_m[k]);
    }
    return out;
}

nlohmann::json geo_json(coverage::GeoPoint p) { return {{"lat_deg", p.lat_deg}, {"lon_deg", p.lon_deg}}; }

// --model all: the path through every model, side by side, with the link budget's received signal for each.
int print_comparison(const LinkOptions& o, const coverage::TerrainProfile& profile, const std::optional<coverage::P1812Path>& p1812_path,
                     const coverage::LinkParams& link, const std::string& terrain_source) {
    using namespace coverage;
    std::vector<ModelComparison> rows = compare_models(profile, link, o.model);
    for (ModelComparison& r : rows) {
        if (r.model == "p1812" && p1812_path && r.not_applicable.find("delta_n") == std::string::npos) {
            // the profile as given (any spacing, its clutter and zones), not the evenly spaced copy
            try {
                const P1812Intermediate v = p1812_loss(*p1812_path, link, link.path_centre_lat_deg, p1812_settings_of(o.model));
                r.loss = PathLoss{};
                r.loss->loss_db = v.lb_db;
                r.loss->free_space_loss_db = v.lbfs_db;
                r.loss->mode = v.trans_horizon ? PropagationMode::diffraction : PropagationMode::line_of_sight;
                r.not_applicable.clear();
            } catch (const OutOfDomain& e) {
                r.loss.reset();
                r.not_applicable = e.what();
            }
        }
    }
    for (ModelComparison& r : rows) {
        if (r.model == "p1812" && r.not_applicable.find("delta_n_per_km") != std::string::npos) {
            r.not_applicable = "needs --delta-n and --n0, the path centre's refractivity from ITU-R P.1812's maps (no default)";
        }
    }
    const double eirp_dbm = o.tx_power_dbm + o.tx_gain_dbi - o.cable_loss_db;
    if (o.json) {
        nlohmann::json j;
        j["terrain_source"] = terrain_source;
        j["distance_m"] = profile.length_m();
        j["freq_mhz"] = o.freq_mhz;
        j["tx_height_agl_m"] = o.tx_height_m;
        j["rx_height_agl_m"] = o.rx_height_m;
        j["eirp_dbm"] = eirp_dbm;
        j["models"] = nlohmann::json::array();
        for (const ModelComparison& r : rows) {
            nlohmann::json m = {{"model", r.model}, {"description", r.description}};
            if (r.loss) {
                m["loss_db"] = r.loss->loss_db;
                m["free_space_loss_db"] = r.loss->free_space_loss_db;
                m["mode"] = to_string(r.loss->mode);
                m["rx_power_dbm"] = eirp_dbm - r.loss->loss_db + o.rx_gain_dbi;
            } else {
                m["loss_db"] = nullptr;
                m["not_applicable"] = r.not_applicable;
            }
            j["models"].push_back(m);
        }
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("%.3f km over %s; %.1f MHz, tx %.1f m, rx %.1f m above ground; EIRP %.1f dBm\n", profile.length_m() / 1000.0,
                terrain_source.c_str(), o.freq_mhz, o.tx_height_m, o.rx_height_m, eirp_dbm);
    std::vector<std::pair<std::string, std::string>> table;
    for (const ModelComparison& r : rows) {
        table.emplace_back(r.model, r.loss ? fmt("%7.2f dB  received %7.1f dBm  (%s)  %s", r.loss->loss_db,
                                                 eirp_dbm - r.loss->loss_db + o.rx_gain_dbi, to_string(r.loss->mode),
                                                 r.description.c_str())
                                           : "not applicable: " + r.not_applicable);
    }
    std::printf("%s", format_table(table).c_str());
    return 0;
}

int run_link(const LinkOptions& o) {
    using namespace coverage;
    if (o.dem.empty() == o.profile.empty()) {
        throw InvalidArgument("link: give either --dem FILE... with --from and --to, or --profile FILE");
    }
    if (!(o.freq_mhz > 0.0)) {
        throw OutOfDomain("--freq-mhz must be > 0 (got " + fmt("%g", o.freq_mhz) + ")");
    }
    if (!(o.tx_height_m >= 0.0)) {
        throw OutOfDomain("--tx-height-m must be >= 0 m above ground (got " + fmt("%g", o.tx_height_m) + ")");
    }
    if (!(o.rx_height_m >= 0.0)) {
        throw OutOfDomain("--rx-height-m must be >= 0 m above ground (got " + fmt("%g", o.rx_height_m) + ")");
    }
    if (!(o.cable_loss_db >= 0.0)) {
        throw InvalidArgument("--cable-loss-db must be >= 0 dB (got " + fmt("%g", o.cable_loss_db) + ")");
    }
    if (o.step_m && !(*o.step_m > 0.0)) {
        throw InvalidArgument("--step-m must be > 0 (got " + fmt("%g", *o.step_m) + ")");
    }
    const Technology technology = technology_from(o.technology);
    const TechnologyTraits& tech = traits(technology);
    if (o.subcarrier_spacing_khz && !tech.has_subcarrier_spacing) {
        throw InvalidArgument("--subcarrier-spacing-khz applies only to technologies with a subcarrier spacing (nr), not " + o.technology);
    }
    const NrBand* band = nr_band_of(o.freq_mhz);
    const ChannelSetting channel{.bandwidth_mhz = o.bandwidth_mhz.value_or(tech.default_bandwidth_mhz),
                                 .subcarrier_spacing_khz = o.subcarrier_spacing_khz.value_or(band != nullptr ? band->default_scs_khz : 15.0),
                                 .cpich_fraction = o.cpich_fraction};
    std::string field;
    if (const std::string problem = channel_problem(technology, o.freq_mhz, channel, field); !problem.empty()) {
        std::replace(field.begin(), field.end(), '_', '-');
        throw InvalidArgument("--" + field + ": " + problem); // before any work
    }
    const bool all = o.model.model == "all";
    const std::unique_ptr<PropagationModel> model = all ? nullptr : covtool::make_model(o.model);
    const bool p1812 = o.model.model == "p1812" || all;

    // Terrain: a DEM between two points, or a profile file.
    TerrainProfile profile;
    std::optional<P1812Path> p1812_path; // a P.1812 profile as given (any spacing, clutter and zones), or with land cover
    std::optional<LandCoverClass> rx_class; // the receiver's land-cover class (--land-cover)
    if (!o.land_cover.empty() && o.dem.empty()) {
        throw InvalidArgument("link: --land-cover goes with --dem (a --profile carries its own clutter columns, for p1812)");
    }
    if (o.clutter == "p2108" && o.land_cover.empty()) {
        throw InvalidArgument("--clutter p2108 needs --land-cover FILE: the receiver's clutter class comes from it");
    }
    if (o.clutter == "p2108" && p1812) {
        throw InvalidArgument("link: with --model p1812 (or all) --land-cover puts the clutter on the path, as P.1812 §3.2 does; "
                              "--clutter p2108 would count the receiver's clutter twice");
    }
    if (!o.land_cover.empty() && o.clutter != "p2108" && !p1812) {
        throw InvalidArgument("link: --land-cover is read by --model p1812 (clutter along the path) or with --clutter p2108 "
                              "(the receiver's clutter loss)");
    }
    std::optional<GeoPoint> from;
    std::optional<GeoPoint> to;
    std::string terrain_source;
    if (!o.dem.empty()) {
        if (o.from.empty() || o.to.empty()) {
            throw InvalidArgument("link: --dem needs --from LAT,LON and --to LAT,LON");
        }
        from = parse_point(o.from, "--from");
        to = parse_point(o.to, "--to");
        DemOptions dem_options;
        dem_options.void_policy = coverage::void_policy_from(o.voids);
        dem_options.allow_remote = o.allow_remote;
        dem_options.resampling = coverage::resampling_from(o.resampling);
        // Only the area around the path is read: the path's box plus a margin of 2 km.
        const double margin_deg = 2000.0 / 111000.0;
        const double lon_margin_deg = margin_deg / std::max(0.1, std::cos(0.5 * (from->lat_deg + to->lat_deg) * M_PI / 180.0));
        dem_options.area = GeoBox{.south_deg = std::min(from->lat_deg, to->lat_deg) - margin_deg,
                                  .west_deg = std::min(from->lon_deg, to->lon_deg) - lon_margin_deg,
                                  .north_deg = std::max(from->lat_deg, to->lat_deg) + margin_deg,
                                  .east_deg = std::max(from->lon_deg, to->lon_deg) + lon_margin_deg};
        Dem dem = [&] {
            ProgressBar bar("terrain");
            return read_dem(o.dem, dem_options, bar.callback());
        }();
        profile = dem.profile(*from, *to, o.step_m.value_or(dem.cell_size_m()), coverage::profile_sampling_from(o.profile_sampling));
        terrain_source = dem.source() + " (" + dem.crs().definition + fmt(", %.1f m cells)", dem.cell_size_m());
        if (!o.land_cover.empty()) {
            const ClutterMap clutter = read_clutter_map(o.land_cover, dem, worldcover_land_cover_table(), o.allow_remote);
            if (p1812) {
                p1812_path = p1812_path_with_clutter(clutter, dem, dem.to_grid(*from), dem.to_grid(*to), profile);
            }
            if (const auto cell = dem.cell_at(dem.to_grid(*to))) {
                rx_class = clutter.at(cell->col, cell->row);
            }
        }
    } else if (p1812 && (!all || !o.from.empty() || !o.to.empty())) {
        // P.1812 reads any spacing and the optional clutter and zone columns; the two ends give its geography.
        if (o.from.empty() || o.to.empty()) {
            throw InvalidArgument("link --model p1812 --profile: give --from LAT,LON and --to LAT,LON, the two ends of the "
                                  "profile (P.1812's climate, beta0, depends on the latitude of the path centre)");
        }
        from = parse_point(o.from, "--from");
        to = parse_point(o.to, "--to");
        const ProfileTable table = read_profile_table_csv(o.profile);
        p1812_path = p1812_path_from(table);
        profile = evenly_spaced(table);
        terrain_source = o.profile;
    } else {
        if (!o.from.empty() || !o.to.empty()) {
            throw InvalidArgument("link: --from/--to go with --dem (or with --profile for --model p1812); a --profile "
                                  "already runs from transmitter to receiver");
        }
        profile = read_profile_csv(o.profile);
        terrain_source = o.profile;
    }

    LinkParams link{.freq_mhz = o.freq_mhz, .tx_height_agl_m = o.tx_height_m, .rx_height_agl_m = o.rx_height_m,
                    .polarization = polarization_of(o.model)};
    if (from) {
        link.path_centre_lat_deg = path_centre_latitude_deg(*from, *to, profile.length_m() / 1000.0);
    }
    if (all) {
        return print_comparison(o, profile, p1812_path, link, terrain_source);
    }
    std::optional<P1812Intermediate> p1812_values;
    PathLoss loss;
    if (p1812) {
        p1812_values = p1812_loss(p1812_path ? *p1812_path : P1812Path::from(profile), link, link.path_centre_lat_deg, p1812_settings_of(o.model));
        loss.loss_db = p1812_values->lb_db;
        loss.free_space_loss_db = p1812_values->lbfs_db;
        loss.mode = p1812_values->trans_horizon ? PropagationMode::diffraction : PropagationMode::line_of_sight;
    } else {
        loss = model->path_loss(profile, link);
    }
    double rx_clutter_db = 0.0;
    if (o.clutter == "p2108" && rx_class) {
        rx_clutter_db = receiver_clutter_loss_db(*rx_class, o.freq_mhz, o.rx_height_m, profile.length_m() / 1000.0);
        loss.loss_db += rx_clutter_db;
    }
    const LinkGeometryParams gp{.freq_mhz = o.freq_mhz, .tx_height_agl_m = o.tx_height_m, .rx_height_agl_m = o.rx_height_m,
                                .k_factor = o.k_factor};
    const LinkGeometry geometry = analyse_link_geometry(profile, gp);

    const LinkBudget budget{.tx_power_dbm = o.tx_power_dbm, .tx_gain_dbi = o.tx_gain_dbi, .cable_loss_db = o.cable_loss_db,
                            .path_loss_db = loss.loss_db, .rx_gain_dbi = o.rx_gain_dbi};
    const double rx_dbm = budget.rx_power_dbm();
    const double signal_dbm = signal_measure_dbm(technology, rx_dbm, channel);
    const SignalClass cls = SignalThresholds::default_for(technology).classify(signal_dbm);
    const std::string signal_name = std::string(tech.measure_key) + "_dbm";
    const std::vector<std::pair<std::string, double>> figures = channel_figures(technology, channel);

    if (!o.profile_csv.empty()) {
        write_file_atomically(o.profile_csv, profile_csv_text(profile_points(profile, gp)));
    }

    if (o.json) {
        nlohmann::json j;
        j["loss_db"] = loss.loss_db;
        j["free_space_loss_db"] = loss.free_space_loss_db;
        j["model"] = model->name();
        j["mode"] = to_string(loss.mode);
        j["warning_flags"] = loss.warnings;
        j["warnings"] = describe_warnings(loss.warnings);
        if (rx_class) {
            j["rx_land_cover"] = {{"code", rx_class->code}, {"name", rx_class->name}, {"clutter", to_string(rx_class->clutter)},
                                  {"clutter_height_m", rx_class->clutter_height_m}};
            j["rx_clutter_loss_db"] = rx_clutter_db;
        }
        j["distance_m"] = profile.length_m();
        j["profile_points"] = profile.point_count();
        j["profile_step_m"] = profile.step_m;
        j["profile_sampling"] = o.dem.empty() ? "given" : o.profile_sampling;
        j["terrain_source"] = terrain_source;
        if (from) {
            j["from"] = geo_json(*from);
            j["to"] = geo_json(*to);
        }
        j["tx_ground_m"] = profile.elevation_m.front();
        j["rx_ground_m"] = profile.elevation_m.back();
        j["freq_mhz"] = o.freq_mhz;
        j["tx_height_agl_m"] = o.tx_height_m;
        j["rx_height_agl_m"] = o.rx_height_m;
        j["line_of_sight"] = geometry.line_of_sight;
        j["k_factor"] = o.k_factor;
        j["fresnel"] = {{"worst_distance_m", geometry.worst_distance_m},
                        {"worst_clearance_m", geometry.worst_clearance_m},
                        {"worst_fresnel_radius_m", geometry.worst_fresnel_radius_m},
                        {"worst_clear_pct", geometry.worst_fresnel_clear_pct}};
        j["eirp_dbm"] = budget.eirp_dbm();
        j["tx_power_dbm"] = o.tx_power_dbm;
        j["tx_gain_dbi"] = o.tx_gain_dbi;
        j["cable_loss_db"] = o.cable_loss_db;
        j["rx_gain_dbi"] = o.rx_gain_dbi;
        j["rx_power_dbm"] = rx_dbm;
        j["technology"] = o.technology;
        for (const auto& [name, value] : figures) {
            if (name == "resource_blocks") {
                j[name] = static_cast<int>(value);
            } else {
                j[name] = value;
            }
        }
        j[signal_name] = signal_dbm;
        j["signal_dbm"] = signal_dbm;
        j["signal_class"] = to_string(cls);
        if (loss.itm) {
            const auto& v = *loss.itm;
            j["itm"] = {{"a_ref_db", v.a_ref_db},           {"delta_h_m", v.delta_h_m},  {"n_s", v.n_s},
                        {"theta_hzn_tx_rad", v.theta_hzn_tx_rad}, {"theta_hzn_rx_rad", v.theta_hzn_rx_rad},
                        {"d_hzn_tx_m", v.d_hzn_tx_m},       {"d_hzn_rx_m", v.d_hzn_rx_m},
                        {"h_e_tx_m", v.h_e_tx_m},           {"h_e_rx_m", v.h_e_rx_m},    {"d_km", v.d_km}};
        }
        if (loss.bullington) {
            const auto& b = *loss.bullington;
            j["bullington"] = {{"l_d_db", b.l_d_db},       {"l_bulla_db", b.l_bulla_db}, {"l_bulls_db", b.l_bulls_db},
                               {"l_dsph_db", b.l_dsph_db}, {"hts_prime_m", b.hts_prime_m}, {"hrs_prime_m", b.hrs_prime_m}};
        }
        if (p1812_values) {
            const P1812Intermediate& v = *p1812_values;
            j["p1812"] = {{"lb_db", v.lb_db}, {"lbc_db", v.lbc_db}, {"lloc_db", v.lloc_db}, {"sigma_l_db", v.sigma_l_db},
                          {"lbfs_db", v.lbfs_db}, {"lb0p_db", v.lb0p_db}, {"lb0b_db", v.lb0b_db}, {"lbulla_db", v.lbulla_db},
                          {"lbulls_db", v.lbulls_db}, {"ldsph_db", v.ldsph_db}, {"ld50_db", v.ld50_db}, {"ldp_db", v.ldp_db},
                          {"lbd_db", v.lbd_db}, {"lba_db", v.lba_db}, {"lbam_db", v.lbam_db}, {"lbs_db", v.lbs_db},
                          {"beta0_pct", v.beta0_pct}, {"ae_km", v.ae_km}, {"omega", v.omega}, {"dtm_km", v.dtm_km},
                          {"dlm_km", v.dlm_km}, {"theta_mrad", v.theta_mrad}, {"dlt_km", v.dlt_km}, {"dlr_km", v.dlr_km},
                          {"path_centre_lat_deg", v.path_centre_lat_deg}, {"trans_horizon", v.trans_horizon},
                          {"time_pct", o.model.p1812.time_pct}, {"location_pct", p1812_settings_of(o.model).location_pct},
                          {"delta_n_per_km", o.model.p1812.delta_n_per_km}, {"n0_n_units", o.model.p1812.n0_n_units},
                          {"profile_points", p1812_path ? p1812_path->distance_km.size() : profile.point_count()},
                          {"clutter", p1812_path && !p1812_path->clutter_height_m.empty()}};
        }
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }

    std::vector<std::pair<std::string, std::string>> rows;
    if (from) {
        rows.emplace_back("from", describe(*from) + fmt("  (ground %.1f m)", profile.elevation_m.front()));
        rows.emplace_back("to", describe(*to) + fmt("  (ground %.1f m)", profile.elevation_m.back()));
    }
    rows.emplace_back("terrain", terrain_source);
    if (p1812_path && o.dem.empty()) {
        rows.emplace_back("distance", fmt("%.3f km  (%zu points as given; line of sight over them every %.1f m)",
                                          profile.length_m() / 1000.0, p1812_path->distance_km.size(), profile.step_m));
    } else {
        rows.emplace_back("distance", fmt("%.3f km  (%zu points, %.1f m apart)", profile.length_m() / 1000.0,
                                          profile.point_count(), profile.step_m));
    }
    rows.emplace_back("antennas", fmt("tx %.1f m, rx %.1f m above ground; %.1f MHz", o.tx_height_m, o.rx_height_m, o.freq_mhz));
    rows.emplace_back("geometric line of sight",
                      geometry.line_of_sight ? fmt("yes (k = %.3g)", o.k_factor)
                                             : fmt("no: terrain above the direct ray at %.2f km (k = %.3g)",
                                                   geometry.worst_distance_m / 1000.0, o.k_factor));
    rows.emplace_back("first Fresnel zone", fmt("%.0f %% clear at the worst point, %.2f km from tx (clearance %.1f m, "
                                                "radius %.1f m)",
                                                geometry.worst_fresnel_clear_pct, geometry.worst_distance_m / 1000.0,
                                                geometry.worst_clearance_m, geometry.worst_fresnel_radius_m));
    rows.emplace_back("model", describe_model(o.model));
    rows.emplace_back("basic transmission loss", fmt("%.2f dB  (free space %.2f dB; mode %s)", loss.loss_db,
                                                     loss.free_space_loss_db, to_string(loss.mode)));
    if (rx_class) {
        rows.emplace_back("receiver land cover",
                          fmt("%d %s (%s, R %.0f m)", rx_class->code, rx_class->name.c_str(), to_string(rx_class->clutter),
                              rx_class->clutter_height_m) +
                              (o.clutter == "p2108" ? fmt("; ITU-R P.2108 clutter loss %.2f dB, in the loss above", rx_clutter_db)
                                                    : std::string("; P.1812 takes the clutter along the path")));
    }
    if (p1812_values) {
        const P1812Intermediate& v = *p1812_values;
        rows.emplace_back("p1812 parts", fmt("diffraction %.2f dB (Bullington %.2f), ducting %.2f dB, troposcatter %.2f dB, "
                                             "locations %+.2f dB (sigma_L %.2f dB); beta0 %.2f %%, a_e %.0f km, sea %.0f %%; %s",
                                             v.ldp_db, v.lbulla_db, v.lba_db, v.lbs_db, std::fabs(v.lloc_db) < 0.005 ? 0.0 : v.lloc_db, v.sigma_l_db, v.beta0_pct,
                                             v.ae_km, 100.0 * v.omega,
                                             p1812_path && !p1812_path->clutter_height_m.empty() ? "clutter as the profile gives it"
                                                                                                 : "no clutter"));
    }
    if (loss.itm) {
        rows.emplace_back("itm terrain", fmt("delta_h %.1f m, effective heights %.1f / %.1f m, horizons %.2f / %.2f km",
                                             loss.itm->delta_h_m, loss.itm->h_e_tx_m, loss.itm->h_e_rx_m,
                                             loss.itm->d_hzn_tx_m / 1000.0, loss.itm->d_hzn_rx_m / 1000.0));
    }
    rows.emplace_back("EIRP", fmt("%.1f dBm  (%.1f dBm + %.1f dBi - %.1f dB cable)", budget.eirp_dbm(), o.tx_power_dbm,
                                  o.tx_gain_dbi, o.cable_loss_db));
    rows.emplace_back("received power", fmt("%.1f dBm", rx_dbm));
    std::string detail;
    for (const auto& [name, value] : figures) {
        detail += (detail.empty() ? "" : ", ") +
                  (name == "bandwidth_mhz"            ? fmt("%g MHz", value)
                   : name == "resource_blocks"        ? fmt("%g resource blocks", value)
                   : name == "subcarrier_spacing_khz" ? fmt("%g kHz spacing", value)
                   : name == "cpich_fraction"         ? fmt("CPICH %.0f %% of power", 100.0 * value)
                                                      : name + " " + fmt("%g", value));
    }
    rows.emplace_back(tech.measure, fmt("%.1f dBm  (%s)  class: %s", signal_dbm, detail.c_str(), to_string(cls)));
    if (loss.warnings != 0U) {
        rows.emplace_back("warnings", describe_warnings(loss.warnings));
    }
    if (!o.profile_csv.empty()) {
        rows.emplace_back("profile written to", o.profile_csv);
    }
    std::printf("%s", format_table(rows).c_str());
    return 0;
}

} // namespace

void register_link(CLI::App& app, Action& action) {
    auto o = std::make_shared<LinkOptions>();
    CLI::App* cmd = app.add_subcommand("link", "Path loss, line of sight, Fresnel clearance and received signal on one path");
    cmd->add_option("--from", o->from, "transmitter position LAT,LON (decimal degrees, WGS84); with --dem, or with --profile for p1812");
    cmd->add_option("--to", o->to, "receiver position LAT,LON (decimal degrees, WGS84)");
    cmd->add_option("--dem", o->dem, "elevation raster(s) read by GDAL (GeoTIFF, SRTM .hgt, VRT); several form a mosaic")
        ->expected(1, -1);
    add_dem_read_options(*cmd, o->voids, o->allow_remote, o->resampling);
    cmd->add_option("--profile", o->profile, "terrain profile CSV with header distance_m,elevation_m (tx first, equal spacing); for --model p1812 any "
                    "spacing, and optional columns clutter_code (1-5), clutter_height_m and zone (1 sea, 3 coastal, 4 inland)");
    cmd->add_option("--step-m", o->step_m, "profile sample spacing on a DEM, metres [default: the DEM cell size]");
    cmd->add_option("--profile-sampling", o->profile_sampling,
                    "terrain between the DEM's posts: bilinear (interpolated) or nearest (the post of the cell, as SPLAT! and "
                    "Signal-Server read it)")
        ->check(CLI::IsMember({"bilinear", "nearest"}))
        ->capture_default_str();
    add_model_options(*cmd, o->model, /*allow_los=*/false, /*allow_all=*/true);
    cmd->add_option("--freq-mhz", o->freq_mhz, "carrier frequency, MHz")->capture_default_str();
    cmd->add_option("--tx-height-m", o->tx_height_m, "transmitter antenna height above ground, m")->capture_default_str();
    cmd->add_option("--rx-height-m", o->rx_height_m, "receiver antenna height above ground, m")->capture_default_str();
    cmd->add_option("--tx-power-dbm", o->tx_power_dbm, "transmitter power at the connector, dBm (3GPP TR 36.814 macro)")
        ->capture_default_str();
    cmd->add_option("--tx-gain-dbi", o->tx_gain_dbi, "transmit antenna gain toward the receiver, dBi")->capture_default_str();
    cmd->add_option("--cable-loss-db", o->cable_loss_db, "feeder and connector loss, dB")->capture_default_str();
    cmd->add_option("--rx-gain-dbi", o->rx_gain_dbi, "receive antenna gain, dBi")->capture_default_str();
    std::vector<std::string> keys;
    std::string technologies;
    for (const coverage::TechnologyTraits& tr : coverage::technology_table) {
        keys.emplace_back(tr.key);
        technologies += std::string(technologies.empty() ? "" : ", ") + tr.key + " (report " + tr.measure + ")";
    }
    cmd->add_option("--technology", o->technology, technologies)->check(CLI::IsMember(keys))->capture_default_str();
    cmd->add_option("--bandwidth-mhz", o->bandwidth_mhz,
                    "channel bandwidth, MHz; LTE 1.4, 3, 5, 10 (default), 15, 20; NR per 3GPP TS 38.101-1 (default 20)");
    cmd->add_option("--subcarrier-spacing-khz", o->subcarrier_spacing_khz,
                    "NR subcarrier spacing, kHz (15 or 30; default: 15 on n1, n3, n28, 30 on n41, n78)");
    cmd->add_option("--cpich-fraction", o->cpich_fraction, "UMTS: share of the cell power on the CPICH (0-1]")
        ->capture_default_str();
    cmd->add_option("--k-factor", o->k_factor, "effective earth radius factor for line of sight and Fresnel clearance")
        ->capture_default_str();
    cmd->add_option("--land-cover", o->land_cover,
                    "land-cover raster (ESA WorldCover codes), with --dem: for --model p1812 the clutter along the path "
                    "(P.1812 §3.2), or with --clutter p2108 the receiver's clutter class");
    cmd->add_option("--clutter", o->clutter, "receiver clutter: none, or p2108 (ITU-R P.2108 loss from --land-cover)")
        ->check(CLI::IsMember({"none", "p2108"}))
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "print every number as JSON (loss_db at the top level)");
    cmd->add_option("--profile-csv", o->profile_csv,
                    "write the sampled profile with the direct ray and first Fresnel radius to this CSV");
    cmd->callback([o, &action] { action = [o] { return run_link(*o); }; });
}

} // namespace covtool
