#include "propagation/itm/radial.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace coverage::itm {

RadialParams radial_params(const ItmParams& p, const LinkParams& link) {
    RadialParams r;
    r.h_tx_m = link.tx_height_agl_m;
    r.h_rx_m = link.rx_height_agl_m;
    r.climate = static_cast<int>(p.climate);
    r.n_0 = p.n0_n_units;
    r.f_mhz = link.freq_mhz;
    r.pol = static_cast<int>(link.polarization);
    r.epsilon = p.epsilon;
    r.sigma = p.sigma_s_per_m;
    r.mdvar = p.mdvar;
    r.time = p.time_pct;
    r.location = p.location_pct;
    r.situation = p.situation_pct;
    return r;
}

RadialItm::RadialItm(const RadialParams& params) : m_p(params) {
    (void)validate_inputs(params.h_tx_m, params.h_rx_m, params.climate, params.time, params.location, params.situation,
                          params.n_0, params.f_mhz, params.pol, params.epsilon, params.sigma, params.mdvar, m_input_warnings);
    m_variability = variability_context(params.time, params.location, params.situation, params.f_mhz, params.climate,
                                        params.mdvar);
    m_z_g = initialize_point_to_point(params.f_mhz, 0.0, params.n_0, params.pol, params.epsilon, params.sigma).z_g;
}

RadialItm::RadialItm(std::span<const double> z, double step_m, const RadialParams& params) : RadialItm(params) {
    m_own = std::make_unique<RadialTerrain>(step_m, params);
    m_own->start(z);
    start(*m_own);
}

void RadialTerrain::start(std::span<const double> z) {
    m_z = z;
    const int np = static_cast<int>(z.size()) - 1;
    m_s0.assign(z.size() + 1, 0.0);
    m_s1.assign(z.size() + 1, 0.0);
    for (std::size_t i = 0; i < z.size(); ++i) {
        m_s0[i + 1] = m_s0[i] + z[i];
        m_s1[i + 1] = m_s1[i] + static_cast<double>(i) * z[i];
    }
    const Pfl whole{z, m_step_m};
    const double h_sys = np >= 1 ? mean_system_height(whole) : z[0];
    m_a0_m = 1.0 / effective_curvature(surface_refractivity(h_sys, m_p.n_0));
    // Per point, for the searches of every evaluator: independent of each other, so the loop vectorises.
    m_intercept.resize(z.size());
    m_y.resize(z.size());
    const double z_tx = z[0] + m_p.h_tx_m;
    const double two_a0 = 2 * m_a0_m;
    m_intercept[0] = 0.0;
    m_y[0] = z[0];
    for (std::size_t i = 1; i < z.size(); ++i) {
        const double x = static_cast<double>(i) * m_step_m;
        m_intercept[i] = (z[i] - z_tx) / x;
        m_y[i] = z[i] - x * x / two_a0;
    }
    build_trees();
}

// Adds the interior points 1, 2, ... in order to a stack, first removing from its top each element that
// `dominated(below, top, i)` says point i makes useless, and records each point's parent and depth.
template <typename Dominated>
void RadialTerrain::build_tree(Dominated&& dominated, std::vector<int>& parent, std::vector<int>& depth) {
    parent.assign(m_z.size(), -1);
    depth.assign(m_z.size(), 0);
    m_stack.clear();
    for (int i = 1; i < static_cast<int>(m_z.size()); ++i) {
        while (m_stack.size() >= 2 && dominated(m_stack[m_stack.size() - 2], m_stack.back(), i)) {
            m_stack.pop_back();
        }
        parent[static_cast<std::size_t>(i)] = m_stack.empty() ? -1 : m_stack.back();
        depth[static_cast<std::size_t>(i)] = static_cast<int>(m_stack.size());
        m_stack.push_back(i);
    }
}

void RadialTerrain::build_trees() {
    auto intercept = [&](int j) { return m_intercept[static_cast<std::size_t>(j)]; };
    auto slope_of = [&](int j) { return -(j * m_step_m); };
    auto y = [&](int j) { return m_y[static_cast<std::size_t>(j)]; };
    // Envelope of lines θ = A − x·c, A = (z − z_tx)/x: the slopes −x_i are distinct and decreasing, so the newest
    // line always wins for large c and is always added; l2 is useless when the intersection of l1 and i is left
    // of that of l1 and l2.
    build_tree(
        [&](int l1, int l2, int i) {
            return (intercept(i) - intercept(l1)) * (slope_of(l1) - slope_of(l2)) >=
                   (intercept(l2) - intercept(l1)) * (slope_of(l1) - slope_of(i));
        },
        m_tx_parent, m_tx_depth);
    // Upper hull, points in increasing x (Andrew's monotone chain): b goes when it lies on or below the segment a→i.
    build_tree([&](int a, int b, int i) { return (b - a) * (y(i) - y(a)) - (i - a) * (y(b) - y(a)) >= 0.0; }, m_hull_parent,
               m_hull_depth);
}

void RadialItm::start(const RadialTerrain& terrain) {
    m_t = &terrain;
    m_tx_lines.clear();
    m_hull.clear();
    m_added = 0;
    m_tx_hint = 0;
    m_rx_hint = 0;
}

double RadialItm::sum(int first, int last) const noexcept {
    return last < first ? 0.0 : m_t->m_s0[static_cast<std::size_t>(last + 1)] - m_t->m_s0[static_cast<std::size_t>(first)];
}

double RadialItm::sum_index(int first, int last) const noexcept {
    return last < first ? 0.0 : m_t->m_s1[static_cast<std::size_t>(last + 1)] - m_t->m_s1[static_cast<std::size_t>(first)];
}

namespace {

// Makes `stack` the chain of `top` in a tree built by RadialTerrain (empty for top < 1). Only the entries that
// differ are written: walking down from the top, the first entry that already holds its point has the same
// chain below it. An evaluator that only moves forwards writes each point at most once per radial.
void copy_chain(std::vector<int>& stack, const std::vector<int>& parent, const std::vector<int>& depth, int top) {
    if (top < 1) {
        stack.clear();
        return;
    }
    stack.resize(static_cast<std::size_t>(depth[static_cast<std::size_t>(top)]) + 1); // new entries are 0: no point
    for (int v = top; v >= 0; v = parent[static_cast<std::size_t>(v)]) {
        int& slot = stack[static_cast<std::size_t>(depth[static_cast<std::size_t>(v)])];
        if (slot == v) {
            break;
        }
        slot = v;
    }
}

} // namespace

// The envelope and hull of the interior points 1..k-1.
void RadialItm::extend_to(int k) {
    if (m_added != k - 1) {
        m_added = k - 1;
        copy_chain(m_tx_lines, m_t->m_tx_parent, m_t->m_tx_depth, m_added);
        copy_chain(m_hull, m_t->m_hull_parent, m_t->m_hull_depth, m_added);
    }
}

namespace {

// The first m in [0, n−1) where a unimodal sequence stops rising (rises(m): value m+1 beats value m), else n − 1;
// searched outwards from `hint` (galloping, then bisection): along a radial the peak moves little from one
// receiver to the next, so this costs a few predictable probes where a bisection over the whole range costs
// log n unpredictable ones.
template <typename Rises>
std::size_t peak_near(std::size_t n, std::size_t hint, Rises&& rises) {
    if (n <= 1) {
        return 0;
    }
    const std::size_t h = std::min(hint, n - 1);
    std::size_t lo = 0; // the answer lies in [lo, hi]
    std::size_t hi = n - 1;
    if (h < n - 1 && rises(h)) {
        lo = h + 1;
        for (std::size_t step = 1;; step *= 2) {
            const std::size_t probe = std::min(n - 1, h + step);
            if (probe == n - 1 || !rises(probe)) {
                hi = probe;
                break;
            }
            lo = probe + 1;
        }
    } else {
        hi = h;
        for (std::size_t step = 1;; step *= 2) {
            if (h < step) {
                lo = 0;
                break;
            }
            const std::size_t probe = h - step;
            if (rises(probe)) {
                lo = probe + 1;
                break;
            }
            hi = probe;
        }
    }
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (rises(mid)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

} // namespace

Horizons RadialItm::horizons(int k, double a_e_m) {
    const double d = k * m_t->m_step_m;
    const double z_tx = m_t->m_z[0] + m_p.h_tx_m;
    const double z_rx = m_t->m_z[static_cast<std::size_t>(k)] + m_p.h_rx_m;
    Horizons hz;
    hz.theta_rad.tx = (z_rx - z_tx) / d - d / (2 * a_e_m);
    hz.theta_rad.rx = -(z_rx - z_tx) / d - d / (2 * a_e_m);
    hz.d_m.tx = d;
    hz.d_m.rx = d;
    if (k < 2) {
        return hz;
    }
    // Transmitter side: the upper envelope at c = 1/(2 a_e); values along it are unimodal. The search reads
    // the stored intercepts; the winner's angle is then formed as the published scan forms it.
    {
        const double c = 1.0 / (2 * a_e_m);
        auto search_theta = [&](int j) { return m_t->m_intercept[static_cast<std::size_t>(j)] - (j * m_t->m_step_m) * c; };
        auto theta_of = [&](int j) {
            const double x = j * m_t->m_step_m;
            return (m_t->m_z[static_cast<std::size_t>(j)] - z_tx) / x - x / (2 * a_e_m);
        };
        const std::size_t lo = peak_near(m_tx_lines.size(), m_tx_hint, [&](std::size_t m) {
            return search_theta(m_tx_lines[m + 1]) > search_theta(m_tx_lines[m]);
        });
        m_tx_hint = lo;
        // The search's angles round differently from the published ones: on a near-tie the winner may be a
        // neighbour, so the neighbours are compared with the published angles.
        const std::size_t first = lo >= 1 ? lo - 1 : 0;
        const std::size_t last = std::min(m_tx_lines.size() - 1, lo + 1);
        for (std::size_t c_i = first; c_i <= last; ++c_i) {
            const int i = m_tx_lines[c_i];
            const double theta = theta_of(i);
            if (theta > hz.theta_rad.tx) { // ascending indices: the nearest wins a tie, as in the scan
                hz.theta_rad.tx = theta;
                hz.d_m.tx = i * m_t->m_step_m;
            }
        }
    }
    // Receiver side: tangent from the receiver to the hull. In the hull's coordinates (x, z − x²/2a0) the
    // slope from the receiver to vertex j is its horizon angle under a0 plus x_k/a0, the same for every j:
    // the tangent vertex is the best. Slopes are unimodal along the hull, so search on the sign of
    // consecutive differences, compared without dividing (the distances to the receiver are positive).
    const double y_rx = z_rx - d * d / (2 * m_t->m_a0_m);
    auto steeper = [&](int j1, int j0) {
        return (m_t->m_y[static_cast<std::size_t>(j1)] - y_rx) * (k - j0) > (m_t->m_y[static_cast<std::size_t>(j0)] - y_rx) * (k - j1);
    };
    const std::size_t lo = peak_near(m_hull.size(), m_rx_hint, [&](std::size_t m) { return steeper(m_hull[m + 1], m_hull[m]); });
    m_rx_hint = lo;
    // The hull was built for the radial's radius a0; under this path's radius the best vertex can be a
    // neighbour of the a0 tangent point on near-ties. Check them with the exact angle (the first index
    // wins ties, as in find_horizons); distances are formed as find_horizons forms them, (k − j)·Δx.
    const std::size_t first = lo >= 2 ? lo - 2 : 0;
    const std::size_t last = std::min(m_hull.size() - 1, lo + 2);
    int j = -1;
    double u = d;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t c = first; c <= last; ++c) {
        const int cand = m_hull[c];
        const double u_c = (k - cand) * m_t->m_step_m;
        const double t = (m_t->m_z[static_cast<std::size_t>(cand)] - z_rx) / u_c - u_c / (2 * a_e_m);
        if (t > best) {
            best = t;
            j = cand;
            u = u_c;
        }
    }
    const double theta = (m_t->m_z[static_cast<std::size_t>(j)] - z_rx) / u - u / (2 * a_e_m);
    if (theta > hz.theta_rad.rx) {
        hz.theta_rad.rx = theta;
        hz.d_m.rx = u;
    }
    return hz;
}

// linear_least_squares_fit on z[0..np] from prefix sums: same index window and weights.
void RadialItm::fit(int np, double d_start, double d_end, double& fit_tx, double& fit_rx) const {
    int i_start = static_cast<int>(positive_difference(d_start / m_t->m_step_m, 0.0));
    int i_end = np - static_cast<int>(positive_difference(np, d_end / m_t->m_step_m));
    if (i_end <= i_start) {
        i_start = static_cast<int>(positive_difference(i_start, 1.0));
        i_end = np - static_cast<int>(positive_difference(np, i_end + 1.0));
    }
    const double x_length = i_end - i_start;
    const double mid0 = -0.5 * x_length;
    const double mid_end = i_end + mid0;
    const double z_s = m_t->m_z[static_cast<std::size_t>(i_start)];
    const double z_e = m_t->m_z[static_cast<std::size_t>(i_end)];
    // Interior points i_start+1 .. i_end-1, weight 1; the ends weigh 1/2 (trapezoid).
    const double s0 = sum(i_start + 1, i_end - 1);
    const double s1 = sum_index(i_start + 1, i_end - 1);
    double sum_y = 0.5 * (z_s + z_e) + s0;
    // Σ z_i·(i − i_start + mid0) over the interior, plus the ends' half weights.
    double scaled_sum_y = 0.5 * (z_s - z_e) * mid0 + (s1 - (i_start - mid0) * s0);
    sum_y = sum_y / x_length;
    scaled_sum_y = scaled_sum_y * 12.0 / ((x_length * x_length + 2.0) * x_length);
    fit_tx = sum_y - scaled_sum_y * mid_end;
    fit_rx = sum_y + scaled_sum_y * (np - mid_end);
}

// N_s, γ_e and Z_g of the path 0..k; h_sys from prefix sums over indices p10..k−p10.
Setup RadialItm::setup(int k) const {
    const int p10 = static_cast<int>(0.1 * k);
    const double h_sys = sum(p10, k - p10) / (k - 2 * p10 + 1);
    Setup s;
    s.n_s = surface_refractivity(h_sys, m_p.n_0);
    s.gamma_e = effective_curvature(s.n_s);
    s.z_g = m_z_g;
    return s;
}

double RadialItm::delta_h(int k) {
    extend_to(k);
    const Pfl pfl{m_t->m_z.first(static_cast<std::size_t>(k) + 1), m_t->m_step_m};
    const Setup setup = this->setup(k);
    const Horizons hz = horizons(k, 1 / setup.gamma_e);
    const auto [d_start, d_end] = delta_h_window(k * m_t->m_step_m, Pair{m_p.h_tx_m, m_p.h_rx_m}, hz.d_m);
    return compute_delta_h(pfl, d_start, d_end);
}

Result RadialItm::evaluate(int k, const double* delta_h_m) {
    extend_to(k);
    Result r;
    r.warnings = m_input_warnings;
    const std::span<const double> prefix = m_t->m_z.first(static_cast<std::size_t>(k) + 1);
    const Pfl pfl{prefix, m_t->m_step_m};
    const Setup setup = this->setup(k);
    const Pair h_m{m_p.h_tx_m, m_p.h_rx_m};
    const Horizons hz = horizons(k, 1 / setup.gamma_e);
    const QuickPflResult q = quick_pfl_with(pfl, setup.gamma_e, h_m, hz, [&](double d0, double d1, double& ft, double& fr) {
        fit(k, d0, d1, ft, fr);
    }, delta_h_m);
    return p2p_from_terrain(r, q, setup, h_m, m_p.f_mhz, m_variability);
}

} // namespace coverage::itm
