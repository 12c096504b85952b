// The rule for replacing an output folder: only a folder a previous libcoverage run of the same kind wrote.

#include <coverage/study/output_folder.hpp>

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/error.hpp>
#include <coverage/core/version.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

namespace coverage {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t max_run_json_bytes = 64U * 1024U * 1024U;

struct PreviousRun {
    std::string kind;
    std::set<std::string> outputs;
};

// The run.json of a folder as ours, or the reason it is not.
PreviousRun read_previous_run(const fs::path& folder) {
    const fs::path run_json = folder / "run.json";
    std::error_code ec;
    const std::string where = "output folder '" + folder.string() + "'";
    if (!fs::is_regular_file(run_json, ec)) {
        throw IoError(where + " is not empty and holds no run.json from an earlier libcoverage run; refusing to replace it "
                              "(choose another folder, or empty it yourself)");
    }
    if (fs::file_size(run_json, ec) > max_run_json_bytes) {
        throw IoError(where + ": its run.json is too large to be one libcoverage wrote; refusing to replace the folder");
    }
    nlohmann::json j;
    try {
        std::ifstream in(run_json);
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        throw IoError(where + ": its run.json is not JSON libcoverage wrote; refusing to replace the folder");
    }
    const bool marked = j.is_object() && j.value("producer", "") == run_json_producer && j.contains("run_json_schema") &&
                        j["run_json_schema"].is_number_integer();
    const bool legacy = j.is_object() && j.contains("libcoverage_version") && j["libcoverage_version"].is_string() && j.contains("outputs");
    if (!marked && !legacy) {
        throw IoError(where + " holds a run.json that libcoverage did not write; refusing to replace it (choose another folder)");
    }
    if (marked && j["run_json_schema"].get<int>() > run_json_schema) {
        throw IoError(where + ": its run.json has schema " + std::to_string(j["run_json_schema"].get<int>()) +
                      ", newer than this libcoverage (" + std::to_string(run_json_schema) + "); refusing to replace it");
    }
    PreviousRun run;
    if (!j.contains("outputs") || !j["outputs"].is_array()) {
        throw IoError(where + ": its run.json lists no outputs; refusing to replace the folder");
    }
    for (const auto& o : j["outputs"]) {
        if (!o.is_string()) {
            throw IoError(where + ": its run.json lists an output that is not a file name; refusing to replace the folder");
        }
        run.outputs.insert(o.get<std::string>());
    }
    run.outputs.insert("run.json");
    if (marked && j.contains("run_kind") && j["run_kind"].is_string()) {
        run.kind = j["run_kind"].get<std::string>();
    } else { // an earlier version's run.json: a study folder has report.html, a plan folder has not
        run.kind = run.outputs.count("report.html") != 0 ? "study" : "plan";
    }
    return run;
}

} // namespace

const char* to_string(RunKind kind) noexcept {
    switch (kind) {
    case RunKind::study: return "study";
    case RunKind::plan: return "plan";
    case RunKind::map: return "map";
    case RunKind::province_commune: return "province_commune";
    case RunKind::calibration: return "calibration";
    }
    return "study";
}

void check_replaceable(const std::string& folder_name, RunKind kind) {
    const fs::path folder(folder_name);
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(folder, ec))) {
        return;
    }
    const std::string where = "output folder '" + folder_name + "'";
    if (fs::is_symlink(fs::symlink_status(folder, ec))) {
        throw IoError(where + " is a symbolic link; refusing to replace it (name the folder itself)");
    }
    if (!fs::is_directory(folder, ec)) {
        throw IoError(where + " exists and is not a folder");
    }
    if (fs::is_empty(folder, ec)) {
        return;
    }
    const PreviousRun run = read_previous_run(folder);
    if (run.kind != to_string(kind)) {
        const bool study_over = run.kind == "study";
        throw IoError(where + " holds the outputs of a " + run.kind + " run; a " + to_string(kind) + " run would replace them" +
                      (study_over ? " (the study's maps, tables and report)" : "") + "; choose another folder");
    }
    for (const fs::directory_entry& e : fs::directory_iterator(folder, ec)) {
        const std::string name = e.path().filename().string();
        const bool aux = name.size() > 8 && name.compare(name.size() - 8, 8, ".aux.xml") == 0 &&
                         run.outputs.count(name.substr(0, name.size() - 8)) != 0;
        if (run.outputs.count(name) == 0 && !aux) {
            throw IoError(where + " holds '" + name + "', which no libcoverage run wrote (its run.json does not list it); "
                          "refusing to replace the folder (move the file, or choose another folder)");
        }
        if (!e.is_regular_file(ec) || e.is_symlink(ec)) {
            throw IoError(where + ": '" + name + "' is not a plain file; refusing to replace the folder");
        }
    }
    if (ec) {
        throw IoError(where + ": cannot list it: " + ec.message());
    }
}

std::vector<std::string> remove_previous_outputs(const std::string& folder, RunKind kind) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec) || !fs::exists(fs::path(folder) / "run.json", ec)) {
        return {}; // nothing of ours to remove (and no run.json of another tool's to overwrite)
    }
    const PreviousRun run = read_previous_run(folder);
    if (run.kind != to_string(kind)) {
        throw IoError("output folder '" + folder + "' holds the outputs of a " + run.kind + " run; a " + to_string(kind) +
                      " run would mix its files with them; choose another folder");
    }
    std::vector<std::string> removed;
    for (const std::string& name : run.outputs) {
        for (const std::string& f : {name, name + ".aux.xml"}) {
            const fs::path p = fs::path(folder) / f;
            if (fs::is_regular_file(fs::symlink_status(p, ec))) {
                if (!fs::remove(p, ec)) {
                    throw IoError("cannot remove '" + p.string() + "' of the previous run: " + ec.message());
                }
                removed.push_back(f);
            }
        }
    }
    return removed;
}

void write_run_manifest(const std::string& folder, RunKind kind, const std::vector<std::string>& outputs, const std::string& extra) {
    nlohmann::ordered_json j;
    j["producer"] = run_json_producer;
    j["run_json_schema"] = run_json_schema;
    j["run_kind"] = to_string(kind);
    j["libcoverage_version"] = version;
    if (!extra.empty()) {
        nlohmann::ordered_json more;
        try {
            more = nlohmann::ordered_json::parse(extra);
        } catch (const nlohmann::json::exception& e) {
            throw InvalidArgument(std::string("write_run_manifest: extra is not JSON: ") + e.what());
        }
        if (!more.is_object()) {
            throw InvalidArgument("write_run_manifest: extra must be a JSON object");
        }
        for (auto it = more.begin(); it != more.end(); ++it) {
            j[it.key()] = it.value();
        }
    }
    std::vector<std::string> names = outputs;
    names.push_back("run.json");
    j["outputs"] = names;
    write_file_atomically((fs::path(folder) / "run.json").string(), j.dump(2) + "\n");
}

} // namespace coverage
