// Per-namespace settings: the documented profile, per-program overrides, and their undoing.
#include "kernel_fixture.h"

namespace tcpconform::harness::testing {
namespace {

std::string setting(LinuxSut& sut, const std::string& key) {
  auto r = sut.read_setting(key);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r.value_or("");
}

void expect_in_force(LinuxSut& sut, const Settings& settings) {
  for (const auto& [key, value] : settings) {
    std::string expected = value;
    std::replace(expected.begin(), expected.end(), '\t', ' ');
    std::string got = setting(sut, key);
    std::replace(got.begin(), got.end(), '\t', ' ');
    EXPECT_EQ(got, expected) << key;
  }
}

TEST(LinuxSettings, TheBenchEnvironmentIsInForce) {
  TCPCONFORM_MAKE_SUT(sut);
  expect_in_force(sut, bench_environment().settings);
}

// What the harness needs of the namespace itself (harness/README.md), whatever the environment.
TEST(LinuxSettings, TheHarnessPlumbingIsInForce) {
  TCPCONFORM_MAKE_SUT(sut, LinuxSutOptions{.environment = {}});
  expect_in_force(sut, {{"route/quickack", "1"},
                        {"route/rto_min_ms", ""},
                        {"net/ipv4/tcp_autocorking", "0"},
                        {"net/ipv6/conf/default/accept_dad", "0"},
                        {"net/ipv6/conf/default/router_solicitations", "0"}});
}

TEST(LinuxSettings, TheEnvironmentIsChosenAtCreation) {
  Environment environment = bench_environment();
  environment.settings["net/ipv4/tcp_fin_timeout"] = "7";
  TCPCONFORM_MAKE_SUT(sut, LinuxSutOptions{.environment = environment});
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_fin_timeout"), "7");
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_syn_retries"), "2");
}

TEST(LinuxSettings, CreateOptionsOverrideTheProfile) {
  TCPCONFORM_MAKE_SUT(sut, LinuxSutOptions{.settings = {{"net/ipv4/tcp_sack", "0"}}});
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_sack"), "0");
}

TEST(LinuxSettings, ConfigureLastsUntilReset) {
  TCPCONFORM_MAKE_SUT(sut);
  ASSERT_TRUE(sut.configure({{"net/ipv4/tcp_fin_timeout", "7"},
                             {"net/ipv4/tcp_rfc1337", "1"},
                             {"route/rto_min_ms", "50"}})
                  .has_value());
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_fin_timeout"), "7");
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_rfc1337"), "1");
  EXPECT_EQ(setting(sut, "route/rto_min_ms"), "50");
  ASSERT_TRUE(sut.configure({{"net/ipv4/tcp_fin_timeout", "9"}}).has_value());
  ASSERT_TRUE(sut.reset().has_value());
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_fin_timeout"), "2");
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_rfc1337"), "0");
  EXPECT_EQ(setting(sut, "route/rto_min_ms"), "");
}

TEST(LinuxSettings, UnknownKeysAreErrorsAndChangeNothing) {
  TCPCONFORM_MAKE_SUT(sut);
  for (const std::string key :
       {"net/ipv4/tcp_no_such_thing", "kernel/hostname", "net/ipv4/../../kernel/hostname",
        "net/ipv4/tcp_allowed_congestion_control", "net/core/rmem_max", "route/mtu"}) {
    auto r = sut.configure({{"net/ipv4/tcp_fin_timeout", "9"}, {key, "1"}});
    EXPECT_FALSE(r.has_value()) << key;
  }
  EXPECT_EQ(setting(sut, "net/ipv4/tcp_fin_timeout"), "2");
  EXPECT_FALSE(sut.configure({{"route/rto_min_ms", "fast"}}).has_value());
  EXPECT_FALSE(sut.configure({{"route/quickack", "2"}}).has_value());
}

TEST(LinuxSettings, BadValuesAreErrors) {
  TCPCONFORM_MAKE_SUT(sut);
  auto r = sut.configure({{"net/ipv4/tcp_syn_retries", "many"}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().os_error, EINVAL);
}

}  // namespace
}  // namespace tcpconform::harness::testing
