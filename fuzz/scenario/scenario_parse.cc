// libFuzzer target: any bytes parse or fail cleanly; whatever parses prints and parses back.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tcpconform/scenario/parse.h"
#include "tcpconform/scenario/print.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);  // NOLINT
  const auto program = tcpconform::scenario::parse(text, "fuzz.pkt");
  if (!program) {
    // Errors must render and point inside the input.
    const auto message = program.error().to_string();
    if (message.empty() || program.error().line == 0) std::abort();
    return 0;
  }
  const std::string printed = tcpconform::scenario::print(*program);
  const auto again = tcpconform::scenario::parse(printed, "printed.pkt");
  if (!again) {
    std::fprintf(stderr, "printed program does not parse: %s\n---\n%s---\n",
                 again.error().to_string().c_str(), printed.c_str());
    std::abort();
  }
  if (!tcpconform::engine::same_meaning(*program, *again)) {
    std::fprintf(stderr, "print→parse changed the program:\n---\n%s---\n", printed.c_str());
    std::abort();
  }
  return 0;
}
