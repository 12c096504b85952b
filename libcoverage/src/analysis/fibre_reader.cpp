// read_fibre_routes: cable routes (lines) (through io's read_layer).

#include <coverage/core/error.hpp>
#include <coverage/analysis/fibre_network.hpp>

#include <coverage/io/vector_layer.hpp>


#include <string>

namespace coverage {

namespace {

void add_line(const GeometryPart& line, const std::string& where, FibreRoute route, std::vector<FibreRoute>& out) {
    if (line.points.size() < 2) {
        throw InvalidArgument(where + ": a fibre route needs at least two points (got " + std::to_string(line.points.size()) + ")");
    }
    route.points = line.points;
    for (const GeoPoint& p : route.points) {
        if (!(p.lat_deg >= -90 && p.lat_deg <= 90 && p.lon_deg >= -180 && p.lon_deg <= 180)) {
            throw InvalidArgument(where + ": coordinates out of range (lat " + std::to_string(p.lat_deg) + ", lon " +
                                  std::to_string(p.lon_deg) + ")");
        }
    }
    out.push_back(std::move(route));
}

} // namespace

std::vector<FibreRoute> read_fibre_routes(const std::string& path) {
    const VectorLayer layer = read_layer(path, "fibre file", "feature");
    std::vector<FibreRoute> out;
    for (const VectorFeature& f : layer.features) {
        const int row = f.number;
        const std::string where = "fibre file '" + path + "', feature " + std::to_string(row);
        const FeatureFields fields(where, "field", f);
        FibreRoute route;
        route.route_id = fields.text_or("route_id", "F" + std::to_string(row));
        route.name = fields.text_or("name", "");
        const FeatureGeometry& g = f.geometry;
        if (g.kind == FeatureGeometry::Kind::none) {
            throw InvalidArgument(where + ": no geometry (a fibre route must be a LineString or MultiLineString)");
        }
        if (g.kind == FeatureGeometry::Kind::line) {
            add_line(g.parts.front(), where, route, out);
        } else if (g.kind == FeatureGeometry::Kind::multi_line) {
            for (std::size_t i = 0; i < g.parts.size(); ++i) {
                FibreRoute part = route;
                part.route_id += "." + std::to_string(i + 1);
                add_line(g.parts[i], where + " part " + std::to_string(i + 1), part, out);
            }
        } else {
            throw InvalidArgument(where + ": geometry is a " + g.type_name +
                                  "; a fibre route must be a LineString or MultiLineString");
        }
    }
    if (out.empty()) {
        throw InvalidArgument("fibre file '" + path + "' has no features");
    }
    return out;
}

} // namespace coverage
