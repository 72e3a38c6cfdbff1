// Error::to_string: one line describing a harness failure for a person.
#include <fmt/format.h>

#include <cstring>

#include "tcpconform/harness/sut.h"

namespace tcpconform::harness {

std::string Error::to_string() const {
  std::string text = step.empty() ? message : fmt::format("{}: {}", step, message);
  if (os_error != 0) text += fmt::format(" ({})", std::strerror(os_error));
  if (missing_privilege) text += " [missing privilege]";
  if (stack_crashed) text += fmt::format(" {}", kStackCrashedMarker);
  return text;
}

}  // namespace tcpconform::harness
