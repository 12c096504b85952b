#ifndef COVERAGE_COVERAGE_HPP
#define COVERAGE_COVERAGE_HPP

/** Umbrella header: the whole public API of libcoverage. */

#include <coverage/core/atomic_file.hpp>
#include <coverage/propagation/delta_bullington_model.hpp>
#include <coverage/coverage/coverage_engine.hpp>
#include <coverage/terrain/dem.hpp>
#include <coverage/io/dem_fetch.hpp>
#include <coverage/core/error.hpp>
#include <coverage/propagation/free_space_model.hpp>
#include <coverage/core/geo.hpp>
#include <coverage/analysis/hamlet.hpp>
#include <coverage/propagation/hata_model.hpp>
#include <coverage/propagation/itm_model.hpp>
#include <coverage/propagation/link_analysis.hpp>
#include <coverage/radio/link_budget.hpp>
#include <coverage/report/map_render.hpp>
#include <coverage/radio/antenna.hpp>
#include <coverage/radio/sector.hpp>
#include <coverage/io/raster_io.hpp>
#include <coverage/core/progress.hpp>
#include <coverage/propagation/propagation_model.hpp>
#include <coverage/core/raster.hpp>
#include <coverage/radio/signal_class.hpp>
#include <coverage/terrain/terrain_profile.hpp>
#include <coverage/core/version.hpp>

#endif // COVERAGE_COVERAGE_HPP
