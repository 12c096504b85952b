#include "model_options.hpp"


#include <coverage/core/error.hpp>

#include <cmath>

namespace covtool {

std::unique_ptr<coverage::PropagationModel> make_model(const ModelOptions& o) {
    if (o.model == "p1812" && (std::isnan(o.p1812.delta_n_per_km) || std::isnan(o.p1812.n0_n_units))) {
        throw coverage::InvalidArgument(std::string("--model p1812 needs ") +
                                        (std::isnan(o.p1812.delta_n_per_km) ? "--delta-n" : "") +
                                        (std::isnan(o.p1812.delta_n_per_km) && std::isnan(o.p1812.n0_n_units) ? " and " : "") +
                                        (std::isnan(o.p1812.n0_n_units) ? "--n0" : "") +
                                        ": the refractivity lapse rate (N-units/km) and the sea-level surface refractivity "
                                        "(N-units) at the path centre, from the maps of ITU-R P.1812 (DN50, N050); there is "
                                        "no default");
    }
    return coverage::make_model(o);
}

void add_model_options(CLI::App& cmd, ModelOptions& o, bool allow_los, bool allow_all) {
    std::vector<std::string> models = coverage::model_names();
    std::string help = "propagation model: itm (Longley-Rice point-to-point), hata (Okumura-Hata, 150-1500 MHz), cost231 "
                       "(COST-231 Hata, 1500-2000 MHz), free-space, bullington (delta-Bullington, ITU-R P.526), p1812 (ITU-R P.1812-6, "
                       "30-6000 MHz; needs --delta-n and --n0)";
    if (allow_los) {
        models.emplace_back("los");
        help += ", los (line of sight only, with earth curvature)";
    }
    if (allow_all) {
        models.emplace_back("all");
        help += ", all (every model side by side, each with the settings given)";
    }
    cmd.add_option("--model", o.model, help)->check(CLI::IsMember(models))->capture_default_str();
    cmd.add_option("--environment", o.environment, "hata/cost231 environment: urban, suburban, open")
        ->check(CLI::IsMember({"urban", "suburban", "open"}))
        ->capture_default_str();
    cmd.add_flag("--hata-extrapolate", o.hata_extrapolate,
                 "hata/cost231: outside 1-20 km, base 30-200 m or mobile 1-10 m, warn instead of failing");
    cmd.add_option("--polarization", o.polarization, "antenna polarization: vertical or horizontal")
        ->check(CLI::IsMember({"vertical", "horizontal"}))
        ->capture_default_str();
    cmd.add_option("--climate", o.climate,
                   "itm radio climate: 1 equatorial, 2 continental subtropical, 3 maritime subtropical, 4 desert, "
                   "5 continental temperate, 6 maritime temperate over land, 7 maritime temperate over sea")
        ->check(CLI::Range(1, 7))
        ->capture_default_str();
    // --n0, --time-pct and --location-pct set the quantity for both ITM and P.1812; ITM keeps its defaults, P.1812 has
    // no default for N0 (nor for ΔN): a study area's values come from the maps of the recommendation.
    cmd.add_option_function<double>(
        "--n0", [&o](double v) { o.itm.n0_n_units = v; o.p1812.n0_n_units = v; },
        "surface refractivity at sea level, N-units: itm 250-400 [default 301]; p1812 (N0, required) the path centre's, "
        "from ITU-R P.1812's map N050");
    cmd.add_option("--delta-n", o.p1812.delta_n_per_km,
                   "p1812: average refractivity lapse rate through the lowest 1 km, N-units/km (DeltaN, required), the path "
                   "centre's, from ITU-R P.1812's map DN50");
    cmd.add_option("--epsilon", o.itm.epsilon, "itm ground relative permittivity (>= 1)")->capture_default_str();
    cmd.add_option("--sigma", o.itm.sigma_s_per_m, "itm ground conductivity, S/m (> 0)")->capture_default_str();
    cmd.add_option("--mdvar", o.itm.mdvar,
                   "itm variability mode: 0 single message, 1 accidental, 2 mobile, 3 broadcast; +10 without location "
                   "variability, +20 without situation variability")
        ->capture_default_str();
    cmd.add_option_function<double>(
        "--time-pct", [&o](double v) { o.itm.time_pct = v; o.p1812.time_pct = v; },
        "time percentage: itm 0 < t < 100, p1812 1-50 (the loss not exceeded for that share of time) [default 50]");
    cmd.add_option_function<double>(
        "--location-pct", [&o](double v) { o.location_pct = v; },
        "share of locations, 1-99 %: itm by its own location variability (needs --mdvar 3), p1812 by its sigma_L, the "
        "others by a log-normal sigma (--location-sigma-db) [default 50]");
    cmd.add_option_function<double>(
        "--location-sigma-db", [&o](double v) { o.location_sigma_db = v; },
        "location variability sigma, dB, of the models without their own (and p1812's sigma_L) [default: ITU-R P.1812 "
        "eq. (65) over --location-area-m]");
    cmd.add_option("--location-area-m", o.p1812.location_area_m,
                   "side of the square a prediction stands for, m, in ITU-R P.1812 eq. (65)")
        ->capture_default_str();
    cmd.add_option("--situation-pct", o.itm.situation_pct, "itm situation percentage, 0 < s < 100")->capture_default_str();
}

void add_dem_read_options(CLI::App& cmd, std::string& voids, bool& allow_remote, std::string& resampling) {
    cmd.add_option("--voids", voids, "what to do with DEM voids: error, fill (interpolate) or keep")
        ->check(CLI::IsMember({"error", "fill", "keep"}))
        ->capture_default_str();
    cmd.add_flag("--allow-remote", allow_remote,
                 "let --dem (or the sources its VRT names) be read over the network: URLs, /vsicurl/, /vsis3/, ...");
    cmd.add_option("--resampling", resampling,
                   "how a DEM in another CRS or at another cell size is resampled onto the grid: bilinear, cubic, nearest, "
                   "or average (for cells larger than the DEM's); a DEM already on the grid keeps its own cells")
        ->check(CLI::IsMember({"bilinear", "cubic", "nearest", "average"}))
        ->capture_default_str();
}


} // namespace covtool
