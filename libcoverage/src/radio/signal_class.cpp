#include <coverage/core/error.hpp>
#include <coverage/radio/signal_class.hpp>

#include <cmath>
#include <string>

namespace coverage {

const char* to_string(SignalClass c) noexcept {
    switch (c) {
    case SignalClass::excellent: return "excellent";
    case SignalClass::good: return "good";
    case SignalClass::fair: return "fair";
    case SignalClass::poor: return "poor";
    case SignalClass::edge: return "edge";
    case SignalClass::no_service: break;
    }
    return "no_service";
}

SignalClass signal_class_from(const std::string& name) {
    for (int i = 0; i <= static_cast<int>(SignalClass::no_service); ++i) {
        if (name == to_string(static_cast<SignalClass>(i))) {
            return static_cast<SignalClass>(i);
        }
    }
    throw InvalidArgument("unknown signal class '" + name + "' (excellent, good, fair, poor, edge)");
}

void SignalThresholds::validate() const {
    if (class_count < 1 || class_count > 5) {
        throw InvalidArgument("signal thresholds: class_count must be 1..5 (got " + std::to_string(class_count) + ")");
    }
    for (int i = 0; i < class_count; ++i) {
        const double v = lower_bound_dbm[static_cast<std::size_t>(i)];
        if (!std::isfinite(v)) {
            throw InvalidArgument("signal thresholds: threshold " + std::to_string(i) + " is not finite");
        }
        if (i > 0 && !(v < lower_bound_dbm[static_cast<std::size_t>(i - 1)])) {
            throw InvalidArgument("signal thresholds must decrease strictly from excellent to edge (threshold " +
                                  std::to_string(i) + " = " + std::to_string(v) + " dBm)");
        }
    }
}

SignalClass SignalThresholds::classify(double signal_dbm) const noexcept {
    for (int i = 0; i < class_count; ++i) {
        if (signal_dbm >= lower_bound_dbm[static_cast<std::size_t>(i)]) {
            return static_cast<SignalClass>(i);
        }
    }
    return SignalClass::no_service;
}

} // namespace coverage
