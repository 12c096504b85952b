// read_candidates: candidate tower sites (through io's read_layer).

#include <coverage/core/error.hpp>
#include <coverage/planning/candidates.hpp>

#include <coverage/io/vector_layer.hpp>


#include <string>

namespace coverage {

std::vector<Candidate> read_candidates(const std::string& path, double default_mast_m, double default_small_cell_mast_m) {
    const VectorLayer layer = read_layer(path, "candidates file", "row");
    refuse_near_misses(layer, "candidates file", {"candidate_id", "name", "kind", "mast_height_m", "lat_deg", "lon_deg", "x_m", "y_m", "crs"});
    std::vector<Candidate> out;
    for (const VectorFeature& f : layer.features) {
        const int row = f.number;
        const std::string here = "candidates file '" + path + "', row " + std::to_string(row);
        FeatureFields fields(here, "column", f);
        Candidate c;
        c.candidate_id = fields.text("candidate_id");
        fields.set_context(here + " ('" + c.candidate_id + "')");
        c.name = fields.text_or("name", c.candidate_id);
        c.location = fields.position();
        if (!(c.location.lat_deg >= -90 && c.location.lat_deg <= 90 && c.location.lon_deg >= -180 && c.location.lon_deg <= 180)) {
            throw InvalidArgument(fields.context() + ": position out of range");
        }
        const std::string kind = fields.text_or("kind", "tower");
        if (kind != "tower" && kind != "small_cell") {
            throw InvalidArgument(fields.where("kind") + ": must be tower or small_cell (got '" + kind + "')");
        }
        c.small_cell = kind == "small_cell";
        c.mast_height_m = fields.number_or("mast_height_m", c.small_cell ? default_small_cell_mast_m : default_mast_m);
        if (!(c.mast_height_m >= 3.0 && c.mast_height_m <= 150.0)) {
            throw InvalidArgument(fields.where("mast_height_m") + ": must be 3..150 m (got " + std::to_string(c.mast_height_m) + ")");
        }
        for (const Candidate& other : out) {
            if (other.candidate_id == c.candidate_id) {
                throw InvalidArgument(fields.where("candidate_id") + ": '" + c.candidate_id + "' appears twice");
            }
        }
        out.push_back(c);
    }
    return out;
}

} // namespace coverage
