#include "model_options.hpp"


namespace covtool {

void add_model_options(CLI::App& cmd, ModelOptions& o, bool allow_los) {
    std::vector<std::string> models = coverage::model_names();
    std::string help = "propagation model: itm (Longley-Rice point-to-point), hata (Okumura-Hata, 150-1500 MHz), cost231 "
                       "(COST-231 Hata, 1500-2000 MHz), free-space, bullington (delta-Bullington, ITU-R P.526)";
    if (allow_los) {
        models.emplace_back("los");
        help += ", los (line of sight only, with earth curvature)";
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
    cmd.add_option("--n0", o.itm.n0_n_units, "itm surface refractivity at sea level, N-units (250-400)")->capture_default_str();
    cmd.add_option("--epsilon", o.itm.epsilon, "itm ground relative permittivity (>= 1)")->capture_default_str();
    cmd.add_option("--sigma", o.itm.sigma_s_per_m, "itm ground conductivity, S/m (> 0)")->capture_default_str();
    cmd.add_option("--mdvar", o.itm.mdvar,
                   "itm variability mode: 0 single message, 1 accidental, 2 mobile, 3 broadcast; +10 without location "
                   "variability, +20 without situation variability")
        ->capture_default_str();
    cmd.add_option("--time-pct", o.itm.time_pct, "itm time percentage, 0 < t < 100")->capture_default_str();
    cmd.add_option("--location-pct", o.itm.location_pct, "itm location percentage, 0 < l < 100")->capture_default_str();
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
