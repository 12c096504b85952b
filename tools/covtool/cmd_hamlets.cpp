// covtool hamlets: coverage per hamlet (3G and 4G), households served, dead zones.

#include "commands.hpp"
#include "coverage_options.hpp"
#include "terminal.hpp"

#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/core/error.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/radio/sector.hpp>
#include <coverage/core/catalogue.hpp>
#include <coverage/study/stages.hpp>
#include <coverage/study/study.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace covtool {

namespace {

struct HamletOptions : CoverageCliOptions {
    std::string hamlets;
    std::string household_points; ///< --household-points: where the households live ("" spread evenly)
    std::string dead_zone_class = "fair";
    double dead_zone_share = 0.5;
    std::string language = "en"; ///< --lang: the summary's words
};

int run_hamlets(const HamletOptions& o) {
    using namespace coverage;
    namespace fs = std::filesystem;
    if (!(o.dead_zone_share > 0.0 && o.dead_zone_share <= 1.0)) {
        throw InvalidArgument("--dead-zone-share must be in (0, 1] (got " + fmt("%g", o.dead_zone_share) + ")");
    }
    const Study study = coverage_study(o);
    make_output_folder(o.out);
    StudyInputs inputs{.sectors = read_sites(o.sites), .hamlets = read_hamlets(o.hamlets), .fibre_routes = {}, .household_points = std::nullopt};
    if (!o.household_points.empty()) {
        inputs.household_points = read_household_points(o.household_points, inputs.hamlets);
    }
    const std::vector<Sector>& sectors = inputs.sectors;
    const std::vector<Hamlet>& hamlets = inputs.hamlets;
    ProgressBar bar("hamlets");
    const ProgressFn progress = bar.callback();
    // The study's grid rule: every hamlet lies on the grid, whatever the radius (beyond it a hamlet has no service,
    // it is not "off the grid").
    const Dem dem = read_study_terrain(study, inputs, scaled(progress, 0.0, 0.1));
    const CoverageOptions c = coverage_options(o, study, dem);
    const CoverageMap map = CoverageEngine(dem, sectors, c).compute(scaled(progress, 0.1, 0.95));

    const std::vector<TechnologyCoverage> by_technology = coverage_by_technology(map, dem, c);
    const std::vector<TechnologyLayer> layers = technology_layers(by_technology, map);
    const DeadZoneRule rule{Technology::lte, coverage::signal_class_from(o.dead_zone_class), o.dead_zone_share};
    const auto reports = analyse_hamlets(dem, hamlets, layers, rule);
    write_hamlets_csv((fs::path(o.out) / "hamlets.csv").string(), reports, rule);
    write_hamlets_geojson((fs::path(o.out) / "hamlets.geojson").string(), reports, rule);
    bar.finish();

    // The summary in the reader's words (--lang), as covtool study gives its hamlets.
    const std::map<std::string, std::string> words = message_catalogue(o.language);
    const auto word = [&](const std::string& key, const std::vector<std::pair<std::string, std::string>>& values) {
        std::string text = words.at(key);
        for (const auto& [name, value] : values) {
            const std::string tag = "{" + name + "}";
            for (std::size_t at = text.find(tag); at != std::string::npos; at = text.find(tag, at + value.size())) {
                text.replace(at, tag.size(), value);
            }
        }
        return text;
    };
    std::printf("%s\n", for_terminal(word("cli.hamlets.title", {{"hamlets", std::to_string(hamlets.size())},
                                                                 {"sectors", std::to_string(sectors.size())},
                                                                 {"model", map.model_name},
                                                                 {"mode", words.at(map.mode == CoverageMode::fast ? "map.mode.fast" : "map.mode.exact")},
                                                                 {"share", fmt("%.0f", 100.0 * o.dead_zone_share)},
                                                                 {"class", words.at("class_name." + o.dead_zone_class)}}))
                             .c_str());
    std::printf("%s", format_table(hamlet_summary(reports, o.language).rows).c_str());
    std::printf("  %s\n", for_terminal(word("cli.hamlets.wrote", {{"files", (fs::path(o.out) / "hamlets.csv").string() + ", " +
                                                                                 (fs::path(o.out) / "hamlets.geojson").string()}}))
                               .c_str());
    return 0;
}

} // namespace

void register_hamlets(CLI::App& app, Action& action) {
    auto o = std::make_shared<HamletOptions>();
    CLI::App* cmd = app.add_subcommand("hamlets", "Signal per hamlet (3G, 4G), households served and dead zones");
    add_coverage_options(*cmd, *o, /*allow_los=*/false);
    cmd->add_option("--hamlets", o->hamlets, "hamlets: points with name, households, population, settlement_radius_m")->required();
    cmd->add_option("--household-points", o->household_points,
                    "where households live: points or footprints (optional households; hamlet_id or hamlet, else by outline or radius)");
    cmd->add_option("--dead-zone-class", o->dead_zone_class, "the 4G class a household needs to count as served")
        ->check(CLI::IsMember({"excellent", "good", "fair", "poor", "edge"}))
        ->capture_default_str();
    cmd->add_option("--dead-zone-share", o->dead_zone_share, "a hamlet is a dead zone below this share of households served (0-1]")
        ->capture_default_str();
    cmd->add_option("--lang", o->language, "language of the summary printed")->capture_default_str()->check(CLI::IsMember(coverage::message_languages()));
    cmd->callback([o, &action] { action = [o] { return run_hamlets(*o); }; });
}

} // namespace covtool
