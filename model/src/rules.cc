// Names of the catalog rule ids.
#include "tcpconform/model/rules.h"

#include <array>

namespace tcpconform::model {
namespace {

constexpr std::array<std::string_view, kRuleCount> kNames = {
#define TCPCONFORM_MODEL_RULE_NAME(id) #id,
    TCPCONFORM_MODEL_RULES(TCPCONFORM_MODEL_RULE_NAME)
#undef TCPCONFORM_MODEL_RULE_NAME
};

}  // namespace

std::string_view to_string(Rule rule) {
  return kNames[static_cast<std::size_t>(rule)];
}

std::optional<Rule> rule_from_string(std::string_view text) {
  if (text.size() < 2 || (text[0] != 'R' && text[0] != 'r')) return std::nullopt;
  for (std::size_t i = 0; i < kRuleCount; ++i) {
    const std::string_view name = kNames[i];
    if (name.size() == text.size() && name.substr(1) == text.substr(1)) return static_cast<Rule>(i);
  }
  return std::nullopt;
}

}  // namespace tcpconform::model
