// http_download: one GET through libcurl's easy interface. Redirects are followed by hand (so that each hop's origin
// can be checked), the body is counted against a cap as it arrives, and a transfer that sends nothing for
// stall_timeout_s is abandoned (CURLOPT_LOW_SPEED_*). The progress callback is polled from libcurl's transfer
// callback, so Ctrl-C stops a download whose server has gone silent.

#include "io/http_download.hpp"

#include <coverage/core/error.hpp>
#include <coverage/core/version.hpp>

#include "core/text.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>

namespace coverage::detail {

namespace {

void curl_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlCloser {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct UrlCloser {
    void operator()(CURLU* h) const noexcept { curl_url_cleanup(h); }
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// scheme://host:port of a URL, lower case, the port made explicit; empty when the URL cannot be parsed.
std::string origin_of(const std::string& url) {
    const std::unique_ptr<CURLU, UrlCloser> u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        return {};
    }
    std::string parts[3];
    const CURLUPart which[3] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT};
    for (int i = 0; i < 3; ++i) {
        char* v = nullptr;
        if (curl_url_get(u.get(), which[i], &v, CURLU_DEFAULT_PORT) != CURLUE_OK || v == nullptr) {
            return {};
        }
        parts[i] = lower(v);
        curl_free(v);
    }
    return parts[0] + "://" + parts[1] + ":" + parts[2];
}

struct Transfer {
    CURL* handle = nullptr;
    std::FILE* out = nullptr;
    std::uint64_t max_bytes = 0;
    std::uint64_t written = 0;
    std::uint64_t discarded = 0;  // body bytes of a non-200 answer (kept: the first few, for the message)
    std::string error_body;
    bool chunked = false;
    bool too_large = false;
    bool write_failed = false;
    int write_errno = 0;
    const ProgressFn* progress = nullptr;
    std::string progress_message;
    std::chrono::steady_clock::time_point last_poll{};
    std::exception_ptr callback_error;
};

long response_code(CURL* h) {
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

extern "C" std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const std::string line = lower(std::string(data, size * n));
    if (line.rfind("http/", 0) == 0) {
        t.chunked = false; // a new response (after 100 Continue): its own headers follow
    } else if (line.rfind("transfer-encoding:", 0) == 0 && line.find("chunked") != std::string::npos) {
        t.chunked = true;
    }
    return size * n;
}

extern "C" std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const std::size_t len = size * n;
    if (response_code(t.handle) != 200) {
        // A redirect's or an error's body: keep the start for the message, refuse an endless one.
        if (t.error_body.size() < 200) {
            t.error_body.append(data, std::min<std::size_t>(len, 200 - t.error_body.size()));
        }
        t.discarded += len;
        return t.discarded > (1U << 20) ? 0 : len;
    }
    if (t.max_bytes != 0 && t.written + len > t.max_bytes) {
        t.too_large = true;
        return 0;
    }
    if (std::fwrite(data, 1, len, t.out) != len) {
        t.write_failed = true;
        t.write_errno = errno;
        return 0;
    }
    t.written += len;
    return len;
}

extern "C" int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t /*ultotal*/, curl_off_t /*ulnow*/) {
    auto& t = *static_cast<Transfer*>(user);
    if (t.max_bytes != 0 && total > 0 && static_cast<std::uint64_t>(total) > t.max_bytes && response_code(t.handle) == 200) {
        t.too_large = true; // declared too long: stop before reading it
        return 1;
    }
    if (t.progress == nullptr || !*t.progress) {
        return 0;
    }
    const auto clock = std::chrono::steady_clock::now();
    if (clock - t.last_poll < std::chrono::milliseconds(100)) {
        return 0;
    }
    t.last_poll = clock;
    try {
        const double fraction = total > 0 ? std::min(1.0, static_cast<double>(now) / static_cast<double>(total)) : 0.0;
        if (!(*t.progress)(fraction, t.progress_message)) {
            t.callback_error = std::make_exception_ptr(Cancelled());
            return 1;
        }
    } catch (...) {
        t.callback_error = std::current_exception();
        return 1;
    }
    return 0;
}

std::string mib(std::uint64_t bytes) { return format("%.0f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0)); }

std::string printable(const std::string& s) {
    std::string r;
    for (const char c : s) {
        r += (c >= 0x20 && c < 0x7f) ? c : ' ';
    }
    return r;
}

} // namespace

std::uint64_t http_download(const std::string& url, const std::string& path, const HttpDownloadOptions& o) {
    curl_init_once();
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!out) {
        throw IoError("cannot write '" + path + "': " + detail::system_error_text(errno));
    }
    std::string current = url;
    constexpr int max_hops = 5;
    for (int hop = 0;; ++hop) {
        const std::unique_ptr<CURL, CurlCloser> h(curl_easy_init());
        if (!h) {
            throw IoError(o.what + ": cannot start an HTTP transfer (libcurl)");
        }
        Transfer t;
        t.handle = h.get();
        t.out = out.get();
        t.max_bytes = o.max_bytes;
        t.progress = &o.progress;
        t.progress_message = "downloading " + o.what;
        char errbuf[CURL_ERROR_SIZE] = {0};
        const long stall_s = std::max(1L, static_cast<long>(std::ceil(o.stall_timeout_s)));
        const std::string agent = std::string("libcoverage/") + version;
        curl_easy_setopt(h.get(), CURLOPT_URL, current.c_str());
        curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_s * 1000.0));
        curl_easy_setopt(h.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h.get(), CURLOPT_LOW_SPEED_TIME, stall_s);
        curl_easy_setopt(h.get(), CURLOPT_USERAGENT, agent.c_str());
        curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h.get(), CURLOPT_HEADERFUNCTION, &on_header);
        curl_easy_setopt(h.get(), CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, &on_body);
        curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(h.get(), CURLOPT_XFERINFOFUNCTION, &on_progress);
        curl_easy_setopt(h.get(), CURLOPT_XFERINFODATA, &t);
        curl_easy_setopt(h.get(), CURLOPT_NOPROGRESS, 0L);
        const CURLcode rc = curl_easy_perform(h.get());
        if (t.callback_error) {
            std::rethrow_exception(t.callback_error);
        }
        if (t.too_large) {
            throw IoError(o.what + " is larger than the limit of " + mib(o.max_bytes) + " per tile; not stored");
        }
        if (t.write_failed) {
            throw IoError("cannot write '" + path + "': " + detail::system_error_text(t.write_errno));
        }
        const long status = response_code(h.get());
        if (rc != CURLE_OK) {
            const std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
            switch (rc) {
            case CURLE_OPERATION_TIMEDOUT:
                throw IoError(o.what + ": the server sent nothing for " + format("%g", o.stall_timeout_s) +
                              " s; download abandoned (" + detail + ")");
            case CURLE_PARTIAL_FILE:
                throw IoError(o.what + ": the download was cut short after " + std::to_string(t.written) +
                              " bytes (" + detail + "); not stored");
            case CURLE_COULDNT_RESOLVE_HOST:
            case CURLE_COULDNT_CONNECT:
                throw IoError(o.what + " cannot be reached: " + detail);
            case CURLE_UNSUPPORTED_PROTOCOL:
                throw IoError(o.what + ": only http:// and https:// addresses are fetched (" + detail + ")");
            default:
                throw IoError(o.what + ": the download failed after " + std::to_string(t.written) + " bytes: " + detail +
                              "; not stored");
            }
        }
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            char* location = nullptr;
            curl_easy_getinfo(h.get(), CURLINFO_REDIRECT_URL, &location);
            if (location == nullptr) {
                throw IoError(o.what + ": the server answered HTTP " + std::to_string(status) + " without a Location");
            }
            const std::string next = location;
            if (hop + 1 >= max_hops) {
                throw IoError(o.what + ": more than " + std::to_string(max_hops) + " redirects; last to " + next);
            }
            const std::string from = origin_of(current);
            const std::string to = origin_of(next);
            if (!o.allow_redirects && (from.empty() || from != to)) {
                throw IoError(o.what + ": the server redirects to " + next + ", another origin than " + from +
                              "; not followed (allow redirects to follow it)");
            }
            current = next;
            continue;
        }
        if (status == 404 || status == 410) {
            throw IoError(o.what + " is missing on the server (HTTP " + std::to_string(status) + ")");
        }
        if (status != 200) {
            throw IoError(o.what + ": the server answered HTTP " + std::to_string(status) +
                          (t.error_body.empty() ? std::string() : " (\"" + printable(t.error_body) + "\")"));
        }
        curl_off_t declared = -1;
        curl_easy_getinfo(h.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared);
        if (declared < 0 && !t.chunked) {
            throw IoError(o.what + ": the server declared no length (neither Content-Length nor chunked), so a "
                                   "cut-short download could not be told from a whole one; not stored");
        }
        if (declared >= 0 && static_cast<std::uint64_t>(declared) != t.written) {
            throw IoError(o.what + ": the download was cut short: " + std::to_string(t.written) + " of " +
                          std::to_string(declared) + " bytes; not stored");
        }
        if (std::fflush(out.get()) != 0) {
            throw IoError("cannot write '" + path + "': " + detail::system_error_text(errno));
        }
        return t.written;
    }
}

} // namespace coverage::detail
