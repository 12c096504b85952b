#ifndef COVERAGE_P1812_MODEL_HPP
#define COVERAGE_P1812_MODEL_HPP

#include <coverage/core/geo.hpp>
#include <coverage/propagation/propagation_model.hpp>

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

/** Representative clutter categories of ITU-R P.1812-6 Table 2 (the codes of its validation profiles). */
enum class P1812Clutter : int { water_sea = 1, open_rural = 2, suburban = 3, urban_trees_forest = 4, dense_urban = 5 };

/** Radio-climatic zones of ITU-R P.1812-6 Table 1 (codes as in its validation profiles). */
enum class RadioClimaticZone : int { sea = 1, coastal_land = 3, inland = 4 };

/**
 * A path for ITU-R P.1812: points at any spacing, transmitter first, each with its ground height, representative
 * clutter height (R, added to the ground between the terminals, §3.2), clutter category and radio-climatic zone.
 * Empty clutter or zone vectors mean no clutter (R = 0, open/rural) and inland all along.
 */
struct P1812Path {
    std::vector<double> distance_km;
    std::vector<double> elevation_m;      ///< ground, metres above mean sea level
    std::vector<double> clutter_height_m; ///< R_i, metres (empty: 0 everywhere)
    std::vector<P1812Clutter> clutter;    ///< empty: open/rural everywhere
    std::vector<RadioClimaticZone> zone;  ///< empty: inland everywhere

    /** An equally spaced profile, without clutter, inland. */
    [[nodiscard]] static P1812Path from(const TerrainProfile& profile);
    /** from(), with a two-point profile (a map cell next to its mast) given a midpoint on straight ground. */
    [[nodiscard]] static P1812Path from_map_profile(const TerrainProfile& profile);
    /** @throws InvalidArgument unless >= 3 points, sizes agree, distances strictly increase from 0, values finite. */
    void validate() const;
};

/**
 * The P.1812 path a profile CSV gives (distances in metres there, km here). Clutter codes must be 1 to 5 (Table 2),
 * zones 1, 3 or 4 (Table 1); a profile without those columns has no clutter and lies inland.
 * @throws InvalidArgument naming the file, row and field of a code outside its table.
 */
[[nodiscard]] P1812Path p1812_path_from(const ProfileTable& table);

/** The settings of ITU-R P.1812 that are not the path or the link. ΔN and N0 have no default: they are the area's. */
struct P1812Settings {
    double time_pct = 50.0;            ///< p: per cent of time the loss is not exceeded, 1 to 50
    double location_pct = 50.0;        ///< pL: per cent of locations, 1 to 99
    /** σL, dB. nullopt: eq. (65) for a square of side location_area_m, reduced as the receiver rises above its clutter. */
    std::optional<double> location_sigma_db;
    double location_area_m = 100.0;    ///< w_a of eq. (65): the side of the square a prediction stands for, metres
    double delta_n_per_km = std::numeric_limits<double>::quiet_NaN(); ///< ΔN, N-units/km (positive), 0 < ΔN < 157
    double n0_n_units = std::numeric_limits<double>::quiet_NaN();     ///< N0, sea-level surface refractivity, N-units
    double tx_coast_distance_km = 500.0; ///< d_ct: over land from the transmitter to the coast (0 when it is at sea)
    double rx_coast_distance_km = 500.0; ///< d_cr

    /** @throws InvalidArgument naming the setting outside its range (ΔN and N0 not given included). */
    void validate() const;
};

/** Every intermediate value of ITU-R P.1812-6 that its validation tables list (units in the names). */
struct P1812Intermediate {
    double d_km = 0.0, dlt_km = 0.0, dlr_km = 0.0;
    double theta_t_mrad = 0.0, theta_r_mrad = 0.0, theta_mrad = 0.0;
    double hts_m = 0.0, hrs_m = 0.0;
    double omega = 0.0;               ///< fraction of the path over sea
    double dtm_km = 0.0, dlm_km = 0.0;
    double path_centre_lat_deg = 0.0;
    double beta0_pct = 0.0;
    double ae_km = 0.0;
    double hst_uncorrected_m = 0.0, hsr_uncorrected_m = 0.0; ///< eqs. (87), (88)
    double hst_m = 0.0, hsr_m = 0.0;                         ///< eq. (92)
    double hstd_m = 0.0, hsrd_m = 0.0;                       ///< eq. (91)
    double hte_m = 0.0, hre_m = 0.0, hm_m = 0.0;
    double fi = 0.0, fj = 0.0, fk = 0.0;
    double lbfs_db = 0.0, lb0p_db = 0.0, lb0b_db = 0.0;
    double lbulla_db = 0.0, lbulls_db = 0.0, ldsph_db = 0.0, ld50_db = 0.0, ldb_db = 0.0, ldp_db = 0.0;
    double lbd50_db = 0.0, lbd_db = 0.0, lminb0p_db = 0.0, lba_db = 0.0, lminbap_db = 0.0, lbda_db = 0.0, lbam_db = 0.0;
    double lbs_db = 0.0, lbc_db = 0.0;
    double sigma_l_db = 0.0, lloc_db = 0.0;
    double lb_db = 0.0;               ///< basic transmission loss not exceeded for p % time and pL % locations, eq. (69)
    double ep_dbuv_per_m = 0.0;       ///< field strength for 1 kW e.r.p., eq. (70)
    bool trans_horizon = false;
};

/**
 * The latitude of the path centre, degrees: the point half the path length from the transmitter along the great circle
 * to the receiver (ITU-R P.2001 Annex H, earth radius 6371 km). `path_length_km` is the profile's length, as ITU's
 * reference software takes it; NaN: the great-circle distance.
 */
[[nodiscard]] double path_centre_latitude_deg(GeoPoint tx, GeoPoint rx,
                                              double path_length_km = std::numeric_limits<double>::quiet_NaN());

/** The inverse complementary cumulative normal I(x) of ITU-R P.1812-6 Attachment 2 (eqs. (96), (97)); x clamped to [1e-6, 1 − 1e-6]. */
[[nodiscard]] double p1812_inverse_normal(double x);

/** σL of eq. (65): (0.024·f_GHz + 0.52)·w_a^0.28, times u(h) = 1 within the clutter, 0 from 10 m above it. */
[[nodiscard]] double p1812_location_sigma_db(double freq_mhz, double rx_height_agl_m, double rx_clutter_height_m, double area_m);

/**
 * ITU-R P.1812-6 point-to-area prediction: basic transmission loss not exceeded for p % of time and pL % of locations
 * (30 MHz to 6 GHz, 0.25 to about 3000 km), with every intermediate value.
 * @param path_centre_lat_deg latitude of the path centre (for β0), degrees.
 * @throws OutOfDomain for a frequency, height or percentage outside the recommendation; InvalidArgument for a malformed path or setting.
 */
[[nodiscard]] P1812Intermediate p1812_loss(const P1812Path& path, const LinkParams& link, double path_centre_lat_deg,
                                           const P1812Settings& settings);

/** Lb of p1812_loss() alone, the same number, without the intermediates it does not need (for maps). */
[[nodiscard]] double p1812_basic_loss_db(const P1812Path& path, const LinkParams& link, double path_centre_lat_deg,
                                         const P1812Settings& settings);

/**
 * ITU-R P.1812-6 as a PropagationModel over an equally spaced terrain profile without clutter, inland, for a map or a
 * link. The latitude of the path centre comes from LinkParams::path_centre_lat_deg; the map engine gives the sector's.
 */
class P1812Model final : public PropagationModel {
public:
    explicit P1812Model(P1812Settings settings);
    [[nodiscard]] PathLoss path_loss(const TerrainProfile& profile, const LinkParams& link) const override;
    /** Frequency 30 to 6000 MHz, heights 1 to 3000 m, and the path-centre latitude given. */
    void validate_link(const LinkParams& link) const override;
    [[nodiscard]] std::string name() const override { return "p1812"; }
    [[nodiscard]] const P1812Settings& settings() const noexcept { return m_settings; }

private:
    P1812Settings m_settings;
};

} // namespace coverage

#endif // COVERAGE_P1812_MODEL_HPP
