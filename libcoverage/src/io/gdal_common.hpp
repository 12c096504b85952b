// Private helpers shared by the GDAL/OGR code in src/io/.
#ifndef COVERAGE_SRC_IO_GDAL_COMMON_HPP
#define COVERAGE_SRC_IO_GDAL_COMMON_HPP

#include <gdal_priv.h>

#include <memory>
#include <string>

namespace coverage::detail {

/** GDALAllRegister(), once per process. */
void register_gdal();

/** Silences GDAL's stderr printing for a scope; read the message back with last_gdal_error(). */
class QuietGdal {
public:
    QuietGdal();
    ~QuietGdal();
    QuietGdal(const QuietGdal&) = delete;
    QuietGdal& operator=(const QuietGdal&) = delete;
};

/** GDAL's last error message, or "unknown GDAL error". */
[[nodiscard]] std::string last_gdal_error();

struct DatasetCloser {
    void operator()(GDALDataset* ds) const noexcept { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

} // namespace coverage::detail

#endif
