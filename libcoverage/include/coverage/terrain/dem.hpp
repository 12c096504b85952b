#ifndef COVERAGE_DEM_HPP
#define COVERAGE_DEM_HPP

#include <coverage/core/geo.hpp>
#include <coverage/io/elevation_reader.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/terrain/terrain_profile.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coverage {

namespace detail {
class CrsTransform;
} // namespace detail

/**
 * How terrain is read between the DEM's posts (cell centres) along a profile or radial. Bilinear (the default)
 * interpolates the four surrounding posts; nearest takes the post of the cell a point falls in, as SPLAT! and
 * Signal-Server do. The choice matters most in the receiver's immediate foreground on rugged ground.
 */
enum class ProfileSampling {
    bilinear,
    nearest,
};

/** "bilinear" or "nearest". */
[[nodiscard]] const char* to_string(ProfileSampling s) noexcept;
/** The sampling named bilinear or nearest. @throws InvalidArgument naming the value and the choices. */
[[nodiscard]] ProfileSampling profile_sampling_from(const std::string& name);

/**
 * A digital elevation model on a metric grid. Immutable once built, so it can be shared across threads.
 * Elevations are metres above mean sea level; voids are NaN.
 */
class Dem {
public:
    /**
     * @param elevation elevations on a projected, metric CRS with square, north-up cells; NaN marks voids.
     * @param voids     what the loader found and did (kept for reporting).
     * @param source    human-readable description of where the data came from (file names).
     * @param files     every file read (the DEM files and a VRT's sources), for the run record.
     * @param resampling how the grid was made from the files (ElevationGrid::resampling), for the run record.
     * @throws InvalidArgument when the raster is rotated or its CRS is not projected; IoError for an unknown CRS.
     */
    explicit Dem(Raster<float> elevation, VoidReport voids = {}, std::string source = {}, std::vector<std::string> files = {},
                 std::string resampling = {});
    ~Dem();
    Dem(const Dem&);
    Dem(Dem&&) noexcept;
    Dem& operator=(const Dem&);
    Dem& operator=(Dem&&) noexcept;

    [[nodiscard]] const Raster<float>& raster() const noexcept { return m_elevation; }
    [[nodiscard]] const Crs& crs() const noexcept { return m_elevation.crs(); }
    [[nodiscard]] double cell_size_m() const noexcept { return m_elevation.transform().xscale; }
    [[nodiscard]] const VoidReport& voids() const noexcept { return m_voids; }
    [[nodiscard]] const std::string& source() const noexcept { return m_source; }
    /** Every file the elevations were read from: the DEM files given and the sources their VRTs name. */
    [[nodiscard]] const std::vector<std::string>& files() const noexcept { return m_files; }
    /** How the grid was made: "none (the DEM's own cells)", a resampling method, or "" for a DEM built in memory. */
    [[nodiscard]] const std::string& resampling() const noexcept { return m_resampling; }

    /** WGS84 → grid CRS. @throws OutOfDomain when PROJ cannot transform the point. */
    [[nodiscard]] GridPoint to_grid(GeoPoint p) const;
    /** Grid CRS → WGS84. */
    [[nodiscard]] GeoPoint to_geo(GridPoint p) const;

    /** True when `p` lies where bilinear sampling has four cells (between the outermost cell centres). */
    [[nodiscard]] bool covers(GridPoint p) const noexcept;

    /** Bilinear elevation, metres; std::nullopt off the DEM or next to a void. Never throws. */
    [[nodiscard]] std::optional<double> try_elevation_m(GridPoint p) const noexcept;
    /** As try_elevation_m, read as `sampling` says (nearest: the post of the cell, within the same bounds). */
    [[nodiscard]] std::optional<double> try_elevation_m(GridPoint p, ProfileSampling sampling) const noexcept;

    /** Bilinear elevation, metres. @throws OutOfDomain naming the point when it is off the DEM or on a void. */
    [[nodiscard]] double elevation_m(GridPoint p) const;
    [[nodiscard]] double elevation_m(GeoPoint p) const;

    /**
     * Equally spaced profile from `from` to `to` (both included). The spacing is the largest value
     * ≤ step_m that divides the path into whole intervals.
     * @param step_m requested spacing, metres (> 0).
     * @throws OutOfDomain naming the first point that leaves the DEM or meets a void; InvalidArgument for
     *         step_m <= 0, coincident endpoints, or more than max_profile_points points (checked before allocating).
     */
    [[nodiscard]] TerrainProfile profile(GridPoint from, GridPoint to, double step_m,
                                         ProfileSampling sampling = ProfileSampling::bilinear) const;
    /** The most points a profile may have (80 MB of elevations; a 1000 km path at 0.1 m). */
    static constexpr std::size_t max_profile_points = 10'000'000;
    [[nodiscard]] TerrainProfile profile(GeoPoint from, GeoPoint to, double step_m,
                                         ProfileSampling sampling = ProfileSampling::bilinear) const;

    /**
     * As profile(), but never throws on terrain: returns false (and leaves `out` partly filled) when a
     * point is off the DEM or on a void. Reuses `out`'s storage, so a loop allocates nothing.
     * @pre step_m > 0 and the endpoints differ.
     */
    [[nodiscard]] bool try_profile(GridPoint from, GridPoint to, double step_m, TerrainProfile& out,
                                   ProfileSampling sampling = ProfileSampling::bilinear) const noexcept;

    /**
     * Samples (bilinear, or nearest post) at `intervals + 1` equally spaced points from `from` to `to` (both
     * included) into `out`; stops at the first point off the DEM or next to a void.
     * @return how many leading samples are valid (intervals + 1 when all are).
     */
    std::size_t sample_line(GridPoint from, GridPoint to, std::size_t intervals, double* out,
                            ProfileSampling sampling = ProfileSampling::bilinear) const noexcept;

    /** A cell of the grid by column and row. */
    struct Cell {
        int col = 0;
        int row = 0;
    };
    /** The cell holding a point of the grid CRS; empty off the grid. */
    [[nodiscard]] std::optional<Cell> cell_at(GridPoint p) const noexcept;
    /**
     * The cells whose centres lie within `radius_m` of `centre`, row by row; at least the cell holding `centre`
     * when that is on the grid; empty when `centre` is off the grid.
     */
    [[nodiscard]] std::vector<Cell> cells_within(GridPoint centre, double radius_m) const;

    /** Elevation gradient at a cell, metres per metre. */
    struct Gradient {
        double dz_east = 0.0;  ///< rise per metre towards +x (east in the grid)
        double dz_south = 0.0; ///< rise per metre towards +row (south in the grid)
    };
    /**
     * Gradient at cell (col, row) by Horn's 3×3 weighted differences (as gdaldem); cells past the edge are
     * clamped to it, void neighbours take the centre's value (a void centre gives zero).
     */
    [[nodiscard]] Gradient gradient(int col, int row) const noexcept;
    /** Slope at cell (col, row), degrees (0 flat, 90 vertical), from gradient(). */
    [[nodiscard]] double slope_deg(int col, int row) const noexcept;

    /** Centre of cell (col, row) in the grid CRS. */
    [[nodiscard]] GridPoint cell_centre(int col, int row) const noexcept {
        return m_elevation.transform().pixel_to_geo(PixelPoint{.col = col + 0.5, .row = row + 0.5});
    }

private:
    [[nodiscard]] bool may_have_voids() const noexcept;
    [[nodiscard]] std::string why_no_elevation(GridPoint p) const;
    // Bilinear value at fractional cell-centre coordinates (c, r) (0,0 = centre of the top-left cell).
    [[nodiscard]] std::optional<double> sample_at(double c, double r) const noexcept;
    [[nodiscard]] std::optional<double> nearest_at(double c, double r) const noexcept;

    Raster<float> m_elevation;
    VoidReport m_voids;
    std::string m_source;
    std::vector<std::string> m_files;
    std::string m_resampling;
    std::shared_ptr<const detail::CrsTransform> m_transform;
};

/**
 * Read one or more elevation rasters (anything GDAL opens: GeoTIFF, SRTM .hgt, VRT, ...) as one mosaic,
 * reprojected with bilinear resampling onto a metric grid.
 * @param paths    one or more files; all are mosaicked (later files win where tiles overlap).
 * @param options  target CRS, cell size, crop area and void policy.
 * @param progress GDAL-style progress; returning false throws Cancelled.
 * @throws IoError for a missing/unreadable file (named); OutOfDomain for voids under VoidPolicy::error
 *         (file, count and locations named); InvalidArgument for a bad option (unknown CRS, cell size <= 0,
 *         an area that misses every tile).
 */
[[nodiscard]] Dem read_dem(const std::vector<std::string>& paths, const DemOptions& options = {},
                           const ProgressFn& progress = {});

} // namespace coverage

#endif // COVERAGE_DEM_HPP
