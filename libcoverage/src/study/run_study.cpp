// run_study: the main job, from a resolved Study to one output folder.

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/study/output_folder.hpp>
#include <coverage/study/stages.hpp>
#include <coverage/study/study.hpp>
#include <coverage/report/plan_chart.hpp>

#include "io/file_hash.hpp"
#include "io/input_sources.hpp"
#include "core/messages.hpp"
#include "study/study_report.hpp"
#include "radio/technology_files.hpp"
#include "core/text.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <sstream>
#include <tuple>

namespace coverage {

namespace {

namespace fs = std::filesystem;
using detail::format;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/**
 * The output folder is built as a sibling (`<name>.partial-<pid>-<n>`, unique per call) and swapped in whole at the
 * end, by an atomic exchange where the file system has one (renameat2 RENAME_EXCHANGE), so a reader or a killed run
 * never sees the folder missing or half written. Only a folder a previous run of the same kind wrote is replaced
 * (check_replaceable, at the start and again at the swap). While a run builds, it holds an exclusive lock on
 * `.<name>.lock` beside the folder: a second run for the same folder, in this process or another, fails cleanly
 * instead of mixing its results with the first's; leftovers of killed runs (`<name>.partial-*`, `<name>.old-*`)
 * are removed by the next run that holds the lock.
 */
class StagedFolder {
public:
    StagedFolder(std::string out_dir, RunKind kind) : m_final(std::move(out_dir)), m_kind(kind) {
        std::error_code ec;
        if (m_final.empty()) {
            throw InvalidArgument("study: no output folder given");
        }
        fs::path final_path = fs::path(m_final).lexically_normal();
        if (!final_path.has_filename()) {
            final_path = final_path.parent_path(); // "out/" is the folder "out"
        }
        const std::string name = final_path.filename().string();
        if (name.empty() || name == "." || name == "..") {
            throw InvalidArgument("study: '" + m_final + "' cannot be an output folder (name a folder, e.g. out/study)");
        }
        m_final = final_path.string();
        check_replaceable(m_final, m_kind);
        fs::path parent = final_path.parent_path();
        if (parent.empty()) {
            parent = ".";
        }
        fs::create_directories(parent, ec);
        // One run per folder at a time: an exclusive lock on `.<name>.lock`, taken on the file the name still refers
        // to (a run that finished may have just removed it), removed again when the run ends.
        m_lock_path = (parent / ("." + name + ".lock")).string();
        for (int attempt = 0;; ++attempt) {
            m_lock_fd = ::open(m_lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
            if (m_lock_fd < 0) {
                throw IoError("cannot create the lock file '" + m_lock_path + "' beside the output folder: " + detail::system_error_text(errno));
            }
            if (::flock(m_lock_fd, LOCK_EX | LOCK_NB) != 0) {
                ::close(m_lock_fd);
                m_lock_fd = -1;
                throw IoError("another run is writing the output folder '" + m_final + "' now (lock '" + m_lock_path +
                              "'); wait for it to finish or choose another folder");
            }
            struct stat held {};
            struct stat named {};
            if (::fstat(m_lock_fd, &held) == 0 && ::stat(m_lock_path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
                held.st_dev == named.st_dev) {
                break;
            }
            ::close(m_lock_fd); // the file was removed or replaced meanwhile: lock the current one
            m_lock_fd = -1;
            if (attempt == 10) {
                throw IoError("cannot take the lock file '" + m_lock_path + "': it keeps changing");
            }
        }
        // Leftovers of runs that were killed: nobody else holds the lock, so they are nobody's.
        for (const fs::directory_entry& e : fs::directory_iterator(parent, ec)) {
            const std::string other = e.path().filename().string();
            if (other.rfind(name + ".partial-", 0) == 0 || other.rfind(name + ".old-", 0) == 0) {
                std::error_code ignored;
                fs::remove_all(e.path(), ignored);
            }
        }
        static std::atomic<unsigned> calls{0};
        m_stage = (parent / (name + ".partial-" + std::to_string(getpid()) + "-" + std::to_string(++calls))).string();
        if (!fs::create_directory(m_stage, ec)) {
            release();
            throw IoError("cannot create a folder beside '" + m_final + "' (" + m_stage + "): " + ec.message());
        }
    }
    StagedFolder(const StagedFolder&) = delete;
    StagedFolder& operator=(const StagedFolder&) = delete;
    ~StagedFolder() {
        if (!m_committed) {
            std::error_code ec;
            fs::remove_all(m_stage, ec);
        }
        release();
    }
    [[nodiscard]] std::string path(const std::string& name) const { return (fs::path(m_stage) / name).string(); }

    /** Swap the finished folder in place of the old one. */
    void commit() {
        check_replaceable(m_final, m_kind); // nothing of the user's arrived while the run built
        std::error_code ec;
        const bool had_old = fs::exists(m_final, ec);
        if (had_old && ::renameat2(AT_FDCWD, m_stage.c_str(), AT_FDCWD, m_final.c_str(), RENAME_EXCHANGE) == 0) {
            m_committed = true; // the old folder is now at the staging name
            fs::remove_all(m_stage, ec);
            return;
        }
        // No exchange (a new folder, or a file system without it): two renames, the old folder put back on failure.
        const std::string old = m_final + ".old-" + std::to_string(getpid());
        if (had_old) {
            fs::remove_all(old, ec);
            fs::rename(m_final, old, ec);
            if (ec) {
                throw IoError("cannot move the previous output folder '" + m_final + "' aside: " + ec.message());
            }
        }
        fs::rename(m_stage, m_final, ec);
        if (ec) {
            if (had_old) {
                std::error_code ignored;
                fs::rename(old, m_final, ignored);
            }
            throw IoError("cannot move the new outputs into '" + m_final + "': " + ec.message());
        }
        m_committed = true;
        if (had_old) {
            fs::remove_all(old, ec);
        }
    }

private:
    void release() noexcept {
        if (m_lock_fd >= 0) {
            ::unlink(m_lock_path.c_str()); // while still held: a run waiting on this file notices and takes a new one
            ::close(m_lock_fd);            // releases the lock
            m_lock_fd = -1;
        }
    }

    std::string m_final;
    RunKind m_kind;
    std::string m_stage;
    std::string m_lock_path;
    int m_lock_fd = -1;
    bool m_committed = false;
};

} // namespace

StudyResult run_study(const Study& study, const std::string& out_dir, const StudyRunOptions& options) {
    const auto start = Clock::now();
    const ProgressFn& progress = options.progress;
    StagedFolder folder(out_dir, options.plan_only ? RunKind::plan : RunKind::study);
    StudyResult result;
    result.out_dir = out_dir;
    detail::StudyRecord record;
    record.study = &study;
    record.started_utc = utc_now();
    record.threads = options.threads;
    record.run_kind = to_string(options.plan_only ? RunKind::plan : RunKind::study);

    // Terrain and inputs.
    auto t0 = Clock::now();
    report(progress, 0.0, "reading inputs");
    const StudyInputs inputs = read_study_inputs(study);
    const std::vector<Sector>& sectors = inputs.sectors;
    const Dem dem = read_study_terrain(study, inputs, scaled(progress, 0.0, 0.08));
    result.terrain_synthetic = study.terrain_synthetic;
    for (const std::string& f : study.dem_files) {
        result.terrain_synthetic = result.terrain_synthetic || raster_metadata_item(f, "SYNTHETIC", study.terrain_allow_remote) == "YES";
    }
    result.timings.terrain_s = seconds_since(t0);

    // Coverage.
    t0 = Clock::now();
    CoverageOptions c = study_coverage_options(study, options.threads);
    c.rx_clutter = read_study_clutter(study, dem);
    const CoverageMap map = CoverageEngine(dem, sectors, c).compute(scaled(progress, 0.08, 0.75));
    const std::vector<TechnologyCoverage> by_tech = coverage_by_technology(map, dem, c);
    std::vector<std::string> ids;
    for (const Sector& s : sectors) {
        ids.push_back(s.sector_id);
    }
    result.timings.coverage_s = seconds_since(t0);

    // Analysis and planning.
    report(progress, 0.75, "hamlets and priorities");
    StudyAnalysis analysis = analyse_study(study, inputs, dem, by_tech, ids, c, scaled(progress, 0.75, 0.87));
    const FibreNetwork& fibre = analysis.fibre;
    result.rule = analysis.rule;
    result.hamlets = analysis.hamlets;
    result.priorities = analysis.priorities;
    result.plan = analysis.plan;
    result.timings.analysis_s = analysis.analysis_s;
    result.timings.planning_s = analysis.planning_s;
    const auto rule_cov = std::find_if(by_tech.begin(), by_tech.end(),
                                       [&](const TechnologyCoverage& t) { return t.technology == study.dead_zone.technology; });
    if (study.setting_steps) {
        t0 = Clock::now();
        report(progress, 0.87, "how the answer moves, setting by setting");
        result.setting_steps = study_setting_steps(study, inputs, dem, analysis, options.threads);
        result.timings.analysis_s += seconds_since(t0);
    }

    // Outputs.
    t0 = Clock::now();
    report(progress, 0.88, "writing rasters and maps");
    auto add = [&](const std::string& name) {
        result.files.push_back(name);
        return folder.path(name);
    };
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
    for (std::string& name : write_study_tables(folder.path(""), study, analysis, options.plan_only)) {
        result.files.push_back(std::move(name));
    }
    // The pictures of one language: the plan's curve and map, and a coverage map per technology with its caption.
    struct Pictures {
        std::string plan_curve_png;
        std::string plan_map_png;
        std::vector<detail::ReportMap> maps;
    };
    const auto pictures = [&](const std::string& language) {
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
                if (st.action == PlanStep::Action::tower) {
                    labels.push_back(MapLabel{st.location, m.format("map.plan.tower", {{"step", std::to_string(st.step)}, {"id", st.target_id}}),
                                              MapLabel::Marker::tower});
                } else {
                    labels.push_back(MapLabel{st.location, m.format("map.plan.fibre", {{"step", std::to_string(st.step)}, {"name", st.name}})});
                }
            }
            p.plan_map_png = map_png(dem, rule_cov->composite.signal_class,
                                     signal_class_legend(rule_cov->thresholds, signal_measure_name(rule_cov->technology), language),
                                     m.format("map.plan.title", {{"budget", m.money_usd(result.plan->budget_usd)},
                                                                 {"steps", std::to_string(result.plan->steps.size())},
                                                                 {"technology", generation_name(rule_cov->technology)}}),
                                     labels, lines, words);
        }
        if (!options.plan_only) {
            std::vector<MapLabel> site_labels;
            for (const Sector& s : sectors) {
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
                p.maps.push_back(detail::ReportMap{
                    m.format("map.coverage.heading", {{"technology", generation}}), caption,
                    map_png(dem, t.composite.signal_class, signal_class_legend(t.thresholds, signal_measure_name(t.technology), language),
                            m.format("map.coverage.title", {{"technology", generation}}), labels, lines_under,
                            words)});
            }
        }
        return p;
    };
    const Pictures own = pictures(study.language);
    // The other languages' pictures (for their copies of the report) are drawn on a thread of their own while the
    // rasters are written; a future's destructor waits for it, also when an error leaves this function early.
    std::vector<std::string> copy_languages;
    for (const std::string& language : detail::report_languages()) {
        if (language != study.language && !options.plan_only) {
            copy_languages.push_back(language);
        }
    }
    std::future<std::vector<Pictures>> other_pictures = std::async(std::launch::async, [&] {
        std::vector<Pictures> out;
        for (const std::string& language : copy_languages) {
            out.push_back(pictures(language));
        }
        return out;
    });
    if (result.plan) {
        write_file_atomically(add("plan_curve.png"), own.plan_curve_png);
        write_file_atomically(add("plan_map.png"), own.plan_map_png);
        record.plan_curve_png = own.plan_curve_png;
        record.plan_map_png = own.plan_map_png;
    }
    if (!options.plan_only) {
        {
            std::vector<const Raster<float>*> bands;
            std::vector<BandInfo> info;
            for (std::size_t i = 0; i < map.path_loss_db.size(); ++i) {
                bands.push_back(&map.path_loss_db[i]);
                info.push_back(BandInfo{"basic transmission loss, " + map.model_name + " (" + to_string(map.mode) + "), sector " +
                                            sectors[i].sector_id, "dB"});
            }
            write_raster_windows(add("path_loss_db.tif"), dem.raster(), bands, info);
        }
        for (std::string& name : write_study_rasters(folder.path(""), study, by_tech, ids)) {
            result.files.push_back(std::move(name));
        }
        for (std::size_t i = 0; i < by_tech.size(); ++i) {
            const TechnologyCoverage& t = by_tech[i];
            write_file_atomically(add(detail::technology_file("coverage", t.technology, ".png")), own.maps[i].png_bytes);
            write_kmz(add(detail::technology_file("coverage", t.technology, ".kmz")), t.composite.signal_class,
                      signal_class_palette(t.thresholds, signal_measure_name(t.technology)),
                      std::string(generation_name(t.technology)) + " signal class, " + study.name);
            report(progress, 0.88 + 0.05 * static_cast<double>(i + 1) / static_cast<double>(by_tech.size()), "writing rasters and maps");
        }
    }
    record.maps = own.maps;
    if (!options.plan_only) { // the interactive map's pictures (the same in every language)
        record.hillshade = hillshade_picture(dem);
        for (const TechnologyCoverage& t : by_tech) {
            record.signal_layers.push_back(detail::MapLayer{t.technology, t.thresholds,
                                                            category_picture(t.composite.signal_class,
                                                                             signal_class_palette(t.thresholds, signal_measure_name(t.technology)), 170)});
        }
    }

    report(progress, 0.95, "report");
    record.dem = &dem;
    record.sectors = &sectors;
    record.fibre = &fibre;
    record.result = &result;
    record.crs_name = crs_name(dem.crs());
    record.model_description = describe_model(study.model);
    record.coverage_stats = map.stats;
    auto input = [&](const std::string& role, const std::string& path) {
        std::error_code ec;
        record.inputs.push_back(detail::InputFile{role, path, fs::file_size(path, ec), detail::sha256_file(path)});
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
        if (detail::is_remote_path(f)) {
            record.inputs.push_back(detail::InputFile{"terrain (VRT source, remote: not hashed)", f, 0, ""});
        } else {
            input("terrain (VRT source)", f);
        }
    }
    input("sites", study.sites_file);
    for (const Sector& s : sectors) {
        if (s.pattern_source != "omni" && std::none_of(record.inputs.begin(), record.inputs.end(),
                                                       [&](const detail::InputFile& f) { return f.path == s.pattern_source; })) {
            input("antenna pattern", s.pattern_source);
        }
    }
    input("hamlets", study.hamlets_file);
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
    result.grid_cells = static_cast<std::size_t>(dem.raster().width()) * static_cast<std::size_t>(dem.raster().height());
    result.sectors = sectors.size();
    if (!options.plan_only) {
        record.copies.push_back(detail::ReportCopy{study.language, "report.html"});
        for (const std::string& language : detail::report_languages()) {
            if (language != study.language) {
                record.copies.push_back(detail::ReportCopy{language, "report." + language + ".html"});
            }
        }
        for (const detail::ReportCopy& copy : record.copies) {
            result.files.push_back(copy.file);
        }
    }
    result.files.push_back("run.json");
    result.timings.outputs_s = seconds_since(t0);
    result.timings.total_s = seconds_since(start);
    result.peak_rss_mib = peak_rss_mib();
    if (!options.plan_only) {
        write_file_atomically(folder.path("report.html"), detail::study_report_html(record, study.language));
        const std::vector<Pictures> theirs_all = other_pictures.get();
        for (std::size_t i = 1; i < record.copies.size(); ++i) {
            detail::StudyRecord copy = record;
            const Pictures& theirs = theirs_all.at(i - 1); // copies and copy_languages list the same languages in order
            copy.maps = theirs.maps;
            copy.plan_curve_png = theirs.plan_curve_png;
            copy.plan_map_png = theirs.plan_map_png;
            write_file_atomically(folder.path(record.copies[i].file), detail::study_report_html(copy, record.copies[i].language));
        }
    }
    write_file_atomically(folder.path("run.json"), detail::study_run_json(record));
    report(progress, 1.0, "done");
    folder.commit();
    return result;
}

} // namespace coverage
