// Free-space loss at 1 km and 1000 MHz through the installed library, found by a consumer
// program sees the public headers, the library and its dependencies, and gets the textbook answer.
#include <coverage/coverage.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
    const coverage::TerrainProfile flat{.elevation_m = std::vector<double>(11, 0.0), .step_m = 100.0};
    const coverage::FreeSpaceModel fs;
    const double loss_db =
        fs.path_loss(flat, coverage::LinkParams{.freq_mhz = 1000.0, .tx_height_agl_m = 30.0, .rx_height_agl_m = 30.0}).loss_db;
    // 32.45 + 20 log10(1000 MHz) + 20 log10(1 km) = 92.45 dB
    if (std::fabs(loss_db - 92.45) > 0.01) {
        std::printf("free-space loss %.4f dB, expected 92.45 dB\n", loss_db);
        return 1;
    }
    std::printf("libcoverage %s: free-space loss at 1 km, 1000 MHz = %.2f dB\n", coverage::version, loss_db);
    return 0;
}
