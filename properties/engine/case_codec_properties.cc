// The fuzz-input encoding of the explore fuzzers (fuzz/engine/case_codec.h): cases survive an
// encode/decode round trip, every byte string decodes to a case whose encoding decodes to the
// same case, and the step-level mutator and crossover keep inputs within the step limit.
#include "case_codec.h"
#include "case_mutator.h"
#include "perturbation_gen.h"
#include "rc_check.h"  // properties/model: a fixed seed and budget unless RC_PARAMS says

namespace tcpconform::explore_props {
namespace {

using explore_steps::Case;

rc::Gen<Case> any_case() {
  return rc::gen::build<Case>(
      rc::gen::set(&Case::target,
                   gen::any_of<engine::explore::Target>(engine::explore::kTargetCount)),
      rc::gen::set(&Case::variant, rc::gen::arbitrary<std::uint8_t>()),
      rc::gen::set(&Case::steps,
                   rc::gen::resize(static_cast<int>(explore_steps::kMaxSteps),
                                   rc::gen::container<std::vector<explore_steps::Perturbation>>(
                                       gen::perturbation()))));
}

TCPCONFORM_RC_PROP(ExploreCaseCodec, DecodeOfEncodeIsIdentity, 200, ()) {
  const Case c = *any_case();
  RC_ASSERT(explore_steps::decode(explore_steps::encode(c)) == c);
}

TCPCONFORM_RC_PROP(ExploreCaseCodec, EveryByteStringDecodesToACanonicalCase, 200,
                   (const std::vector<std::uint8_t>& bytes)) {
  const Case c = explore_steps::decode(bytes);
  RC_ASSERT(c.steps.size() <= explore_steps::kMaxSteps);
  RC_ASSERT(explore_steps::decode(explore_steps::encode(c)) == c);
}

TCPCONFORM_RC_PROP(ExploreCaseCodec, MutationAndCrossoverKeepTheStepLimit, 200,
                   (std::uint64_t seed)) {
  const Case a = *any_case();
  const Case b = *any_case();
  RC_ASSERT(explore_steps::mutate(a, seed, 3).steps.size() <= explore_steps::kMaxSteps);
  RC_ASSERT(explore_steps::crossover(a, b, seed).steps.size() <= explore_steps::kMaxSteps);
}

}  // namespace
}  // namespace tcpconform::explore_props
