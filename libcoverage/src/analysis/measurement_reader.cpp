// Drive-test samples: tables through the io layer's vector reader, G-NetTrack Pro's tab-separated logs read here.
#include <coverage/analysis/measurements.hpp>
#include <coverage/core/error.hpp>
#include <coverage/io/vector_layer.hpp>

#include "core/input_file.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

namespace coverage {

std::string to_string(MeasuredQuantity q) {
    switch (q) {
    case MeasuredQuantity::rsrp: return "rsrp_dbm";
    case MeasuredQuantity::rscp: return "rscp_dbm";
    case MeasuredQuantity::rssi: return "rssi_dbm";
    }
    return "?";
}

namespace {

// A row as read, before it is checked and tied to a sector.
struct RawSample {
    int row = 0;
    std::string where;                       // "<what> '<path>', row N" for errors
    std::optional<GeoPoint> position;
    std::optional<double> level_dbm;
    MeasuredQuantity quantity = MeasuredQuantity::rsrp;
    std::optional<Technology> technology;    // G-NetTrack's NetworkTech; tables: from the quantity when it decides
    bool technology_modelled = true;         // false for 2G rows
    std::string sector_id, cell_id, eci;
    std::optional<int> pci;
    std::optional<double> time_s;
    std::optional<double> rx_height_agl_m;
};

// Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's days_from_civil algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "2026-11-20T08:15:03Z", "2026-11-20 08:15:03.5+07:00", "2021.03.15_10.20.33" (G-NetTrack), or plain seconds.
std::optional<double> parse_time_s(const std::string& text) {
    char* end = nullptr;
    const double plain = std::strtod(text.c_str(), &end);
    if (end != text.c_str() && *end == '\0' && std::isfinite(plain) && text.find_first_of("-.:_T") == std::string::npos) {
        return plain;
    }
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    double s = 0.0;
    char sep1 = 0, sep2 = 0, sep3 = 0, sep4 = 0, sep5 = 0;
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d%c%2d%c%2d%c%2d%c%2d%c%lf%n", &y, &sep1, &mo, &sep2, &d, &sep3, &h, &sep4, &mi, &sep5, &s,
                    &consumed) != 11) {
        return std::nullopt;
    }
    const bool iso = sep1 == '-' && sep2 == '-' && (sep3 == 'T' || sep3 == ' ') && sep4 == ':' && sep5 == ':';
    const bool gnet = sep1 == '.' && sep2 == '.' && sep3 == '_' && sep4 == '.' && sep5 == '.';
    if ((!iso && !gnet) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || !(s >= 0.0 && s < 61.0)) {
        return std::nullopt;
    }
    double offset_s = 0.0;
    const std::string rest = text.substr(static_cast<std::size_t>(consumed));
    if (rest == "Z" || rest.empty()) {
        offset_s = 0.0;
    } else if (int oh = 0, om = 0; (rest[0] == '+' || rest[0] == '-') && std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) == 2 &&
                                    rest.size() == 6) {
        offset_s = (rest[0] == '+' ? 1.0 : -1.0) * (oh * 3600.0 + om * 60.0);
    } else {
        return std::nullopt;
    }
    return static_cast<double>(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) * 86400.0 + h * 3600.0 +
           mi * 60.0 + s - offset_s;
}

std::optional<Technology> technology_of_network(std::string t, bool& modelled) {
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    modelled = true;
    for (const char* lte : {"LTE", "LTE+", "LTE-A", "LTE_CA", "4G", "4G+"}) {
        if (t == lte) {
            return Technology::lte;
        }
    }
    for (const char* umts : {"UMTS", "WCDMA", "HSPA", "HSPA+", "HSDPA", "HSUPA", "DC-HSPA+", "3G"}) {
        if (t == umts) {
            return Technology::umts;
        }
    }
    for (const char* nr : {"NR", "5G", "NR_SA", "NR_NSA", "5G_SA", "5G_NSA"}) {
        if (t == nr) {
            return Technology::nr;
        }
    }
    modelled = false;
    return std::nullopt;
}

double number_in(const std::string& text, const std::string& where) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(v)) {
        throw InvalidArgument(where + ": not a number: '" + detail::printable_text(text) + "'");
    }
    return v;
}

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t tab = line.find('\t', start);
        std::string field = line.substr(start, tab == std::string::npos ? std::string::npos : tab - start);
        const auto b = field.find_first_not_of(" \r");
        const auto e = field.find_last_not_of(" \r");
        out.push_back(b == std::string::npos ? std::string() : field.substr(b, e - b + 1));
        if (tab == std::string::npos) {
            return out;
        }
        start = tab + 1;
    }
}

bool is_gnettrack(const std::string& path) {
    try {
        std::ifstream in = detail::open_input_file(path, "measurements file", std::uint64_t{1} << 34);
        std::string header;
        std::getline(in, header);
        const std::vector<std::string> cols = split_tabs(header);
        auto has = [&](const char* c) { return std::find(cols.begin(), cols.end(), c) != cols.end(); };
        return has("Timestamp") && has("Longitude") && has("Latitude") && has("Level");
    } catch (const Error&) {
        return false; // read_layer gives the error about the file
    }
}

std::vector<RawSample> read_gnettrack(const std::string& path, std::size_t& rows) {
    std::ifstream in = detail::open_input_file(path, "measurements file", std::uint64_t{1} << 34);
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> header = split_tabs(line);
    auto column = [&](const char* name) -> std::optional<std::size_t> {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(it - header.begin()));
    };
    const auto c_time = column("Timestamp"), c_lon = column("Longitude"), c_lat = column("Latitude"), c_level = column("Level");
    const auto c_tech = column("NetworkTech"), c_cell = column("CellID"), c_node = column("Node"), c_psc = column("PSC");
    const auto c_height = column("Height");
    if (!c_tech) {
        throw InvalidArgument("measurements file '" + path + "' (G-NetTrack Pro log): no NetworkTech column, so the Level column's "
                              "measure (RSRP or RSCP) is unknown");
    }
    std::vector<RawSample> out;
    int row = 0;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        ++row;
        const std::vector<std::string> f = split_tabs(line);
        auto field = [&](const std::optional<std::size_t>& c) -> std::string { return c && *c < f.size() ? f[*c] : std::string(); };
        auto where = [&](const char* name) { return "measurements file '" + path + "', row " + std::to_string(row) + ", column " + name; };
        RawSample r;
        r.row = row;
        r.where = "measurements file '" + path + "', row " + std::to_string(row);
        const std::string lat = field(c_lat), lon = field(c_lon);
        if (!lat.empty() && !lon.empty()) {
            const double lat_deg = number_in(lat, where("Latitude")), lon_deg = number_in(lon, where("Longitude"));
            if (std::abs(lat_deg) > 90.0 || std::abs(lon_deg) > 180.0) {
                throw InvalidArgument(where("Latitude") + ": not a position (" + lat + ", " + lon + ")");
            }
            if (lat_deg != 0.0 || lon_deg != 0.0) {
                r.position = GeoPoint{lat_deg, lon_deg};
            }
        }
        if (const std::string level = field(c_level); !level.empty() && level != "-") {
            r.level_dbm = number_in(level, where("Level"));
        }
        r.technology = technology_of_network(field(c_tech), r.technology_modelled);
        r.quantity = r.technology == Technology::umts ? MeasuredQuantity::rscp : MeasuredQuantity::rsrp;
        r.cell_id = field(c_cell);
        if (const std::string node = field(c_node); !node.empty() && !r.cell_id.empty() && r.technology == Technology::lte) {
            const double n = number_in(node, where("Node")), c = number_in(r.cell_id, where("CellID"));
            r.eci = std::to_string(static_cast<long long>(n) * 256 + static_cast<long long>(c));
        }
        if (const std::string psc = field(c_psc); !psc.empty() && psc != "-") {
            r.pci = static_cast<int>(number_in(psc, where("PSC")));
        }
        if (const std::string t = field(c_time); !t.empty()) {
            r.time_s = parse_time_s(t);
            if (!r.time_s) {
                throw InvalidArgument(where("Timestamp") + ": not a time (expected yyyy.MM.dd_HH.mm.ss): '" + detail::printable_text(t) + "'");
            }
        }
        if (const std::string h = field(c_height); !h.empty() && h != "-") {
            r.rx_height_agl_m = number_in(h, where("Height"));
        }
        out.push_back(std::move(r));
    }
    rows = static_cast<std::size_t>(row);
    return out;
}

std::vector<RawSample> read_table(const std::string& path, std::size_t& rows) {
    const VectorLayer layer = read_layer(path, "measurements file", "row");
    static const std::vector<std::string> known = {"lat_deg", "lon_deg", "x_m", "y_m", "crs", "rsrp_dbm", "rscp_dbm", "rssi_dbm",
                                                   "sector_id", "cell_id", "pci", "time", "rx_height_agl_m"};
    refuse_near_misses(layer, "measurements file", known);
    auto has_field = [&](const char* f) { return std::find(layer.field_names.begin(), layer.field_names.end(), f) != layer.field_names.end(); };
    if (!has_field("rsrp_dbm") && !has_field("rscp_dbm") && !has_field("rssi_dbm")) {
        throw InvalidArgument("measurements file '" + path + "': no level column (rsrp_dbm for LTE and NR, rscp_dbm for UMTS, "
                              "or rssi_dbm with its bandwidth)");
    }
    if (!has_field("sector_id") && !has_field("cell_id") && !has_field("pci")) {
        throw InvalidArgument("measurements file '" + path + "': no column names the serving sector (sector_id, or cell_id / pci "
                              "as in the sites file)");
    }
    std::vector<RawSample> out;
    for (const VectorFeature& feature : layer.features) {
        RawSample r;
        r.row = feature.number;
        r.where = "measurements file '" + path + "', row " + std::to_string(feature.number);
        const FeatureFields f(r.where, "column", feature);
        const bool has_position = (f.has("lat_deg") && f.has("lon_deg")) || (f.has("x_m") && f.has("y_m")) ||
                                  feature.geometry.kind == FeatureGeometry::Kind::point;
        if (has_position) {
            const GeoPoint p = f.position();
            if (p.lat_deg != 0.0 || p.lon_deg != 0.0) {
                r.position = p;
            }
        }
        int levels = 0;
        for (const auto& [name, q] : {std::pair{"rsrp_dbm", MeasuredQuantity::rsrp}, std::pair{"rscp_dbm", MeasuredQuantity::rscp},
                                      std::pair{"rssi_dbm", MeasuredQuantity::rssi}}) {
            if (f.has(name)) {
                r.level_dbm = f.number(name);
                r.quantity = q;
                ++levels;
            }
        }
        if (levels > 1) {
            throw InvalidArgument(r.where + ": more than one level (rsrp_dbm, rscp_dbm, rssi_dbm) in one row; give one per row");
        }
        if (r.quantity == MeasuredQuantity::rscp) {
            r.technology = Technology::umts;
        }
        r.sector_id = f.text_or("sector_id", "");
        r.cell_id = f.text_or("cell_id", "");
        if (f.has("pci")) {
            const double pci = f.number("pci");
            if (!(pci >= 0 && pci <= 1007 && pci == std::floor(pci))) {
                throw InvalidArgument(f.where("pci") + ": must be a whole number 0..1007 (got " + f.text("pci") + ")");
            }
            r.pci = static_cast<int>(pci);
        }
        if (f.has("time")) {
            r.time_s = parse_time_s(f.text("time"));
            if (!r.time_s) {
                throw InvalidArgument(f.where("time") + ": not a time (ISO 8601 like 2026-11-20T08:15:03Z, or seconds): '" +
                                      detail::printable_text(f.text("time")) + "'");
            }
        }
        if (f.has("rx_height_agl_m")) {
            const double h = f.number("rx_height_agl_m");
            if (!(h > 0.0 && h <= 100.0)) {
                throw InvalidArgument(f.where("rx_height_agl_m") + ": must be > 0 and <= 100 m (got " + f.text("rx_height_agl_m") + ")");
            }
            r.rx_height_agl_m = h;
        }
        out.push_back(std::move(r));
    }
    rows = layer.features.size();
    return out;
}

bool quantity_fits(MeasuredQuantity q, Technology t) {
    switch (q) {
    case MeasuredQuantity::rsrp: return t == Technology::lte || t == Technology::nr;
    case MeasuredQuantity::rscp: return t == Technology::umts;
    case MeasuredQuantity::rssi: return true;
    }
    return false;
}

// The serving sector of a row: by sector_id, else cell_id (or the LTE ECI), else the nearest sector with its PCI.
std::optional<std::size_t> serving_sector(const RawSample& r, const std::vector<Sector>& sectors) {
    auto fits = [&](const Sector& s) { return !r.technology || s.technology == *r.technology; };
    if (!r.sector_id.empty()) {
        for (std::size_t i = 0; i < sectors.size(); ++i) {
            if (sectors[i].sector_id == r.sector_id) {
                return i;
            }
        }
        return std::nullopt;
    }
    for (const std::string* id : {&r.cell_id, &r.eci}) {
        if (id->empty()) {
            continue;
        }
        for (std::size_t i = 0; i < sectors.size(); ++i) {
            if (!sectors[i].cell_id.empty() && sectors[i].cell_id == *id && fits(sectors[i])) {
                return i;
            }
        }
    }
    if (r.pci && r.position) {
        std::optional<std::size_t> best;
        double best_m = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < sectors.size(); ++i) {
            if (sectors[i].pci == r.pci && fits(sectors[i]) && quantity_fits(r.quantity, sectors[i].technology)) {
                const double d = great_circle_distance_m(sectors[i].location, *r.position);
                if (d < best_m) {
                    best_m = d;
                    best = i;
                }
            }
        }
        return best;
    }
    return std::nullopt;
}

} // namespace

MeasurementSet read_measurements(const std::string& path, const std::vector<Sector>& sectors, const MeasurementOptions& options) {
    if (!(options.min_level_dbm < options.max_level_dbm)) {
        throw InvalidArgument("measurements: min_level_dbm must be below max_level_dbm");
    }
    if (options.rssi_bandwidth_mhz && !(*options.rssi_bandwidth_mhz > 0.0 && *options.rssi_bandwidth_mhz <= 400.0)) {
        throw InvalidArgument("measurements: the RSSI bandwidth must be > 0 and <= 400 MHz");
    }
    MeasurementSet set;
    set.path = path;
    set.rssi_bandwidth_mhz = options.rssi_bandwidth_mhz;
    const bool gnet = is_gnettrack(path);
    set.format = gnet ? "G-NetTrack Pro" : "table";
    const std::vector<RawSample> raw = gnet ? read_gnettrack(path, set.rows) : read_table(path, set.rows);

    const std::string out_of_range = "level outside " + detail::format("%g..%g dBm", options.min_level_dbm, options.max_level_dbm);
    auto refuse = [&](const std::string& reason, int row) {
        if (set.refused[reason]++ == 0) {
            set.first_refused_row[reason] = row;
        }
    };
    std::set<std::pair<std::size_t, double>> seen; // (sector, time)
    for (const RawSample& r : raw) {
        if (!r.position) {
            refuse("no position fix", r.row);
            continue;
        }
        if (!r.level_dbm) {
            refuse("no level", r.row);
            continue;
        }
        if (!r.technology_modelled) {
            refuse("network technology not modelled (2G)", r.row);
            continue;
        }
        if (r.quantity == MeasuredQuantity::rssi && !options.rssi_bandwidth_mhz) {
            throw InvalidArgument(r.where + ", column rssi_dbm: RSSI needs the bandwidth it was measured over (--rssi-bandwidth-mhz)");
        }
        if (!(*r.level_dbm >= options.min_level_dbm && *r.level_dbm <= options.max_level_dbm)) {
            refuse(out_of_range, r.row);
            continue;
        }
        const std::optional<std::size_t> sector = serving_sector(r, sectors);
        if (!sector) {
            refuse("serving sector not in the sites file", r.row);
            continue;
        }
        if (!quantity_fits(r.quantity, sectors[*sector].technology)) {
            throw InvalidArgument(r.where + ", column " + to_string(r.quantity) + ": sector '" + sectors[*sector].sector_id + "' is " +
                                  traits(sectors[*sector].technology).key + ", which " + to_string(r.quantity) + " does not measure");
        }
        if (r.time_s && !seen.insert({*sector, *r.time_s}).second) {
            refuse("duplicate timestamp", r.row);
            continue;
        }
        set.samples.push_back(Measurement{.row = r.row, .position = *r.position, .level_dbm = *r.level_dbm, .quantity = r.quantity,
                                          .sector = *sector, .time_s = r.time_s, .rx_height_agl_m = r.rx_height_agl_m});
    }
    if (set.samples.empty()) {
        std::string why;
        for (const auto& [reason, n] : set.refused) {
            why += (why.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
        }
        throw InvalidArgument("measurements file '" + path + "': no usable sample among " + std::to_string(set.rows) + " rows" +
                              (why.empty() ? std::string() : " (" + why + ")"));
    }
    return set;
}

} // namespace coverage
