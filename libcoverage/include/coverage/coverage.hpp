#ifndef COVERAGE_COVERAGE_HPP
#define COVERAGE_COVERAGE_HPP

/** Umbrella header: the whole public API of libcoverage, layer by layer from the bottom (docs/ARCHITECTURE.md). */

#include <coverage/core/atomic_file.hpp>
#include <coverage/core/catalogue.hpp>
#include <coverage/core/error.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/core/version.hpp>
#include <coverage/io/crs_transform.hpp>
#include <coverage/io/dem_fetch.hpp>
#include <coverage/io/elevation_reader.hpp>
#include <coverage/io/image_io.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/io/vector_layer.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/terrain/terrain_profile.hpp>
#include <coverage/propagation/delta_bullington_model.hpp>
#include <coverage/propagation/free_space_model.hpp>
#include <coverage/propagation/hata_model.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/propagation/link_analysis.hpp>
#include <coverage/propagation/model_spec.hpp>
#include <coverage/propagation/propagation_model.hpp>
#include <coverage/radio/antenna.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/radio/sector.hpp>
#include <coverage/radio/signal_class.hpp>
#include <coverage/radio/technology.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/coverage/technology_coverage.hpp>
#include <coverage/analysis/fibre_network.hpp>
#include <coverage/analysis/hamlet.hpp>
#include <coverage/analysis/hamlet_analysis.hpp>
#include <coverage/analysis/priorities.hpp>
#include <coverage/planning/backhaul.hpp>
#include <coverage/planning/candidates.hpp>
#include <coverage/planning/cost_surface.hpp>
#include <coverage/planning/fibre_router.hpp>
#include <coverage/planning/plan.hpp>
#include <coverage/planning/selection.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/report/plan_chart.hpp>
#include <coverage/study/coverage_outputs.hpp>
#include <coverage/study/output_folder.hpp>
#include <coverage/study/study.hpp>

#endif // COVERAGE_COVERAGE_HPP
