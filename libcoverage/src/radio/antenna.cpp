#include <coverage/radio/antenna.hpp>
#include <coverage/core/error.hpp>

#include "core/input_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace coverage {

namespace {

double wrap_360(double deg) {
    double d = std::fmod(deg, 360.0);
    return d < 0.0 ? d + 360.0 : d;
}

double interpolate(const std::array<float, 360>& table, double deg) {
    const double d = wrap_360(deg);
    const auto i0 = static_cast<std::size_t>(d) % 360;
    const std::size_t i1 = (i0 + 1) % 360;
    const double f = d - std::floor(d);
    return table[i0] * (1.0 - f) + table[i1] * f;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

} // namespace

double AntennaPattern::attenuation_db(double azimuth_rel_deg, double below_horizon_deg) const noexcept {
    if (m_omni) {
        return 0.0;
    }
    const double a = interpolate(m_horizontal_db, azimuth_rel_deg) + interpolate(m_vertical_db, below_horizon_deg);
    return std::min(a, m_cap_db);
}

AntennaPattern AntennaPattern::read_msi(const std::string& path) {
    std::ifstream in = detail::open_input_file(path, "antenna pattern", 16ULL << 20); // an MSI file is ~10 KB
    AntennaPattern p;
    p.m_omni = false;
    bool have_h = false;
    bool have_v = false;
    std::string line;
    int line_no = 0;
    auto fail = [&](const std::string& what) {
        throw InvalidArgument("antenna pattern '" + path + "', line " + std::to_string(line_no) + ": " + what);
    };
    auto read_block = [&](std::array<float, 360>& table, const std::string& which, int count) {
        if (count != 360) {
            fail(which + " block must have 360 entries (got " + std::to_string(count) + ")");
        }
        std::array<bool, 360> seen{};
        for (int k = 0; k < count; ++k) {
            if (!std::getline(in, line)) {
                fail(which + " block ends after " + std::to_string(k) + " of 360 entries");
            }
            ++line_no;
            std::istringstream ss(line);
            double angle = 0.0;
            double att = 0.0;
            if (!(ss >> angle >> att)) {
                fail(which + " entry must be '<angle_deg> <attenuation_db>' (got '" + line + "')");
            }
            if (!(angle >= 0.0 && angle < 360.0) || std::fabs(angle - std::round(angle)) > 1e-6) {
                fail(which + " angle must be a whole degree 0..359 (got " + std::to_string(angle) + ")");
            }
            if (!(att >= 0.0) || !std::isfinite(att)) {
                fail(which + " attenuation must be >= 0 dB (got " + std::to_string(att) + ")");
            }
            const auto idx = static_cast<std::size_t>(std::lround(angle));
            table[idx] = static_cast<float>(att);
            seen[idx] = true;
        }
        if (!std::all_of(seen.begin(), seen.end(), [](bool b) { return b; })) {
            fail(which + " block does not cover every degree 0..359");
        }
    };
    while (std::getline(in, line)) {
        ++line_no;
        std::istringstream ss(line);
        std::string key;
        if (!(ss >> key)) {
            continue;
        }
        const std::string k = upper(key);
        if (k == "NAME") {
            std::getline(ss >> std::ws, p.m_name);
        } else if (k == "GAIN") {
            double g = 0.0;
            std::string unit;
            if (!(ss >> g)) {
                fail("GAIN needs a value");
            }
            ss >> unit;
            p.m_gain_dbi = upper(unit) == "DBD" ? g + 2.15 : g;
        } else if (k == "HORIZONTAL" || k == "VERTICAL") {
            int count = 0;
            if (!(ss >> count)) {
                fail(k + " needs the number of entries");
            }
            read_block(k == "HORIZONTAL" ? p.m_horizontal_db : p.m_vertical_db, k, count);
            (k == "HORIZONTAL" ? have_h : have_v) = true;
        }
    }
    if (!have_h || !have_v) {
        throw InvalidArgument("antenna pattern '" + path + "' lacks a " + (have_h ? "VERTICAL" : "HORIZONTAL") + " 360 block");
    }
    const float max_h = *std::max_element(p.m_horizontal_db.begin(), p.m_horizontal_db.end());
    const float max_v = *std::max_element(p.m_vertical_db.begin(), p.m_vertical_db.end());
    p.m_cap_db = std::max(max_h, max_v);
    return p;
}

} // namespace coverage
