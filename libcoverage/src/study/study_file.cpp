// read_study: the TOML study file, checked key by key (toml++).

#include <coverage/core/error.hpp>
#include <coverage/study/study.hpp>

#include "core/text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace coverage {

namespace {

namespace fs = std::filesystem;
using detail::format;

// The keys each table may hold; anything else is a mistake worth an error.
const std::map<std::string, std::set<std::string>>& schema() {
    static const std::map<std::string, std::set<std::string>> s = [] {
        std::map<std::string, std::set<std::string>> keys = {
        {"", {"study", "terrain", "inputs", "coverage", "dead_zone", "priorities", "planning"}},
        {"study", {"name", "area", "prepared_by"}},
        {"terrain", {"dem", "voids", "cell_m", "provenance", "synthetic"}},
        {"inputs", {"sites", "hamlets", "fibre"}},
        {"coverage", {"model", "mode", "radius_km", "rx_height_m", "rx_gain_dbi", "cpich_fraction", "environment",
                      "hata_extrapolate", "polarization", "bullington_earth_radius_km", "itm"}},
        {"coverage.itm", {"climate", "n0_n_units", "epsilon", "sigma_s_per_m", "mdvar", "time_pct", "location_pct", "situation_pct"}},
        {"dead_zone", {"technology", "min_class", "min_households_share"}},
        {"priorities", {"weight_households_unserved", "weight_fibre_distance", "weight_tower_distance",
                        "weight_terrain_difficulty", "terrain_radius_m"}},
        {"planning", {"budget_usd", "candidates", "find_candidates", "search_radius_m", "min_spacing_m", "candidates_per_hamlet",
                      "mast_height_m", "fibre_to_hamlets", "roads", "rivers", "landcover", "costs", "microwave"}},
        {"planning.costs", {"slope_class_upper_deg", "fibre_usd_per_km", "road_factor", "landcover_factors", "river_crossing_usd",
                            "tower_fixed_usd", "tower_usd_per_m", "microwave_link_usd", "hamlet_endpoint_usd"}},
        {"planning.costs.landcover_factors", {"*"}},
        {"planning.microwave", {"freq_mhz", "max_distance_km", "min_fresnel_clear_pct", "k_factor", "fibred_site_max_distance_m"}},
        };
        // One class-threshold key per technology of the table: coverage.lte_class_thresholds_dbm, ...
        for (const TechnologyTraits& tr : technology_table) {
            keys["coverage"].insert(std::string(tr.key) + "_class_thresholds_dbm");
        }
        return keys;
    }();
    return s;
}

std::string join(const std::set<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) {
        out += (out.empty() ? "" : ", ") + k;
    }
    return out;
}

std::string shown(const toml::node& n) {
    std::ostringstream os;
    if (const auto* s = n.as_string()) {
        os << '"' << s->get() << '"';
    } else {
        n.visit([&os](auto&& v) { os << v; });
    }
    return os.str();
}

const char* type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "true/false";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date/time";
    }
}

// An integer or floating-point TOML value as a double (the caller has checked is_number()).
double as_number(const toml::node& n) {
    return n.is_integer() ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
}

class StudyReader {
public:
    StudyReader(std::string file, const toml::table& root) : m_file(std::move(file)), m_root(root) {
        check_keys(m_root, "");
    }

    [[nodiscard]] std::string where(const std::string& key, const toml::node* n = nullptr) const {
        std::string s = "study file '" + m_file + "'";
        if (n != nullptr && n->source().begin.line > 0) {
            s += format(", line %u", static_cast<unsigned>(n->source().begin.line));
        }
        return s + ", key '" + key + "'";
    }

    [[nodiscard]] const toml::node* find(const std::string& dotted) const {
        return m_root.at_path(dotted).node();
    }

    [[nodiscard]] std::optional<std::string> text(const std::string& key) const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        if (!n->is_string()) {
            throw InvalidArgument(where(key, n) + ": expected a string, got " + type_name(*n) + " " + shown(*n));
        }
        return n->as_string()->get();
    }
    [[nodiscard]] std::string required_text(const std::string& key) const {
        auto v = text(key);
        if (!v || v->empty()) {
            throw InvalidArgument(where(key) + ": missing (required)");
        }
        return *v;
    }
    [[nodiscard]] std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed) const {
        const auto v = text(key);
        if (!v) {
            return fallback;
        }
        if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            throw InvalidArgument(where(key, find(key)) + ": value \"" + *v + "\" is not one of " + list);
        }
        return *v;
    }
    [[nodiscard]] std::optional<double> number(const std::string& key, double lo, double hi, const char* unit = "") const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        if (!n->is_number()) {
            throw InvalidArgument(where(key, n) + ": expected a number, got " + type_name(*n) + " " + shown(*n));
        }
        const double v = as_number(*n);
        if (!(v >= lo && v <= hi)) {
            throw InvalidArgument(where(key, n) + format(": value %s is outside %g..%g%s", shown(*n).c_str(), lo, hi, unit));
        }
        return v;
    }
    [[nodiscard]] double number_or(const std::string& key, double fallback, double lo, double hi, const char* unit = "") const {
        return number(key, lo, hi, unit).value_or(fallback);
    }
    [[nodiscard]] std::optional<int> integer(const std::string& key, int lo, int hi) const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        if (!n->is_integer()) {
            throw InvalidArgument(where(key, n) + ": expected an integer, got " + type_name(*n) + " " + shown(*n));
        }
        const auto v = n->as_integer()->get();
        if (v < lo || v > hi) {
            throw InvalidArgument(where(key, n) + format(": value %lld is outside %d..%d", static_cast<long long>(v), lo, hi));
        }
        return static_cast<int>(v);
    }
    [[nodiscard]] std::optional<bool> boolean(const std::string& key) const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        if (!n->is_boolean()) {
            throw InvalidArgument(where(key, n) + ": expected true or false, got " + type_name(*n) + " " + shown(*n));
        }
        return n->as_boolean()->get();
    }
    /** A path relative to the study file's folder, which must exist. */
    [[nodiscard]] std::string existing_path(const std::string& key, const std::string& value) const {
        fs::path p(value);
        if (p.is_relative()) {
            p = fs::path(m_file).parent_path() / p;
        }
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) {
            throw InvalidArgument(where(key, find(key)) + ": file \"" + value + "\" not found (looked for '" + p.lexically_normal().string() + "')");
        }
        return p.lexically_normal().string();
    }
    [[nodiscard]] std::optional<std::string> path(const std::string& key) const {
        const auto v = text(key);
        return v ? std::optional<std::string>(existing_path(key, *v)) : std::nullopt;
    }
    [[nodiscard]] std::vector<std::string> paths(const std::string& key) const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            throw InvalidArgument(where(key) + ": missing (required: a file name or an array of file names)");
        }
        std::vector<std::string> out;
        if (n->is_string()) {
            out.push_back(existing_path(key, n->as_string()->get()));
        } else if (const toml::array* a = n->as_array()) {
            for (const toml::node& e : *a) {
                if (!e.is_string()) {
                    throw InvalidArgument(where(key, &e) + ": expected file names (strings), got " + type_name(e) + " " + shown(e));
                }
                out.push_back(existing_path(key, e.as_string()->get()));
            }
        } else {
            throw InvalidArgument(where(key, n) + ": expected a file name or an array of file names, got " + type_name(*n) + " " + shown(*n));
        }
        if (out.empty()) {
            throw InvalidArgument(where(key, n) + ": the array is empty");
        }
        return out;
    }
    [[nodiscard]] std::optional<std::vector<double>> numbers(const std::string& key, double lo, double hi) const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const toml::array* a = n->as_array();
        if (a == nullptr || a->empty()) {
            throw InvalidArgument(where(key, n) + ": expected a non-empty array of numbers, got " + shown(*n));
        }
        std::vector<double> out;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const toml::node& e = (*a)[i];
            if (!e.is_number()) {
                throw InvalidArgument(where(key, n) + ": element " + std::to_string(i + 1) + " is " + type_name(e) + ", not a number");
            }
            const double v = as_number(e);
            if (!(v >= lo && v <= hi)) {
                throw InvalidArgument(where(key, n) + format(": element %zu = %g is outside %g..%g", i + 1, v, lo, hi));
            }
            out.push_back(v);
        }
        return out;
    }
    [[nodiscard]] std::map<int, double> class_factors(const std::string& key) const {
        std::map<int, double> out;
        const toml::node* n = find(key);
        if (n == nullptr) {
            return out;
        }
        for (const auto& [k, v] : *n->as_table()) {
            const std::string name(k.str());
            char* end = nullptr;
            const long cls = std::strtol(name.c_str(), &end, 10);
            if (name.empty() || *end != '\0') {
                throw InvalidArgument(where(key + "." + name, &v) + ": land-cover classes are integers (\"10\" = 1.5)");
            }
            if (!v.is_number()) {
                throw InvalidArgument(where(key + "." + name, &v) + ": expected a number, got " + type_name(v) + " " + shown(v));
            }
            const double f = as_number(v);
            if (!(f >= 0.01 && f <= 100.0)) {
                throw InvalidArgument(where(key + "." + name, &v) + format(": value %g is outside 0.01..100", f));
            }
            out[static_cast<int>(cls)] = f;
        }
        return out;
    }
    [[nodiscard]] std::optional<SignalThresholds> thresholds(const std::string& key) const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const toml::array* a = n->as_array();
        if (a == nullptr || a->empty() || a->size() > 5) {
            throw InvalidArgument(where(key, n) + ": expected an array of 1 to 5 numbers (dBm, best class first), got " + shown(*n));
        }
        SignalThresholds t;
        t.class_count = static_cast<int>(a->size());
        for (std::size_t i = 0; i < a->size(); ++i) {
            const toml::node& e = (*a)[i];
            if (!e.is_number()) {
                throw InvalidArgument(where(key, n) + ": element " + std::to_string(i + 1) + " is " + type_name(e) + ", not a number");
            }
            t.lower_bound_dbm[i] = as_number(e);
        }
        for (std::size_t i = a->size(); i < 5; ++i) {
            t.lower_bound_dbm[i] = t.lower_bound_dbm[a->size() - 1] - 10.0 * static_cast<double>(i + 1 - a->size());
        }
        try {
            t.validate();
        } catch (const InvalidArgument& e) {
            throw InvalidArgument(where(key, n) + ": " + shown(*n) + ": " + e.what());
        }
        return t;
    }

private:
    void check_keys(const toml::table& t, const std::string& prefix) const {
        const auto& allowed = schema().at(prefix);
        for (const auto& [k, v] : t) {
            const std::string key(k.str());
            const std::string dotted = prefix.empty() ? key : prefix + "." + key;
            if (allowed.count(key) == 0 && allowed.count("*") == 0) {
                throw InvalidArgument(where(dotted, &v) + ": unknown key" + (prefix.empty() ? " (table)" : "") +
                                      " (expected one of: " + join(allowed) + ")");
            }
            if (schema().count(dotted) != 0) {
                if (!v.is_table()) {
                    throw InvalidArgument(where(dotted, &v) + ": expected a table [" + dotted + "], got " + type_name(v));
                }
                check_keys(*v.as_table(), dotted);
            }
        }
    }

    std::string m_file;
    const toml::table& m_root;
};

} // namespace

Study read_study(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        throw IoError("study file '" + path + "' does not exist");
    }
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw InvalidArgument(format("study file '%s', line %u, column %u: not valid TOML: %s", path.c_str(),
                                     static_cast<unsigned>(e.source().begin.line), static_cast<unsigned>(e.source().begin.column),
                                     std::string(e.description()).c_str()));
    }
    const StudyReader r(path, root);
    Study s;
    s.study_file = path;
    s.name = r.required_text("study.name");
    s.area = r.text("study.area").value_or("");
    s.prepared_by = r.text("study.prepared_by").value_or("");

    s.dem_files = r.paths("terrain.dem");
    s.voids = void_policy_from(r.choice("terrain.voids", "error", {"error", "fill", "keep"}));
    s.cell_m = r.number("terrain.cell_m", 1.0, 1000.0, " m");
    s.terrain_provenance = r.text("terrain.provenance").value_or("");
    s.terrain_synthetic = r.boolean("terrain.synthetic").value_or(false);

    s.sites_file = r.path("inputs.sites").value_or("");
    if (s.sites_file.empty()) {
        throw InvalidArgument(r.where("inputs.sites") + ": missing (required: the existing towers and their sectors)");
    }
    s.hamlets_file = r.path("inputs.hamlets").value_or("");
    if (s.hamlets_file.empty()) {
        throw InvalidArgument(r.where("inputs.hamlets") + ": missing (required: the hamlets with households)");
    }
    s.fibre_file = r.path("inputs.fibre").value_or("");

    ModelSpec& m = s.model;
    m.model = r.choice("coverage.model", m.model, model_names());
    s.mode = r.choice("coverage.mode", "fast", {"fast", "exact"}) == "exact" ? CoverageMode::exact : CoverageMode::fast;
    s.radius_km = r.number("coverage.radius_km", 0.1, 200.0, " km");
    s.rx_height_m = r.number_or("coverage.rx_height_m", s.rx_height_m, 0.5, 30.0, " m");
    s.rx_gain_dbi = r.number_or("coverage.rx_gain_dbi", s.rx_gain_dbi, -20.0, 30.0, " dBi");
    s.cpich_fraction = r.number_or("coverage.cpich_fraction", s.cpich_fraction, 0.01, 1.0);
    m.environment = r.choice("coverage.environment", m.environment, {"urban", "suburban", "open"});
    m.hata_extrapolate = r.boolean("coverage.hata_extrapolate").value_or(false);
    m.polarization = r.choice("coverage.polarization", m.polarization, {"vertical", "horizontal"});
    m.bullington_earth_radius_km = r.number_or("coverage.bullington_earth_radius_km", m.bullington_earth_radius_km, 6371.0, 50000.0, " km");
    for (const TechnologyTraits& tr : technology_table) {
        s.thresholds[tr.technology] =
            r.thresholds("coverage." + std::string(tr.key) + "_class_thresholds_dbm").value_or(s.thresholds[tr.technology]);
    }
    m.climate = r.integer("coverage.itm.climate", 1, 7).value_or(m.climate);
    m.itm.n0_n_units = r.number_or("coverage.itm.n0_n_units", m.itm.n0_n_units, 250.0, 400.0, " N-units");
    m.itm.epsilon = r.number_or("coverage.itm.epsilon", m.itm.epsilon, 1.0, 100.0);
    m.itm.sigma_s_per_m = r.number_or("coverage.itm.sigma_s_per_m", m.itm.sigma_s_per_m, 1e-5, 100.0, " S/m");
    m.itm.mdvar = r.integer("coverage.itm.mdvar", 0, 23).value_or(m.itm.mdvar);
    if (m.itm.mdvar % 10 > 3) {
        throw InvalidArgument(r.where("coverage.itm.mdvar", r.find("coverage.itm.mdvar")) +
                              format(": value %d is not a mode (0..3, plus 10 and/or 20)", m.itm.mdvar));
    }
    m.itm.time_pct = r.number_or("coverage.itm.time_pct", m.itm.time_pct, 0.1, 99.9, " %");
    m.itm.location_pct = r.number_or("coverage.itm.location_pct", m.itm.location_pct, 0.1, 99.9, " %");
    m.itm.situation_pct = r.number_or("coverage.itm.situation_pct", m.itm.situation_pct, 0.1, 99.9, " %");

    std::vector<std::string> technology_keys;
    for (const TechnologyTraits& tr : technology_table) {
        technology_keys.emplace_back(tr.key);
    }
    s.dead_zone.technology = technology_from(r.choice("dead_zone.technology", "lte", technology_keys));
    s.dead_zone.min_class = signal_class_from(r.choice("dead_zone.min_class", "fair", {"excellent", "good", "fair", "poor", "edge"}));
    s.dead_zone.min_households_share = r.number_or("dead_zone.min_households_share", 0.5, 0.01, 1.0);

    PriorityWeights& w = s.weights;
    w.households_unserved = r.number_or("priorities.weight_households_unserved", w.households_unserved, 0.0, 1e6);
    w.fibre_distance = r.number_or("priorities.weight_fibre_distance", w.fibre_distance, 0.0, 1e6);
    w.tower_distance = r.number_or("priorities.weight_tower_distance", w.tower_distance, 0.0, 1e6);
    w.terrain_difficulty = r.number_or("priorities.weight_terrain_difficulty", w.terrain_difficulty, 0.0, 1e6);
    w.terrain_radius_m = r.number_or("priorities.terrain_radius_m", w.terrain_radius_m, 30.0, 10000.0, " m");
    try {
        w.validate();
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(r.where("priorities") + ": " + e.what());
    }
    if (s.fibre_file.empty() && w.fibre_distance > 0.0) {
        throw InvalidArgument(r.where("inputs.fibre") + ": missing, but priorities.weight_fibre_distance is " +
                              format("%g", w.fibre_distance) + " (give the fibre routes or set the weight to 0)");
    }
    if (root.contains("planning")) {
        Study::Planning& p = s.planning;
        PlanSettings& ps = p.settings;
        p.enabled = true;
        ps.budget_usd = r.number("planning.budget_usd", 0.0, 1e12, " USD").value_or(-1.0);
        if (ps.budget_usd < 0.0) {
            throw InvalidArgument(r.where("planning.budget_usd") + ": missing (required with [planning])");
        }
        p.candidates_file = r.path("planning.candidates").value_or("");
        ps.find_candidates = r.boolean("planning.find_candidates").value_or(true);
        ps.search.search_radius_m = r.number_or("planning.search_radius_m", ps.search.search_radius_m, 100.0, 20000.0, " m");
        ps.search.min_spacing_m = r.number_or("planning.min_spacing_m", ps.search.min_spacing_m, 0.0, 20000.0, " m");
        ps.search.per_hamlet = r.integer("planning.candidates_per_hamlet", 0, 10).value_or(ps.search.per_hamlet);
        ps.search.mast_height_m = r.number_or("planning.mast_height_m", ps.search.mast_height_m, 3.0, 150.0, " m");
        ps.fibre_to_hamlets = r.boolean("planning.fibre_to_hamlets").value_or(true);
        p.roads_file = r.path("planning.roads").value_or("");
        p.rivers_file = r.path("planning.rivers").value_or("");
        p.landcover_file = r.path("planning.landcover").value_or("");
        CostModel& c = ps.costs;
        c.slope_class_upper_deg = r.numbers("planning.costs.slope_class_upper_deg", 0.1, 89.9).value_or(c.slope_class_upper_deg);
        c.fibre_usd_per_km = r.numbers("planning.costs.fibre_usd_per_km", 0.0, 1e8).value_or(c.fibre_usd_per_km);
        c.road_factor = r.number_or("planning.costs.road_factor", c.road_factor, 0.01, 10.0);
        c.landcover_factor = r.class_factors("planning.costs.landcover_factors");
        c.river_crossing_usd = r.number_or("planning.costs.river_crossing_usd", c.river_crossing_usd, 0.0, 1e9, " USD");
        c.tower_fixed_usd = r.number_or("planning.costs.tower_fixed_usd", c.tower_fixed_usd, 0.0, 1e9, " USD");
        c.tower_usd_per_m = r.number_or("planning.costs.tower_usd_per_m", c.tower_usd_per_m, 0.0, 1e7, " USD");
        c.microwave_link_usd = r.number_or("planning.costs.microwave_link_usd", c.microwave_link_usd, 0.0, 1e9, " USD");
        c.hamlet_endpoint_usd = r.number_or("planning.costs.hamlet_endpoint_usd", c.hamlet_endpoint_usd, 0.0, 1e9, " USD");
        try {
            c.validate();
        } catch (const InvalidArgument& e) {
            throw InvalidArgument(r.where("planning.costs") + ": " + e.what());
        }
        if (!c.landcover_factor.empty() && p.landcover_file.empty()) {
            throw InvalidArgument(r.where("planning.costs.landcover_factors") + ": given, but planning.landcover (the raster) is missing");
        }
        MicrowaveRules& mw = ps.microwave;
        mw.freq_mhz = r.number_or("planning.microwave.freq_mhz", mw.freq_mhz, 1000.0, 90000.0, " MHz");
        mw.max_distance_m = 1000.0 * r.number_or("planning.microwave.max_distance_km", mw.max_distance_m / 1000.0, 0.1, 200.0, " km");
        mw.min_fresnel_clear_pct = r.number_or("planning.microwave.min_fresnel_clear_pct", mw.min_fresnel_clear_pct, 0.0, 100.0, " %");
        mw.k_factor = r.number_or("planning.microwave.k_factor", mw.k_factor, 0.3, 10.0);
        mw.fibred_site_max_distance_m =
            r.number_or("planning.microwave.fibred_site_max_distance_m", mw.fibred_site_max_distance_m, 0.0, 10000.0, " m");
        if (s.fibre_file.empty()) {
            throw InvalidArgument(r.where("inputs.fibre") + ": missing, but [planning] routes new fibre from the existing network");
        }
    }
    return s;
}

} // namespace coverage
