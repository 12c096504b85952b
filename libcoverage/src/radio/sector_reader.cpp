// read_sites: sectors from CSV / GeoJSON / GeoPackage (through io's read_layer).

#include <coverage/core/error.hpp>
#include <coverage/radio/sector.hpp>

#include <coverage/io/vector_layer.hpp>


#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>

namespace coverage {

void validate_sector(const Sector& s, const std::string& where) {
    auto bad = [&](const std::string& field, const std::string& why) {
        throw InvalidArgument(where + ", column " + field + ": " + why);
    };
    if (!(s.location.lat_deg >= -90.0 && s.location.lat_deg <= 90.0)) bad("lat_deg", "must be -90..90");
    if (!(s.location.lon_deg >= -180.0 && s.location.lon_deg <= 180.0)) bad("lon_deg", "must be -180..180");
    if (!(s.height_agl_m > 0.0 && s.height_agl_m <= 3000.0)) bad("height_agl_m", "must be > 0 and <= 3000 m (got " + std::to_string(s.height_agl_m) + ")");
    if (!(s.freq_mhz > 0.0)) bad("freq_mhz", "must be > 0 (got " + std::to_string(s.freq_mhz) + ")");
    if (!(s.tx_power_dbm > -30.0 && s.tx_power_dbm < 80.0)) bad("tx_power_dbm", "must be between -30 and 80 dBm (got " + std::to_string(s.tx_power_dbm) + ")");
    if (!(s.antenna_gain_dbi > -20.0 && s.antenna_gain_dbi < 40.0)) bad("antenna_gain_dbi", "must be between -20 and 40 dBi");
    if (!(s.cable_loss_db >= 0.0 && s.cable_loss_db < 30.0)) bad("cable_loss_db", "must be 0..30 dB");
    if (!(s.azimuth_deg >= 0.0 && s.azimuth_deg < 360.0)) bad("azimuth_deg", "must be 0 <= azimuth < 360 (got " + std::to_string(s.azimuth_deg) + ")");
    if (!(s.tilt_deg >= -90.0 && s.tilt_deg <= 90.0)) bad("tilt_deg", "must be -90..90 (got " + std::to_string(s.tilt_deg) + ")");
    std::string field;
    if (const std::string problem = channel_problem(s.technology, s.freq_mhz, s.channel(0.1), field); !problem.empty()) {
        bad(field, problem);
    }
    if (s.ground_elev_m && !(*s.ground_elev_m >= -1000.0 && *s.ground_elev_m <= 9000.0)) {
        bad("ground_elev_m", "must be a ground elevation from -1000 to 9000 m above sea level (got " + std::to_string(*s.ground_elev_m) + ")");
    }
}

std::vector<Sector> read_sites(const std::string& path) {
    namespace fs = std::filesystem;
    const VectorLayer layer = read_layer(path, "sites file", "row");
    const fs::path folder = fs::path(path).parent_path();

    // Unknown columns are most often typos of known ones: refuse them, naming the column.
    static const std::set<std::string> known = {"site_id", "sector_id", "name", "lat_deg", "lon_deg", "x_m", "y_m", "crs",
                                                "ground_elev_m", "height_agl_m", "technology", "freq_mhz", "bandwidth_mhz",
                                                "subcarrier_spacing_khz", "tx_power_dbm", "antenna_gain_dbi", "cable_loss_db", "azimuth_deg",
                                                "tilt_deg", "pattern", "operator", "cell_id", "pci"};
    for (const std::string& col : layer.field_names) {
        if (known.count(col) == 0) {
            throw InvalidArgument("sites file '" + path + "': unknown column '" + col + "' (expected: site_id, name, "
                                  "lat_deg, lon_deg, height_agl_m, technology, freq_mhz, ... see the README)");
        }
    }

    std::map<std::string, std::shared_ptr<const AntennaPattern>> patterns;
    std::set<std::string> sector_ids;
    std::vector<Sector> out;
    for (const VectorFeature& feature : layer.features) {
        const int row = feature.number;
        const std::string here = "sites file '" + path + "', row " + std::to_string(row);
        const FeatureFields r(here, "column", feature);
        Sector s;
        s.site_id = r.text("site_id");
        s.sector_id = r.text_or("sector_id", s.site_id + "/" + std::to_string(row));
        if (!sector_ids.insert(s.sector_id).second) {
            throw InvalidArgument(r.where("sector_id") + ": duplicate sector '" + s.sector_id + "'");
        }
        s.name = r.text_or("name", s.site_id);
        s.location = r.position();
        if (r.has("ground_elev_m")) {
            s.ground_elev_m = r.number("ground_elev_m");
        }
        s.height_agl_m = r.number("height_agl_m");
        const std::string tech = r.text("technology");
        try {
            s.technology = technology_from(tech);
        } catch (const InvalidArgument&) {
            throw InvalidArgument(r.where("technology") + ": must be one of " + technology_keys() + " (got '" + tech + "')");
        }
        s.freq_mhz = r.number("freq_mhz");
        s.bandwidth_mhz = r.number_or("bandwidth_mhz", traits(s.technology).default_bandwidth_mhz);
        if (traits(s.technology).has_subcarrier_spacing) {
            const NrBand* band = nr_band_of(s.freq_mhz);
            s.subcarrier_spacing_khz = r.number_or("subcarrier_spacing_khz", band != nullptr ? band->default_scs_khz : 15.0);
        } else if (r.has("subcarrier_spacing_khz")) {
            throw InvalidArgument(r.where("subcarrier_spacing_khz") + ": applies only to technologies with a subcarrier spacing (NR); this sector is " +
                                  traits(s.technology).key + ")");
        }
        s.tx_power_dbm = r.number("tx_power_dbm");
        s.antenna_gain_dbi = r.number_or("antenna_gain_dbi", s.antenna_gain_dbi);
        s.cable_loss_db = r.number_or("cable_loss_db", s.cable_loss_db);
        s.azimuth_deg = r.number_or("azimuth_deg", 0.0);
        s.tilt_deg = r.number_or("tilt_deg", 0.0);
        s.operator_name = r.text_or("operator", "");
        s.cell_id = r.text_or("cell_id", "");
        if (r.has("pci")) {
            const double pci = r.number("pci");
            const int max_pci = s.technology == Technology::umts ? 511 : s.technology == Technology::lte ? 503 : 1007; // UMTS PSC, LTE / NR PCI
            if (!(pci >= 0 && pci <= max_pci && pci == std::floor(pci))) {
                throw InvalidArgument(r.where("pci") + ": must be a whole number 0.." + std::to_string(max_pci) + " (got " + r.text("pci") + ")");
            }
            s.pci = static_cast<int>(pci);
        }
        const std::string pattern = r.text_or("pattern", "omni");
        if (pattern != "omni") {
            const fs::path p = fs::path(pattern).is_absolute() ? fs::path(pattern) : folder / pattern;
            auto it = patterns.find(p.string());
            if (it == patterns.end()) {
                try {
                    it = patterns.emplace(p.string(), std::make_shared<const AntennaPattern>(AntennaPattern::read_msi(p.string()))).first;
                } catch (const Error& e) {
                    throw InvalidArgument(r.where("pattern") + ": " + e.what());
                }
            }
            s.pattern = it->second;
            s.pattern_source = p.string();
        }
        validate_sector(s, here);
        out.push_back(std::move(s));
    }
    if (out.empty()) {
        throw InvalidArgument("sites file '" + path + "' has no sectors");
    }
    return out;
}

} // namespace coverage
