// Properties of the model_trace encoding (fuzz/model/trace_codec.h): decode(encode(t)) == t, and
// whatever decodes re-encodes to the same bytes.
#include "event_gen.h"
#include "rc_check.h"
#include "trace_codec.h"

namespace tcpconform::model::trace {
namespace {

TCPCONFORM_RC_PROP(ModelTrace, DecodeOfEncodeIsIdentity, 200, ()) {
  const Trace t = *gen::trace();
  const auto back = decode(encode(t));
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == t);
}

TCPCONFORM_RC_PROP(ModelTrace, EncodeOfDecodeIsIdentity, 200, ()) {
  auto bytes = encode(*gen::trace());
  // Corrupt one byte: the result either fails to decode or re-encodes to exactly itself.
  const auto i = *rc::gen::inRange<std::size_t>(0, bytes.size());
  bytes[i] = *rc::gen::arbitrary<std::uint8_t>();
  if (const auto t = decode(bytes)) RC_ASSERT(encode(*t) == bytes);
}

}  // namespace
}  // namespace tcpconform::model::trace
