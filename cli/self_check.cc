// `tcpconform self-check`: round-trips a Linux-style SYN through the codec, in IPv4 and IPv6.
#include "self_check.h"

#include <fmt/core.h>

#include "exit_codes.h"
#include "tcpconform/wire/codec.h"
#include "tcpconform/wire/notation.h"
#include "tcpconform/wire/segment.h"

namespace tcpconform::cli {
namespace {

wire::Segment linux_syn(wire::IpVersion version) {
  wire::Segment syn;
  if (version == wire::IpVersion::kV4) {
    syn.src = wire::IpAddress::v4(192, 0, 2, 1);
    syn.dst = wire::IpAddress::v4(192, 0, 2, 2);
  } else {
    syn.src = *wire::IpAddress::parse("2001:db8::1");
    syn.dst = *wire::IpAddress::parse("2001:db8::2");
  }
  syn.sport = 40000;
  syn.dport = 8080;
  syn.seq = wire::SeqNum{0x12345678};
  syn.flags = wire::kSyn;
  syn.window = 64240;
  syn.options = {wire::option::Mss{version == wire::IpVersion::kV4 ? std::uint16_t{1460}
                                                                   : std::uint16_t{1440}},
                 wire::option::SackPermitted{}, wire::option::Timestamp{.val = 100, .ecr = 0},
                 wire::option::Nop{}, wire::option::WindowScale{.shift = 7}};
  return syn;
}

bool round_trip(wire::IpVersion version) {
  const wire::Segment syn = linux_syn(version);
  const std::vector<std::uint8_t> bytes = wire::emit(syn);
  const auto parsed = wire::parse(bytes);
  const char* family = version == wire::IpVersion::kV4 ? "IPv4" : "IPv6";
  if (!parsed) {
    fmt::print("self-check: {} SYN does not parse back: {}\n", family, parsed.error().to_string());
    return false;
  }
  if (*parsed != syn) {
    fmt::print("self-check: {} SYN parses back differently: {}\n", family,
               wire::to_notation_with_addresses(*parsed));
    return false;
  }
  fmt::print("self-check: codec round-trips a {}-byte {} SYN: {}\n", bytes.size(), family,
             wire::to_notation_with_addresses(*parsed));
  return true;
}

}  // namespace

void add_self_check_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("self-check", "Check the build: codec round trip of a SYN");
  cmd->callback([&exit_code] {
    const bool ok = round_trip(wire::IpVersion::kV4) && round_trip(wire::IpVersion::kV6);
    exit_code = ok ? kExitOk : kExitFailures;
  });
}

}  // namespace tcpconform::cli
