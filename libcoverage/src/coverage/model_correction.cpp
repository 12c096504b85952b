#include <coverage/coverage/model_correction.hpp>
#include <coverage/core/error.hpp>

#include <algorithm>
#include <cmath>

namespace coverage {

double CorrectionTerm::correction_db(double distance_m, int code) const {
    double c = offset_db + slope_db_per_decade * std::log10(std::max(distance_m, 10.0) / 1000.0);
    if (!class_offset_db.empty() && code >= 0) {
        const auto it = class_offset_db.find(code);
        if (it != class_offset_db.end()) {
            c += it->second;
        }
    }
    return c;
}

const CorrectionTerm* ModelCorrection::term_for(Technology technology, double freq_mhz) const noexcept {
    for (const CorrectionTerm& t : terms) {
        if (t.technology == technology && std::abs(t.freq_mhz - freq_mhz) <= 0.5) {
            return &t;
        }
    }
    return nullptr;
}

bool ModelCorrection::uses_classes() const noexcept {
    return std::any_of(terms.begin(), terms.end(), [](const CorrectionTerm& t) { return !t.class_offset_db.empty(); });
}

int ModelCorrection::code_at(int col, int row) const noexcept {
    if (!classes || !classes->class_index.contains(col, row)) {
        return -1;
    }
    return classes->at(col, row).code;
}

void ModelCorrection::validate() const {
    if (uses_classes() && !classes) {
        throw InvalidArgument("calibration '" + source +
                              "': it has offsets per land-cover class, but no land cover is given (terrain.land_cover)");
    }
    for (const CorrectionTerm& t : terms) {
        for (const auto& [code, offset] : t.class_offset_db) {
            const auto& cl = classes->table.classes;
            if (std::none_of(cl.begin(), cl.end(), [code = code](const LandCoverClass& c) { return c.code == code; })) {
                throw InvalidArgument("calibration '" + source + "': land-cover class " + std::to_string(code) +
                                      " has an offset but is not in the land-cover table (" + classes->source + ")");
            }
            if (!std::isfinite(offset)) {
                throw InvalidArgument("calibration '" + source + "': the offset of class " + std::to_string(code) + " is not finite");
            }
        }
        if (!std::isfinite(t.offset_db) || !std::isfinite(t.slope_db_per_decade)) {
            throw InvalidArgument("calibration '" + source + "': a correction term is not finite");
        }
    }
}

} // namespace coverage
