// Terrain: DEM reading, elevations, profiles, cells.

#include "common.hpp"

#include <coverage/terrain/dem.hpp>
#include <coverage/terrain/terrain_profile.hpp>

namespace libcoverage_py {

using namespace pybind11::literals;

void bind_terrain(py::module_& m) {
    using coverage::Dem;
    using coverage::GeoPoint;
    using coverage::GridPoint;

    py::enum_<coverage::VoidPolicy>(m, "VoidPolicy", "What read_dem does with void (NoData) cells of the source tiles.")
        .value("error", coverage::VoidPolicy::error, "Any void is an error naming the file, the count and where.")
        .value("fill", coverage::VoidPolicy::fill, "Interpolate voids from their neighbours (GDAL FillNodata).")
        .value("keep", coverage::VoidPolicy::keep, "Keep voids as NaN; sampling at one is an error naming the point.");
    m.def("void_policy_from", &coverage::void_policy_from, "name"_a, "The VoidPolicy named 'error', 'fill' or 'keep'.");
    py::enum_<coverage::ProfileSampling>(m, "ProfileSampling", "How terrain is read between the DEM's posts (cell centres).")
        .value("bilinear", coverage::ProfileSampling::bilinear, "Default: the four surrounding posts, interpolated.")
        .value("nearest", coverage::ProfileSampling::nearest, "The post of the cell a point falls in (as SPLAT! and Signal-Server).");
    py::enum_<coverage::Resampling>(m, "Resampling",
                                    "How a DEM in another CRS or at another cell size is resampled onto the grid (a DEM "
                                    "already on it keeps its own cells).")
        .value("bilinear", coverage::Resampling::bilinear, "Default: the four nearest source cells, weighted by distance.")
        .value("cubic", coverage::Resampling::cubic, "Cubic convolution over 4 x 4 source cells.")
        .value("nearest", coverage::Resampling::nearest, "The nearest source cell's value, unchanged.")
        .value("average", coverage::Resampling::average, "The mean of the source cells under each cell (cells larger than the DEM's).");

    py::class_<coverage::GeoBox>(m, "GeoBox", "A geographic bounding box, WGS84 degrees.")
        .def(py::init([](double south_deg, double west_deg, double north_deg, double east_deg) {
                 return coverage::GeoBox{.south_deg = south_deg, .west_deg = west_deg, .north_deg = north_deg, .east_deg = east_deg};
             }),
             py::kw_only(), "south_deg"_a, "west_deg"_a, "north_deg"_a, "east_deg"_a)
        .def_readwrite("south_deg", &coverage::GeoBox::south_deg)
        .def_readwrite("west_deg", &coverage::GeoBox::west_deg)
        .def_readwrite("north_deg", &coverage::GeoBox::north_deg)
        .def_readwrite("east_deg", &coverage::GeoBox::east_deg)
        .def_static("empty", &coverage::GeoBox::empty, "A box holding nothing yet, for include() to grow.")
        .def("include", &coverage::GeoBox::include, "point"_a, "radius_m"_a, "Grow to hold the disc of radius_m (metres) around a GeoPoint.");

    py::class_<coverage::DemOptions>(m, "DemOptions", "How read_dem builds the metric grid (always by the one grid rule: the DEM's own cells when it is in the working CRS at the working cell size, else cells on whole multiples of the cell size).")
        .def(py::init([](std::optional<std::string> target_crs, std::optional<double> cell_size_m, std::optional<coverage::GeoBox> area,
                         coverage::VoidPolicy void_policy, bool allow_remote, coverage::Resampling resampling) {
                 coverage::DemOptions o;
                 if (target_crs) {
                     o.target_crs = coverage::Crs{*target_crs};
                 }
                 o.cell_size_m = cell_size_m;
                 o.area = area;
                 o.void_policy = void_policy;
                 o.allow_remote = allow_remote;
                 o.resampling = resampling;
                 return o;
             }),
             py::kw_only(), "target_crs"_a = py::none(), "cell_size_m"_a = py::none(), "area"_a = py::none(),
             "void_policy"_a = coverage::VoidPolicy::error, "allow_remote"_a = false, "resampling"_a = coverage::Resampling::bilinear)
        .def_property(
            "target_crs", [](const coverage::DemOptions& o) { return o.target_crs ? std::optional<std::string>(o.target_crs->definition) : std::nullopt; },
            [](coverage::DemOptions& o, std::optional<std::string> v) {
                o.target_crs = v ? std::optional<coverage::Crs>(coverage::Crs{*v}) : std::nullopt;
            },
            "Projected CRS of the grid ('EPSG:n' or WKT); None: the WGS84 UTM zone of the area's centre.")
        .def_readwrite("cell_size_m", &coverage::DemOptions::cell_size_m, "Cell size, metres; None: the source's resolution.")
        .def_readwrite("area", &coverage::DemOptions::area, "Crop to this GeoBox; None: the union of all tiles.")
        .def_readwrite("void_policy", &coverage::DemOptions::void_policy)
        .def_readwrite("allow_remote", &coverage::DemOptions::allow_remote,
                       "Read DEMs, or the sources their VRTs name, over the network (URLs, /vsicurl/, ...); off by default.")
        .def_readwrite("resampling", &coverage::DemOptions::resampling,
                       "How a DEM off the working grid is resampled onto it; a DEM on it keeps its own cells.");

    py::class_<coverage::VoidReport>(m, "VoidReport", "Where the voids were, and what was done about them.")
        .def_readonly("source_void_cells", &coverage::VoidReport::source_void_cells)
        .def_readonly("filled_cells", &coverage::VoidReport::filled_cells)
        .def_readonly("grid_nodata_cells", &coverage::VoidReport::grid_nodata_cells)
        .def_readonly("examples", &coverage::VoidReport::examples);

    py::class_<coverage::TerrainProfile>(m, "TerrainProfile", "Ground elevations (m above MSL) at equal spacing, transmitter first.")
        .def(py::init([](std::vector<double> elevation_m, double step_m) {
                 coverage::TerrainProfile p{std::move(elevation_m), step_m};
                 p.validate();
                 return p;
             }),
             "elevation_m"_a, py::kw_only(), "step_m"_a)
        .def_property(
            "elevation_m", [](const coverage::TerrainProfile& p) { return py::array_t<double>(static_cast<py::ssize_t>(p.elevation_m.size()), p.elevation_m.data()); },
            [](coverage::TerrainProfile& p, std::vector<double> v) { p.elevation_m = std::move(v); },
            "Elevations, metres above mean sea level, transmitter first (a numpy copy).")
        .def_property_readonly(
            "distance_m",
            [](const coverage::TerrainProfile& p) {
                py::array_t<double> d(static_cast<py::ssize_t>(p.point_count()));
                auto w = d.mutable_unchecked<1>();
                for (py::ssize_t i = 0; i < w.shape(0); ++i) {
                    w(i) = p.distance_m(static_cast<std::size_t>(i));
                }
                return d;
            },
            "Distance of each point from the transmitter, metres.")
        .def_readwrite("step_m", &coverage::TerrainProfile::step_m, "Spacing between points, metres.")
        .def_property_readonly("length_m", &coverage::TerrainProfile::length_m, "Path length, metres.")
        .def_property_readonly("point_count", &coverage::TerrainProfile::point_count)
        .def("reversed", &coverage::TerrainProfile::reversed, "A copy with the receiver first.")
        .def("__len__", &coverage::TerrainProfile::point_count);
    m.def("read_profile_csv", &coverage::read_profile_csv, "path"_a,
          "A profile from CSV with the header distance_m,elevation_m (equally spaced, transmitter first).");

    py::class_<Dem::Cell>(m, "Cell", "A grid cell by column and row (row 0 at the north edge).")
        .def(py::init([](int col, int row) { return Dem::Cell{col, row}; }), py::kw_only(), "col"_a, "row"_a)
        .def_readwrite("col", &Dem::Cell::col)
        .def_readwrite("row", &Dem::Cell::row)
        .def("__eq__", [](const Dem::Cell& a, const Dem::Cell& b) { return a.col == b.col && a.row == b.row; })
        .def("__hash__", [](const Dem::Cell& c) { return py::hash(py::make_tuple(c.col, c.row)); })
        .def("__repr__", [](const Dem::Cell& c) { return "Cell(col=" + std::to_string(c.col) + ", row=" + std::to_string(c.row) + ")"; });

    py::class_<Dem>(m, "Dem",
                    "A digital elevation model on a metric grid (metres above MSL, NaN = void). Immutable; shared freely "
                    "between threads. Build one with read_dem().")
        .def(py::init([](const coverage::Raster<float>& elevation, std::string source) { return Dem(elevation, {}, std::move(source)); }),
             "elevation"_a, py::kw_only(), "source"_a = "",
             "A DEM from an elevation RasterFloat32 on a projected CRS with square north-up cells (copied).")
        .def_property_readonly(
            "raster", [](const Dem& d) -> const coverage::Raster<float>& { return d.raster(); }, py::return_value_policy::reference_internal,
            "The elevation grid (RasterFloat32; .values is a numpy view, metres above MSL).")
        .def_property_readonly(
            "elevation_grid_m",
            [](py::object self) {
                py::array_t<float> v = raster_view(const_cast<coverage::Raster<float>&>(self.cast<const Dem&>().raster()), self);
                v.attr("setflags")(py::arg("write") = false); // a Dem is immutable: writing raises ValueError
                return v;
            },
            "Elevations as a read-only numpy view, shape (height, width), metres above MSL (NaN = void).")
        .def_property_readonly(
            "crs", [](const Dem& d) { return d.crs().definition; }, "The grid CRS.")
        .def_property_readonly(
            "geo_transform", [](const Dem& d) { return geo_transform_tuple(d.raster().transform()); }, "GDAL-order geotransform, metres.")
        .def_property_readonly("cell_size_m", &Dem::cell_size_m, "Cell size, metres.")
        .def_property_readonly(
            "width", [](const Dem& d) { return d.raster().width(); }, "Columns.")
        .def_property_readonly(
            "height", [](const Dem& d) { return d.raster().height(); }, "Rows.")
        .def_property_readonly("voids", &Dem::voids, "What the loader found and did about voids (VoidReport).")
        .def_property_readonly("source", &Dem::source, "Where the data came from (file names).")
        .def_property_readonly("files", &Dem::files, "Every file read: the DEM files given and the sources their VRTs name.")
        .def_property_readonly("resampling", &Dem::resampling,
                               "How the grid was made: \"none (the DEM's own cells)\", a resampling method, or \"\" for a DEM built in memory.")
        .def("to_grid", &Dem::to_grid, "point"_a, "WGS84 GeoPoint → GridPoint in the grid CRS (metres).")
        .def("to_geo", &Dem::to_geo, "point"_a, "GridPoint → WGS84 GeoPoint.")
        .def(
            "to_grid_xy",
            // c_style | forcecast: strided, reversed or non-contiguous views (and other dtypes) are copied into a
            // contiguous array first, so the loop below reads each element where it is.
            [](const Dem& d, const py::array_t<double, py::array::c_style | py::array::forcecast>& lat_deg,
               const py::array_t<double, py::array::c_style | py::array::forcecast>& lon_deg) {
                const std::vector<py::ssize_t> shape(lat_deg.shape(), lat_deg.shape() + lat_deg.ndim());
                if (!std::equal(shape.begin(), shape.end(), lon_deg.shape(), lon_deg.shape() + lon_deg.ndim()) ||
                    lat_deg.ndim() != lon_deg.ndim()) {
                    throw coverage::InvalidArgument("to_grid_xy: lat_deg and lon_deg must have the same shape");
                }
                py::array_t<double> x(shape);
                py::array_t<double> y(shape);
                const double* la = lat_deg.data();
                const double* lo = lon_deg.data();
                double* xs = x.mutable_data();
                double* ys = y.mutable_data();
                for (py::ssize_t i = 0; i < lat_deg.size(); ++i) {
                    const GridPoint g = d.to_grid(GeoPoint{.lat_deg = la[i], .lon_deg = lo[i]});
                    xs[i] = g.x_m;
                    ys[i] = g.y_m;
                }
                return py::make_tuple(x, y);
            },
            "lat_deg"_a, "lon_deg"_a, "Arrays of latitudes and longitudes (degrees) → (x_m, y_m) arrays in the grid CRS.")
        .def("covers", &Dem::covers, "point"_a, "True when a GridPoint lies between the outermost cell centres.")
        .def("elevation_m", py::overload_cast<GeoPoint>(&Dem::elevation_m, py::const_), "point"_a,
             "Bilinear elevation at a GeoPoint, metres above MSL; OutOfDomain off the DEM or on a void.")
        .def("elevation_m", py::overload_cast<GridPoint>(&Dem::elevation_m, py::const_), "point"_a,
             "Bilinear elevation at a GridPoint, metres above MSL.")
        .def(
            "try_elevation_m",
            [](const Dem& d, GridPoint p, coverage::ProfileSampling sampling) { return d.try_elevation_m(p, sampling); }, "point"_a,
            py::kw_only(), "sampling"_a = coverage::ProfileSampling::bilinear,
            "Elevation at a GridPoint (bilinear, or the nearest post), or None off the DEM / next to a void.")
        .def(
            "profile",
            [](const Dem& d, GeoPoint from, GeoPoint to, double step_m, coverage::ProfileSampling sampling) {
                py::gil_scoped_release nogil;
                return d.profile(from, to, step_m, sampling);
            },
            "from_point"_a, "to_point"_a, "step_m"_a, py::kw_only(), "sampling"_a = coverage::ProfileSampling::bilinear,
            "Equally spaced TerrainProfile between two GeoPoints (both included); spacing ≤ step_m metres.")
        .def(
            "profile",
            [](const Dem& d, GridPoint from, GridPoint to, double step_m, coverage::ProfileSampling sampling) {
                py::gil_scoped_release nogil;
                return d.profile(from, to, step_m, sampling);
            },
            "from_point"_a, "to_point"_a, "step_m"_a, py::kw_only(), "sampling"_a = coverage::ProfileSampling::bilinear,
            "Equally spaced TerrainProfile between two GridPoints.")
        .def("cell_at", &Dem::cell_at, "point"_a, "The Cell holding a GridPoint; None off the grid.")
        .def("cells_within", &Dem::cells_within, "centre"_a, "radius_m"_a, "Cells whose centres lie within radius_m (metres) of a GridPoint.")
        .def("cell_centre", &Dem::cell_centre, "col"_a, "row"_a, "Centre of a cell as a GridPoint.")
        .def(
            "slope_deg",
            [](const Dem& d, int col, int row) {
                if (!d.raster().contains(col, row)) {
                    throw coverage::OutOfDomain("slope_deg: cell (" + std::to_string(col) + ", " + std::to_string(row) +
                                                ") is off the grid (" + std::to_string(d.raster().width()) + " × " +
                                                std::to_string(d.raster().height()) + " cells)");
                }
                return d.slope_deg(col, row);
            },
            "col"_a, "row"_a, "Slope at a cell, degrees (Horn's method, as gdaldem); OutOfDomain off the grid.")
        .def(
            "slope_deg_grid",
            [](const Dem& d) {
                py::array_t<float> out({d.raster().height(), d.raster().width()});
                auto w = out.mutable_unchecked<2>();
                {
                    py::gil_scoped_release nogil;
                    for (int r = 0; r < d.raster().height(); ++r) {
                        for (int c = 0; c < d.raster().width(); ++c) {
                            w(r, c) = static_cast<float>(d.slope_deg(c, r));
                        }
                    }
                }
                return out;
            },
            "Slope of every cell, degrees, as a numpy array (height, width).")
        .def("__repr__", [](const Dem& d) {
            return "<Dem " + std::to_string(d.raster().width()) + " x " + std::to_string(d.raster().height()) + " cells of " +
                   std::to_string(d.cell_size_m()) + " m from " + d.source() + ">";
        });

    m.def(
        "read_dem",
        [](const py::object& paths, const coverage::DemOptions& options, const py::object& progress) {
            std::vector<std::string> files;
            if (py::isinstance<py::str>(paths) || py::hasattr(paths, "__fspath__")) {
                files.push_back(py::str(paths).cast<std::string>());
            } else {
                for (const auto& p : paths) {
                    files.push_back(py::str(p).cast<std::string>());
                }
            }
            return run_interruptible(progress, "terrain", [&](const coverage::ProgressFn& fn) { return coverage::read_dem(files, options, fn); });
        },
        "paths"_a, "options"_a = coverage::DemOptions{}, py::kw_only(), "progress"_a = py::none(),
        "Read one or more elevation rasters (GeoTIFF, SRTM .hgt, VRT, ...) as one mosaic reprojected onto a metric grid. "
        "`paths`: a path or a list of paths. Raises IoError naming a missing file, OutOfDomain for voids under "
        "VoidPolicy.error.");
    m.def("describe", &coverage::describe, "point"_a, "A GeoPoint in words for messages: '21.90000 N, 106.00000 E'.");
}

} // namespace libcoverage_py
