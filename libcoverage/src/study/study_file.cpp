// read_study: the TOML study file, checked key by key (toml++).

#include <coverage/core/catalogue.hpp>
#include <coverage/core/error.hpp>
#include <coverage/study/study.hpp>

#include "core/text.hpp"

#include "study/study_report.hpp"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <tuple>
#include <utility>
#include <vector>
#include <map>
#include <set>
#include <sstream>

namespace coverage {

namespace {

namespace fs = std::filesystem;
using detail::format;

const std::map<std::string, std::set<std::string>>& schema(); // below, from the key table

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
        // A key is echoed as far as a person reads it (a 10 MB key was printed whole), control characters shown as '?'.
        std::string shown_key;
        for (const char c : key.substr(0, 80)) {
            shown_key += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
        }
        if (key.size() > 80) {
            shown_key += format("... (%zu bytes)", key.size());
        }
        return s + ", key '" + detail::valid_utf8(shown_key) + "'";
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
    // [terrain.land_cover_classes]: "code" = { name = "...", clutter = "<P.2108 type>", clutter_height_m = R }, each
    // replacing or adding to the table's class of that code.
    void land_cover_classes(const std::string& key, LandCoverTable& table) const {
        const toml::node* n = find(key);
        if (n == nullptr) {
            return;
        }
        bool changed = false;
        for (const auto& [k, v] : *n->as_table()) {
            const std::string code_text(k.str());
            const std::string at = key + "." + code_text;
            char* end = nullptr;
            const long code = std::strtol(code_text.c_str(), &end, 10);
            if (code_text.empty() || *end != '\0' || code < -32768 || code > 65535) {
                throw InvalidArgument(where(at, &v) + ": land-cover codes are whole numbers (\"10\" = { ... })");
            }
            const toml::table* t = v.as_table();
            if (t == nullptr) {
                throw InvalidArgument(where(at, &v) + ": expected { name = \"...\", clutter = \"...\", clutter_height_m = ... }, got " +
                                      type_name(v) + " " + shown(v));
            }
            LandCoverClass c{.code = static_cast<int>(code), .name = "", .clutter = P2108Clutter::open_rural, .clutter_height_m = 0.0,
                             .source = "study file '" + m_file + "'"};
            bool has_clutter = false;
            bool has_height = false;
            for (const auto& [fk, fv] : *t) {
                const std::string field(fk.str());
                const std::string fat = at + "." + field;
                if (field == "name") {
                    if (!fv.is_string() || fv.as_string()->get().empty()) {
                        throw InvalidArgument(where(fat, &fv) + ": expected a non-empty string, got " + shown(fv));
                    }
                    c.name = fv.as_string()->get();
                } else if (field == "clutter") {
                    if (!fv.is_string()) {
                        throw InvalidArgument(where(fat, &fv) + ": expected a string, got " + type_name(fv) + " " + shown(fv));
                    }
                    try {
                        c.clutter = p2108_clutter_from(fv.as_string()->get());
                    } catch (const InvalidArgument& e) {
                        throw InvalidArgument(where(fat, &fv) + ": " + e.what());
                    }
                    has_clutter = true;
                } else if (field == "clutter_height_m") {
                    if (!fv.is_number() || !(as_number(fv) >= 0.0 && as_number(fv) <= 100.0)) {
                        throw InvalidArgument(where(fat, &fv) + ": expected a height of 0 to 100 m, got " + shown(fv));
                    }
                    c.clutter_height_m = as_number(fv);
                    has_height = true;
                } else {
                    throw InvalidArgument(where(fat, &fv) + ": unknown key (expected name, clutter, clutter_height_m)");
                }
            }
            if (c.name.empty() || !has_clutter || !has_height) {
                throw InvalidArgument(where(at, &v) + ": a class needs name, clutter and clutter_height_m");
            }
            auto same = std::find_if(table.classes.begin(), table.classes.end(), [&](const LandCoverClass& e) { return e.code == c.code; });
            if (same != table.classes.end()) {
                *same = c;
            } else {
                table.classes.push_back(c);
            }
            changed = true;
        }
        if (changed) {
            table.name += " with the study's classes";
        }
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

// ---------------------------------------------------------------------------------------------- the key table
// Every key of a study file, once: what it takes, its default, what it means (the README's table is generated
// from these columns and a test compares the two), how it is read and checked, and how run.json records it.
using nlohmann::ordered_json;

struct KeyDef {
    std::string key;       ///< dotted, as in the file
    std::string values;    ///< what it takes, with units
    std::string fallback;  ///< the default, in words
    std::string meaning;
    std::function<void(const StudyReader&, Study&)> read;
    std::function<ordered_json(const Study&)> write;
    bool table_of_numbers = false;  ///< a table whose keys are free (planning.costs.landcover_factors)
};

ordered_json optional_json(const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

std::vector<double> bounds_of(const SignalThresholds& t) {
    return std::vector<double>(t.lower_bound_dbm.begin(), t.lower_bound_dbm.begin() + t.class_count);
}

std::string bounds_words(const SignalThresholds& t) {
    std::string s;
    for (const double b : bounds_of(t)) {
        s += (s.empty() ? "" : " / ") + format("%.0f", b);
    }
    return "[" + s + "]";
}

std::string choices(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) {
        s += (s.empty() ? "" : " \\| ") + ("`" + x + "`");
    }
    return s;
}

std::vector<std::string> technology_key_list() {
    std::vector<std::string> keys;
    for (const TechnologyTraits& tr : technology_table) {
        keys.emplace_back(tr.key);
    }
    return keys;
}

const std::vector<KeyDef>& key_table() {
    static const std::vector<KeyDef> table = [] {
        const Study d; // the defaults
        const PlanSettings dp;
        std::vector<KeyDef> k;
        // [study]
        k.push_back({"study.name", "text", "required", "the report's title",
                     [](const StudyReader& r, Study& s) { s.name = r.required_text("study.name"); },
                     [](const Study& s) { return ordered_json(s.name); }});
        k.push_back({"study.area", "text", "\"\"", "what the area is (commune, district), shown under the title",
                     [](const StudyReader& r, Study& s) { s.area = r.text("study.area").value_or(""); },
                     [](const Study& s) { return ordered_json(s.area); }});
        k.push_back({"study.prepared_by", "text", "\"\"", "who prepared the study, shown under the title",
                     [](const StudyReader& r, Study& s) { s.prepared_by = r.text("study.prepared_by").value_or(""); },
                     [](const Study& s) { return ordered_json(s.prepared_by); }});
        for (const std::string& language : message_languages()) { // study.name_vi, study.area_en, ...
            for (const auto& [field, what] : {std::pair<std::string, std::string>{"name", "the title"}, {"area", "the area's words"}}) {
                const std::string key = "study." + field + "_" + language;
                const bool is_name = field == "name";
                k.push_back({key, "text", "`study." + field + "`", what + " in the " + language + " report (report.language or its copy)",
                             [key, language, is_name](const StudyReader& r, Study& s) {
                                 if (const auto t = r.text(key)) {
                                     (is_name ? s.name_by_language : s.area_by_language)[language] = *t;
                                 }
                             },
                             [language, is_name](const Study& s) {
                                 const auto& m = is_name ? s.name_by_language : s.area_by_language;
                                 const auto it = m.find(language);
                                 return it != m.end() ? ordered_json(it->second) : ordered_json(nullptr);
                             }});
            }
        }
        // [terrain]
        k.push_back({"terrain.dem", "file or array of files", "required", "any GDAL raster; several form a mosaic",
                     [](const StudyReader& r, Study& s) { s.dem_files = r.paths("terrain.dem"); },
                     [](const Study& s) { return ordered_json(s.dem_files); }});
        k.push_back({"terrain.voids", "`error` \\| `fill` \\| `keep`", "`error`", "DEM void policy",
                     [](const StudyReader& r, Study& s) { s.voids = void_policy_from(r.choice("terrain.voids", "error", {"error", "fill", "keep"})); },
                     [](const Study& s) {
                         return ordered_json(s.voids == VoidPolicy::error ? "error" : s.voids == VoidPolicy::fill ? "fill" : "keep");
                     }});
        k.push_back({"terrain.cell_m", "m, 1–1000", "the DEM's resolution",
                     "grid cell; a DEM already in the working CRS at this size keeps its own cells (the one grid rule)",
                     [](const StudyReader& r, Study& s) { s.cell_m = r.number("terrain.cell_m", 1.0, 1000.0, " m"); },
                     [](const Study& s) { return optional_json(s.cell_m); }});
        k.push_back({"terrain.land_cover", "file", "none", "land-cover raster (ESA WorldCover codes by default) for coverage.clutter",
                     [](const StudyReader& r, Study& s) { s.land_cover_file = r.path("terrain.land_cover").value_or(""); },
                     [](const Study& s) { return ordered_json(s.land_cover_file); }});
        KeyDef classes{"terrain.land_cover_classes", "table `\"code\" = {name, clutter, clutter_height_m}`", "ESA WorldCover",
                       "land-cover classes over the default table; clutter: a P.2108 type",
                       [](const StudyReader& r, Study& s) { r.land_cover_classes("terrain.land_cover_classes", s.land_cover_classes); },
                       [](const Study& s) {
                           ordered_json o = ordered_json::object();
                           for (const LandCoverClass& c : s.land_cover_classes.classes) {
                               o[std::to_string(c.code)] = {{"name", c.name}, {"clutter", to_string(c.clutter)},
                                                            {"clutter_height_m", c.clutter_height_m}, {"source", c.source}};
                           }
                           return o;
                       }};
        classes.table_of_numbers = true;
        k.push_back(std::move(classes));
        k.push_back({"terrain.resampling", "`bilinear` \\| `cubic` \\| `nearest` \\| `average`", "`bilinear`",
                     "how a DEM in another CRS or at another cell size is resampled onto the grid (`average` for cells larger "
                     "than the DEM's); a DEM already on the grid keeps its own cells; run.json names what was done",
                     [](const StudyReader& r, Study& s) {
                         s.resampling = resampling_from(r.choice("terrain.resampling", "bilinear", {"bilinear", "cubic", "nearest", "average"}));
                     },
                     [](const Study& s) { return ordered_json(to_string(s.resampling)); }});
        k.push_back({"terrain.provenance", "text", "the DEM file names", "where the terrain comes from (report)",
                     [](const StudyReader& r, Study& s) { s.terrain_provenance = r.text("terrain.provenance").value_or(""); },
                     [](const Study& s) { return ordered_json(s.terrain_provenance); }});
        k.push_back({"terrain.allow_remote", "bool", "false",
                     "let a VRT DEM read sources over the network (`/vsicurl/`, `https://`…); also `covtool study --allow-remote`",
                     [](const StudyReader& r, Study& s) { s.terrain_allow_remote = r.boolean("terrain.allow_remote").value_or(false); },
                     [](const Study& s) { return ordered_json(s.terrain_allow_remote); }});
        k.push_back({"terrain.synthetic", "bool", "false",
                     "also set by a DEM tagged `SYNTHETIC=YES`; puts a warning in the report and on the maps",
                     [](const StudyReader& r, Study& s) { s.terrain_synthetic = r.boolean("terrain.synthetic").value_or(false); },
                     [](const Study& s) { return ordered_json(s.terrain_synthetic); }});
        // [inputs]
        k.push_back({"inputs.sites", "file", "required", "towers and sectors (columns below)",
                     [](const StudyReader& r, Study& s) {
                         s.sites_file = r.path("inputs.sites").value_or("");
                         if (s.sites_file.empty()) {
                             throw InvalidArgument(r.where("inputs.sites") + ": missing (required: the existing towers and their sectors)");
                         }
                     },
                     [](const Study& s) { return ordered_json(s.sites_file); }});
        k.push_back({"inputs.hamlets", "file", "required",
                     "points with `name`, `households`, `population`, `settlement_radius_m`, or Polygon/MultiPolygon outlines "
                     "(households spread over the cells inside)",
                     [](const StudyReader& r, Study& s) {
                         s.hamlets_file = r.path("inputs.hamlets").value_or("");
                         if (s.hamlets_file.empty()) {
                             throw InvalidArgument(r.where("inputs.hamlets") + ": missing (required: the hamlets with households)");
                         }
                     },
                     [](const Study& s) { return ordered_json(s.hamlets_file); }});
        k.push_back({"inputs.household_points", "file", "none",
                     "where households live: points (or building footprints) with an optional `households` per point, linked "
                     "to a hamlet by `hamlet_id` or `hamlet` (name), else by lying inside its outline or settlement radius; "
                     "each hamlet's `households` is shared among its points. Without: households spread evenly over its cells",
                     [](const StudyReader& r, Study& s) { s.household_points_file = r.path("inputs.household_points").value_or(""); },
                     [](const Study& s) { return ordered_json(s.household_points_file); }});
        k.push_back({"inputs.fibre", "file", "none",
                     "existing fibre, LineString/MultiLineString (required when `weight_fibre_distance` > 0 or with [planning])",
                     [](const StudyReader& r, Study& s) { s.fibre_file = r.path("inputs.fibre").value_or(""); },
                     [](const Study& s) { return ordered_json(s.fibre_file); }});
        // [coverage]
        k.push_back({"coverage.model", choices(model_names()), "`" + d.model.model + "`", "path-loss model",
                     [](const StudyReader& r, Study& s) { s.model.model = r.choice("coverage.model", s.model.model, model_names()); },
                     [](const Study& s) { return ordered_json(s.model.model); }});
        k.push_back({"coverage.mode", "`fast` \\| `exact`", "`fast`", "radial sweep or a profile per cell",
                     [](const StudyReader& r, Study& s) {
                         s.mode = r.choice("coverage.mode", "fast", {"fast", "exact"}) == "exact" ? CoverageMode::exact : CoverageMode::fast;
                     },
                     [](const Study& s) { return ordered_json(to_string(s.mode)); }});
        k.push_back({"coverage.profile_sampling", "`bilinear` \\| `nearest`", "`bilinear`",
                     "terrain between the DEM's posts along profiles and radials: interpolated, or the nearest post (as "
                     "SPLAT! and Signal-Server read it)",
                     [](const StudyReader& r, Study& s) {
                         s.profile_sampling = profile_sampling_from(r.choice("coverage.profile_sampling", "bilinear", {"bilinear", "nearest"}));
                     },
                     [](const Study& s) { return ordered_json(to_string(s.profile_sampling)); }});
        k.push_back({"coverage.radius_km", "km, 0.1–200", "free-space reach of the weakest class",
                     "computed radius per tower; the DEM is cropped to it (required by the province runner)",
                     [](const StudyReader& r, Study& s) { s.radius_km = r.number("coverage.radius_km", 0.1, 200.0, " km"); },
                     [](const Study& s) { return optional_json(s.radius_km); }});
        k.push_back({"coverage.rx_height_m", "m, 0.5–30", format("%g", d.rx_height_m), "the phone's height above ground",
                     [](const StudyReader& r, Study& s) { s.rx_height_m = r.number_or("coverage.rx_height_m", s.rx_height_m, 0.5, 30.0, " m"); },
                     [](const Study& s) { return ordered_json(s.rx_height_m); }});
        k.push_back({"coverage.rx_gain_dbi", "dBi, −20–30", format("%g", d.rx_gain_dbi), "the phone's antenna gain",
                     [](const StudyReader& r, Study& s) { s.rx_gain_dbi = r.number_or("coverage.rx_gain_dbi", s.rx_gain_dbi, -20.0, 30.0, " dBi"); },
                     [](const Study& s) { return ordered_json(s.rx_gain_dbi); }});
        k.push_back({"coverage.cpich_fraction", "0.01–1", format("%g", d.cpich_fraction), "UMTS: share of power on the CPICH",
                     [](const StudyReader& r, Study& s) { s.cpich_fraction = r.number_or("coverage.cpich_fraction", s.cpich_fraction, 0.01, 1.0); },
                     [](const Study& s) { return ordered_json(s.cpich_fraction); }});
        k.push_back({"coverage.environment", "`urban` \\| `suburban` \\| `open`", "`" + d.model.environment + "`", "Hata / COST-231 environment",
                     [](const StudyReader& r, Study& s) {
                         s.model.environment = r.choice("coverage.environment", s.model.environment, {"urban", "suburban", "open"});
                     },
                     [](const Study& s) { return ordered_json(s.model.environment); }});
        k.push_back({"coverage.hata_extrapolate", "bool", "false", "Hata / COST-231 beyond their published range",
                     [](const StudyReader& r, Study& s) { s.model.hata_extrapolate = r.boolean("coverage.hata_extrapolate").value_or(false); },
                     [](const Study& s) { return ordered_json(s.model.hata_extrapolate); }});
        k.push_back({"coverage.polarization", "`vertical` \\| `horizontal`", "`" + d.model.polarization + "`", "of the transmit antennas (ITM)",
                     [](const StudyReader& r, Study& s) {
                         s.model.polarization = r.choice("coverage.polarization", s.model.polarization, {"vertical", "horizontal"});
                     },
                     [](const Study& s) { return ordered_json(s.model.polarization); }});
        k.push_back({"coverage.bullington_earth_radius_km", "km, 6371–50000", format("%g", d.model.bullington_earth_radius_km),
                     "effective earth radius of the delta-Bullington model",
                     [](const StudyReader& r, Study& s) {
                         s.model.bullington_earth_radius_km =
                             r.number_or("coverage.bullington_earth_radius_km", s.model.bullington_earth_radius_km, 6371.0, 50000.0, " km");
                     },
                     [](const Study& s) { return ordered_json(s.model.bullington_earth_radius_km); }});
        for (const TechnologyTraits& tr : technology_table) { // one key per row of the technology table
            const Technology t = tr.technology;
            const std::string key = "coverage." + std::string(tr.key) + "_class_thresholds_dbm";
            k.push_back({key, "1–5 dBm, best first", bounds_words(d.thresholds[t]),
                         std::string("class bounds of ") + tr.generation + " " + tr.measure + " (excellent, good, fair, poor, edge)",
                         [t, key](const StudyReader& r, Study& s) { s.thresholds[t] = r.thresholds(key).value_or(s.thresholds[t]); },
                         [t](const Study& s) { return ordered_json(bounds_of(s.thresholds[t])); }});
        }
        k.push_back({"coverage.itm.climate", "1–7", format("%d", d.model.climate), "ITM radio climate",
                     [](const StudyReader& r, Study& s) { s.model.climate = r.integer("coverage.itm.climate", 1, 7).value_or(s.model.climate); },
                     [](const Study& s) { return ordered_json(s.model.climate); }});
        k.push_back({"coverage.itm.n0_n_units", "N-units, 250–400", format("%g", d.model.itm.n0_n_units), "ITM surface refractivity",
                     [](const StudyReader& r, Study& s) {
                         s.model.itm.n0_n_units = r.number_or("coverage.itm.n0_n_units", s.model.itm.n0_n_units, 250.0, 400.0, " N-units");
                     },
                     [](const Study& s) { return ordered_json(s.model.itm.n0_n_units); }});
        k.push_back({"coverage.itm.epsilon", "1–100", format("%g", d.model.itm.epsilon), "ITM ground relative permittivity",
                     [](const StudyReader& r, Study& s) { s.model.itm.epsilon = r.number_or("coverage.itm.epsilon", s.model.itm.epsilon, 1.0, 100.0); },
                     [](const Study& s) { return ordered_json(s.model.itm.epsilon); }});
        k.push_back({"coverage.itm.sigma_s_per_m", "S/m, 1e-5–100", format("%g", d.model.itm.sigma_s_per_m), "ITM ground conductivity",
                     [](const StudyReader& r, Study& s) {
                         s.model.itm.sigma_s_per_m = r.number_or("coverage.itm.sigma_s_per_m", s.model.itm.sigma_s_per_m, 1e-5, 100.0, " S/m");
                     },
                     [](const Study& s) { return ordered_json(s.model.itm.sigma_s_per_m); }});
        k.push_back({"coverage.itm.mdvar", "0–3, plus 10 and/or 20", format("%d", d.model.itm.mdvar), "ITM variability mode",
                     [](const StudyReader& r, Study& s) {
                         s.model.itm.mdvar = r.integer("coverage.itm.mdvar", 0, 23).value_or(s.model.itm.mdvar);
                         if (s.model.itm.mdvar % 10 > 3) {
                             throw InvalidArgument(r.where("coverage.itm.mdvar", r.find("coverage.itm.mdvar")) +
                                                   format(": value %d is not a mode (0..3, plus 10 and/or 20)", s.model.itm.mdvar));
                         }
                     },
                     [](const Study& s) { return ordered_json(s.model.itm.mdvar); }});
        for (const auto& [name, member] : {std::pair{"time_pct", &ItmParams::time_pct}, std::pair{"location_pct", &ItmParams::location_pct},
                                           std::pair{"situation_pct", &ItmParams::situation_pct}}) {
            const std::string key = std::string("coverage.itm.") + name;
            double ItmParams::*field = member;
            k.push_back({key, "%, 0.1–99.9", format("%g", d.model.itm.*field), "ITM variability quantile",
                         [key, field](const StudyReader& r, Study& s) {
                             s.model.itm.*field = r.number_or(key, s.model.itm.*field, 0.1, 99.9, " %");
                         },
                         [field](const Study& s) { return ordered_json(s.model.itm.*field); }});
        }
        k.push_back({"coverage.clutter", "`none` \\| `p2108` \\| `path`", "`none`",
                     "clutter from terrain.land_cover: P.2108 loss at the receiver, or (p1812) heights along the path",
                     [](const StudyReader& r, Study& s) {
                         s.clutter = r.choice("coverage.clutter", "none", {"none", "p2108", "path"});
                         if (s.clutter != "none" && s.land_cover_file.empty()) {
                             throw InvalidArgument(r.where("coverage.clutter", r.find("coverage.clutter")) + ": \"" + s.clutter +
                                                   "\" needs terrain.land_cover, the raster that gives each cell's clutter");
                         }
                         if (s.clutter == "path" && s.model.model != "p1812") {
                             throw InvalidArgument(r.where("coverage.clutter", r.find("coverage.clutter")) +
                                                   ": \"path\" (clutter heights along each path) is ITU-R P.1812's; with coverage.model = \"" +
                                                   s.model.model + "\" use \"p2108\" (the receiver's clutter loss)");
                         }
                     },
                     [](const Study& s) { return ordered_json(s.clutter); }});
        k.push_back({"calibration.file", "file", "none",
                     "a calibration.toml written by covtool calibrate: its correction is applied to every map, the hamlets and the plan",
                     [](const StudyReader& r, Study& s) { s.calibration_file = r.path("calibration.file").value_or(""); },
                     [](const Study& s) { return ordered_json(s.calibration_file); }});
        // [coverage.p1812]: ΔN and N0 have no default; a study gives them once for its area.
        for (const auto& [name, lo, hi, unit, help] :
             {std::tuple{"delta_n_per_km", 1.0, 156.0, " N-units/km", "P.1812 ΔN, refractivity lapse rate (DN50 map); required for p1812"},
              std::tuple{"n0_n_units", 200.0, 500.0, " N-units", "P.1812 N0, sea-level surface refractivity (N050 map); required for p1812"}}) {
            const std::string key = std::string("coverage.p1812.") + name;
            double P1812Settings::*field = std::string(name) == "delta_n_per_km" ? &P1812Settings::delta_n_per_km : &P1812Settings::n0_n_units;
            k.push_back({key, format("%s, %g–%g", unit + 1, lo, hi), "none", help,
                         [key, field, lo = lo, hi = hi, unit = unit](const StudyReader& r, Study& s) {
                             if (const auto v = r.number(key, lo, hi, unit)) {
                                 s.model.p1812.*field = *v;
                             } else if (s.model.model == "p1812") {
                                 throw InvalidArgument(r.where(key) + ": missing; coverage.model = \"p1812\" needs the study area's "
                                                       "ΔN (delta_n_per_km) and N0 (n0_n_units), read at its centre from the maps "
                                                       "of ITU-R P.1812 (there is no default)");
                             }
                         },
                         [field](const Study& s) { return ordered_json(s.model.p1812.*field); }});
        }
        k.push_back({"coverage.p1812.time_pct", "%, 1–50", format("%g", d.model.p1812.time_pct), "P.1812: loss not exceeded for this share of time",
                     [](const StudyReader& r, Study& s) {
                         s.model.p1812.time_pct = r.number_or("coverage.p1812.time_pct", s.model.p1812.time_pct, 1.0, 50.0, " %");
                     },
                     [](const Study& s) { return ordered_json(s.model.p1812.time_pct); }});
        // The share of locations, for every model (ITM and P.1812 by their own variability, the others by a log-normal).
        k.push_back({"coverage.location_area_m", "m, 1–100000", format("%g", d.model.p1812.location_area_m),
                     "side of the square a prediction stands for (σL of P.1812 eq. (65))",
                     [](const StudyReader& r, Study& s) {
                         s.model.p1812.location_area_m = r.number_or("coverage.location_area_m", s.model.p1812.location_area_m, 1.0, 100000.0, " m");
                     },
                     [](const Study& s) { return ordered_json(s.model.p1812.location_area_m); }});
        k.push_back({"coverage.location_sigma_db", "dB, 0–30", "P.1812 eq. (65)",
                     "location variability σ of the models without their own (and P.1812's σL)",
                     [](const StudyReader& r, Study& s) {
                         if (const auto v = r.number("coverage.location_sigma_db", 0.0, 30.0, " dB")) {
                             s.model.location_sigma_db = *v;
                         }
                     },
                     [](const Study& s) { return s.model.location_sigma_db ? ordered_json(*s.model.location_sigma_db) : ordered_json(nullptr); }});
        k.push_back({"coverage.location_pct", "%, 1–99", "50", "coverage at this share of locations (planners use 90–95)",
                     [](const StudyReader& r, Study& s) {
                         if (const auto v = r.number("coverage.location_pct", 1.0, 99.0, " %")) {
                             s.model.location_pct = *v;
                         }
                         const bool itm_own = s.model.model == "itm" && s.model.itm.location_pct != 50.0;
                         if (s.model.model == "los" || (!s.model.location_pct && !s.model.location_sigma_db && !itm_own)) {
                             return;
                         }
                         // How the model takes the share (ITM's mode, a second share given to the model) is checked now,
                         // naming the key, rather than when the first map is computed.
                         try {
                             (void)make_model(s.model);
                         } catch (const InvalidArgument& e) {
                             const char* key = s.model.location_pct      ? "coverage.location_pct"
                                               : s.model.location_sigma_db ? "coverage.location_sigma_db"
                                                                           : "coverage.itm.location_pct";
                             throw InvalidArgument(r.where(key, r.find(key)) + ": " + e.what());
                         }
                     },
                     [](const Study& s) { return ordered_json(s.model.location_pct.value_or(50.0)); }});
        // [dead_zone]
        k.push_back({"dead_zone.technology", choices(technology_key_list()), "`lte`", "the rule looks at this technology",
                     [](const StudyReader& r, Study& s) {
                         s.dead_zone.technology = technology_from(r.choice("dead_zone.technology", "lte", technology_key_list()));
                     },
                     [](const Study& s) { return ordered_json(traits(s.dead_zone.technology).key); }});
        k.push_back({"dead_zone.min_class", "`excellent` … `edge`", "`fair`", "a household counts as served at this class or better",
                     [](const StudyReader& r, Study& s) {
                         s.dead_zone.min_class = signal_class_from(r.choice("dead_zone.min_class", "fair", {"excellent", "good", "fair", "poor", "edge"}));
                     },
                     [](const Study& s) { return ordered_json(to_string(s.dead_zone.min_class)); }});
        k.push_back({"dead_zone.min_households_share", "0.01–1", "0.5", "dead zone: fewer than this share of households served",
                     [](const StudyReader& r, Study& s) {
                         s.dead_zone.min_households_share = r.number_or("dead_zone.min_households_share", 0.5, 0.01, 1.0);
                     },
                     [](const Study& s) { return ordered_json(s.dead_zone.min_households_share); }});
        k.push_back({"dead_zone.indoor", "bool", "false", "judge households by the signal inside their houses (ITU-R P.2109)",
                     [](const StudyReader& r, Study& s) { s.indoor.enabled = r.boolean("dead_zone.indoor").value_or(false); },
                     [](const Study& s) { return ordered_json(s.indoor.enabled); }});
        k.push_back({"dead_zone.building_type", "`traditional` \\| `thermally_efficient`", "`traditional`",
                     "ITU-R P.2109 building class of the houses",
                     [](const StudyReader& r, Study& s) {
                         s.indoor.building_type = building_type_from(r.choice("dead_zone.building_type", "traditional", {"traditional", "thermally_efficient"}));
                     },
                     [](const Study& s) { return ordered_json(to_string(s.indoor.building_type)); }});
        k.push_back({"dead_zone.building_entry_pct", "%, 1–99", "50", "building entry loss not exceeded in this share of houses",
                     [](const StudyReader& r, Study& s) {
                         s.indoor.building_entry_pct = r.number_or("dead_zone.building_entry_pct", 50.0, 1.0, 99.0, " %");
                     },
                     [](const Study& s) { return ordered_json(s.indoor.building_entry_pct); }});
        // [priorities]
        for (const auto& [name, member, meaning] :
             {std::tuple{"weight_households_unserved", &PriorityWeights::households_unserved, "more households without signal: sooner"},
              std::tuple{"weight_fibre_distance", &PriorityWeights::fibre_distance, "nearer the existing fibre: sooner"},
              std::tuple{"weight_tower_distance", &PriorityWeights::tower_distance, "nearer an existing tower: sooner"},
              std::tuple{"weight_terrain_difficulty", &PriorityWeights::terrain_difficulty, "gentler terrain: sooner"}}) {
            const std::string key = std::string("priorities.") + name;
            double PriorityWeights::*field = member;
            k.push_back({key, "≥ 0 (any scale)", format("%g", d.weights.*field), std::string("weight of the score: ") + meaning,
                         [key, field](const StudyReader& r, Study& s) { s.weights.*field = r.number_or(key, s.weights.*field, 0.0, 1e6); },
                         [field](const Study& s) { return ordered_json(s.weights.*field); }});
        }
        k.push_back({"priorities.terrain_radius_m", "m, 30–10000", format("%g", d.weights.terrain_radius_m),
                     "terrain difficulty = mean slope (Horn) within this radius",
                     [](const StudyReader& r, Study& s) {
                         s.weights.terrain_radius_m = r.number_or("priorities.terrain_radius_m", s.weights.terrain_radius_m, 30.0, 10000.0, " m");
                     },
                     [](const Study& s) { return ordered_json(s.weights.terrain_radius_m); }});
        // [report]
        k.push_back({"report.language", "`vi`, `en`", "`en`",
                     "language of report.html and of its maps and charts (coverage_*.png, plan_map.png, plan_curve.png); a copy in the other language is written beside it "
                     "(report.en.html / report.vi.html)",
                     [](const StudyReader& r, Study& s) { s.language = r.choice("report.language", "en", {"vi", "en"}); },
                     [](const Study& s) { return ordered_json(s.language); }});
        k.push_back({"report.setting_steps", "bool", "false",
                     "the report shows how the answer moves from ITM, no clutter, median, outdoors to this setting",
                     [](const StudyReader& r, Study& s) { s.setting_steps = r.boolean("report.setting_steps").value_or(false); },
                     [](const Study& s) { return ordered_json(s.setting_steps); }});
        k.push_back({"report.print_maps", "`pdf`, `svg`, `none`", "`pdf`",
                     "the maps and the chart again for print, beside their PNGs (coverage_*.pdf, plan_map.pdf, plan_curve.pdf): lines and "
                     "text as vectors, in the report's language",
                     [](const StudyReader& r, Study& s) { s.print_maps = r.choice("report.print_maps", "pdf", {"pdf", "svg", "none"}); },
                     [](const Study& s) { return ordered_json(s.print_maps); }});
        // [uncertainty] (the Monte Carlo runs only when the table is there)
        const UncertaintySettings du;
        k.push_back({"uncertainty.trials", "1–100000", format("%d", du.trials), "Monte Carlo trials of the ranking and the plan",
                     [](const StudyReader& r, Study& s) { s.uncertainty.settings.trials = r.integer("uncertainty.trials", 1, 100000).value_or(s.uncertainty.settings.trials); },
                     [](const Study& s) { return ordered_json(s.uncertainty.settings.trials); }});
        k.push_back({"uncertainty.seed", "0–2147483647", "1", "the trials' random seed (the same seed gives the same answer on any number of threads)",
                     [](const StudyReader& r, Study& s) {
                         s.uncertainty.settings.seed = static_cast<std::uint64_t>(r.integer("uncertainty.seed", 0, 2147483647).value_or(1));
                     },
                     [](const Study& s) { return ordered_json(s.uncertainty.settings.seed); }});
        k.push_back({"uncertainty.model_error_db", "dB, 0–30", "the calibration's held-out σ, else 8",
                     "σ of the prediction's error at a place (default without calibration: 3GPP TR 38.901 RMa shadow fading, 8 dB)",
                     [](const StudyReader& r, Study& s) {
                         const auto v = r.number("uncertainty.model_error_db", 0.0, 30.0, " dB");
                         s.uncertainty.model_error_given = v.has_value();
                         s.uncertainty.settings.model_error_db = v.value_or(s.uncertainty.settings.model_error_db);
                     },
                     [](const Study& s) { return ordered_json(s.uncertainty.settings.model_error_db); }});
        k.push_back({"uncertainty.model_error_correlation_m", "m, 1–100000", format("%g", du.model_error_correlation_m),
                     "its correlation distance (exponential; TR 38.901 RMa: 120 m)",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.uncertainty.settings.model_error_correlation_m;
                         v = r.number_or("uncertainty.model_error_correlation_m", v, 1.0, 100000.0, " m");
                     },
                     [](const Study& s) { return ordered_json(s.uncertainty.settings.model_error_correlation_m); }});
        auto range_of = [](const StudyReader& r, const std::string& key, double hi) -> std::optional<UniformRange> {
            const auto v = r.numbers(key, 0.0, hi);
            if (!v) {
                return std::nullopt;
            }
            if (v->size() != 2 || (*v)[0] > (*v)[1]) {
                throw InvalidArgument(r.where(key) + ": expected [low, high] with low <= high");
            }
            return UniformRange{(*v)[0], (*v)[1]};
        };
        auto range_json = [](const std::optional<UniformRange>& v) { return v ? ordered_json::array({v->low, v->high}) : ordered_json(nullptr); };
        for (const auto& [name, member] :
             {std::pair{"weight_households_unserved", &UncertaintySettings::weight_households_unserved},
              std::pair{"weight_fibre_distance", &UncertaintySettings::weight_fibre_distance},
              std::pair{"weight_tower_distance", &UncertaintySettings::weight_tower_distance},
              std::pair{"weight_terrain_difficulty", &UncertaintySettings::weight_terrain_difficulty}}) {
            const std::string key = std::string("uncertainty.") + name;
            std::optional<UniformRange> UncertaintySettings::*field = member;
            k.push_back({key, "[low, high], ≥ 0", "the priorities' weight", std::string("range of priorities.") + name,
                         [key, field, range_of](const StudyReader& r, Study& s) { s.uncertainty.settings.*field = range_of(r, key, 1e6); },
                         [field, range_json](const Study& s) { return range_json(s.uncertainty.settings.*field); }});
        }
        for (const auto& [name, member, what] :
             {std::tuple{"tower_cost_factor", &UncertaintySettings::tower_cost_factor, "a tower's cost"},
              std::tuple{"fibre_cost_factor", &UncertaintySettings::fibre_cost_factor, "every fibre route's cost"},
              std::tuple{"microwave_cost_factor", &UncertaintySettings::microwave_cost_factor, "a microwave link's cost"},
              std::tuple{"small_cell_cost_factor", &UncertaintySettings::small_cell_cost_factor, "a small cell's cost"},
              std::tuple{"ftth_cost_factor", &UncertaintySettings::ftth_cost_factor, "an FTTH node's and drops' cost"}}) {
            const std::string key = std::string("uncertainty.") + name;
            UniformRange UncertaintySettings::*field = member;
            k.push_back({key, "[low, high], ×, 0–100", "[1, 1]", std::string("multiplier of ") + what,
                         [key, field, range_of](const StudyReader& r, Study& s) {
                             s.uncertainty.settings.*field = range_of(r, key, 100.0).value_or(UniformRange{});
                         },
                         [field](const Study& s) {
                             return ordered_json::array({(s.uncertainty.settings.*field).low, (s.uncertainty.settings.*field).high});
                         }});
        }
        // [planning] (read only when the table is there)
        k.push_back({"planning.budget_usd", "USD, or a list of USD (one per year)", "required with [planning]",
                     "the money the plan may spend; a list phases the plan: each year's steps within its budget, from what the "
                     "earlier years built (unspent money is not carried over)",
                     [](const StudyReader& r, Study& s) {
                         const toml::node* n = r.find("planning.budget_usd");
                         if (n != nullptr && n->is_array()) {
                             s.planning.settings.phase_budgets_usd = r.numbers("planning.budget_usd", 0.0, 1e12).value_or(std::vector<double>{});
                             s.planning.settings.budget_usd = 0.0;
                             for (const double b : s.planning.settings.phase_budgets_usd) {
                                 s.planning.settings.budget_usd += b;
                             }
                             return;
                         }
                         s.planning.settings.budget_usd = r.number("planning.budget_usd", 0.0, 1e12, " USD").value_or(-1.0);
                         if (s.planning.settings.budget_usd < 0.0) {
                             throw InvalidArgument(r.where("planning.budget_usd") + ": missing (required with [planning])");
                         }
                     },
                     [](const Study& s) {
                         return s.planning.settings.phase_budgets_usd.empty() ? ordered_json(s.planning.settings.budget_usd)
                                                                              : ordered_json(s.planning.settings.phase_budgets_usd);
                     }});
        k.push_back({"planning.candidates", "file", "none", "candidate tower sites (`candidate_id`, a position, `mast_height_m`)",
                     [](const StudyReader& r, Study& s) { s.planning.candidates_file = r.path("planning.candidates").value_or(""); },
                     [](const Study& s) { return ordered_json(s.planning.candidates_file); }});
        k.push_back({"planning.find_candidates", "bool", "true", "also look for candidates: the highest ground near each dead zone",
                     [](const StudyReader& r, Study& s) { s.planning.settings.find_candidates = r.boolean("planning.find_candidates").value_or(true); },
                     [](const Study& s) { return ordered_json(s.planning.settings.find_candidates); }});
        k.push_back({"planning.search_radius_m", "m, 100–20000", format("%g", dp.search.search_radius_m), "how far from a dead zone to look",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.search.search_radius_m;
                         v = r.number_or("planning.search_radius_m", v, 100.0, 20000.0, " m");
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.search.search_radius_m); }});
        k.push_back({"planning.min_spacing_m", "m, 0–20000", format("%g", dp.search.min_spacing_m), "between candidates found",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.search.min_spacing_m;
                         v = r.number_or("planning.min_spacing_m", v, 0.0, 20000.0, " m");
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.search.min_spacing_m); }});
        k.push_back({"planning.candidates_per_hamlet", "0–10", format("%d", dp.search.per_hamlet), "candidates found per dead zone",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.search.per_hamlet;
                         v = r.integer("planning.candidates_per_hamlet", 0, 10).value_or(v);
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.search.per_hamlet); }});
        k.push_back({"planning.mast_height_m", "m, 3–150", format("%g", dp.search.mast_height_m), "mast of a new tower (and of candidates without one)",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.search.mast_height_m;
                         v = r.number_or("planning.mast_height_m", v, 3.0, 150.0, " m");
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.search.mast_height_m); }});
        k.push_back({"planning.fibre_to_hamlets", "bool", "true",
                     "consider fibre to each dead-zone hamlet: a small cell there (`[planning.small_cell]`) and fibre to the home",
                     [](const StudyReader& r, Study& s) { s.planning.settings.fibre_to_hamlets = r.boolean("planning.fibre_to_hamlets").value_or(true); },
                     [](const Study& s) { return ordered_json(s.planning.settings.fibre_to_hamlets); }});
        k.push_back({"planning.roads", "file (lines)", "none", "fibre along roads costs `road_factor` ×; rasterized onto the grid",
                     [](const StudyReader& r, Study& s) { s.planning.roads_file = r.path("planning.roads").value_or(""); },
                     [](const Study& s) { return ordered_json(s.planning.roads_file); }});
        k.push_back({"planning.rivers", "file (lines)", "none", "each crossing by new fibre costs `river_crossing_usd`",
                     [](const StudyReader& r, Study& s) { s.planning.rivers_file = r.path("planning.rivers").value_or(""); },
                     [](const Study& s) { return ordered_json(s.planning.rivers_file); }});
        k.push_back({"planning.landcover", "file (raster of classes)", "none", "resampled onto the grid; costs by `landcover_factors`",
                     [](const StudyReader& r, Study& s) { s.planning.landcover_file = r.path("planning.landcover").value_or(""); },
                     [](const Study& s) { return ordered_json(s.planning.landcover_file); }});
        k.push_back({"planning.costs.slope_class_upper_deg", "degrees, 0.1–89.9, increasing", "[10, 20, 30]", "slope classes of the fibre cost (assumption)",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.costs.slope_class_upper_deg;
                         v = r.numbers("planning.costs.slope_class_upper_deg", 0.1, 89.9).value_or(v);
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.costs.slope_class_upper_deg); }});
        k.push_back({"planning.costs.fibre_usd_per_km", "USD/km per slope class", "[15850, 23775, 39625, 63400]",
                     "15,850: Analysys Mason 2011, rural fibre in emerging markets (Capacity Media, 1 Apr 2011); ×1.5/×2.5/×4 for slope: assumption",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.costs.fibre_usd_per_km;
                         v = r.numbers("planning.costs.fibre_usd_per_km", 0.0, 1e8).value_or(v);
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.costs.fibre_usd_per_km); }});
        k.push_back({"planning.costs.road_factor", "×, 0.01–10", format("%g", dp.costs.road_factor), "fibre cost on cells with a road (assumption)",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.costs.road_factor;
                         v = r.number_or("planning.costs.road_factor", v, 0.01, 10.0);
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.costs.road_factor); }});
        KeyDef landcover{"planning.costs.landcover_factors", "table `\"class\" = ×` (0.01–100)", "none", "fibre cost per land-cover class",
                         [](const StudyReader& r, Study& s) {
                             s.planning.settings.costs.landcover_factor = r.class_factors("planning.costs.landcover_factors");
                         },
                         [](const Study& s) {
                             ordered_json o = ordered_json::object();
                             for (const auto& [cls, f] : s.planning.settings.costs.landcover_factor) {
                                 o[std::to_string(cls)] = f;
                             }
                             return o;
                         }};
        landcover.table_of_numbers = true;
        k.push_back(std::move(landcover));
        for (const auto& [name, member, lo, hi, unit, meaning] :
             {std::tuple{"river_crossing_usd", &CostModel::river_crossing_usd, 0.0, 1e9, " USD", "per crossing of a river by new fibre (assumption)"},
              std::tuple{"tower_fixed_usd", &CostModel::tower_fixed_usd, 0.0, 1e9, " USD",
                         "a new tower, fixed part: ≈ USD 200,000 per rural site at 30 m (industry estimate, radiocomponents.com); the split is an assumption"},
              std::tuple{"tower_usd_per_m", &CostModel::tower_usd_per_m, 0.0, 1e7, " USD", "a new tower, per metre of mast"},
              std::tuple{"microwave_link_usd", &CostModel::microwave_link_usd, 0.0, 1e9, " USD", "a PTP microwave link (Analysys Mason 2011)"},
              std::tuple{"small_cell_usd", &CostModel::small_cell_usd, 0.0, 1e9, " USD",
                         "a small cell: radio, pole, power and installation, without backhaul (assumption)"},
              std::tuple{"ftth_node_usd", &CostModel::ftth_node_usd, 0.0, 1e9, " USD",
                         "fibre to the home: the node at a hamlet (splitter cabinet, its share of an OLT; assumption)"},
              std::tuple{"ftth_drop_usd_per_household", &CostModel::ftth_drop_usd_per_household, 0.0, 1e7, " USD",
                         "fibre to the home: one drop into a house not served today (assumption)"}}) {
            const std::string key = std::string("planning.costs.") + name;
            double CostModel::*field = member;
            const double low = lo;
            const double high = hi;
            const char* units = unit;
            k.push_back({key, format("USD, %g–%g", lo, hi), format("%g", dp.costs.*field), meaning,
                         [key, field, low, high, units](const StudyReader& r, Study& s) {
                             auto& v = s.planning.settings.costs.*field;
                             v = r.number_or(key, v, low, high, units);
                         },
                         [field](const Study& s) { return ordered_json(s.planning.settings.costs.*field); }});
        }
        // max_distance_km is kept in metres inside: `scale` turns the file's unit into the stored one.
        for (const auto& [name, member, scale, lo, hi, unit, meaning] :
             {std::tuple{"freq_mhz", &MicrowaveRules::freq_mhz, 1.0, 1000.0, 90000.0, " MHz", "microwave backhaul frequency"},
              std::tuple{"max_distance_km", &MicrowaveRules::max_distance_m, 1000.0, 0.1, 200.0, " km", "longest hop"},
              std::tuple{"min_fresnel_clear_pct", &MicrowaveRules::min_fresnel_clear_pct, 1.0, 0.0, 100.0, " %",
                         "first Fresnel zone clear (60 %: the usual engineering rule)"},
              std::tuple{"k_factor", &MicrowaveRules::k_factor, 1.0, 0.3, 10.0, "", "effective earth radius factor of the hop"},
              std::tuple{"fibred_site_max_distance_m", &MicrowaveRules::fibred_site_max_distance_m, 1.0, 0.0, 10000.0, " m",
                         "an existing tower this close to fibre can feed a hop"}}) {
            const std::string key = std::string("planning.microwave.") + name;
            double MicrowaveRules::*field = member;
            const double factor = scale;
            const double low = lo;
            const double high = hi;
            const char* units = unit;
            k.push_back({key, format("%g–%g%s", lo, hi, unit), format("%g", dp.microwave.*field / factor), meaning,
                         [key, field, factor, low, high, units](const StudyReader& r, Study& s) {
                             auto& v = s.planning.settings.microwave.*field;
                             v = factor * r.number_or(key, v / factor, low, high, units);
                         },
                         [field, factor](const Study& s) { return ordered_json(s.planning.settings.microwave.*field / factor); }});
        }
        const SmallCellRadio ds;
        for (const auto& [name, member, lo, hi, unit, meaning] :
             {std::tuple{"mast_height_m", &SmallCellRadio::mast_height_m, 1.0, 150.0, " m", "its pole (assumption)"},
              std::tuple{"tx_power_dbm", &SmallCellRadio::tx_power_dbm, 0.0, 60.0, " dBm",
                         "at the antenna connector: 5 W, within 3GPP TS 36.104's Medium Range class (<= 38 dBm)"},
              std::tuple{"antenna_gain_dbi", &SmallCellRadio::antenna_gain_dbi, -10.0, 30.0, " dBi", "omni antenna (assumption)"},
              std::tuple{"cable_loss_db", &SmallCellRadio::cable_loss_db, 0.0, 20.0, " dB", "jumper loss (assumption)"},
              std::tuple{"placement_radius_m", &SmallCellRadio::placement_radius_m, 0.0, 5000.0, " m",
                         "it stands within this distance of the hamlet's point (where the fibre ends), at the spot serving most households"}}) {
            const std::string key = std::string("planning.small_cell.") + name;
            double SmallCellRadio::*field = member;
            const double low = lo;
            const double high = hi;
            const char* units = unit;
            k.push_back({key, format("%g–%g%s", lo, hi, unit), format("%g", ds.*field), meaning,
                         [key, field, low, high, units](const StudyReader& r, Study& s) {
                             auto& v = s.planning.settings.small_cell.*field;
                             v = r.number_or(key, v, low, high, units);
                         },
                         [field](const Study& s) { return ordered_json(s.planning.settings.small_cell.*field); }});
        }
        k.push_back({"planning.ftth_max_drop_m", "m, 0–20000", format("%g", dp.ftth_max_drop_m),
                     "fibre to the home reaches the households within this distance of the hamlet's node; 0: no FTTH option",
                     [](const StudyReader& r, Study& s) {
                         auto& v = s.planning.settings.ftth_max_drop_m;
                         v = r.number_or("planning.ftth_max_drop_m", v, 0.0, 20000.0, " m");
                     },
                     [](const Study& s) { return ordered_json(s.planning.settings.ftth_max_drop_m); }});
        return k;
    }();
    return table;
}

// The allowed keys of each table, from the key table; anything else is a mistake worth an error.
const std::map<std::string, std::set<std::string>>& schema() {
    static const std::map<std::string, std::set<std::string>> s = [] {
        std::map<std::string, std::set<std::string>> keys;
        for (const KeyDef& k : key_table()) {
            std::string parent;
            std::string rest = k.key;
            for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
                const std::string head = rest.substr(0, dot);
                keys[parent].insert(head);
                parent = parent.empty() ? head : parent + "." + head;
                rest = rest.substr(dot + 1);
            }
            keys[parent].insert(rest);
            if (k.table_of_numbers) {
                keys[k.key].insert("*");
            }
        }
        return keys;
    }();
    return s;
}

} // namespace

std::vector<StudyKey> study_keys() {
    std::vector<StudyKey> out;
    for (const KeyDef& k : key_table()) {
        out.push_back(StudyKey{k.key, k.values, k.fallback, k.meaning});
    }
    return out;
}

std::string study_keys_markdown(const std::string& prefix) {
    std::string md = "| key | values | default | what |\n|---|---|---|---|\n";
    for (const KeyDef& k : key_table()) {
        const bool planning = k.key.rfind("planning.", 0) == 0;
        if ((prefix.empty() && !planning) || (!prefix.empty() && k.key.rfind(prefix, 0) == 0)) {
            md += "| `" + k.key + "` | " + k.values + " | " + k.fallback + " | " + k.meaning + " |\n";
        }
    }
    return md;
}

namespace detail {

nlohmann::ordered_json study_settings_json(const Study& s) {
    ordered_json j = ordered_json::object();
    for (const KeyDef& k : key_table()) {
        if ((k.key.rfind("planning.", 0) == 0 && !s.planning.enabled) || (k.key.rfind("uncertainty.", 0) == 0 && !s.uncertainty.enabled)) {
            continue;
        }
        ordered_json* at = &j;
        std::string rest = k.key;
        for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
            at = &(*at)[rest.substr(0, dot)];
            rest = rest.substr(dot + 1);
        }
        (*at)[rest] = k.write(s);
    }
    return j;
}

} // namespace detail


const std::string& Study::name_in(const std::string& reader_language) const {
    const auto it = name_by_language.find(reader_language);
    return it != name_by_language.end() ? it->second : name;
}

const std::string& Study::area_in(const std::string& reader_language) const {
    const auto it = area_by_language.find(reader_language);
    return it != area_by_language.end() ? it->second : area;
}

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
    s.planning.enabled = root.contains("planning");
    s.uncertainty.enabled = root.contains("uncertainty");
    for (const KeyDef& k : key_table()) {
        if (k.key.rfind("planning.", 0) != 0 || s.planning.enabled) {
            k.read(r, s);
        }
    }
    // Checks across keys.
    try {
        s.weights.validate();
    } catch (const InvalidArgument& e) {
        throw InvalidArgument(r.where("priorities") + ": " + e.what());
    }
    if (s.fibre_file.empty() && s.weights.fibre_distance > 0.0) {
        throw InvalidArgument(r.where("inputs.fibre") + ": missing, but priorities.weight_fibre_distance is " +
                              format("%g", s.weights.fibre_distance) + " (give the fibre routes or set the weight to 0)");
    }
    if (s.planning.enabled) {
        const CostModel& c = s.planning.settings.costs;
        try {
            c.validate();
        } catch (const InvalidArgument& e) {
            throw InvalidArgument(r.where("planning.costs") + ": " + e.what());
        }
        if (!c.landcover_factor.empty() && s.planning.landcover_file.empty()) {
            throw InvalidArgument(r.where("planning.costs.landcover_factors") + ": given, but planning.landcover (the raster) is missing");
        }
        if (s.fibre_file.empty()) {
            throw InvalidArgument(r.where("inputs.fibre") + ": missing, but [planning] routes new fibre from the existing network");
        }
    }
    return s;
}

} // namespace coverage
