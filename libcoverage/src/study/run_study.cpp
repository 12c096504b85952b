// run_study: the main job, from a resolved Study to one output folder.

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/study/output_folder.hpp>
#include <coverage/study/stages.hpp>
#include <coverage/study/study.hpp>
#include <coverage/report/plan_chart.hpp>

#include "io/html_print.hpp"
#include "study/report_stage.hpp"
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
#include <optional>
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
    // A missing browser stops the run before anything is computed, not after.
    const std::string chromium = options.print_pdf && !options.plan_only ? detail::find_chromium() : std::string();
    StagedFolder folder(out_dir, options.plan_only ? RunKind::plan : RunKind::study);
    StudyResult result;
    result.out_dir = out_dir;
    detail::StudyRecord record;
    record.study = &study;
    record.started_utc = detail::utc_now();
    record.threads = options.threads;
    record.run_kind = to_string(options.plan_only ? RunKind::plan : RunKind::study);

    // Terrain and inputs.
    auto t0 = Clock::now();
    report(progress, 0.0, "reading inputs");
    const StudyInputs inputs = read_study_inputs(study);
    const std::vector<Sector>& sectors = inputs.sectors;
    const Dem dem = read_study_terrain(study, inputs, scaled(progress, 0.0, 0.08));
    result.terrain_synthetic = detail::study_terrain_is_synthetic(study);
    result.timings.terrain_s = seconds_since(t0);

    // Coverage.
    t0 = Clock::now();
    const CoverageOptions c = study_coverage_options(study, dem, options.threads);
    if (c.correction && std::none_of(sectors.begin(), sectors.end(), [&](const Sector& s) {
            return c.correction->term_for(s.technology, s.freq_mhz) != nullptr;
        })) {
        throw InvalidArgument("study file '" + study.study_file + "', key 'calibration.file': '" + study.calibration_file +
                              "' calibrates no technology and band of the sites file's sectors (a drive test of another band?)");
    }
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
    result.uncertainty = analysis.uncertainty;
    result.timings.analysis_s = analysis.analysis_s;
    result.timings.planning_s = analysis.planning_s;
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
    for (std::string& name : write_study_tables(folder.path(""), study, analysis, options.plan_only)) {
        result.files.push_back(std::move(name));
    }
    if (!options.plan_only) {
        std::vector<const Raster<float>*> bands;
        std::vector<BandInfo> info;
        for (std::size_t i = 0; i < map.path_loss_db.size(); ++i) {
            bands.push_back(&map.path_loss_db[i]);
            info.push_back(BandInfo{"basic transmission loss, " + map.model_name + " (" + to_string(map.mode) + "), sector " +
                                        sectors[i].sector_id, "dB"});
        }
        write_raster_windows(add("path_loss_db.tif"), dem.raster(), bands, info);
        for (std::string& name : write_study_rasters(folder.path(""), study, by_tech, ids)) {
            result.files.push_back(std::move(name));
        }
    }
    result.grid_cells = static_cast<std::size_t>(dem.raster().width()) * static_cast<std::size_t>(dem.raster().height());
    result.sectors = sectors.size();
    record.coverage_stats = map.stats;
    record.inputs = detail::study_input_files(study, dem, sectors);
    // The maps, the KMZ and the report (the same stage as the province runner's communes), then run.json.
    detail::write_report_stage(detail::ReportStage{.folder = folder.path(""),
                                                   .study = study,
                                                   .sectors = sectors,
                                                   .dem = dem,
                                                   .by_technology = by_tech,
                                                   .fibre = fibre,
                                                   .chromium = chromium,
                                                   .plan_only = options.plan_only,
                                                   .files_after = {"run.json"},
                                                   .before_report =
                                                       [&] {
                                                           result.timings.outputs_s = seconds_since(t0);
                                                           result.timings.total_s = seconds_since(start);
                                                           result.peak_rss_mib = peak_rss_mib();
                                                       },
                                                   .progress = progress},
                               result, record);
    write_file_atomically(folder.path("run.json"), detail::study_run_json(record));
    report(progress, 1.0, "done");
    folder.commit();
    return result;
}

} // namespace coverage
