// Private: ITM along one radial from a transmitter, for every receiver position on it, incrementally.
// The "fast" coverage mode (DESIGN.md, performance model): per receiver point the work is O(log n)
// for the horizons (running maximum from the transmitter; tangent to an incrementally built upper
// convex hull from the receiver), O(1) for h_sys and the least-squares fits (prefix sums), and
// O(≤245) for Δh, instead of O(n) passes over a fresh profile.
#ifndef COVERAGE_SRC_ITM_RADIAL_HPP
#define COVERAGE_SRC_ITM_RADIAL_HPP

#include "propagation/itm/itm.hpp"

#include <coverage/propagation/itm_model.hpp>

#include <memory>
#include <span>
#include <vector>

namespace coverage::itm {

struct RadialParams {
    double h_tx_m = 0.0;
    double h_rx_m = 0.0;
    int climate = 5;
    double n_0 = 301.0;
    double f_mhz = 0.0;
    int pol = 1;
    double epsilon = 15.0;
    double sigma = 0.005;
    int mdvar = 12;
    double time = 50.0;
    double location = 50.0;
    double situation = 50.0;
};

/** The radial evaluator's parameters for a model's settings and one link. */
[[nodiscard]] RadialParams radial_params(const ItmParams& p, const LinkParams& link);

/**
 * What every evaluator of one radial shares, computed once per radial: the profile's prefix sums, and for each
 * point the transmitter-side intercept and the receiver-side hull ordinate that the horizon searches read.
 */
class RadialTerrain {
public:
    RadialTerrain(double step_m, const RadialParams& params) : m_step_m(step_m), m_p(params) {}
    /** Takes radial profile z (which must outlive the evaluators' use of it), keeping memory already allocated. */
    void start(std::span<const double> z);

private:
    friend class RadialItm;
    void build_trees();
    template <typename Dominated>
    void build_tree(Dominated&& dominated, std::vector<int>& parent, std::vector<int>& depth);

    std::span<const double> m_z;
    double m_step_m;
    RadialParams m_p;
    double m_a0_m = 0.0;            // the radial's effective earth radius for horizon search
    std::vector<double> m_s0;       // m_s0[i] = Σ_{j<i} z_j
    std::vector<double> m_s1;       // m_s1[i] = Σ_{j<i} j·z_j
    std::vector<double> m_intercept; // A_i = (z_i − z_tx)/x_i
    std::vector<double> m_y;         // z_i − x_i²/2a0, the hull's ordinates
    // The transmitter-side envelope and the receiver-side hull of the points 1..i are stacks built by adding
    // the points in order; each point stays on them until a later one removes it. So each is a tree: point
    // i's parent is the element below it when it was added, its depth its position there, and the stack of
    // points 1..i is the chain from i down to the root. Built once per radial; each evaluator copies the
    // chain it needs (RadialItm::extend_to).
    std::vector<int> m_tx_parent; // -1: none
    std::vector<int> m_tx_depth;
    std::vector<int> m_hull_parent;
    std::vector<int> m_hull_depth;
    std::vector<int> m_stack;     // scratch for building the trees
};

/**
 * Evaluates ITM for the paths z[0..k], k = 1, 2, ... (non-decreasing between calls), over one radial
 * profile z sampled at `step_m`. Differences from a fresh p2p_tls call on z[0..k]: the horizon search
 * uses one effective earth radius per radial (from the whole radial's mean height; the angles are then
 * recomputed with each path's own radius), and sums are taken from prefix sums (rounding only).
 */
class RadialItm {
public:
    /** @param z the radial profile (must outlive its use). Inputs are validated by the caller. */
    RadialItm(std::span<const double> z, double step_m, const RadialParams& params);
    /** An evaluator without a radial yet: start() gives it one (with the same parameters). */
    explicit RadialItm(const RadialParams& params);

    /** Starts over on a radial (same step and parameters), keeping the memory already allocated; several
     *  evaluators can work on one RadialTerrain, which must outlive their use of it. */
    void start(const RadialTerrain& terrain);

    /**
     * ITM for the path from point 0 to point k (1 <= k < z.size()); k must not decrease between calls.
     * @param delta_h_m when given, used instead of computing Δh for this path (sparse Δh, see delta_h()).
     */
    Result evaluate(int k, const double* delta_h_m = nullptr);

    /** Δh of the path 0..k exactly as evaluate() would compute it; k must not decrease between calls. */
    double delta_h(int k);

private:
    void extend_to(int k);
    [[nodiscard]] Setup setup(int k) const;
    [[nodiscard]] double sum(int first, int last) const noexcept;        // Σ z[first..last]
    [[nodiscard]] double sum_index(int first, int last) const noexcept;  // Σ i·z[i], i in first..last
    void fit(int np, double d_start, double d_end, double& fit_tx, double& fit_rx) const;
    [[nodiscard]] Horizons horizons(int k, double a_e_m); // remembers where it found the horizons

    std::unique_ptr<RadialTerrain> m_own; // the terrain, when given a profile rather than a RadialTerrain
    const RadialTerrain* m_t = nullptr;   // the radial: profile, step, prefix sums, search terms
    RadialParams m_p;
    VariabilityContext m_variability;   // path-independent part of the variability
    std::complex<double> m_z_g;         // ground impedance: depends on f, ε, σ, polarization only
    std::uint32_t m_input_warnings = 0; // from validate_inputs: the same for every point
    int m_added = 0;                // the structures hold interior points 1..m_added
    // Transmitter side: θ_i(c) = A_i − x_i·c with c = 1/(2a_e) is a line in c; the horizon is the upper
    // envelope of these lines at the path's own c. Slopes −x_i decrease as points are added.
    std::vector<int> m_tx_lines;    // indices of the lines on the upper envelope
    std::vector<int> m_hull;        // upper hull of (x_i, z_i − x_i²/2a0), indices increasing
    std::size_t m_tx_hint = 0;      // where the last searches found the horizons (positions in the two lists)
    std::size_t m_rx_hint = 0;
};

} // namespace coverage::itm

#endif
