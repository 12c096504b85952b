// Private: ITU-R P.1812 over arrays the caller keeps (no copy, no allocation, no checks), evaluated incrementally along
// a radial (the map engine's fast mode).
#ifndef COVERAGE_SRC_PROPAGATION_P1812_VIEW_HPP
#define COVERAGE_SRC_PROPAGATION_P1812_VIEW_HPP

#include <coverage/propagation/p1812_model.hpp>

#include <cstddef>
#include <vector>

namespace coverage::detail {

/** A P.1812 path as arrays of n >= 3 points, transmitter first, distances strictly increasing from 0. */
struct P1812View {
    std::size_t n = 0;
    const double* d_km = nullptr;
    const double* h_m = nullptr;                 ///< ground
    const double* g_m = nullptr;                 ///< ground plus representative clutter height between the terminals; nullptr: h_m
    double rx_clutter_m = 0.0;                   ///< the receiver's representative clutter height (σL, eq. (66))
    const RadioClimaticZone* zone = nullptr;     ///< nullptr: inland all along
};

/** What the sweep needs of one prediction: Lb and the geometry its interpolation test compares. */
struct P1812ViewResult {
    double lb_db = 0.0;
    bool trans_horizon = false;
    double dlt_km = 0.0; ///< transmitter horizon distance
    double dlr_km = 0.0; ///< receiver horizon distance
};

/**
 * P.1812 along one radial of equally spaced samples, the receiver at sample k = 2, 3, ... in increasing order (as many
 * evaluators as interleaved sequences): the same prediction as p1812_basic_loss_db over the first k + 1 points (to
 * rounding, and but for the choice among equal horizon points), at a fraction of its cost (see p1812_model.cpp).
 * At time percentages other than 50 the diffraction loss for β0 is still a pass over the points.
 */
class RadialP1812 {
public:
    RadialP1812(const LinkParams& link, double path_centre_lat_deg, const P1812Settings& settings);
    /** A radial of n points: distances d_km[i] = i·step_km, ground h_m, ground plus clutter g_m (nullptr: h_m), the
     *  representative clutter height at each point as a receiver's (nullptr: 0). The arrays must outlive the evaluations. */
    void start(std::size_t n, double step_km, const double* d_km, const double* h_m, const double* g_m, const double* rx_clutter_m);
    /** Lb with the receiver at sample k (2 <= k < n, larger than at the previous call since start). */
    [[nodiscard]] P1812ViewResult evaluate(std::size_t k);

private:
    struct Hull { // the upper convex hull of points added in increasing x
        std::vector<double> x, y;
        std::vector<std::size_t> index;
        void clear();
        void add(double px, double py, std::size_t i);
        [[nodiscard]] std::size_t highest_along(double m) const;              ///< the vertex of the highest y + m·x
        [[nodiscard]] std::size_t steepest_from(double px, double py) const;  ///< of the highest (y − py)/(px − x), px beyond all x
    };
    [[nodiscard]] double smooth_bullington_db(std::size_t n, double hte, double hre, double lambda) const;

    LinkParams m_link;
    double m_lat_deg;
    P1812Settings m_settings;
    double m_ae_km = 0.0;
    std::size_t m_n = 0;
    double m_step_km = 0.0;
    const double* m_d = nullptr;
    const double* m_h = nullptr;
    const double* m_g = nullptr;
    const double* m_rx_clutter = nullptr;
    double m_hts = 0.0;
    std::size_t m_added = 0;
    std::size_t m_summed = 0;
    double m_v1 = 0.0, m_v2 = 0.0;
    double m_tx_arg = 0.0;
    std::size_t m_tx_at = 1;
    double m_obt = 0.0;
    double m_tim = 0.0;
    Hull m_ground;          ///< (d_i, h_i)
    Hull m_curved;          ///< (d_i, h_i − 500·d_i²/ae)
    Hull m_clutter_curved;  ///< (d_i, g_i − 500·d_i²/ae)
};

} // namespace coverage::detail

#endif // COVERAGE_SRC_PROPAGATION_P1812_VIEW_HPP
