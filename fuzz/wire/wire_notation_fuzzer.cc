// libFuzzer target: any text through parse_notation; what parses must print and parse back equal.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tcpconform/wire/notation.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "wire_notation invariant violated: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wire = tcpconform::wire;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes viewed as text
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool with_addresses : {false, true}) {
    auto parsed =
        with_addresses ? wire::parse_notation_with_addresses(text) : wire::parse_notation(text);
    if (!parsed) {
      if (parsed.error().column < 1 || parsed.error().column > size + 1) {
        fail("error column outside the text");
      }
      continue;
    }
    const wire::NotationOptions options{.payload_bytes = true};
    const auto printed = with_addresses ? wire::to_notation_with_addresses(*parsed, options)
                                        : wire::to_notation(*parsed, options);
    auto again = with_addresses ? wire::parse_notation_with_addresses(printed)
                                : wire::parse_notation(printed);
    if (!again) fail("printed notation does not parse");
    if (!(*again == *parsed)) fail("print then parse changed the segment");
  }
  return 0;
}
