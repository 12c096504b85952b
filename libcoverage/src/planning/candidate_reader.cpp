// read_candidates: candidate tower sites through OGR.

#include <coverage/core/error.hpp>
#include <coverage/planning/planning.hpp>

#include "io/ogr_fields.hpp"

#include <ogrsf_frmts.h>

#include <string>

namespace coverage {

std::vector<Candidate> read_candidates(const std::string& path, double default_mast_m) {
    const detail::DatasetPtr ds = detail::open_vector(path, "candidates file");
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    std::vector<Candidate> out;
    int row = 0;
    for (auto& f : *layer) {
        ++row;
        const std::string here = "candidates file '" + path + "', row " + std::to_string(row);
        detail::FeatureFields fields(here, "column", *f, defn);
        Candidate c;
        c.candidate_id = fields.text("candidate_id");
        fields.set_context(here + " ('" + c.candidate_id + "')");
        c.name = fields.text_or("name", c.candidate_id);
        c.location = fields.position(*layer);
        if (!(c.location.lat_deg >= -90 && c.location.lat_deg <= 90 && c.location.lon_deg >= -180 && c.location.lon_deg <= 180)) {
            throw InvalidArgument(fields.context() + ": position out of range");
        }
        c.mast_height_m = fields.number_or("mast_height_m", default_mast_m);
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
