#include <coverage/analysis/calibration.hpp>
#include <coverage/core/error.hpp>
#include <coverage/radio/technology.hpp>

#include "core/text.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <tuple>

namespace coverage {

namespace {

constexpr double speed_of_light_m_per_us = 299.792458; // m·MHz

double thermal_noise_dbm(double bandwidth_hz) { return -174.0 + 10.0 * std::log10(bandwidth_hz); }
constexpr double noise_figure_db = 7.0;

struct SampleAt {
    const Measurement* m;
    GridPoint p;
};

} // namespace

double default_floor_dbm(MeasuredQuantity q, const Sector& s, std::optional<double> rssi_bandwidth_mhz) {
    switch (q) {
    case MeasuredQuantity::rsrp:
        return thermal_noise_dbm((s.technology == Technology::nr ? s.subcarrier_spacing_khz : 15.0) * 1e3) + noise_figure_db;
    case MeasuredQuantity::rscp: return thermal_noise_dbm(3.84e6) + noise_figure_db - 20.0;
    case MeasuredQuantity::rssi: return thermal_noise_dbm(rssi_bandwidth_mhz.value_or(s.bandwidth_mhz) * 1e6) + noise_figure_db;
    }
    return -200.0;
}

BinnedMeasurements bin_measurements(const MeasurementSet& set, const std::vector<Sector>& sectors, const Dem& dem, const BinOptions& o) {
    if (o.bin_length_m && !(*o.bin_length_m > 0.0 && *o.bin_length_m <= 10000.0)) {
        throw InvalidArgument("calibration: bin_length_m must be > 0 and <= 10000 m");
    }
    if (o.min_samples < 1) {
        throw InvalidArgument("calibration: min_samples must be >= 1");
    }
    if (!(o.min_distance_m >= 0.0) || (o.max_distance_m && !(*o.max_distance_m > o.min_distance_m))) {
        throw InvalidArgument("calibration: need 0 <= min_distance_m < max_distance_m");
    }
    BinnedMeasurements out;
    std::vector<std::vector<SampleAt>> per_sector(sectors.size());
    for (const Measurement& m : set.samples) {
        if (m.sector >= sectors.size()) {
            throw InvalidArgument("calibration: a sample's sector index is not among the sectors given");
        }
        per_sector[m.sector].push_back(SampleAt{&m, dem.to_grid(m.position)});
    }
    auto drop = [&](const std::string& why) { ++out.dropped[why]; };
    for (std::size_t si = 0; si < sectors.size(); ++si) {
        std::vector<SampleAt>& samples = per_sector[si];
        if (samples.empty()) {
            continue;
        }
        std::stable_sort(samples.begin(), samples.end(), [](const SampleAt& a, const SampleAt& b) {
            const double ta = a.m->time_s.value_or(0.0), tb = b.m->time_s.value_or(0.0);
            return ta != tb ? ta < tb : a.m->row < b.m->row;
        });
        const Sector& s = sectors[si];
        const double length_m = o.bin_length_m.value_or(40.0 * speed_of_light_m_per_us / s.freq_mhz);
        if (out.bin_length_m == 0.0) {
            out.bin_length_m = length_m;
        }
        const GridPoint site = dem.to_grid(s.location);
        std::vector<const SampleAt*> bin;
        double route_m = 0.0;
        auto close = [&]() {
            if (bin.empty()) {
                return;
            }
            CalibrationBin b;
            b.sector = si;
            b.samples = static_cast<int>(bin.size());
            double x = 0.0, y = 0.0, power_mw = 0.0, sum = 0.0, sum2 = 0.0;
            for (const SampleAt* a : bin) {
                x += a->p.x_m;
                y += a->p.y_m;
                power_mw += std::pow(10.0, a->m->level_dbm / 10.0);
                sum += a->m->level_dbm;
                sum2 += a->m->level_dbm * a->m->level_dbm;
            }
            const double n = static_cast<double>(bin.size());
            b.grid = GridPoint{x / n, y / n};
            b.position = dem.to_geo(b.grid);
            b.distance_m = std::hypot(b.grid.x_m - site.x_m, b.grid.y_m - site.y_m);
            b.measured_dbm = 10.0 * std::log10(power_mw / n);
            b.spread_db = n > 1 ? std::sqrt(std::max(0.0, (sum2 - sum * sum / n) / (n - 1))) : 0.0;
            b.quantity = bin.front()->m->quantity;
            b.time_s = bin.front()->m->time_s;
            b.first_row = bin.front()->m->row;
            if (std::all_of(bin.begin(), bin.end(), [](const SampleAt* a) { return a->m->rx_height_agl_m.has_value(); })) {
                double h = 0.0;
                for (const SampleAt* a : bin) {
                    h += *a->m->rx_height_agl_m;
                }
                b.rx_height_agl_m = h / n;
            }
            bin.clear();
            route_m = 0.0;
            const double floor = o.floor_dbm.value_or(default_floor_dbm(b.quantity, s, set.rssi_bandwidth_mhz));
            if (b.samples < o.min_samples) {
                drop("fewer than " + std::to_string(o.min_samples) + " samples");
            } else if (b.distance_m < o.min_distance_m) {
                drop(detail::format("closer than %g m to the antenna", o.min_distance_m));
            } else if (o.max_distance_m && b.distance_m > *o.max_distance_m) {
                drop(detail::format("farther than %g m from the antenna", *o.max_distance_m));
            } else if (b.measured_dbm <= floor) {
                drop(detail::format("at the noise floor (<= %.1f dBm)", floor));
            } else {
                out.bins.push_back(b);
            }
        };
        for (const SampleAt& a : samples) {
            if (!bin.empty()) {
                const SampleAt& prev = *bin.back();
                const double step = std::hypot(a.p.x_m - prev.p.x_m, a.p.y_m - prev.p.y_m);
                if (step > length_m || a.m->quantity != prev.m->quantity) {
                    close();
                } else {
                    route_m += step;
                }
            }
            bin.push_back(&a);
            if (route_m >= length_m) {
                close();
            }
        }
        close();
    }
    return out;
}

void drop_censored_bins(BinnedMeasurements& binned, const std::vector<Sector>& sectors, const BinOptions& o,
                        std::optional<double> rssi_bandwidth_mhz) {
    if (!(o.censor_margin_db >= 0.0 && o.censor_margin_db <= 100.0)) {
        throw InvalidArgument("calibration: censor_margin_db must be 0..100 dB");
    }
    std::vector<CalibrationBin> kept;
    std::size_t dropped = 0;
    for (const CalibrationBin& b : binned.bins) {
        const double floor = o.floor_dbm.value_or(default_floor_dbm(b.quantity, sectors.at(b.sector), rssi_bandwidth_mhz));
        if (std::isfinite(b.predicted_dbm) && b.predicted_dbm < floor + o.censor_margin_db) {
            ++dropped;
        } else {
            kept.push_back(b);
        }
    }
    if (dropped > 0) {
        binned.dropped[detail::format("predicted within %g dB of the noise floor (the phone's floor censors them)", o.censor_margin_db)] +=
            dropped;
    }
    binned.bins = std::move(kept);
}

ErrorStats error_stats(const std::vector<double>& e) {
    ErrorStats s;
    s.bins = e.size();
    if (e.empty()) {
        return s;
    }
    const double n = static_cast<double>(e.size());
    s.mean_db = std::accumulate(e.begin(), e.end(), 0.0) / n;
    double ss = 0.0, sq = 0.0;
    for (double v : e) {
        ss += (v - s.mean_db) * (v - s.mean_db);
        sq += v * v;
    }
    s.std_db = e.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
    s.rms_db = std::sqrt(sq / n);
    return s;
}

namespace {

// The fit of one technology and band over its bins: design, weights, ridge, solve.
class TermFit {
public:
    TermFit(const std::vector<const CalibrationBin*>& bins, const FitOptions& o) : m_o(o) {
        std::set<int> codes;
        for (const CalibrationBin* b : bins) {
            if (b->class_code >= 0 && o.class_offsets) {
                codes.insert(b->class_code);
            }
        }
        m_codes.assign(codes.begin(), codes.end());
        m_first_class = o.fit_slope ? 2 : 1;
        m_p = m_first_class + static_cast<int>(m_codes.size());
        const auto n = static_cast<Eigen::Index>(bins.size());
        m_x = Eigen::MatrixXd::Zero(n, m_p);
        m_r.resize(n);
        m_w.resize(n);
        double mean_samples = 0.0;
        for (const CalibrationBin* b : bins) {
            mean_samples += b->samples;
        }
        mean_samples /= static_cast<double>(bins.size());
        for (Eigen::Index i = 0; i < n; ++i) {
            const CalibrationBin& b = *bins[static_cast<std::size_t>(i)];
            m_x(i, 0) = 1.0;
            if (o.fit_slope) {
                m_x(i, 1) = std::log10(std::max(b.distance_m, 10.0) / 1000.0);
            }
            if (const auto it = std::find(m_codes.begin(), m_codes.end(), b.class_code); it != m_codes.end()) {
                m_x(i, m_first_class + (it - m_codes.begin())) = 1.0;
            }
            m_r(i) = b.residual_db();
            m_w(i) = b.samples / mean_samples;
        }
    }

    [[nodiscard]] const std::vector<int>& codes() const noexcept { return m_codes; }
    [[nodiscard]] int first_class() const noexcept { return m_first_class; }
    [[nodiscard]] int parameters() const noexcept { return m_p; }

    // Fit over the rows where `use` is true; the ridge from those rows' residual variance.
    [[nodiscard]] Eigen::VectorXd solve(const std::vector<bool>& use, Eigen::MatrixXd* normal = nullptr, double* variance = nullptr) const {
        Eigen::MatrixXd a = Eigen::MatrixXd::Zero(m_p, m_p);
        Eigen::VectorXd rhs = Eigen::VectorXd::Zero(m_p);
        double sw = 0.0, swr = 0.0, swr2 = 0.0;
        Eigen::Index used = 0;
        for (Eigen::Index i = 0; i < m_x.rows(); ++i) {
            if (!use[static_cast<std::size_t>(i)]) {
                continue;
            }
            ++used;
            a.noalias() += m_w(i) * m_x.row(i).transpose() * m_x.row(i);
            rhs.noalias() += m_w(i) * m_r(i) * m_x.row(i).transpose();
            sw += m_w(i);
            swr += m_w(i) * m_r(i);
            swr2 += m_w(i) * m_r(i) * m_r(i);
        }
        // Residual variance per unit weight around the mean: sets the ridge of the class offsets.
        const double var = used > 1 ? std::max(1e-6, (swr2 - swr * swr / sw) / sw * static_cast<double>(used) / static_cast<double>(used - 1)) : 1.0;
        const double lambda = var / (m_o.class_prior_db * m_o.class_prior_db);
        for (int j = m_first_class; j < m_p; ++j) {
            a(j, j) += lambda;
        }
        // A whisper of ridge on the offset and slope keeps the system solvable with one bin or one distance.
        for (int j = 0; j < m_first_class; ++j) {
            a(j, j) += 1e-9 * std::max(1.0, a(j, j));
        }
        if (normal != nullptr) {
            *normal = a;
        }
        if (variance != nullptr) {
            *variance = var;
        }
        return a.ldlt().solve(rhs);
    }

    [[nodiscard]] double correction(Eigen::Index i, const Eigen::VectorXd& beta) const { return m_x.row(i).dot(beta); }
    [[nodiscard]] double residual(Eigen::Index i) const { return m_r(i); }
    [[nodiscard]] double weight(Eigen::Index i) const { return m_w(i); }
    [[nodiscard]] Eigen::Index rows() const { return m_x.rows(); }

private:
    const FitOptions& m_o;
    std::vector<int> m_codes;
    int m_first_class = 1;
    int m_p = 1;
    Eigen::MatrixXd m_x;
    Eigen::VectorXd m_r, m_w;
};

// A permutation of 0..n-1 from a seed: Fisher-Yates on mt19937_64, whose sequence the standard fixes (unlike the
// distributions), so folds are the same on every platform.
std::vector<std::size_t> seeded_permutation(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), std::size_t{0});
    std::mt19937_64 rng(seed);
    for (std::size_t i = n; i > 1; --i) {
        std::swap(p[i - 1], p[static_cast<std::size_t>(rng() % i)]);
    }
    return p;
}

} // namespace

ModelCorrection CalibrationFit::correction() const {
    ModelCorrection c;
    for (const FittedTerm& t : terms) {
        c.terms.push_back(t.term);
    }
    return c;
}

CalibrationFit fit_calibration(const std::vector<CalibrationBin>& bins, const std::vector<Sector>& sectors, const FitOptions& o) {
    if (!(o.class_prior_db > 0.0 && o.class_prior_db <= 100.0)) {
        throw InvalidArgument("calibration: class_prior_db must be > 0 and <= 100 dB");
    }
    if (o.folds < 2 || o.folds > 100) {
        throw InvalidArgument("calibration: folds must be 2..100");
    }
    if (!(o.block_m > 0.0 && o.block_m <= 1e6)) {
        throw InvalidArgument("calibration: block_m must be > 0 and <= 1000 km");
    }
    if (o.min_class_bins < 1) {
        throw InvalidArgument("calibration: min_class_bins must be >= 1");
    }
    CalibrationFit fit;
    fit.options = o;
    fit.held_out_correction_db.assign(bins.size(), std::numeric_limits<double>::quiet_NaN());

    // Groups: one technology and carrier each, in the order first met.
    std::vector<std::tuple<Technology, double, std::vector<std::size_t>>> groups;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const CalibrationBin& b = bins[i];
        if (b.sector >= sectors.size()) {
            throw InvalidArgument("calibration: a bin's sector index is not among the sectors given");
        }
        if (!std::isfinite(b.predicted_dbm)) {
            continue;
        }
        const Sector& s = sectors[b.sector];
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
            return std::get<0>(g) == s.technology && std::abs(std::get<1>(g) - s.freq_mhz) <= 0.5;
        });
        if (it == groups.end()) {
            groups.emplace_back(s.technology, s.freq_mhz, std::vector<std::size_t>{});
            it = std::prev(groups.end());
        }
        std::get<2>(*it).push_back(i);
    }
    if (groups.empty()) {
        throw InvalidArgument("calibration: no bin has a prediction (are the measurements within the sectors' radius and the DEM?)");
    }

    for (const auto& [technology, freq_mhz, index] : groups) {
        std::vector<const CalibrationBin*> gb;
        for (std::size_t i : index) {
            gb.push_back(&bins[i]);
        }
        const TermFit tf(gb, o);
        const auto n = static_cast<std::size_t>(tf.rows());
        const std::vector<bool> all(n, true);
        Eigen::MatrixXd normal;
        double variance = 0.0;
        const Eigen::VectorXd beta = tf.solve(all, &normal, &variance);

        FittedTerm ft;
        ft.term.technology = technology;
        ft.term.freq_mhz = freq_mhz;
        ft.term.offset_db = beta(0);
        ft.term.slope_db_per_decade = o.fit_slope ? beta(1) : 0.0;
        for (std::size_t k = 0; k < tf.codes().size(); ++k) {
            ft.term.class_offset_db[tf.codes()[k]] = beta(tf.first_class() + static_cast<int>(k));
        }
        ft.bins = n;
        for (const CalibrationBin* b : gb) {
            ft.samples += static_cast<std::size_t>(b->samples);
            if (b->class_code >= 0) {
                ++ft.class_bins[b->class_code];
            }
        }

        // Spatial blocks of the bins.
        std::map<std::pair<long long, long long>, std::size_t> block_of_key;
        std::vector<std::size_t> block(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::pair<long long, long long> key{static_cast<long long>(std::floor(gb[i]->grid.x_m / o.block_m)),
                                                      static_cast<long long>(std::floor(gb[i]->grid.y_m / o.block_m))};
            block[i] = block_of_key.emplace(key, block_of_key.size()).first->second;
        }
        // block_of_key numbers blocks in the order met; renumber by key so that the folds do not depend on bin order.
        {
            std::vector<std::size_t> rank(block_of_key.size());
            std::size_t r = 0;
            for (const auto& [key, id] : block_of_key) {
                rank[id] = r++;
            }
            for (std::size_t& b : block) {
                b = rank[b];
            }
        }
        const std::size_t blocks = block_of_key.size();
        ft.blocks = blocks;

        // Standard errors: the larger of the model's (residual variance × inverse normal matrix) and a delete-one-block
        // jackknife's, which sees the correlation of neighbouring bins that the model's assumes away.
        const Eigen::MatrixXd inverse = normal.inverse();
        double rss = 0.0, sw = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            const double e = tf.residual(static_cast<Eigen::Index>(i)) - tf.correction(static_cast<Eigen::Index>(i), beta);
            rss += tf.weight(static_cast<Eigen::Index>(i)) * e * e;
            sw += tf.weight(static_cast<Eigen::Index>(i));
        }
        const double dof = std::max(1.0, static_cast<double>(n) - tf.parameters());
        const double sigma2 = rss / sw * static_cast<double>(n) / dof;
        Eigen::VectorXd se2 = sigma2 * inverse.diagonal();
        // The class totals (offset + class offset): e_k' Σ e_k with e_k = unit(0) + unit(k).
        const auto classes = static_cast<int>(tf.codes().size());
        Eigen::VectorXd total_se2(classes);
        for (int k = 0; k < classes; ++k) {
            const int j = tf.first_class() + k;
            total_se2(k) = sigma2 * (inverse(0, 0) + inverse(j, j) + 2.0 * inverse(0, j));
        }
        if (blocks >= 2) {
            std::vector<Eigen::VectorXd> leave_out;
            for (std::size_t bk = 0; bk < blocks; ++bk) {
                std::vector<bool> use(n);
                for (std::size_t i = 0; i < n; ++i) {
                    use[i] = block[i] != bk;
                }
                leave_out.push_back(tf.solve(use));
            }
            Eigen::VectorXd mean = Eigen::VectorXd::Zero(tf.parameters());
            for (const Eigen::VectorXd& b : leave_out) {
                mean += b;
            }
            mean /= static_cast<double>(blocks);
            Eigen::VectorXd jack = Eigen::VectorXd::Zero(tf.parameters());
            for (const Eigen::VectorXd& b : leave_out) {
                jack += (b - mean).cwiseAbs2();
            }
            jack *= static_cast<double>(blocks - 1) / static_cast<double>(blocks);
            se2 = se2.cwiseMax(jack);
            for (int k = 0; k < classes; ++k) {
                const int j = tf.first_class() + k;
                double mean_total = 0.0;
                for (const Eigen::VectorXd& b : leave_out) {
                    mean_total += b(0) + b(j);
                }
                mean_total /= static_cast<double>(blocks);
                double v = 0.0;
                for (const Eigen::VectorXd& b : leave_out) {
                    v += (b(0) + b(j) - mean_total) * (b(0) + b(j) - mean_total);
                }
                total_se2(k) = std::max(total_se2(k), v * static_cast<double>(blocks - 1) / static_cast<double>(blocks));
            }
        }
        ft.offset_se_db = std::sqrt(se2(0));
        ft.slope_se_db = o.fit_slope ? std::sqrt(se2(1)) : 0.0;
        for (std::size_t k = 0; k < tf.codes().size(); ++k) {
            ft.class_offset_se_db[tf.codes()[k]] = std::sqrt(se2(tf.first_class() + static_cast<int>(k)));
            ft.class_correction_db[tf.codes()[k]] = beta(0) + beta(tf.first_class() + static_cast<int>(k));
            ft.class_correction_se_db[tf.codes()[k]] = std::sqrt(total_se2(static_cast<int>(k)));
        }

        // In-sample errors.
        std::vector<double> before(n), after(n);
        for (std::size_t i = 0; i < n; ++i) {
            before[i] = tf.residual(static_cast<Eigen::Index>(i));
            after[i] = before[i] - tf.correction(static_cast<Eigen::Index>(i), beta);
        }
        ft.fit_before = error_stats(before);
        ft.fit_after = error_stats(after);

        // Cross-validation: folds of blocks (or of bins), each predicted by the fit without its fold.
        std::vector<std::size_t> fold(n);
        if (o.folds_kind == FitOptions::Folds::spatial_blocks) {
            const std::vector<std::size_t> perm = seeded_permutation(blocks, o.seed);
            std::vector<std::size_t> fold_of_block(blocks);
            for (std::size_t k = 0; k < blocks; ++k) {
                fold_of_block[perm[k]] = k % static_cast<std::size_t>(o.folds);
            }
            for (std::size_t i = 0; i < n; ++i) {
                fold[i] = fold_of_block[block[i]];
            }
        } else {
            const std::vector<std::size_t> perm = seeded_permutation(n, o.seed);
            for (std::size_t k = 0; k < n; ++k) {
                fold[perm[k]] = k % static_cast<std::size_t>(o.folds);
            }
        }
        std::vector<double> cv_after(n, 0.0);
        for (std::size_t f = 0; f < static_cast<std::size_t>(o.folds); ++f) {
            std::vector<bool> use(n);
            bool any_held = false;
            for (std::size_t i = 0; i < n; ++i) {
                use[i] = fold[i] != f;
                any_held = any_held || !use[i];
            }
            if (!any_held) {
                continue;
            }
            const bool any_train = std::find(use.begin(), use.end(), true) != use.end();
            const Eigen::VectorXd bf = any_train ? tf.solve(use) : Eigen::VectorXd::Zero(tf.parameters());
            for (std::size_t i = 0; i < n; ++i) {
                if (!use[i]) {
                    const double c = tf.correction(static_cast<Eigen::Index>(i), bf);
                    cv_after[i] = before[i] - c;
                    fit.held_out_correction_db[index[i]] = c;
                }
            }
        }
        ft.held_out_before = ft.fit_before; // before any correction, held out or not, the errors are the same
        ft.held_out_after = error_stats(cv_after);
        std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_sector;
        std::map<int, std::pair<std::vector<double>, std::vector<double>>> by_class;
        for (std::size_t i = 0; i < n; ++i) {
            auto& s = by_sector[sectors[gb[i]->sector].sector_id];
            s.first.push_back(before[i]);
            s.second.push_back(cv_after[i]);
            if (gb[i]->class_code >= 0) {
                auto& c = by_class[gb[i]->class_code];
                c.first.push_back(before[i]);
                c.second.push_back(cv_after[i]);
            }
        }
        for (const auto& [id, e] : by_sector) {
            ft.per_sector[id] = {error_stats(e.first), error_stats(e.second)};
        }
        for (const auto& [code, e] : by_class) {
            ft.per_class[code] = {error_stats(e.first), error_stats(e.second)};
        }
        const std::string band = std::string(traits(technology).key) + detail::format(" %g MHz", freq_mhz);
        for (const auto& [code, count] : ft.class_bins) {
            if (o.class_offsets && count < static_cast<std::size_t>(o.min_class_bins)) {
                fit.warnings.push_back(detail::format("%s: land-cover class %d has %zu bins (fewer than %d): its correction, %+.1f ± %.1f dB, "
                                                      "is pulled towards the global offset and is not to be trusted",
                                                      band.c_str(), code, count, o.min_class_bins, ft.class_correction_db[code],
                                                      ft.class_correction_se_db[code]));
            }
        }
        if (blocks < static_cast<std::size_t>(o.folds)) {
            fit.warnings.push_back(detail::format("%s: the bins lie in %zu blocks of %g m, fewer than the %d folds: some folds hold no bin",
                                                  band.c_str(), blocks, o.block_m, o.folds));
        }
        fit.terms.push_back(std::move(ft));
    }
    return fit;
}

} // namespace coverage
