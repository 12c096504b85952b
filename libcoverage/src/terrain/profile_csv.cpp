#include <coverage/core/error.hpp>

#include "core/input_file.hpp"
#include "core/text.hpp"
#include <coverage/core/numbers.hpp>
#include <coverage/terrain/terrain_profile.hpp>

#include <cerrno>
#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace coverage {

namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> out;
    std::string::size_type start = 0;
    while (true) {
        const auto comma = line.find(',', start);
        out.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

double parse_number(const std::string& text, const std::string& where) {
    if (text.empty()) {
        throw InvalidArgument(where + " is empty");
    }
    const std::optional<double> v = parse_decimal(text);
    if (!v) {
        throw InvalidArgument(where + " is not a number: '" + text + "' (expected a decimal number such as 12.5)");
    }
    return *v;
}

} // namespace

std::string ProfileTable::first_extra_column() const {
    return !clutter_code.empty() ? "clutter_code" : (!clutter_height_m.empty() ? "clutter_height_m" : (!zone.empty() ? "zone" : ""));
}

ProfileTable read_profile_table_csv(const std::string& path) {
    // 256 MiB: some 10 million points, far past any path this library evaluates
    std::ifstream in = detail::open_input_file(path, "profile CSV", 256ULL << 20);
    std::string line;
    if (!std::getline(in, line)) {
        throw InvalidArgument("profile CSV '" + path + "' is empty (expected header distance_m,elevation_m)");
    }
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        line.erase(0, 3); // UTF-8 byte-order mark
    }
    const std::vector<std::string> header = split_fields(line);
    if (header.size() < 2 || header[0] != "distance_m" || header[1] != "elevation_m") {
        throw InvalidArgument("profile CSV '" + path + "', row 1: header must start 'distance_m,elevation_m' (got '" +
                              trim(line) + "')");
    }
    ProfileTable t;
    t.source = path;
    enum class Column { clutter_code, clutter_height_m, zone };
    std::vector<Column> extra;
    for (std::size_t i = 2; i < header.size(); ++i) {
        Column c{};
        if (header[i] == "clutter_code") {
            c = Column::clutter_code;
        } else if (header[i] == "clutter_height_m") {
            c = Column::clutter_height_m;
        } else if (header[i] == "zone") {
            c = Column::zone;
        } else {
            throw InvalidArgument("profile CSV '" + path + "', row 1: unknown column '" + header[i] +
                                  "' (after distance_m,elevation_m a profile may have clutter_code, clutter_height_m and zone)");
        }
        if (std::find(extra.begin(), extra.end(), c) != extra.end()) {
            throw InvalidArgument("profile CSV '" + path + "', row 1: column '" + header[i] + "' appears twice");
        }
        extra.push_back(c);
    }
    auto integer = [](double v, const std::string& where) {
        if (v != std::floor(v) || std::fabs(v) > 1e6) {
            throw InvalidArgument(where + ": " + detail::format("%g", v) + " is not a whole number");
        }
        return static_cast<int>(v);
    };
    int row = 1;
    while (std::getline(in, line)) {
        ++row;
        if (trim(line).empty()) {
            continue;
        }
        const std::vector<std::string> f = split_fields(line);
        const std::string at = "profile CSV '" + path + "', row " + std::to_string(row);
        if (f.size() != header.size()) {
            std::string names = header[0];
            for (std::size_t k = 1; k < header.size(); ++k) {
                names += "," + header[k];
            }
            throw InvalidArgument(at + ": expected " + std::to_string(header.size()) + " fields (" + names + "), got " +
                                  std::to_string(f.size()));
        }
        t.row.push_back(row);
        t.distance_m.push_back(parse_number(f[0], at + ", field distance_m"));
        t.elevation_m.push_back(parse_number(f[1], at + ", field elevation_m"));
        // Earth's surface lies between the Dead Sea shore (-430 m) and Everest (8849 m); a value far outside is a
        // unit or column mistake (1e300 gave a loss of -nan with exit 0).
        if (!(t.elevation_m.back() >= -1000.0 && t.elevation_m.back() <= 9000.0)) {
            throw InvalidArgument(at + ", field elevation_m: " + detail::format("%g", t.elevation_m.back()) +
                                  " m is not a ground elevation (expected -1000 to 9000 m above sea level)");
        }
        for (std::size_t k = 0; k < extra.size(); ++k) {
            const std::string where = at + ", field " + header[k + 2];
            const double v = parse_number(f[k + 2], where);
            switch (extra[k]) {
            case Column::clutter_code:
                t.clutter_code.push_back(integer(v, where));
                break;
            case Column::clutter_height_m:
                if (!(v >= 0.0 && v <= 300.0)) {
                    throw InvalidArgument(where + ": " + detail::format("%g", v) + " m is not a clutter height (expected 0 to 300 m)");
                }
                t.clutter_height_m.push_back(v);
                break;
            case Column::zone:
                t.zone.push_back(integer(v, where));
                break;
            }
        }
    }
    if (t.distance_m.size() < 2) {
        throw InvalidArgument("profile CSV '" + path + "' needs at least 2 points (got " + std::to_string(t.distance_m.size()) + ")");
    }
    if (std::fabs(t.distance_m[0]) > 1e-9) {
        throw InvalidArgument("profile CSV '" + path + "', row " + std::to_string(t.row[0]) +
                              ", field distance_m: the transmitter must be at distance 0 (got " + detail::format("%g", t.distance_m[0]) + ")");
    }
    for (std::size_t i = 1; i < t.distance_m.size(); ++i) {
        if (!(t.distance_m[i] > t.distance_m[i - 1])) {
            throw InvalidArgument("profile CSV '" + path + "', row " + std::to_string(t.row[i]) +
                                  ", field distance_m: distances must increase (" + detail::format("%g", t.distance_m[i]) +
                                  " after " + detail::format("%g", t.distance_m[i - 1]) + ")");
        }
    }
    return t;
}

TerrainProfile read_profile_csv(const std::string& path) {
    ProfileTable t = read_profile_table_csv(path);
    if (t.has_clutter_or_zone()) {
        throw InvalidArgument("profile CSV '" + path + "', row 1, field " + t.first_extra_column() +
                              ": this model ignores clutter and zone columns (only ITU-R P.1812, --model p1812, reads them); "
                              "remove them or choose p1812");
    }
    const std::vector<double>& distance = t.distance_m;
    const double step = (distance.back() - distance.front()) / static_cast<double>(distance.size() - 1);
    for (std::size_t i = 1; i < distance.size(); ++i) {
        if (std::fabs(distance[i] - static_cast<double>(i) * step) > 1e-3) {
            throw InvalidArgument("profile CSV '" + path + "', row " + std::to_string(t.row[i]) +
                                  ", field distance_m: points must be equally spaced for this model (expected " +
                                  detail::format("%g", static_cast<double>(i) * step) + ", got " + detail::format("%g", distance[i]) +
                                  "; ITU-R P.1812, --model p1812, accepts any spacing)");
        }
    }
    return TerrainProfile{std::move(t.elevation_m), step};
}

} // namespace coverage
