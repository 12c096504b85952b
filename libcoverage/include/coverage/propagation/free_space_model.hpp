#ifndef COVERAGE_FREE_SPACE_MODEL_HPP
#define COVERAGE_FREE_SPACE_MODEL_HPP

#include <coverage/propagation/propagation_model.hpp>

namespace coverage {

/**
 * Free-space loss (ITU-R P.525-4 eq. 4) over the straight-line (slant) distance between the two
 * antennas; terrain is ignored except for the antenna altitudes.
 * Valid for any frequency > 0; distances must be > 0.
 */
class FreeSpaceModel final : public PropagationModel {
public:
    [[nodiscard]] PathLoss path_loss(const TerrainProfile& profile, const LinkParams& link) const override;
    [[nodiscard]] std::string name() const override { return "free-space"; }
};

} // namespace coverage

#endif // COVERAGE_FREE_SPACE_MODEL_HPP
