// read_hamlets: settlements from GeoJSON / GeoPackage / CSV through OGR.

#include <coverage/error.hpp>
#include <coverage/hamlet.hpp>

#include "ogr_fields.hpp"

#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace coverage {

std::vector<Hamlet> read_hamlets(const std::string& path) {
    const detail::DatasetPtr ds = detail::open_vector(path, "hamlets file");
    OGRLayer* layer = ds->GetLayer(0);
    const OGRFeatureDefn& defn = *layer->GetLayerDefn();
    std::vector<Hamlet> out;
    int row = 0;
    for (auto& f : *layer) {
        ++row;
        const std::string here = "hamlets file '" + path + "', feature " + std::to_string(row);
        detail::FeatureFields fields(here, "field", *f, defn);
        Hamlet h;
        h.name = fields.text("name");
        fields.set_context(here + " ('" + h.name + "')");
        h.hamlet_id = fields.text_or("hamlet_id", "H" + std::to_string(row));
        h.location = fields.position(*layer);
        if (!(h.location.lat_deg >= -90 && h.location.lat_deg <= 90 && h.location.lon_deg >= -180 && h.location.lon_deg <= 180)) {
            throw InvalidArgument(fields.context() + ": position out of range");
        }
        for (const char* col : {"households", "population"}) {
            const double v = fields.number(col);
            if (v < 0 || v != std::floor(v)) {
                throw InvalidArgument(fields.where(col) + ": must be a whole number >= 0 (got " + std::to_string(v) + ")");
            }
            (std::string(col) == "households" ? h.households : h.population) = static_cast<int>(v);
        }
        h.settlement_radius_m = fields.number_or("settlement_radius_m", h.settlement_radius_m);
        if (!(h.settlement_radius_m > 0.0 && h.settlement_radius_m <= 5000.0)) {
            throw InvalidArgument(fields.where("settlement_radius_m") + ": must be > 0 and <= 5000 m");
        }
        out.push_back(h);
    }
    if (out.empty()) {
        throw InvalidArgument("hamlets file '" + path + "' has no features");
    }
    return out;
}

} // namespace coverage
