// ModelSut: the reference model as a system under test (virtual time, no I/O).
#include "tcpconform/harness/model_sut.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string_view>
#include <utility>

namespace tcpconform::harness {
namespace {

std::vector<wire::IpAddress> model_addresses() {
  return {wire::IpAddress::v4(192, 0, 2, 1), *wire::IpAddress::parse("2001:db8::1")};
}

std::optional<long long> as_number(std::string_view text) {
  long long v = 0;
  const auto* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return v;
}

}  // namespace

ModelSut::ModelSut(model::Profile profile, model::Choices choices)
    : base_profile_(profile),
      base_choices_(choices),
      endpoint_(profile, model_addresses(), choices) {}

std::string ModelSut::name() const {
  return fmt::format("model ({})", endpoint_.profile().name);
}

Addresses ModelSut::addresses(wire::IpVersion version) const {
  if (version == wire::IpVersion::kV4) {
    return {wire::IpAddress::v4(192, 0, 2, 1), wire::IpAddress::v4(192, 0, 2, 2)};
  }
  return {*wire::IpAddress::parse("2001:db8::1"), *wire::IpAddress::parse("2001:db8::2")};
}

void ModelSut::absorb() {
  for (const wire::Segment& s : last_.segments) pending_.push_back(s);
  rules_ |= last_.rules;
  changes_.insert(changes_.end(), last_.state_changes.begin(), last_.state_changes.end());
}

Result<void> ModelSut::inject(const wire::Segment& segment) {
  endpoint_.on_segment(segment, last_);
  absorb();
  return {};
}

Result<std::vector<wire::Segment>> ModelSut::collect() {
  return std::exchange(pending_, {});
}

Result<model::CallResult> ModelSut::call(const model::SocketCall& call) {
  endpoint_.on_call(call, last_);
  absorb();
  return last_.result.value_or(model::CallResult::fail(0));
}

Result<void> ModelSut::advance(Duration d) {
  endpoint_.advance(d, last_);
  absorb();
  return {};
}

Result<std::vector<model::ConnectionObservation>> ModelSut::observe() {
  return endpoint_.observe();
}

std::optional<Duration> ModelSut::time_to_next_timer() const {
  const model::TimePoint next = endpoint_.next_deadline();
  if (next == model::kNever) return std::nullopt;
  return next - endpoint_.now();
}

// The sysctls the model has a knob for; the rest do not change connection state as the model
// sees it (congestion control, pacing, buffers' maxima) and are listed as ignored.
Result<void> ModelSut::configure(const Settings& settings) {
  model::Profile profile = endpoint_.profile();
  model::Choices& choices = endpoint_.choices();
  ignored_.clear();  // only the latest settings' gaps are worth reporting
  for (const auto& setting : settings) {
    const std::string& key = setting.first;
    const std::string& value = setting.second;
    const auto number = as_number(value);
    // A sysctl that switches between RFC and Linux behaviour configures only a profile that
    // follows Linux in that field: the RFC profile keeps RFC 1337 whatever the namespace pins,
    // or a campaign with it could never see Linux's RST kill TIME-WAIT. (Timers and buffers
    // configure every profile.)
    auto linux_switch = [&](bool model::Profile::*field, bool value) {
      if (base_profile_.*field == model::linux_profile().*field) {
        profile.*field = value;
      } else {
        ignored_.push_back(key);
      }
    };
    auto bad = [&] {
      return tl::make_unexpected(
          Error{.step = "configure",
                .message = fmt::format("{}: '{}' is not a number", key, value),
                .os_error = 0,
                .missing_privilege = false});
    };
    if (key == "net/ipv4/tcp_fin_timeout") {
      if (!number) return bad();
      profile.fin_timeout = std::chrono::seconds{*number};
    } else if (key == "net/ipv4/tcp_syn_retries") {
      if (!number) return bad();
      profile.syn_retries = static_cast<int>(*number);
    } else if (key == "net/ipv4/tcp_syn_linear_timeouts") {
      if (!number) return bad();
      profile.syn_linear_timeouts = static_cast<int>(*number);
    } else if (key == "net/ipv4/tcp_synack_retries") {
      if (!number) return bad();
      profile.synack_retries = static_cast<int>(*number);
    } else if (key == "net/ipv4/tcp_rfc1337") {
      if (!number) return bad();
      linux_switch(&model::Profile::rfc1337, *number != 0);  // R121/R171
    } else if (key == "net/ipv4/tcp_abort_on_overflow") {
      if (!number) return bad();
      linux_switch(&model::Profile::abort_on_overflow, *number != 0);  // R164a
    } else if (key == "net/core/somaxconn") {
      if (!number) return bad();
      profile.somaxconn = static_cast<int>(*number);
    } else if (key == "net/ipv4/tcp_rmem") {
      // Linux tcp_select_initial_window(): the window scale covers the largest buffer
      // (ilog2(max(tcp_rmem[2], rmem_max)) - 15), and the SYN's window is the default buffer's
      // usable space (half of tcp_rmem[1]) rounded to the MSS, capped at 65535.
      unsigned long long low = 0;
      unsigned long long mid = 0;
      unsigned long long high = 0;
      if (std::sscanf(value.c_str(), "%llu %llu %llu", &low, &mid, &high) != 3) return bad();
      const unsigned long long largest = std::max<unsigned long long>(high, 212992);
      int log2 = 0;
      while ((largest >> (log2 + 1)) != 0) ++log2;
      choices.wscale = static_cast<std::uint8_t>(std::clamp(log2 - 15, 0, 14));
      choices.rcv_buffer = static_cast<std::uint32_t>(std::min<unsigned long long>(mid, 1U << 30));
      if (mid / 2 > 65535 + 1460) {
        choices.rcv_space = 65535;
        choices.round_window_to_mss = false;
      } else {
        choices.rcv_space = static_cast<std::uint32_t>(mid / 2);
        choices.round_window_to_mss = true;
      }
    } else if (key == "net/ipv4/tcp_timestamps") {
      if (!number) return bad();
      choices.timestamps = *number != 0;
    } else if (key == "net/ipv4/tcp_sack") {
      if (!number) return bad();
      choices.sack = *number != 0;
    } else if (key == "net/ipv4/tcp_window_scaling") {
      if (!number) return bad();
      choices.window_scaling = *number != 0;
    } else {
      ignored_.push_back(key);
    }
  }
  // The endpoint keeps its profile for life: rebuild it (configure comes before any event).
  endpoint_ = model::Endpoint(profile, model_addresses(), choices);
  return {};
}

Result<void> ModelSut::reset() {
  endpoint_ = model::Endpoint(base_profile_, model_addresses(), base_choices_);
  last_.clear();
  pending_.clear();
  rules_.clear();
  changes_.clear();
  ignored_.clear();
  return {};
}

std::unique_ptr<ModelSut> model_stand_in(const model::Profile& profile,
                                         const Environment& environment) {
  ModelSut probe(profile);
  if (!probe.configure(environment.settings)) return std::make_unique<ModelSut>(profile);
  return std::make_unique<ModelSut>(probe.endpoint().profile(), probe.endpoint().choices());
}

}  // namespace tcpconform::harness
