// The model behind the SystemUnderTest interface: how settings (sysctls) configure its profile.
#include "tcpconform/harness/model_sut.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tcpconform/harness/environment.h"
#include "tcpconform/model/deviations.h"

namespace tcpconform::harness {
namespace {

bool ignored(const ModelSut& sut, const std::string& key) {
  const auto& list = sut.ignored_settings();
  return std::find(list.begin(), list.end(), key) != list.end();
}

TEST(ModelSutSettings, TcpRfc1337ConfiguresTheLinuxProfile) {
  ModelSut sut(model::linux_profile());
  ASSERT_TRUE(sut.configure({{"net/ipv4/tcp_rfc1337", "1"}}).has_value());
  EXPECT_TRUE(sut.endpoint().profile().rfc1337);
  ASSERT_TRUE(sut.configure({{"net/ipv4/tcp_rfc1337", "0"}}).has_value());
  EXPECT_FALSE(sut.endpoint().profile().rfc1337);
  EXPECT_FALSE(ignored(sut, "net/ipv4/tcp_rfc1337"));
}

TEST(ModelSutSettings, R121_TheRfcProfileKeepsRfc1337WhateverTheNamespacePins) {
  ModelSut sut(model::rfc9293_profile());
  ASSERT_TRUE(sut.configure(bench_environment().settings).has_value());
  EXPECT_TRUE(sut.endpoint().profile().rfc1337);
  EXPECT_TRUE(ignored(sut, "net/ipv4/tcp_rfc1337"));
}

TEST(ModelSutSettings, R171_AHybridThatAdoptedLinuxTimeWaitFollowsTheSysctl) {
  ModelSut sut(model::profile_from_spec("rfc9293+rfc1337").value());
  ASSERT_TRUE(sut.configure({{"net/ipv4/tcp_rfc1337", "1"}}).has_value());
  EXPECT_TRUE(sut.endpoint().profile().rfc1337);
}

TEST(ModelSutSettings, TimersFollowTheNamespaceInEveryProfile) {
  ModelSut sut(model::rfc9293_profile());
  ASSERT_TRUE(sut.configure({{"net/ipv4/tcp_syn_retries", "2"}}).has_value());
  EXPECT_EQ(sut.endpoint().profile().syn_retries, 2);
}

}  // namespace
}  // namespace tcpconform::harness
