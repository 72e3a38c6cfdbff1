// Every field of Profile as a named deviation, and profiles built from a spec such as
// "rfc9293+request_sockets": a built-in profile that adopts some fields of the other one.
//
// The explorer needs this to keep judging a program after a divergence the linux profile
// explains: the RFC profile adopts the Linux fields that explain it, and whatever diverges
// further on is a deviation of its own. A reproducer then names the hybrid it replays with.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "tcpconform/model/profile.h"
#include "tcpconform/model/rules.h"

namespace tcpconform::model {

struct Deviation {
  std::string_view name;     // the Profile field: "request_sockets"
  std::vector<Rule> rules;   // the catalog rules it implements (R160, …); may be empty
  std::string_view summary;  // what Linux does differently, in a few words
  bool (*differs)(const Profile& a, const Profile& b) = nullptr;
  void (*adopt)(Profile& to, const Profile& from) = nullptr;  // copies the field
  std::string (*value)(const Profile& p) = nullptr;           // "true", "60 s", "4096"
};

// One entry per Profile field except `name`, in declaration order.
[[nodiscard]] std::span<const Deviation> deviations();
[[nodiscard]] const Deviation* find_deviation(std::string_view name);
// The fields where `a` and `b` differ.
[[nodiscard]] std::vector<const Deviation*> differing(const Profile& a, const Profile& b);
// "request_sockets+rfc1337": names joined by '+' (how signatures and specs list them).
[[nodiscard]] std::string joined_names(std::span<const Deviation* const> list);
// The deviations named in a '+'-joined list; unknown names are skipped.
[[nodiscard]] std::vector<const Deviation*> named(std::string_view joined);
// "request_sockets (R160)" or "a (R1 R2) + b" for a list of deviations.
[[nodiscard]] std::string describe(std::span<const Deviation* const> list);

// Whether `rule` is in the catalog's [LINUX] section (R160–R179, R164a): documented Linux
// behaviour the RFC profile does not have.
[[nodiscard]] bool is_linux_rule(Rule rule);

// A profile from a spec: "linux", "rfc9293", or either followed by "+field" (adopt the linux
// profile's value) and "-field" (adopt the rfc9293 profile's value), e.g.
// "rfc9293+request_sockets+linux_window_selection" or "linux-half_duplex_close_rst". The
// profile's name is the spec. An unknown base or field, or a field both profiles agree on, is
// an error that names the bad part.
[[nodiscard]] tl::expected<Profile, std::string> profile_from_spec(std::string_view spec);

// `base` (a spec) followed by "+name" for each deviation adopted from the linux profile.
[[nodiscard]] std::string hybrid_spec(std::string_view base,
                                      std::span<const Deviation* const> adopted);

}  // namespace tcpconform::model
