#ifndef COVERAGE_COVERAGE_HPP
#define COVERAGE_COVERAGE_HPP

/** Umbrella header: the whole public API of libcoverage. */

#include <coverage/atomic_file.hpp>
#include <coverage/delta_bullington_model.hpp>
#include <coverage/coverage_map.hpp>
#include <coverage/dem.hpp>
#include <coverage/dem_fetch.hpp>
#include <coverage/error.hpp>
#include <coverage/free_space_model.hpp>
#include <coverage/geo.hpp>
#include <coverage/hamlet.hpp>
#include <coverage/hata_model.hpp>
#include <coverage/itm_model.hpp>
#include <coverage/link_analysis.hpp>
#include <coverage/link_budget.hpp>
#include <coverage/map_render.hpp>
#include <coverage/antenna.hpp>
#include <coverage/site.hpp>
#include <coverage/raster_io.hpp>
#include <coverage/progress.hpp>
#include <coverage/propagation_model.hpp>
#include <coverage/raster.hpp>
#include <coverage/signal_class.hpp>
#include <coverage/terrain_profile.hpp>
#include <coverage/version.hpp>

#endif // COVERAGE_COVERAGE_HPP
