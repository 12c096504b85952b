// read_map_lines: the lines of a vector layer (roads, streams, boundaries) for drawing on a map, (through io's read_layer).

#include <coverage/core/error.hpp>
#include <coverage/report/map_render.hpp>

#include <coverage/io/vector_layer.hpp>


#include <string>

namespace coverage {

std::vector<std::vector<GeoPoint>> read_map_lines(const std::string& path, const std::string& what) {
    const VectorLayer layer = read_layer(path, what, "feature");
    std::vector<std::vector<GeoPoint>> out;
    for (const VectorFeature& f : layer.features) {
        const FeatureGeometry& g = f.geometry;
        if (g.kind == FeatureGeometry::Kind::none) {
            continue;
        }
        const std::string where = what + " '" + path + "', feature " + std::to_string(f.number);
        if (g.kind == FeatureGeometry::Kind::other) {
            throw InvalidArgument(where + ": geometry is a " + g.type_name + "; lines or polygons are expected");
        }
        for (const GeometryPart& part : g.parts) {
            if (part.kind == GeometryPart::Kind::point) {
                throw InvalidArgument(where + ": geometry is a " + part.type_name + "; lines or polygons are expected");
            }
            if (part.points.size() >= 2) { // shorter parts have nothing to draw
                out.push_back(part.points);
            }
        }
    }
    return out;
}

} // namespace coverage
