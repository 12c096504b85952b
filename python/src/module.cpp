// libcoverage._core: the C++ library for Python. Names mirror the C++ API (libcoverage/include/coverage/).

#include "common.hpp"

#include <pybind11/operators.h>

#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/core/version.hpp>

#include <cmath>
#include <cstdint>
#include <string>

namespace libcoverage_py {

py::object progress_callable(const py::object& progress, const char* description) {
    if (progress.is_none() || (py::isinstance<py::bool_>(progress) && !progress.cast<bool>())) {
        return py::none();
    }
    if (py::isinstance<py::bool_>(progress)) {
        return py::module_::import("libcoverage._progress").attr("TqdmProgress")(description);
    }
    if (!PyCallable_Check(progress.ptr())) {
        throw py::type_error("progress must be None, True (a tqdm bar) or a callable f(fraction, message) -> bool | None");
    }
    return progress;
}

void close_progress(const py::object& obj) noexcept {
    try {
        if (!obj.is_none() && py::hasattr(obj, "close")) {
            obj.attr("close")();
        }
    } catch (py::error_already_set&) {
        PyErr_Clear();
    }
}

py::tuple geo_transform_tuple(const coverage::GeoTransform& gt) {
    const auto a = gt.to_gdal();
    return py::make_tuple(a[0], a[1], a[2], a[3], a[4], a[5]);
}

coverage::GeoTransform geo_transform_from(const py::sequence& values) {
    if (py::len(values) != 6) {
        throw coverage::InvalidArgument("geo_transform: expected 6 numbers (GDAL order), got " + std::to_string(py::len(values)));
    }
    std::array<double, 6> a{};
    for (std::size_t i = 0; i < 6; ++i) {
        a[i] = values[i].cast<double>();
    }
    return coverage::GeoTransform::from_gdal(a);
}

namespace {

template <typename T>
void bind_raster(py::module_& m, const char* name, const char* dtype) {
    using R = coverage::Raster<T>;
    const std::string doc = std::string("A georeferenced single-band grid of ") + dtype +
                            " values, row 0 at the north edge. Supports the buffer protocol: numpy.asarray(raster) and "
                            "raster.values are views of the same memory (no copy), shape (height, width).";
    py::class_<R>(m, name, py::buffer_protocol(), doc.c_str())
        .def(py::init([](const py::array_t<T, py::array::c_style | py::array::forcecast>& values, const py::sequence& geo_transform,
                         const std::string& crs, std::optional<T> nodata) {
                 if (values.ndim() != 2) {
                     throw coverage::InvalidArgument("Raster: values must be a 2-D array (rows, columns), got " +
                                                     std::to_string(values.ndim()) + " dimensions");
                 }
                 R r(static_cast<int>(values.shape(1)), static_cast<int>(values.shape(0)), geo_transform_from(geo_transform),
                     coverage::Crs{crs}, nodata);
                 std::copy(values.data(), values.data() + values.size(), r.data());
                 return r;
             }),
             py::arg("values"), py::kw_only(), py::arg("geo_transform"), py::arg("crs"), py::arg("nodata") = py::none(),
             "A raster holding a copy of `values` (2-D, rows × columns) on the grid `geo_transform` (GDAL order, metres) in "
             "`crs` (WKT, PROJJSON or 'EPSG:n').")
        .def_buffer([](R& r) {
            return py::buffer_info(r.data(), sizeof(T), py::format_descriptor<T>::format(), 2,
                                   {static_cast<py::ssize_t>(r.height()), static_cast<py::ssize_t>(r.width())},
                                   {static_cast<py::ssize_t>(sizeof(T)) * r.width(), static_cast<py::ssize_t>(sizeof(T))});
        })
        .def_property_readonly(
            "values", [](py::object self) { return raster_view(self.cast<R&>(), self); },
            "The values as a numpy array of shape (height, width) sharing this raster's memory (no copy).")
        .def_property_readonly("width", &R::width, "Columns.")
        .def_property_readonly("height", &R::height, "Rows.")
        .def_property_readonly(
            "geo_transform", [](const R& r) { return geo_transform_tuple(r.transform()); },
            "(xorig, xscale, xrot, yorig, yrot, yscale) in GDAL's order, metres of the grid CRS.")
        .def_property_readonly(
            "crs", [](const R& r) { return r.crs().definition; }, "The grid's CRS (WKT, PROJJSON or 'EPSG:n').")
        .def_property_readonly(
            "nodata", [](const R& r) { return r.nodata(); }, "The value marking cells without data (None: NaN for float rasters).")
        .def_property_readonly(
            "bounds_m",
            [](const R& r) {
                const auto& gt = r.transform();
                const double x0 = gt.xorig;
                const double x1 = gt.xorig + gt.xscale * r.width();
                const double y0 = gt.yorig;
                const double y1 = gt.yorig + gt.yscale * r.height();
                return py::make_tuple(std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1));
            },
            "(xmin, ymin, xmax, ymax) of the grid's outer edges, metres of the grid CRS.")
        .def_property_readonly(
            "extent_m",
            [](const R& r) {
                const auto& gt = r.transform();
                return py::make_tuple(gt.xorig, gt.xorig + gt.xscale * r.width(), gt.yorig + gt.yscale * r.height(), gt.yorig);
            },
            "(left, right, bottom, top), metres: matplotlib's imshow(extent=...) for this raster.")
        .def("__repr__", [name](const R& r) {
            return std::string("<") + name + " " + std::to_string(r.width()) + " x " + std::to_string(r.height()) + ", cell " +
                   std::to_string(r.transform().xscale) + " m>";
        });
}

PyObject* new_exception(py::module_& m, const char* name, const py::tuple& bases, const char* doc) {
    const std::string full = std::string("libcoverage.") + name;
    PyObject* type = PyErr_NewExceptionWithDoc(full.c_str(), doc, bases.ptr(), nullptr);
    if (type == nullptr) {
        throw py::error_already_set();
    }
    m.add_object(name, py::reinterpret_borrow<py::object>(type));
    return type;
}

// The exception types, created once at import (the translator below must be a plain function).
PyObject* base = nullptr;
PyObject* invalid = nullptr;
PyObject* io = nullptr;
PyObject* domain = nullptr;
PyObject* itm = nullptr;
PyObject* cancelled = nullptr;

void bind_errors(py::module_& m) {
    base = new_exception(m, "CoverageError", py::make_tuple(py::reinterpret_borrow<py::object>(PyExc_Exception)),
                               "Base of every error libcoverage raises; the message names the file, row or feature, and field.");
    const auto b = py::reinterpret_borrow<py::object>(base);
    invalid = new_exception(m, "InvalidArgument", py::make_tuple(b, py::reinterpret_borrow<py::object>(PyExc_ValueError)),
                                  "A value is malformed or inconsistent (negative height, bad CSV row, unknown key, ...).");
    io = new_exception(m, "IoError", py::make_tuple(b, py::reinterpret_borrow<py::object>(PyExc_OSError)),
                             "Reading or writing a file failed; carries GDAL's, PROJ's or the system's message.");
    domain = new_exception(m, "OutOfDomain", py::make_tuple(b, py::reinterpret_borrow<py::object>(PyExc_ValueError)),
                                 "A value is well formed but outside what a model or the data covers (a point off the DEM, a "
                                 "frequency outside a model's range, a void).");
    itm = new_exception(m, "ItmError", py::make_tuple(py::reinterpret_borrow<py::object>(domain)),
                              "An input ITM rejects; `code` is NTIA's error code (1000..1022), `warnings` its warning bits.");
    cancelled = new_exception(m, "Cancelled", py::make_tuple(b),
                                    "The progress callback returned False: the computation stopped and wrote nothing.");
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) {
                std::rethrow_exception(p);
            }
        } catch (const coverage::ItmError& e) {
            py::object instance = py::reinterpret_borrow<py::object>(itm)(e.what());
            instance.attr("code") = e.code();
            instance.attr("warnings") = e.warnings();
            PyErr_SetObject(itm, instance.ptr());
        } catch (const coverage::Cancelled& e) {
            PyErr_SetString(cancelled, e.what());
        } catch (const coverage::InvalidArgument& e) {
            PyErr_SetString(invalid, e.what());
        } catch (const coverage::IoError& e) {
            PyErr_SetString(io, e.what());
        } catch (const coverage::OutOfDomain& e) {
            PyErr_SetString(domain, e.what());
        } catch (const coverage::Error& e) {
            PyErr_SetString(base, e.what());
        }
    });
}

void bind_geo(py::module_& m) {
    py::class_<coverage::GeoPoint>(m, "GeoPoint", "A WGS84 position, degrees. Built with keywords: GeoPoint(lat_deg=21.9, lon_deg=106.0).")
        .def(py::init([](double lat_deg, double lon_deg) { return coverage::GeoPoint{.lat_deg = lat_deg, .lon_deg = lon_deg}; }),
             py::kw_only(), py::arg("lat_deg"), py::arg("lon_deg"))
        .def_readwrite("lat_deg", &coverage::GeoPoint::lat_deg, "Latitude, degrees north.")
        .def_readwrite("lon_deg", &coverage::GeoPoint::lon_deg, "Longitude, degrees east.")
        .def(py::self == py::self)
        .def("__repr__", [](const coverage::GeoPoint& p) {
            return "GeoPoint(lat_deg=" + py::repr(py::float_(p.lat_deg)).cast<std::string>() +
                   ", lon_deg=" + py::repr(py::float_(p.lon_deg)).cast<std::string>() + ")";
        });
    py::class_<coverage::GridPoint>(m, "GridPoint", "A position in a projected grid CRS, metres: GridPoint(x_m=..., y_m=...).")
        .def(py::init([](double x_m, double y_m) { return coverage::GridPoint{.x_m = x_m, .y_m = y_m}; }), py::kw_only(),
             py::arg("x_m"), py::arg("y_m"))
        .def_readwrite("x_m", &coverage::GridPoint::x_m, "Easting, metres.")
        .def_readwrite("y_m", &coverage::GridPoint::y_m, "Northing, metres.")
        .def(py::self == py::self)
        .def("__repr__", [](const coverage::GridPoint& p) {
            return "GridPoint(x_m=" + py::repr(py::float_(p.x_m)).cast<std::string>() +
                   ", y_m=" + py::repr(py::float_(p.y_m)).cast<std::string>() + ")";
        });
    m.def("great_circle_distance_m", &coverage::great_circle_distance_m, py::arg("a"), py::arg("b"),
          "Great-circle distance between two GeoPoints on a sphere of radius 6371 km (haversine), metres.");
    m.def("utm_epsg_for", &coverage::utm_epsg_for, py::arg("point"),
          "EPSG code of the WGS84 UTM zone holding a GeoPoint (326zz north, 327zz south).");
    m.def(
        "crs_name", [](const std::string& crs) { return coverage::crs_name(coverage::Crs{crs}); }, py::arg("crs"),
        "A CRS by name and code, e.g. 'WGS 84 / UTM zone 48N (EPSG:32648)'.");
}

void bind_raster_io(py::module_& m) {
    py::class_<coverage::BandInfo>(m, "BandInfo", "What a band holds, written into the file (description and unit).")
        .def(py::init([](std::string description, std::string unit) { return coverage::BandInfo{std::move(description), std::move(unit)}; }),
             py::kw_only(), py::arg("description") = "", py::arg("unit") = "")
        .def_readwrite("description", &coverage::BandInfo::description)
        .def_readwrite("unit", &coverage::BandInfo::unit, "e.g. 'dB', 'dBm'.");
    m.def(
        "write_raster",
        [](const std::string& path, const std::vector<const coverage::Raster<float>*>& bands, const std::vector<coverage::BandInfo>& info) {
            py::gil_scoped_release nogil;
            coverage::write_raster(path, bands, info);
        },
        py::arg("path"), py::arg("bands"), py::arg("info"),
        "Write float32 rasters as the bands of a Cloud-Optimized GeoTIFF (DEFLATE, nodata NaN), atomically.");
    m.def(
        "write_raster",
        [](const std::string& path, const std::vector<const coverage::Raster<std::uint8_t>*>& bands, const std::vector<coverage::BandInfo>& info) {
            py::gil_scoped_release nogil;
            coverage::write_raster(path, bands, info);
        },
        py::arg("path"), py::arg("bands"), py::arg("info"), "Write uint8 rasters as the bands of a Cloud-Optimized GeoTIFF (nodata from the first), atomically.");
    m.def(
        "write_raster",
        [](const std::string& path, const coverage::Raster<std::uint16_t>& band, const coverage::BandInfo& info) {
            py::gil_scoped_release nogil;
            coverage::write_raster(path, band, info);
        },
        py::arg("path"), py::arg("band"), py::arg("info"), "Write a uint16 raster as a Cloud-Optimized GeoTIFF (with its nodata), atomically.");
    m.def(
        "read_raster_band",
        [](const std::string& path, int band) {
            py::gil_scoped_release nogil;
            return coverage::read_raster_band(path, band);
        },
        py::arg("path"), py::arg("band") = 1, "One band of a raster file as a RasterFloat32 (NaN where nodata).");
    py::class_<coverage::ColorEntry>(m, "ColorEntry", "One colour-table entry of a categorical raster, with the category's name.")
        .def_readonly("value", &coverage::ColorEntry::value)
        .def_readonly("red", &coverage::ColorEntry::red)
        .def_readonly("green", &coverage::ColorEntry::green)
        .def_readonly("blue", &coverage::ColorEntry::blue)
        .def_readonly("alpha", &coverage::ColorEntry::alpha)
        .def_readonly("label", &coverage::ColorEntry::label)
        .def_property_readonly(
            "rgba", [](const coverage::ColorEntry& c) { return py::make_tuple(c.red / 255.0, c.green / 255.0, c.blue / 255.0, c.alpha / 255.0); },
            "(r, g, b, a) in 0..1, as matplotlib takes colours.");
    m.def("signal_class_palette", &coverage::signal_class_palette, py::arg("thresholds"), py::arg("measure"),
          "The colours of the signal classes used in every map and report (ColorBrewer RdYlGn), labelled with the thresholds; "
          "measure is 'RSRP' or 'RSCP'.");
    m.def("server_palette", &coverage::server_palette, py::arg("sector_ids"), "A distinct colour per sector for best-server maps.");
    m.def("raster_metadata_item", &coverage::raster_metadata_item, py::arg("path"), py::arg("key"), py::kw_only(),
          py::arg("allow_remote") = false, "A dataset metadata item of a raster file ('' when absent), e.g. 'SYNTHETIC'.");
}

} // namespace

} // namespace libcoverage_py

PYBIND11_MODULE(_core, m) {
    namespace lp = libcoverage_py;
    m.doc() = "libcoverage's C++ engine (terrain, propagation models, coverage maps, hamlet analysis, planning, studies). "
              "Import the package `libcoverage`, which re-exports these names.";
    m.attr("__version__") = coverage::version;
    lp::bind_errors(m);
    lp::bind_geo(m);
    lp::bind_raster<float>(m, "RasterFloat32", "float32");
    lp::bind_raster<std::uint8_t>(m, "RasterUInt8", "uint8");
    lp::bind_raster<std::uint16_t>(m, "RasterUInt16", "uint16");
    lp::bind_terrain(m);
    lp::bind_models(m);
    lp::bind_raster_io(m);
    lp::bind_coverage(m);
    lp::bind_analysis(m);
    lp::bind_planning(m);
    lp::bind_study(m);
}
