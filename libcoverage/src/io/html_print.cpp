// Printing a page to PDF with headless Chromium: posix_spawn in a process group of its own (Chromium starts helper
// processes), its output to a log file read back for errors, a deadline after which the whole group is killed.

#include <coverage/core/error.hpp>

#include "io/html_print.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace coverage::detail {

namespace fs = std::filesystem;

namespace {

bool runnable(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// The last non-empty line of a log, shortened, for an error message.
std::string last_line(const fs::path& log) {
    std::ifstream in(log);
    std::string line;
    std::string last;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
            last = line;
        }
    }
    if (last.size() > 300) {
        last = last.substr(0, 300) + "...";
    }
    return last.empty() ? "no output" : "last output: " + last;
}

// A folder of our own under the temporary folder, removed when this goes out of scope.
struct TempFolder {
    fs::path path;
    TempFolder() {
        std::string pattern = (fs::temp_directory_path() / "libcoverage-print-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw IoError("cannot make a temporary folder for Chromium's profile under " + fs::temp_directory_path().string());
        }
        path = pattern;
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
};

} // namespace

std::string find_chromium() {
    if (const char* given = std::getenv("LIBCOVERAGE_CHROMIUM"); given != nullptr && *given != '\0') {
        if (!runnable(given)) {
            throw IoError(std::string("Chromium '") + given + "' (LIBCOVERAGE_CHROMIUM) is missing or cannot run; printing the report to "
                          "PDF needs it (install the Debian package " + chromium_package + ")");
        }
        return given;
    }
    const char* path = std::getenv("PATH");
    const std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
        std::stringstream in(dirs);
        std::string dir;
        while (std::getline(in, dir, ':')) {
            if (!dir.empty() && runnable(fs::path(dir) / name)) {
                return (fs::path(dir) / name).string();
            }
        }
    }
    throw IoError(std::string("Chromium was not found on PATH (chromium, chromium-browser, google-chrome); printing the report to PDF "
                              "needs it (install the Debian package ") + chromium_package + ")");
}

void print_html_to_pdf(const std::string& chromium, const std::string& html_path, const std::string& pdf_path, double timeout_s) {
    const std::string what = "printing '" + html_path + "' to PDF with Chromium '" + chromium + "'";
    std::error_code ec;
    const fs::path page = fs::absolute(html_path, ec);
    if (ec || !fs::is_regular_file(page, ec)) {
        throw IoError(what + ": the page does not exist");
    }
    const TempFolder profile;
    const fs::path log = profile.path / "chromium.log";
    const fs::path out = fs::absolute(pdf_path, ec);
    fs::remove(out, ec);
    std::vector<std::string> args = {chromium,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--disable-dev-shm-usage",
                                     "--no-first-run",
                                     "--no-default-browser-check",
                                     "--disable-background-networking",
                                     "--disable-component-update",
                                     "--disable-sync",
                                     "--disable-extensions",
                                     "--no-pdf-header-footer",
                                     "--user-data-dir=" + (profile.path / "profile").string(),
                                     "--print-to-pdf=" + out.string(),
                                     "file://" + page.string()};
    std::vector<char*> argv;
    for (std::string& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0); // a group of its own: a timeout kills Chromium's helpers too
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, chromium.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (spawned != 0) {
        throw IoError(what + ": cannot start it (" + std::strerror(spawned) + "; install the Debian package " + chromium_package + ")");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    int status = 0;
    bool timed_out = false;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(-pid, SIGKILL); // helpers that outlived the browser process, if any
    const auto fail = [&](const std::string& why) {
        fs::remove(out, ec);
        throw IoError(what + ": " + why + " (" + last_line(log) + ")");
    };
    if (timed_out) {
        fail("no PDF after " + std::to_string(static_cast<int>(timeout_s)) + " s; stopped it");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fail(WIFEXITED(status) ? "it exited with status " + std::to_string(WEXITSTATUS(status))
                               : "it was killed by signal " + std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0));
    }
    std::ifstream pdf(out, std::ios::binary);
    char head[5] = {};
    if (!pdf.read(head, 5) || std::string(head, 5) != "%PDF-") {
        fail("it wrote no PDF to '" + out.string() + "'");
    }
}

} // namespace coverage::detail
