#include <coverage/io/crs_transform.hpp>

#include <coverage/core/geo.hpp>
#include <coverage/core/error.hpp>

#include <proj.h>

#include <cmath>

namespace coverage::detail {

struct CrsTransform::Impl {
    PJ_CONTEXT* ctx = nullptr;
    PJ* pj = nullptr;
    ~Impl() {
        if (pj != nullptr) {
            proj_destroy(pj);
        }
        if (ctx != nullptr) {
            proj_context_destroy(ctx);
        }
    }
};

namespace {

std::string proj_error(PJ_CONTEXT* ctx) {
    const int err = proj_context_errno(ctx);
    const char* text = err != 0 ? proj_context_errno_string(ctx, err) : nullptr;
    const std::string t = text != nullptr ? text : "";
    // PROJ says "Unknown error (code 4096)" for a code it has no entry for, and nothing at all for some definitions.
    if (t.empty() || t.rfind("Unknown error", 0) == 0) {
        return "not a CRS PROJ knows (an EPSG code such as EPSG:32648, a WKT or a PROJ string)";
    }
    return t;
}

// Creates a CRS object or throws naming the definition. Caller destroys it.
PJ* create_crs(PJ_CONTEXT* ctx, const std::string& def) {
    // A PROJ string names a CRS only with +type=crs; without it PROJ reads an operation.
    std::string text = def;
    if (text.rfind("+proj=", 0) == 0 && text.find("+type=crs") == std::string::npos) {
        text += " +type=crs";
    }
    PJ* crs = proj_create(ctx, text.c_str());
    if (crs == nullptr) {
        throw InvalidArgument("unknown CRS '" + def + "': " + proj_error(ctx));
    }
    if (proj_is_crs(crs) == 0) {
        proj_destroy(crs);
        throw InvalidArgument("unknown CRS '" + def + "': not a coordinate reference system (give e.g. EPSG:32648, a WKT or a PROJ string)");
    }
    const PJ_TYPE type = proj_get_type(crs);
    if (type != PJ_TYPE_PROJECTED_CRS) {
        // PROJ also looks words up by name ("foo" finds "Amersfoort"): say what it found.
        const char* name = proj_get_name(crs);
        const bool geographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
        const std::string found = std::string(" (PROJ reads it as \"") + (name != nullptr ? name : "?") + "\", " +
                                  (geographic ? "a geographic CRS in degrees" : "not a map projection") + ")";
        proj_destroy(crs);
        throw InvalidArgument("CRS '" + def + "'" + found + " is not a projected (metric) CRS; name one such as a UTM zone, e.g. EPSG:32648");
    }
    return crs;
}

// A PROJ context that never prints: the library reports through exceptions only.
PJ_CONTEXT* quiet_context() {
    PJ_CONTEXT* ctx = proj_context_create();
    proj_log_level(ctx, PJ_LOG_NONE);
    return ctx;
}

} // namespace

void check_projected_crs(const std::string& crs) {
    PJ_CONTEXT* ctx = quiet_context();
    try {
        PJ* pj = create_crs(ctx, crs);
        proj_destroy(pj);
    } catch (...) {
        proj_context_destroy(ctx);
        throw;
    }
    proj_context_destroy(ctx);
}

CrsTransform::CrsTransform(const std::string& target_crs) : m_impl(std::make_unique<Impl>()) {
    m_impl->ctx = quiet_context();
    PJ* target = create_crs(m_impl->ctx, target_crs);
    const char* wkt = proj_as_wkt(m_impl->ctx, target, PJ_WKT2_2019, nullptr);
    m_wkt = wkt != nullptr ? wkt : target_crs;
    PJ* source = proj_create(m_impl->ctx, "EPSG:4326");
    PJ* op = source != nullptr ? proj_create_crs_to_crs_from_pj(m_impl->ctx, source, target, nullptr, nullptr) : nullptr;
    proj_destroy(source);
    proj_destroy(target);
    if (op == nullptr) {
        throw InvalidArgument("no transformation from WGS84 to CRS '" + target_crs + "': " + proj_error(m_impl->ctx));
    }
    m_impl->pj = proj_normalize_for_visualization(m_impl->ctx, op); // lon, lat order
    proj_destroy(op);
    if (m_impl->pj == nullptr) {
        throw InvalidArgument("cannot normalise the transformation to CRS '" + target_crs + "'");
    }
}

CrsTransform::~CrsTransform() = default;

GridPoint CrsTransform::forward(GeoPoint p) const {
    const std::lock_guard lock(m_mutex);
    PJ_COORD c = proj_coord(p.lon_deg, p.lat_deg, 0, 0);
    c = proj_trans(m_impl->pj, PJ_FWD, c);
    if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y)) {
        throw OutOfDomain("cannot project point " + describe(p) + " to the grid CRS");
    }
    return GridPoint{.x_m = c.xy.x, .y_m = c.xy.y};
}

GeoPoint CrsTransform::inverse(GridPoint p) const {
    const std::lock_guard lock(m_mutex);
    PJ_COORD c = proj_coord(p.x_m, p.y_m, 0, 0);
    c = proj_trans(m_impl->pj, PJ_INV, c);
    return GeoPoint{.lat_deg = c.lp.phi, .lon_deg = c.lp.lam};
}

} // namespace coverage::detail
