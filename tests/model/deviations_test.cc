// Profile fields as named deviations, and profile specs (deviations.h).
#include "tcpconform/model/deviations.h"

#include <gtest/gtest.h>

namespace tcpconform::model {
namespace {

TEST(Deviations, TheTableCoversEveryFieldThatDiffers) {
  Profile p = rfc9293_profile();
  for (const Deviation* d : differing(p, linux_profile())) d->adopt(p, linux_profile());
  p.name = "linux";
  EXPECT_EQ(p, linux_profile());  // a field missing from the table would still differ here
}

TEST(Deviations, EveryEntryNamesADistinctField) {
  for (const Deviation& d : deviations()) {
    EXPECT_EQ(find_deviation(d.name), &d) << d.name;
    EXPECT_FALSE(d.summary.empty()) << d.name;
  }
}

TEST(Deviations, DifferingListsOnlyTheFieldsThatDiffer) {
  const Profile linux = linux_profile();
  Profile p = linux;
  EXPECT_TRUE(differing(p, linux).empty());
  p.half_duplex_close_rst = false;
  const auto diff = differing(p, linux);
  ASSERT_EQ(diff.size(), 1U);
  EXPECT_EQ(diff.front()->name, "half_duplex_close_rst");
}

TEST(Deviations, DescribeNamesFieldsAndTheirRules) {
  const std::vector<const Deviation*> list = {find_deviation("request_sockets"),
                                              find_deviation("rfc1337")};
  EXPECT_EQ(describe(list), "request_sockets (R160 R161 R162 R163) + rfc1337 (R121 R171)");
}

TEST(Deviations, LinuxRulesAreTheCatalogsLinuxSection) {
  EXPECT_TRUE(is_linux_rule(Rule::R160));
  EXPECT_TRUE(is_linux_rule(Rule::R164a));
  EXPECT_TRUE(is_linux_rule(Rule::R179));
  EXPECT_FALSE(is_linux_rule(Rule::R16));
  EXPECT_FALSE(is_linux_rule(Rule::R139b));
}

TEST(ProfileSpec, BuiltInNamesGiveTheBuiltInProfiles) {
  EXPECT_EQ(profile_from_spec("linux").value(), linux_profile());
  EXPECT_EQ(profile_from_spec("rfc9293").value(), rfc9293_profile());
}

TEST(ProfileSpec, PlusAdoptsTheLinuxValue) {
  const auto p = profile_from_spec("rfc9293+request_sockets+rfc1337");
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(p->request_sockets);
  EXPECT_FALSE(p->rfc1337);
  EXPECT_EQ(p->name, "rfc9293+request_sockets+rfc1337");
  Profile expected = rfc9293_profile();
  expected.request_sockets = true;
  expected.rfc1337 = false;
  expected.name = p->name;
  EXPECT_EQ(*p, expected);
}

TEST(ProfileSpec, MinusAdoptsTheRfcValue) {
  const auto p = profile_from_spec("linux-half_duplex_close_rst");
  ASSERT_TRUE(p) << p.error();
  Profile expected = linux_profile();
  expected.half_duplex_close_rst = false;
  expected.name = "linux-half_duplex_close_rst";
  EXPECT_EQ(*p, expected);
}

TEST(ProfileSpec, UnknownBaseIsAnErrorNamingIt) {
  const auto p = profile_from_spec("bsd+request_sockets");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("unknown profile 'bsd'"), std::string::npos) << p.error();
}

TEST(ProfileSpec, UnknownFieldIsAnErrorNamingIt) {
  const auto p = profile_from_spec("rfc9293+request_socket");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("'request_socket'"), std::string::npos) << p.error();
}

TEST(ProfileSpec, EmptyFieldIsAnError) {
  EXPECT_FALSE(profile_from_spec("rfc9293+"));
  EXPECT_FALSE(profile_from_spec(""));
}

TEST(ProfileSpec, FieldBothProfilesAgreeOnIsAnError) {
  const auto p = profile_from_spec("rfc9293+sim_open_synack_exempt");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("same value"), std::string::npos) << p.error();
}

TEST(ProfileSpec, HybridSpecRoundTrips) {
  const std::vector<const Deviation*> adopted = {find_deviation("request_sockets"),
                                                 find_deviation("linux_window_selection")};
  const std::string spec = hybrid_spec("rfc9293", adopted);
  EXPECT_EQ(spec, "rfc9293+request_sockets+linux_window_selection");
  const auto p = profile_from_spec(spec);
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(p->request_sockets);
  EXPECT_TRUE(p->linux_window_selection);
}

}  // namespace
}  // namespace tcpconform::model
