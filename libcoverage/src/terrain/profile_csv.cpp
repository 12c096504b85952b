#include <coverage/core/error.hpp>

#include "core/input_file.hpp"
#include "core/text.hpp"
#include <coverage/core/numbers.hpp>
#include <coverage/terrain/terrain_profile.hpp>

#include <cerrno>
#include <cmath>
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

TerrainProfile read_profile_csv(const std::string& path) {
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
    if (header.size() != 2 || header[0] != "distance_m" || header[1] != "elevation_m") {
        throw InvalidArgument("profile CSV '" + path + "', row 1: header must be 'distance_m,elevation_m' (got '" +
                              trim(line) + "')");
    }
    std::vector<double> distance;
    std::vector<double> elevation;
    std::vector<int> rows;
    int row = 1;
    while (std::getline(in, line)) {
        ++row;
        if (trim(line).empty()) {
            continue;
        }
        const std::vector<std::string> f = split_fields(line);
        const std::string at = "profile CSV '" + path + "', row " + std::to_string(row);
        if (f.size() != 2) {
            throw InvalidArgument(at + ": expected 2 fields (distance_m,elevation_m), got " + std::to_string(f.size()));
        }
        rows.push_back(row);
        distance.push_back(parse_number(f[0], at + ", field distance_m"));
        elevation.push_back(parse_number(f[1], at + ", field elevation_m"));
        // Earth's surface lies between the Dead Sea shore (-430 m) and Everest (8849 m); a value far outside is a
        // unit or column mistake (1e300 gave a loss of -nan with exit 0).
        if (!(elevation.back() >= -1000.0 && elevation.back() <= 9000.0)) {
            throw InvalidArgument(at + ", field elevation_m: " + detail::format("%g", elevation.back()) +
                                  " m is not a ground elevation (expected -1000 to 9000 m above sea level)");
        }
    }
    if (distance.size() < 2) {
        throw InvalidArgument("profile CSV '" + path + "' needs at least 2 points (got " + std::to_string(distance.size()) + ")");
    }
    if (std::fabs(distance[0]) > 1e-9) {
        throw InvalidArgument("profile CSV '" + path + "', row " + std::to_string(rows[0]) + ", field distance_m: the transmitter must be at distance 0 (got " +
                              std::to_string(distance[0]) + ")");
    }
    const double step = (distance.back() - distance.front()) / static_cast<double>(distance.size() - 1);
    if (!(step > 0.0)) {
        throw InvalidArgument("profile CSV '" + path + "': distances must increase");
    }
    for (std::size_t i = 1; i < distance.size(); ++i) {
        if (std::fabs(distance[i] - static_cast<double>(i) * step) > 1e-3) {
            throw InvalidArgument("profile CSV '" + path + "', row " + std::to_string(rows[i]) +
                                  ", field distance_m: points must be equally spaced (expected " +
                                  std::to_string(static_cast<double>(i) * step) + ", got " + std::to_string(distance[i]) + ")");
        }
    }
    return TerrainProfile{std::move(elevation), step};
}

} // namespace coverage
