#include <coverage/core/error.hpp>
#include <coverage/radio/signal_class.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace coverage;

TEST_CASE("LTE RSRP classes with the default thresholds", "[radio]") {
    const SignalThresholds t = SignalThresholds::lte_default();
    CHECK(t.classify(-70.0) == SignalClass::excellent);
    CHECK(t.classify(-80.0) == SignalClass::excellent);
    CHECK(t.classify(-80.01) == SignalClass::good);
    CHECK(t.classify(-95.0) == SignalClass::fair);
    CHECK(t.classify(-105.0) == SignalClass::poor);
    CHECK(t.classify(-115.0) == SignalClass::edge);
    CHECK(t.classify(-120.0) == SignalClass::edge);
    CHECK(t.classify(-120.5) == SignalClass::no_service);
    CHECK(std::string(to_string(SignalClass::no_service)) == "no_service");
}

TEST_CASE("UMTS RSCP classes stop at -110 dBm", "[radio]") {
    const SignalThresholds t = SignalThresholds::default_for(Technology::umts);
    CHECK(t.classify(-85.0) == SignalClass::good);
    CHECK(t.classify(-110.0) == SignalClass::poor);
    CHECK(t.classify(-112.0) == SignalClass::no_service);
}

TEST_CASE("Thresholds are configurable and validated", "[radio]") {
    SignalThresholds t;
    t.lower_bound_dbm = {-75.0, -85.0, -95.0, -105.0, -115.0};
    t.validate();
    CHECK(t.classify(-74.0) == SignalClass::excellent);
    CHECK(t.classify(-78.0) == SignalClass::good);
    CHECK(t.classify(-116.0) == SignalClass::no_service);
    t.lower_bound_dbm[2] = -80.0;
    CHECK_THROWS_AS(t.validate(), InvalidArgument);
}
