// Private: one HTTP(S) GET into a file, with the rules a cache of downloaded data needs (libcurl).
#ifndef COVERAGE_SRC_IO_HTTP_DOWNLOAD_HPP
#define COVERAGE_SRC_IO_HTTP_DOWNLOAD_HPP

#include <coverage/core/progress.hpp>

#include <cstdint>
#include <string>

namespace coverage::detail {

struct HttpDownloadOptions {
    std::string what;               ///< how errors name the download, e.g. "DEM tile N21E106 (https://...)"
    bool allow_redirects = false;   ///< false: follow redirects only to the same scheme, host and port
    double connect_timeout_s = 30;  ///< to open the connection
    double stall_timeout_s = 30;    ///< the longest the server may send nothing before the download is abandoned
    std::uint64_t max_bytes = 0;    ///< refuse a body longer than this (0: no limit)
    ProgressFn progress;            ///< polled about ten times a second; returning false cancels
};

/**
 * GET `url` into `path` (created or truncated). Only a complete answer succeeds: status 200, a body whose length
 * the server declared (Content-Length or chunked encoding) and which arrived in full, within `max_bytes`.
 * Only http and https; at most 5 redirects, each to the same origin unless `allow_redirects`.
 * @return the number of bytes written.
 * @throws IoError naming `what` and the reason (status, cut short, stalled, too large, refused redirect);
 *         Cancelled when `progress` asks to stop. On any throw `path` may hold a partial body: the caller removes it.
 */
std::uint64_t http_download(const std::string& url, const std::string& path, const HttpDownloadOptions& options);

} // namespace coverage::detail

#endif
