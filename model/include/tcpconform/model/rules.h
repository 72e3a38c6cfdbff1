// Catalog rule ids (../shared/RFC_CATALOG.md) as an enum, their names, and a compact set type.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpconform::model {

// X-macro over every catalog id, in catalog order. Adding an id here is the only step needed.
#define TCPCONFORM_MODEL_RULES(X) \
  X(R1)                           \
  X(R2)                           \
  X(R3)                           \
  X(R4)                           \
  X(R5)                           \
  X(R6)                           \
  X(R7)                           \
  X(R8)                           \
  X(R9)                           \
  X(R10)                          \
  X(R11)                          \
  X(R12)                          \
  X(R13)                          \
  X(R14)                          \
  X(R15)                          \
  X(R16)                          \
  X(R17)                          \
  X(R18)                          \
  X(R19)                          \
  X(R20)                          \
  X(R21)                          \
  X(R22)                          \
  X(R23)                          \
  X(R24)                          \
  X(R25)                          \
  X(R26)                          \
  X(R27)                          \
  X(R28)                          \
  X(R30)                          \
  X(R31)                          \
  X(R32)                          \
  X(R33)                          \
  X(R34)                          \
  X(R35)                          \
  X(R36)                          \
  X(R37)                          \
  X(R38)                          \
  X(R39)                          \
  X(R40)                          \
  X(R41)                          \
  X(R42)                          \
  X(R43)                          \
  X(R44)                          \
  X(R45)                          \
  X(R46)                          \
  X(R47)                          \
  X(R50)                          \
  X(R51)                          \
  X(R52)                          \
  X(R53)                          \
  X(R54)                          \
  X(R55)                          \
  X(R56)                          \
  X(R60)                          \
  X(R61)                          \
  X(R62)                          \
  X(R63)                          \
  X(R64)                          \
  X(R65)                          \
  X(R66)                          \
  X(R67)                          \
  X(R68)                          \
  X(R70)                          \
  X(R71)                          \
  X(R72)                          \
  X(R73)                          \
  X(R74)                          \
  X(R75)                          \
  X(R76)                          \
  X(R77)                          \
  X(R78)                          \
  X(R79)                          \
  X(R79a)                         \
  X(R80)                          \
  X(R81)                          \
  X(R82)                          \
  X(R83)                          \
  X(R84)                          \
  X(R85)                          \
  X(R86)                          \
  X(R87)                          \
  X(R88)                          \
  X(R89)                          \
  X(R90)                          \
  X(R100)                         \
  X(R101)                         \
  X(R102)                         \
  X(R103)                         \
  X(R104)                         \
  X(R105)                         \
  X(R106)                         \
  X(R107)                         \
  X(R108)                         \
  X(R109)                         \
  X(R110)                         \
  X(R111)                         \
  X(R112)                         \
  X(R113)                         \
  X(R114)                         \
  X(R115)                         \
  X(R116)                         \
  X(R117)                         \
  X(R118)                         \
  X(R119)                         \
  X(R120)                         \
  X(R120a)                        \
  X(R120b)                        \
  X(R120c)                        \
  X(R120d)                        \
  X(R120e)                        \
  X(R120f)                        \
  X(R121)                         \
  X(R122)                         \
  X(R123)                         \
  X(R124)                         \
  X(R125)                         \
  X(R126)                         \
  X(R127)                         \
  X(R128)                         \
  X(R129)                         \
  X(R130)                         \
  X(R131)                         \
  X(R132)                         \
  X(R133)                         \
  X(R134)                         \
  X(R135)                         \
  X(R136)                         \
  X(R137)                         \
  X(R138)                         \
  X(R139)                         \
  X(R139a)                        \
  X(R139b)                        \
  X(R140)                         \
  X(R141)                         \
  X(R142)                         \
  X(R143)                         \
  X(R144)                         \
  X(R145)                         \
  X(R150)                         \
  X(R151)                         \
  X(R152)                         \
  X(R153)                         \
  X(R154)                         \
  X(R160)                         \
  X(R161)                         \
  X(R162)                         \
  X(R163)                         \
  X(R164)                         \
  X(R164a)                        \
  X(R165)                         \
  X(R166)                         \
  X(R167)                         \
  X(R168)                         \
  X(R169)                         \
  X(R170)                         \
  X(R171)                         \
  X(R172)                         \
  X(R173)                         \
  X(R174)                         \
  X(R175)                         \
  X(R176)                         \
  X(R177)                         \
  X(R178)                         \
  X(R179)

enum class Rule : std::uint8_t {
#define TCPCONFORM_MODEL_RULE_ENUM(id) id,
  TCPCONFORM_MODEL_RULES(TCPCONFORM_MODEL_RULE_ENUM)
#undef TCPCONFORM_MODEL_RULE_ENUM
};

inline constexpr std::size_t kRuleCount = 0
#define TCPCONFORM_MODEL_RULE_COUNT(id) +1
    TCPCONFORM_MODEL_RULES(TCPCONFORM_MODEL_RULE_COUNT)
#undef TCPCONFORM_MODEL_RULE_COUNT
    ;

// "R62", "R120a", … exactly as the catalog writes them.
std::string_view to_string(Rule rule);
// Parses "R62" (also accepts lower-case "r62"); nullopt for an id not in the catalog.
std::optional<Rule> rule_from_string(std::string_view text);

// The set of rules that fired during one event (or a whole run): a fixed-size bitset, no heap.
class RuleSet {
 public:
  constexpr RuleSet() = default;
  void insert(Rule r) { bits_.set(static_cast<std::size_t>(r)); }
  [[nodiscard]] bool contains(Rule r) const { return bits_.test(static_cast<std::size_t>(r)); }
  void clear() { bits_.reset(); }
  [[nodiscard]] bool empty() const { return bits_.none(); }
  [[nodiscard]] std::size_t size() const { return bits_.count(); }
  RuleSet& operator|=(const RuleSet& other) {
    bits_ |= other.bits_;
    return *this;
  }
  friend bool operator==(const RuleSet&, const RuleSet&) = default;
  // Calls f(Rule) for each member in catalog order.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < kRuleCount; ++i) {
      if (bits_.test(i)) f(static_cast<Rule>(i));
    }
  }

 private:
  std::bitset<kRuleCount> bits_;
};

}  // namespace tcpconform::model
