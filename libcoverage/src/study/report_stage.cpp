// Stage 4c: what people read — the maps (PNG, and the print copies), the KMZ, report.html in every language and,
// on request, report.pdf. run_study and the province runner (write_study_report) both write it through here.

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/report/plan_chart.hpp>
#include <coverage/study/stages.hpp>
#include <coverage/study/study.hpp>

#include "core/messages.hpp"
#include "io/file_hash.hpp"
#include "io/html_print.hpp"
#include "io/input_sources.hpp"
#include "radio/technology_files.hpp"
#include "study/report_stage.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <future>
#include <optional>
#include <tuple>

namespace coverage {

namespace detail {

namespace fs = std::filesystem;

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool study_terrain_is_synthetic(const Study& study) {
    bool synthetic = study.terrain_synthetic;
    for (const std::string& f : study.dem_files) {
        synthetic = synthetic || raster_metadata_item(f, "SYNTHETIC", study.terrain_allow_remote) == "YES";
    }
    return synthetic;
}

std::vector<InputFile> study_input_files(const Study& study, const Dem& dem, const std::vector<Sector>& sectors) {
    std::vector<InputFile> inputs;
    auto input = [&](const std::string& role, const std::string& path) {
        std::error_code ec;
        inputs.push_back(InputFile{role, path, fs::file_size(path, ec), sha256_file(path)});
    };
    if (!study.study_file.empty()) {
        input("study file", study.study_file);
    }
    for (const std::string& f : study.dem_files) {
        input("terrain", f);
    }
    for (const std::string& f : dem.files()) { // the sources a VRT names, as resolved when the terrain was read
        if (std::find(study.dem_files.begin(), study.dem_files.end(), f) != study.dem_files.end()) {
            continue;
        }
        if (is_remote_path(f)) {
            inputs.push_back(InputFile{"terrain (VRT source, remote: not hashed)", f, 0, ""});
        } else {
            input("terrain (VRT source)", f);
        }
    }
    input("sites", study.sites_file);
    for (const Sector& s : sectors) {
        if (s.pattern_source != "omni" &&
            std::none_of(inputs.begin(), inputs.end(), [&](const InputFile& f) { return f.path == s.pattern_source; })) {
            input("antenna pattern", s.pattern_source);
        }
    }
    input("hamlets", study.hamlets_file);
    if (!study.household_points_file.empty()) {
        input("household points", study.household_points_file);
    }
    if (!study.calibration_file.empty()) {
        input("calibration", study.calibration_file);
    }
    if (!study.fibre_file.empty()) {
        input("fibre", study.fibre_file);
    }
    for (const auto& [role, path] : {std::pair<const char*, const std::string&>{"candidates", study.planning.candidates_file},
                                     {"roads", study.planning.roads_file},
                                     {"rivers", study.planning.rivers_file},
                                     {"land cover", study.planning.landcover_file}}) {
        if (study.planning.enabled && !path.empty()) {
            input(role, path);
        }
    }
    return inputs;
}

void write_report_stage(const ReportStage& stage, StudyResult& result, StudyRecord& record) {
    const Study& study = stage.study;
    const Dem& dem = stage.dem;
    const std::vector<TechnologyCoverage>& by_tech = stage.by_technology;
    const FibreNetwork& fibre = stage.fibre;
    const bool plan_only = stage.plan_only;
    auto add = [&](const std::string& name) {
        result.files.push_back(name);
        return (fs::path(stage.folder) / name).string();
    };
    const auto rule_cov = std::find_if(by_tech.begin(), by_tech.end(),
                                       [&](const TechnologyCoverage& t) { return t.technology == study.dead_zone.technology; });
    if (result.plan && rule_cov == by_tech.end()) {
        throw InvalidArgument("study '" + study.name + "': no coverage of the dead-zone technology to draw the plan on");
    }
    // Roads and streams the planning read, drawn thin under the maps' other lines so readers can place the hamlets.
    std::vector<MapLine> context_lines;
    for (const auto& [file, what, r, g, b, legend] : {std::tuple{study.planning.roads_file, "roads file", 140, 81, 10, "map.line.road"},
                                                      std::tuple{study.planning.rivers_file, "rivers file", 66, 160, 210, "map.line.stream"}}) {
        if (!file.empty()) {
            for (std::vector<GeoPoint>& points : read_map_lines(file, what)) {
                context_lines.push_back(MapLine{.points = std::move(points), .red = static_cast<std::uint8_t>(r),
                                                .green = static_cast<std::uint8_t>(g), .blue = static_cast<std::uint8_t>(b),
                                                .dashed = false, .width_px = 2, .halo = false, .legend = legend});
            }
        }
    }
    // The pictures of one language: the plan's curve and map, and a coverage map per technology with its caption.
    // With report.print_maps, the study's own language also gets each picture again as PDF or SVG, for print.
    struct Pictures {
        std::string plan_curve_png;
        std::string plan_map_png;
        std::vector<detail::ReportMap> maps;
        std::string plan_curve_print; ///< in the print format, when asked for
        std::string plan_map_print;
        std::vector<std::string> maps_print;
    };
    std::optional<PictureFormat> print_format;
    if (study.print_maps != "none") {
        print_format = picture_format_of("print." + study.print_maps);
    }
    const auto pictures = [&](const std::string& language, std::optional<PictureFormat> print) {
        const detail::Messages& m = detail::Messages::of(language);
        MapWords words = map_words(language);
        words.notice = result.terrain_synthetic ? m.text("map.synthetic_notice") : std::string();
        std::vector<MapLine> lines_under = context_lines;
        for (MapLine& l : lines_under) {
            l.legend = m.text(l.legend);
        }
        Pictures p;
        if (result.plan) {
            p.plan_curve_png = plan_curve_png(*result.plan, language);
            if (print) {
                p.plan_curve_print = plan_curve_picture(*result.plan, language, *print);
            }
            // The plan on the map: roads (brown) and streams (light blue) thin underneath, the existing fibre (black), new
            // fibre (blue), microwave hops (purple, dashed), the chosen steps numbered, over today's signal of the
            // dead-zone technology.
            std::vector<MapLine> lines = lines_under;
            for (const FibreRoute& r : fibre.routes()) {
                lines.push_back(MapLine{.points = r.points, .red = 20, .green = 20, .blue = 20, .legend = m.text("map.line.existing_fibre")});
            }
            std::vector<MapLabel> labels;
            for (const HamletReport& h : result.hamlets) {
                labels.push_back(MapLabel{h.hamlet.location, h.hamlet.name});
            }
            for (const PlanStep& st : result.plan->steps) {
                if (st.backhaul.kind == Backhaul::Kind::fibre && st.backhaul.fibre.path.size() >= 2) {
                    lines.push_back(MapLine{.points = st.backhaul.fibre.path, .red = 33, .green = 102, .blue = 172, .legend = m.text("map.line.new_fibre")});
                }
                if (st.backhaul.kind == Backhaul::Kind::microwave) {
                    lines.push_back(MapLine{.points = {st.location, st.backhaul.microwave_to_location}, .red = 118, .green = 42, .blue = 131,
                                            .dashed = true, .legend = m.text("map.line.microwave")});
                }
                labels.push_back(MapLabel{st.location, plan_label(m, st),
                                          st.action == PlanStep::Action::ftth ? MapLabel::Marker::place : MapLabel::Marker::tower});
            }
            const auto plan_map = [&](PictureFormat format) {
                return map_picture(format, dem, rule_cov->composite.signal_class,
                                   signal_class_legend(rule_cov->thresholds, signal_measure_name(rule_cov->technology), language),
                                   m.format("map.plan.title", {{"budget", m.money_usd(result.plan->budget_usd)},
                                                               {"steps", std::to_string(result.plan->steps.size())},
                                                               {"technology", generation_name(rule_cov->technology)}}),
                                   labels, lines, words);
            };
            p.plan_map_png = plan_map(PictureFormat::png);
            if (print) {
                p.plan_map_print = plan_map(*print);
            }
        }
        if (!plan_only) {
            std::vector<MapLabel> site_labels;
            for (const Sector& s : stage.sectors) {
                if (std::none_of(site_labels.begin(), site_labels.end(), [&](const MapLabel& l) { return l.text == s.site_id; })) {
                    site_labels.push_back(MapLabel{s.location, s.site_id, MapLabel::Marker::tower});
                }
            }
            for (const TechnologyCoverage& t : by_tech) {
                std::vector<MapLabel> labels = site_labels;
                for (const HamletReport& h : result.hamlets) {
                    labels.push_back(MapLabel{h.hamlet.location, h.dead_zone ? m.format("map.dead_zone_label", {{"name", h.hamlet.name}}) : h.hamlet.name});
                }
                const std::string generation = generation_name(t.technology);
                std::string caption = m.format("map.coverage.caption", {{"technology", generation}, {"height_m", m.number(study.rx_height_m, 1)},
                                                                        {"share", m.percent(100.0 * study.dead_zone.min_households_share)},
                                                                        {"rule_technology", generation_name(study.dead_zone.technology)},
                                                                        {"class", m.text(std::string("class_name.") + to_string(study.dead_zone.min_class))}});
                if (!context_lines.empty()) {
                    caption += " " + m.text("map.coverage.caption_lines");
                }
                const auto coverage_map = [&](PictureFormat format) {
                    return map_picture(format, dem, t.composite.signal_class,
                                       signal_class_legend(t.thresholds, signal_measure_name(t.technology), language),
                                       m.format("map.coverage.title", {{"technology", generation}}), labels, lines_under, words);
                };
                p.maps.push_back(detail::ReportMap{m.format("map.coverage.heading", {{"technology", generation}}), caption,
                                                   coverage_map(PictureFormat::png)});
                if (print) {
                    p.maps_print.push_back(coverage_map(*print));
                }
            }
        }
        return p;
    };
    const Pictures own = pictures(study.language, print_format);
    // The other languages' pictures (for their copies of the report) are drawn on a thread of their own while this
    // language's files are written; a future's destructor waits for it, also when an error leaves this function early.
    std::vector<std::string> copy_languages;
    for (const std::string& language : report_languages()) {
        if (language != study.language && !plan_only) {
            copy_languages.push_back(language);
        }
    }
    std::future<std::vector<Pictures>> other_pictures = std::async(std::launch::async, [&] {
        std::vector<Pictures> out;
        for (const std::string& language : copy_languages) {
            out.push_back(pictures(language, std::nullopt));
        }
        return out;
    });
    if (result.plan) {
        write_file_atomically(add("plan_curve.png"), own.plan_curve_png);
        write_file_atomically(add("plan_map.png"), own.plan_map_png);
        if (print_format) {
            write_file_atomically(add(std::string("plan_curve.") + to_string(*print_format)), own.plan_curve_print);
            write_file_atomically(add(std::string("plan_map.") + to_string(*print_format)), own.plan_map_print);
        }
        record.plan_curve_png = own.plan_curve_png;
        record.plan_map_png = own.plan_map_png;
    }
    if (!plan_only) {
        for (std::size_t i = 0; i < by_tech.size(); ++i) {
            const TechnologyCoverage& t = by_tech[i];
            write_file_atomically(add(technology_file("coverage", t.technology, ".png")), own.maps[i].png_bytes);
            if (print_format) {
                write_file_atomically(add(technology_file("coverage", t.technology, std::string(".") + to_string(*print_format))),
                                      own.maps_print[i]);
            }
            write_kmz(add(technology_file("coverage", t.technology, ".kmz")), t.composite.signal_class,
                      signal_class_palette(t.thresholds, signal_measure_name(t.technology)),
                      std::string(generation_name(t.technology)) + " signal class, " + study.name);
            report(stage.progress, 0.88 + 0.05 * static_cast<double>(i + 1) / static_cast<double>(by_tech.size()), "writing maps");
        }
        // the interactive map's pictures (the same in every language)
        record.hillshade = hillshade_picture(dem);
        for (const TechnologyCoverage& t : by_tech) {
            record.signal_layers.push_back(MapLayer{t.technology, t.thresholds,
                                                    category_picture(t.composite.signal_class,
                                                                     signal_class_palette(t.thresholds, signal_measure_name(t.technology)), 170)});
        }
    }
    record.maps = own.maps;

    report(stage.progress, 0.95, "report");
    record.dem = &dem;
    record.sectors = &stage.sectors;
    record.fibre = &fibre;
    record.result = &result;
    record.crs_name = crs_name(dem.crs());
    record.model_description = describe_model(study.model);
    if (!plan_only) {
        record.copies.push_back(ReportCopy{study.language, "report.html"});
        for (const std::string& language : report_languages()) {
            if (language != study.language) {
                record.copies.push_back(ReportCopy{language, "report." + language + ".html"});
            }
        }
        for (const ReportCopy& copy : record.copies) {
            result.files.push_back(copy.file);
        }
        if (!stage.chromium.empty()) {
            result.files.push_back("report.pdf");
        }
    }
    for (const std::string& name : stage.files_after) {
        result.files.push_back(name);
    }
    if (stage.before_report) {
        stage.before_report(); // the run's timings, as the report gives them
    }
    if (!plan_only) {
        const auto in_folder = [&](const std::string& name) { return (fs::path(stage.folder) / name).string(); };
        write_file_atomically(in_folder("report.html"), study_report_html(record, study.language));
        const std::vector<Pictures> theirs_all = other_pictures.get();
        for (std::size_t i = 1; i < record.copies.size(); ++i) {
            StudyRecord copy = record;
            const Pictures& theirs = theirs_all.at(i - 1); // copies and copy_languages list the same languages in order
            copy.maps = theirs.maps;
            copy.plan_curve_png = theirs.plan_curve_png;
            copy.plan_map_png = theirs.plan_map_png;
            write_file_atomically(in_folder(record.copies[i].file), study_report_html(copy, record.copies[i].language));
        }
        if (!stage.chromium.empty()) {
            report(stage.progress, 0.97, "printing report.pdf");
            print_html_to_pdf(stage.chromium, in_folder("report.html"), in_folder("report.pdf"));
        }
    }
}

} // namespace detail

std::vector<std::string> write_study_report(const std::string& folder, const Study& study, const StudyInputs& inputs, const Dem& dem,
                                            const std::vector<TechnologyCoverage>& by_technology, const StudyAnalysis& analysis,
                                            const StudyReportOptions& options) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
        throw IoError("output folder '" + folder + "' does not exist");
    }
    const std::string chromium = options.print_pdf ? detail::find_chromium() : std::string();
    StudyResult result;
    result.out_dir = folder;
    result.rule = analysis.rule;
    result.hamlets = analysis.hamlets;
    result.priorities = analysis.priorities;
    result.plan = analysis.plan;
    result.terrain_synthetic = detail::study_terrain_is_synthetic(study);
    result.grid_cells = static_cast<std::size_t>(dem.raster().width()) * static_cast<std::size_t>(dem.raster().height());
    result.sectors = inputs.sectors.size();
    result.timings = options.timings;
    result.timings.analysis_s = analysis.analysis_s;
    result.timings.planning_s = analysis.planning_s;
    result.files = options.other_files;
    detail::StudyRecord record;
    record.study = &study;
    record.started_utc = options.started_utc.empty() ? detail::utc_now() : options.started_utc;
    record.threads = options.threads;
    record.inputs = detail::study_input_files(study, dem, inputs.sectors);
    const std::size_t before = result.files.size();
    detail::write_report_stage(detail::ReportStage{.folder = folder, .study = study, .sectors = inputs.sectors, .dem = dem,
                                                   .by_technology = by_technology, .fibre = analysis.fibre, .chromium = chromium,
                                                   .plan_only = false, .files_after = {}, .before_report = {}, .progress = {}},
                               result, record);
    return {result.files.begin() + static_cast<std::ptrdiff_t>(before), result.files.end()};
}

} // namespace coverage
