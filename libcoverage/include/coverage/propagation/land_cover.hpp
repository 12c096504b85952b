#ifndef COVERAGE_LAND_COVER_HPP
#define COVERAGE_LAND_COVER_HPP

#include <coverage/propagation/p1812_model.hpp>
#include <coverage/propagation/p2108.hpp>

#include <string>
#include <vector>

namespace coverage {

/**
 * One class of a land-cover raster as the clutter models see it: the P.2108 clutter type (from which the P.1812
 * category follows) and the representative clutter height R. R = 0 means no clutter: the ground is open to a
 * receiver at street level, and no terminal clutter loss applies.
 */
struct LandCoverClass {
    int code = 0;                    ///< the raster's value
    std::string name;                ///< e.g. "tree cover"
    P2108Clutter clutter = P2108Clutter::open_rural;
    double clutter_height_m = 0.0;   ///< R, metres (0: no clutter)
    std::string source;              ///< where the class's clutter type and height come from
};

/** The classes of a land-cover raster. */
struct LandCoverTable {
    std::string name;                 ///< e.g. "ESA WorldCover 10 m v200"
    std::vector<LandCoverClass> classes;

    /** The class of a raster value, or nullptr. */
    [[nodiscard]] const LandCoverClass* find(int code) const noexcept;
    /** "10 tree cover, 20 shrubland, ..." for messages. */
    [[nodiscard]] std::string describe_codes() const;
    /** @throws InvalidArgument for a repeated code, an empty name, or R outside 0-100 m. */
    void validate() const;
};

/**
 * The default class table, for ESA WorldCover 10 m (2020 v100 and 2021 v200 share the codes; ESA WorldCover Product User
 * Manual v2.0, Table 1). Clutter heights: ITU-R P.1812-6 Table 2 (open/rural and water 0 m, suburban 10 m,
 * urban/trees/forest 15 m), the same for P.2108's types. Each class's `source` says which row it follows.
 */
[[nodiscard]] LandCoverTable worldcover_land_cover_table();

/** The P.1812 category of a P.2108 clutter type (urban and trees/forest share P.1812's category 4). */
[[nodiscard]] P1812Clutter p1812_category(P2108Clutter clutter) noexcept;

/**
 * The receiver's clutter loss by ITU-R P.2108, dB: 0 without clutter (R = 0) or with the receiver at or above R;
 * below R, §3.1's height-gain terminal correction from 30 to 3000 MHz and, above 3 GHz (where §3.1 stops), §3.2's
 * statistical clutter loss at 50 % of locations for the path length (at least 0.25 km), which ITU derived for urban and
 * suburban ends and which is the only terminal clutter model P.2108 gives there.
 * @throws OutOfDomain for a frequency below 30 MHz or above 67 GHz.
 */
[[nodiscard]] double receiver_clutter_loss_db(const LandCoverClass& cls, double freq_mhz, double rx_height_agl_m, double distance_km);

} // namespace coverage

#endif // COVERAGE_LAND_COVER_HPP
