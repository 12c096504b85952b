#ifndef COVERAGE_PROGRESS_HPP
#define COVERAGE_PROGRESS_HPP

#include <functional>
#include <string_view>

namespace coverage {

/**
 * Progress callback with GDAL `GDALProgressFunc` semantics.
 * @param fraction 0..1 of the work done.
 * @param message  what is being done now (may be empty).
 * @return false to cancel; the library then throws coverage::Cancelled.
 * An empty std::function means no reporting.
 */
using ProgressFn = std::function<bool(double fraction, std::string_view message)>;

/** A ProgressFn that maps 0..1 of a sub-step onto lo..hi of `parent` (GDALCreateScaledProgress). */
[[nodiscard]] ProgressFn scaled(const ProgressFn& parent, double lo, double hi);

/** Report progress; throws coverage::Cancelled when the callback asks to stop. */
void report(const ProgressFn& fn, double fraction, std::string_view message = {});

} // namespace coverage

#endif // COVERAGE_PROGRESS_HPP
