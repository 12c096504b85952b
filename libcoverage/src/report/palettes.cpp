// Colour tables: signal classes (ColorBrewer RdYlGn), several technologies' classes together, sectors.

#include <coverage/core/error.hpp>
#include <coverage/io/image_io.hpp>
#include <coverage/report/map_render.hpp>



#include "core/messages.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

namespace coverage {

using namespace detail;

namespace {
// ColorBrewer RdYlGn, excellent .. edge, then no service.
constexpr std::array<std::array<std::uint8_t, 3>, 6> class_colours{{
    {{26, 152, 80}}, {{145, 207, 96}}, {{217, 239, 139}}, {{254, 224, 139}}, {{252, 141, 89}}, {{215, 48, 39}}}};

ColorEntry class_entry(int value, const std::string& label) {
    const auto& c = class_colours[static_cast<std::size_t>(std::min(value, 5))];
    return ColorEntry{value, c[0], c[1], c[2], 255, label};
}
// The legend of maps people read: each class with every measure's bound, in the language's words and signs
// ("khá (RSRP ≥ −100, RSCP ≥ −100 dBm)").
std::vector<ColorEntry> class_legend(const std::vector<std::pair<std::string, SignalThresholds>>& by_measure, const std::string& language) {
    const Messages& m = Messages::of(language);
    const auto name = [&](int i) { return m.text(std::string("class_name.") + to_string(static_cast<SignalClass>(i))); };
    const auto dbm = [&](double v) { return (v < 0 ? "−" : "") + m.number(std::fabs(v)); };
    int classes = 0;
    for (const auto& [measure, t] : by_measure) {
        classes = std::max(classes, t.class_count);
    }
    const auto entry = [&](int value, const char* bound_key, const auto& bound_of) {
        std::string bounds;
        for (const auto& [measure, t] : by_measure) {
            if (const std::optional<double> b = bound_of(t)) {
                bounds += (bounds.empty() ? "" : ", ") + m.format(bound_key, {{"measure", measure}, {"dbm", dbm(*b)}});
            }
        }
        return class_entry(value, m.format("map.class_bounds", {{"class", name(value)}, {"bounds", bounds}}));
    };
    std::vector<ColorEntry> out;
    for (int i = 0; i < classes; ++i) {
        out.push_back(entry(i, "map.bound_at_least", [i](const SignalThresholds& t) {
            return i < t.class_count ? std::optional<double>(t.lower_bound_dbm[static_cast<std::size_t>(i)]) : std::nullopt;
        }));
    }
    out.push_back(entry(static_cast<int>(SignalClass::no_service), "map.bound_below", [](const SignalThresholds& t) {
        return std::optional<double>(t.lower_bound_dbm[static_cast<std::size_t>(t.class_count - 1)]);
    }));
    return out;
}

} // namespace

std::vector<ColorEntry> signal_class_palette(const SignalThresholds& t, const std::string& measure) {
    std::vector<ColorEntry> out;
    for (int i = 0; i < t.class_count; ++i) {
        char label[96];
        std::snprintf(label, sizeof label, "%s (%s >= %.0f dBm)", to_string(static_cast<SignalClass>(i)), measure.c_str(),
                      t.lower_bound_dbm[static_cast<std::size_t>(i)]);
        out.push_back(class_entry(i, label));
    }
    char label[96];
    std::snprintf(label, sizeof label, "no service (< %.0f dBm)", t.lower_bound_dbm[static_cast<std::size_t>(t.class_count - 1)]);
    out.push_back(class_entry(static_cast<int>(SignalClass::no_service), label));
    return out;
}

std::vector<ColorEntry> signal_class_legend(const SignalThresholds& t, const std::string& measure, const std::string& language) {
    return class_legend({{measure, t}}, language);
}

std::vector<ColorEntry> mixed_signal_class_legend(const std::vector<std::pair<Technology, SignalThresholds>>& by_technology,
                                                  const std::string& language) {
    if (by_technology.empty()) {
        throw InvalidArgument("mixed_signal_class_legend: no technology");
    }
    std::vector<std::pair<std::string, SignalThresholds>> by_measure;
    for (const auto& [technology, t] : by_technology) {
        by_measure.emplace_back(signal_measure_name(technology), t);
    }
    return class_legend(by_measure, language);
}

std::vector<ColorEntry> mixed_signal_class_palette(const std::vector<std::pair<Technology, SignalThresholds>>& by_technology) {
    if (by_technology.empty()) {
        throw InvalidArgument("mixed_signal_class_palette: no technology");
    }
    std::vector<ColorEntry> out;
    int classes = 0;
    for (const auto& [technology, t] : by_technology) {
        classes = std::max(classes, t.class_count);
    }
    char bound[64];
    for (int i = 0; i < classes; ++i) {
        std::string label = std::string(to_string(static_cast<SignalClass>(i))) + " (";
        bool first = true;
        for (const auto& [technology, t] : by_technology) {
            if (i < t.class_count) {
                std::snprintf(bound, sizeof bound, "%s%s >= %.0f", first ? "" : ", ", signal_measure_name(technology),
                              t.lower_bound_dbm[static_cast<std::size_t>(i)]);
                label += bound;
                first = false;
            }
        }
        out.push_back(class_entry(i, label + " dBm)"));
    }
    std::string label = "no service (";
    for (std::size_t k = 0; k < by_technology.size(); ++k) {
        const SignalThresholds& t = by_technology[k].second;
        std::snprintf(bound, sizeof bound, "%s%s < %.0f", k == 0 ? "" : ", ", signal_measure_name(by_technology[k].first),
                      t.lower_bound_dbm[static_cast<std::size_t>(t.class_count - 1)]);
        label += bound;
    }
    out.push_back(class_entry(static_cast<int>(SignalClass::no_service), label + " dBm)"));
    return out;
}

std::vector<ColorEntry> server_palette(const std::vector<std::string>& ids) {
    // ColorBrewer "Set1"/"Dark2"-like qualitative colours, cycled.
    static constexpr std::array<std::array<std::uint8_t, 3>, 10> colours{{{{228, 26, 28}}, {{55, 126, 184}}, {{77, 175, 74}},
        {{152, 78, 163}}, {{255, 127, 0}}, {{166, 86, 40}}, {{247, 129, 191}}, {{27, 158, 119}}, {{117, 112, 179}}, {{102, 166, 30}}}};
    std::vector<ColorEntry> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto& c = colours[i % colours.size()];
        out.push_back(ColorEntry{static_cast<int>(i), c[0], c[1], c[2], 255, ids[i]});
    }
    return out;
}

} // namespace coverage
