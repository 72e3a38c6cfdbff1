// The table of Profile fields (see deviations.h) and profile specs.
#include "tcpconform/model/deviations.h"

#include <fmt/core.h>

#include <algorithm>
#include <type_traits>

namespace tcpconform::model {
namespace {

std::string value_text(bool v) {
  return v ? "true" : "false";
}
std::string value_text(int v) {
  return fmt::format("{}", v);
}
std::string value_text(std::uint32_t v) {
  return fmt::format("{}", v);
}
std::string value_text(Duration d) {
  const auto us = d.count();
  if (us % 1'000'000 == 0) return fmt::format("{} s", us / 1'000'000);
  if (us % 1'000 == 0) return fmt::format("{} ms", us / 1'000);
  return fmt::format("{} us", us);
}

template <auto Member>
Deviation field(std::string_view name, std::initializer_list<Rule> rules,
                std::string_view summary) {
  return Deviation{
      name,
      std::vector<Rule>(rules),
      summary,
      [](const Profile& a, const Profile& b) { return a.*Member != b.*Member; },
      [](Profile& to, const Profile& from) { to.*Member = from.*Member; },
      [](const Profile& p) { return value_text(p.*Member); },
  };
}

std::vector<Deviation> make_table() {
  using R = Rule;
  using P = Profile;
  return {
      field<&P::request_sockets>("request_sockets", {R::R160, R::R161, R::R162, R::R163},
                                 "a SYN makes a request socket; the listener stays in LISTEN"),
      field<&P::listen_drops_syn_fin>("listen_drops_syn_fin", {R::R167},
                                      "LISTEN drops a SYN with FIN"),
      field<&P::syn_data_discarded>("syn_data_discarded", {R::R47},
                                    "data on a SYN or SYN,ACK is discarded (no TFO)"),
      field<&P::abort_on_overflow>("abort_on_overflow", {R::R164a},
                                   "RST for the final ACK when the accept queue is full"),
      field<&P::somaxconn>("somaxconn", {R::R164a}, "cap on listen() backlogs"),
      field<&P::listen_can_connect>("listen_can_connect", {R::R101, R::R104, R::R165},
                                    "connect() on a socket that listens or listened (Linux: "
                                    "EISCONN, then EINVAL)"),
      field<&P::listen_after_connect>("listen_after_connect", {R::R1, R::R100},
                                      "listen() after a connect() attempt ended (Linux: EINVAL)"),
      field<&P::synsent_checks_tsecr>("synsent_checks_tsecr", {R::R166},
                                      "SYN-SENT resets a SYN,ACK with a bad TSecr"),
      field<&P::drop_ackless_before_seq_check>(
          "drop_ackless_before_seq_check", {R::R70},
          "a segment without ACK/RST/SYN is dropped before the sequence check"),
      field<&P::linux_sequence_check>("linux_sequence_check", {R::R51},
                                      "tcp_sequence(): the window test of tcp_sequence()"),
      field<&P::drop_beyond_window_when_queue_busy>(
          "drop_beyond_window_when_queue_busy", {R::R51},
          "a segment passing the window's right edge is dropped while data is unread (6.17+)"),
      field<&P::paws_window>("paws_window", {R::R151}, "PAWS tolerance in TS ticks"),
      field<&P::paws_disordered_ack_exempt>("paws_disordered_ack_exempt", {R::R151},
                                            "a disordered duplicate ACK is exempt from PAWS"),
      field<&P::request_checks_tsecr>("request_checks_tsecr", {R::R154, R::R160},
                                      "a request socket drops a TSecr it never sent"),
      field<&P::paws_strict_in_minisocks>(
          "paws_strict_in_minisocks", {R::R151, R::R153},
          "request and TIME-WAIT sockets: PAWS without tolerance, RSTs not exempt"),
      field<&P::ts_recent_needs_valid_ack>("ts_recent_needs_valid_ack", {R::R152},
                                           "TS.Recent is updated only by an acceptable ACK"),
      field<&P::drop_segments_without_ts>("drop_segments_without_ts", {R::R150, R::R178},
                                          "segments without TSopt on a TS connection are dropped"),
      field<&P::rst_accepts_rcv_nxt_minus_one_after_fin>(
          "rst_accepts_rcv_nxt_minus_one_after_fin", {R::R173},
          "a RST at RCV.NXT-1 is accepted after a FIN"),
      field<&P::sim_open_synack_exempt>("sim_open_synack_exempt", {R::R27},
                                        "the crossing SYN,ACK draws no challenge ACK"),
      field<&P::ack_crossing_synack>("ack_crossing_synack", {R::R27, R::R53},
                                     "the crossing SYN,ACK is answered with an ACK"),
      field<&P::syn_received_accepts_ack_of_iss>("syn_received_accepts_ack_of_iss", {R::R72},
                                                 "SYN-RECEIVED accepts an ACK of our ISS"),
      field<&P::syn_in_passive_syn_received_resets>(
          "syn_in_passive_syn_received_resets", {R::R66, R::R163},
          "an in-window SYN in passive SYN-RECEIVED returns to LISTEN (RFC)"),
      field<&P::old_ack_bound_uses_bytes_acked>(
          "old_ack_bound_uses_bytes_acked", {R::R71, R::R134, R::R173},
          "the old-ACK bound is min(MAX.SND.WND, bytes_acked)"),
      field<&P::ack_above_snd_nxt_acks>("ack_above_snd_nxt_acks", {R::R73, R::R172},
                                        "an ACK above SND.NXT draws an ACK"),
      field<&P::reset_on_data_after_rcv_shutdown>(
          "reset_on_data_after_rcv_shutdown", {R::R130, R::R168},
          "data after the receive side is shut down draws RST and kills the connection"),
      field<&P::linux_window_update>("linux_window_update", {R::R74},
                                     "tcp_may_update_window() takes the send window"),
      field<&P::shutdown_defers_fin_in_syn_received>(
          "shutdown_defers_fin_in_syn_received", {R::R10, R::R116},
          "shutdown(SHUT_WR) in SYN-RECEIVED sends the FIN once ESTABLISHED"),
      field<&P::sim_open_keeps_rcv_wscale>("sim_open_keeps_rcv_wscale", {R::R7, R::R45},
                                           "after crossing SYNs our window stays scaled"),
      field<&P::queue_out_of_order>("queue_out_of_order", {R::R55},
                                    "out-of-order segments are queued"),
      field<&P::linux_window_selection>("linux_window_selection", {R::R82},
                                        "__tcp_select_window(): the window offered"),
      field<&P::urgent_out_of_band>("urgent_out_of_band", {R::R80},
                                    "the urgent byte is taken out of the stream"),
      field<&P::oow_ack_interval>("oow_ack_interval", {R::R133, R::R174},
                                  "rate limit of challenge and out-of-window ACKs"),
      field<&P::half_duplex_close_rst>("half_duplex_close_rst", {R::R130, R::R168},
                                       "close() with unread data sends RST"),
      field<&P::listener_close_resets_children>("listener_close_resets_children", {R::R168},
                                                "closing a listener resets unaccepted children"),
      field<&P::fin_wait2_orphan_timeout>("fin_wait2_orphan_timeout", {R::R169},
                                          "an orphaned FIN-WAIT-2 dies after fin_timeout"),
      field<&P::fin_timeout>("fin_timeout", {R::R169}, "tcp_fin_timeout"),
      field<&P::abort_rst_carries_ack>("abort_rst_carries_ack", {R::R24, R::R120d},
                                       "an abort's RST carries ACK"),
      field<&P::syn_received_reset_refused>("syn_received_reset_refused", {R::R12, R::R177},
                                            "RST in active SYN-RECEIVED reports ECONNREFUSED"),
      field<&P::request_outlives_listener>("request_outlives_listener", {R::R114, R::R160},
                                           "a request socket outlives its listener's close()"),
      field<&P::close_wait_reset_epipe>("close_wait_reset_epipe", {R::R177},
                                        "RST in CLOSE-WAIT reports EPIPE"),
      field<&P::time_wait>("time_wait", {R::R122, R::R175}, "TIME-WAIT length"),
      field<&P::rfc1337>("rfc1337", {R::R121, R::R171}, "a RST in TIME-WAIT is ignored (RFC 1337)"),
      field<&P::time_wait_ack_restarts_timer>("time_wait_ack_restarts_timer", {R::R175},
                                              "an ACK in TIME-WAIT re-arms its timer"),
      field<&P::time_wait_reopen_isn_offset>("time_wait_reopen_isn_offset", {R::R124, R::R176},
                                             "ISS of a connection reopened from TIME-WAIT"),
      field<&P::time_wait_reopen_by_seq_with_ts>(
          "time_wait_reopen_by_seq_with_ts", {R::R126, R::R176},
          "with timestamps, a SYN above RCV.NXT also reopens TIME-WAIT"),
      field<&P::rto_initial>("rto_initial", {R::R136, R::R170}, "initial RTO"),
      field<&P::rto_min>("rto_min", {R::R136, R::R170}, "minimum RTO"),
      field<&P::rto_max>("rto_max", {R::R136, R::R170}, "maximum RTO"),
      field<&P::rto_min_floors_variance>("rto_min_floors_variance", {R::R136},
                                         "RTTVAR is floored at the minimum RTO"),
      field<&P::syn_retries>("syn_retries", {R::R138, R::R170}, "SYN retransmissions"),
      field<&P::syn_linear_timeouts>("syn_linear_timeouts", {R::R170},
                                     "SYN retransmissions without back-off"),
      field<&P::syn_give_up_by_time>("syn_give_up_by_time", {R::R170},
                                     "SYN-SENT also gives up by elapsed time"),
      field<&P::synack_retries>("synack_retries", {R::R138, R::R170}, "SYN,ACK retransmissions"),
      field<&P::data_give_up>("data_give_up", {R::R138, R::R170},
                              "give-up time for unacknowledged data"),
      field<&P::orphan_give_up>("orphan_give_up", {R::R138, R::R170},
                                "give-up time for an orphan's data"),
      field<&P::zero_window_probe_old_seq>("zero_window_probe_old_seq", {R::R139b, R::R179},
                                           "zero-window probes carry SND.UNA-1 and no data"),
      field<&P::tail_loss_probe>("tail_loss_probe", {},
                                 "the first timeout of a SACK connection is a loss probe"),
      field<&P::forced_push>("forced_push", {R::R106}, "forced_push(): PSH mid-write"),
      field<&P::gso_chunk_push>("gso_chunk_push", {R::R106}, "PSH ends every GSO chunk"),
      field<&P::initial_cwnd>("initial_cwnd", {}, "initial congestion window (segments)"),
      field<&P::recv_q_counts_fin>("recv_q_counts_fin", {},
                                   "Recv-Q counts an unread FIN as one byte"),
  };
}

}  // namespace

std::span<const Deviation> deviations() {
  static const std::vector<Deviation> table = make_table();
  return table;
}

const Deviation* find_deviation(std::string_view name) {
  for (const Deviation& d : deviations()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::vector<const Deviation*> differing(const Profile& a, const Profile& b) {
  std::vector<const Deviation*> out;
  for (const Deviation& d : deviations()) {
    if (d.differs(a, b)) out.push_back(&d);
  }
  return out;
}

std::string joined_names(std::span<const Deviation* const> list) {
  std::string out;
  for (const Deviation* d : list) out += fmt::format("{}{}", out.empty() ? "" : "+", d->name);
  return out;
}

std::vector<const Deviation*> named(std::string_view joined) {
  std::vector<const Deviation*> out;
  for (std::size_t at = 0; at < joined.size();) {
    const auto next = std::min(joined.find('+', at), joined.size());
    if (const Deviation* d = find_deviation(joined.substr(at, next - at))) out.push_back(d);
    at = next + 1;
  }
  return out;
}

std::string describe(std::span<const Deviation* const> list) {
  std::string out;
  for (const Deviation* d : list) {
    if (!out.empty()) out += " + ";
    out += d->name;
    if (d->rules.empty()) continue;
    out += " (";
    for (std::size_t i = 0; i < d->rules.size(); ++i) {
      out += fmt::format("{}{}", i == 0 ? "" : " ", to_string(d->rules[i]));
    }
    out += ")";
  }
  return out;
}

bool is_linux_rule(Rule rule) {
  const std::string_view id = to_string(rule);  // "R164a"
  int number = 0;
  for (std::size_t i = 1; i < id.size() && id[i] >= '0' && id[i] <= '9'; ++i) {
    number = number * 10 + (id[i] - '0');
  }
  return number >= 160 && number <= 179;
}

tl::expected<Profile, std::string> profile_from_spec(std::string_view spec) {
  const auto first = spec.find_first_of("+-");
  const std::string_view base = spec.substr(0, first);
  Profile p;
  if (base == "rfc9293") {
    p = rfc9293_profile();
  } else if (base == "linux") {
    p = linux_profile();
  } else {
    return tl::make_unexpected(fmt::format(
        "unknown profile '{}' in '{}' (known: linux, rfc9293, either followed by +field or "
        "-field; `tcpconform profiles` lists the fields)",
        base, spec));
  }
  const Profile linux = linux_profile();
  const Profile rfc = rfc9293_profile();
  std::size_t at = first;
  while (at != std::string_view::npos) {
    const char sign = spec[at];
    const auto next = spec.find_first_of("+-", at + 1);
    const std::string_view name = spec.substr(
        at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1);
    const Deviation* d = find_deviation(name);
    if (d == nullptr) {
      return tl::make_unexpected(fmt::format(
          "unknown profile field '{}' in '{}' (`tcpconform profiles` lists them)", name, spec));
    }
    if (!d->differs(linux, rfc)) {
      return tl::make_unexpected(fmt::format(
          "profile field '{}' in '{}' has the same value in linux and rfc9293", name, spec));
    }
    d->adopt(p, sign == '+' ? linux : rfc);
    at = next;
  }
  p.name = std::string(spec);
  return p;
}

std::string hybrid_spec(std::string_view base, std::span<const Deviation* const> adopted) {
  return adopted.empty() ? std::string(base) : fmt::format("{}+{}", base, joined_names(adopted));
}

}  // namespace tcpconform::model
