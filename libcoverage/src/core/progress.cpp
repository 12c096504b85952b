#include <coverage/core/error.hpp>
#include <coverage/core/progress.hpp>

#include <string>

namespace coverage {

ProgressFn scaled(const ProgressFn& parent, double lo, double hi) {
    if (!parent) {
        return {};
    }
    return [parent, lo, hi](double fraction, std::string_view message) {
        return parent(lo + (hi - lo) * fraction, message);
    };
}

void report(const ProgressFn& fn, double fraction, std::string_view message) {
    if (fn && !fn(fraction, message)) {
        throw Cancelled(message.empty() ? std::string("cancelled") : "cancelled during: " + std::string(message));
    }
}

} // namespace coverage
