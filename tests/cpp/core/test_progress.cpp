#include <coverage/core/error.hpp>
#include <coverage/core/progress.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace coverage;
using Catch::Matchers::WithinAbs;

TEST_CASE("Scaled progress maps a sub-step onto its share", "[progress]") {
    std::vector<double> seen;
    const ProgressFn parent = [&](double f, std::string_view) {
        seen.push_back(f);
        return true;
    };
    const ProgressFn half = scaled(parent, 0.5, 1.0);
    report(half, 0.0);
    report(half, 0.5);
    report(half, 1.0);
    REQUIRE(seen.size() == 3);
    CHECK_THAT(seen[0], WithinAbs(0.5, 1e-12));
    CHECK_THAT(seen[1], WithinAbs(0.75, 1e-12));
    CHECK_THAT(seen[2], WithinAbs(1.0, 1e-12));
    CHECK_FALSE(scaled(ProgressFn{}, 0.0, 1.0));
    report(ProgressFn{}, 0.3); // no callback: nothing happens
}

TEST_CASE("A callback returning false cancels", "[progress]") {
    const ProgressFn stop = [](double, std::string_view) { return false; };
    CHECK_THROWS_AS(report(stop, 0.1, "step"), Cancelled);
}
