// What kind of event a step is, and the signature a divergence is de-duplicated by: (the
// model's state when the step arrived, the step's event class, the first field that differs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpconform/engine/program.h"
#include "tcpconform/engine/result.h"
#include "tcpconform/model/state.h"

namespace tcpconform::engine::explore {

enum class EventClass : std::uint8_t {
  kSyn,        // SYN without ACK (RST not set)
  kSynAck,     // SYN with ACK (RST not set)
  kRst,        // any segment with RST
  kFin,        // FIN without SYN or RST
  kData,       // payload, no SYN/RST/FIN
  kAck,        // a bare ACK
  kNoFlags,    // no SYN/RST/FIN/ACK and no payload (PSH/URG alone, or nothing)
  kSend,       // send()/write()
  kRecv,       // recv()/read()
  kShutdown,   // shutdown()
  kClose,      // close() without SO_LINGER 0
  kAbort,      // close() after SO_LINGER {1, 0}
  kConnect,    // connect()
  kAccept,     // accept()
  kListen,     // listen()
  kOtherCall,  // socket, bind, setsockopt, getsockopt, fcntl, …
  kTimer,      // `//@ advance`: time passes
};
inline constexpr int kEventClassCount = 17;

// "SYN", "SYN-ACK", "RST", "FIN", "data", "ACK", "no-flags", "send", …, "timer".
std::string_view to_string(EventClass c);
std::optional<EventClass> event_class_from_string(std::string_view text);

// The class of step `i`; nullopt for a step that is not an event (an expectation, an outbound
// segment, a shell command).
[[nodiscard]] std::optional<EventClass> event_class(const Program& program, std::size_t i);

struct Signature {
  model::State state = model::State::kClosed;  // the model's, just before the divergent step
  EventClass event = EventClass::kAck;
  // "state", "recv_q", "send_q", "orphan"; "listener.state", …; "call.return", "call.errno"
  std::string field;
  // Campaigns that judge on (judge_on.h): the linux profile's fields that explain the
  // divergence, '+'-joined ("request_sockets"); empty otherwise, or when nothing explains it.
  std::string deviations;

  friend bool operator==(const Signature&, const Signature&) = default;
  // "ESTABLISHED / RST / state", then " / linux: request_sockets" when explained.
  [[nodiscard]] std::string text() const;
  // "established-rst-state", then "--request-sockets" when explained: a file name.
  [[nodiscard]] std::string slug() const;
  // The same divergence without its explanation (what a run of the program alone yields).
  [[nodiscard]] Signature bare() const;
};

// `text` as a file name: letters and digits lower-cased, everything else '-'.
[[nodiscard]] std::string slugify(std::string_view text);

// The signature of `result`'s divergence, given the model's state before each step
// (model_states() in coverage.h); nullopt when the result has no divergence.
[[nodiscard]] std::optional<Signature> signature_of(const Program& program,
                                                    const ScenarioResult& result,
                                                    const std::vector<model::State>& states);

// The first differing field of a divergence's differences (see Divergence::diffs).
[[nodiscard]] std::string first_field(const std::vector<FieldDiff>& diffs);

}  // namespace tcpconform::engine::explore
