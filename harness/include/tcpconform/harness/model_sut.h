// The reference model behind the SystemUnderTest interface, with virtual time and rule coverage.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tcpconform/harness/environment.h"
#include "tcpconform/harness/sut.h"
#include "tcpconform/model/endpoint.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/model/rules.h"

namespace tcpconform::harness {

// Plays the stack's side with a model::Endpoint on the same addresses LinuxSut uses
// (192.0.2.1 / 2001:db8::1, the peer on 192.0.2.2 / 2001:db8::2). Time is virtual: advance()
// returns at once. Settings map onto the profile where the model has the knob (see
// configure()); sysctls the model does not model are accepted and listed in ignored_settings().
class ModelSut final : public SystemUnderTest {
 public:
  explicit ModelSut(model::Profile profile, model::Choices choices = {});

  [[nodiscard]] std::string name() const override;
  [[nodiscard]] Addresses addresses(wire::IpVersion version) const override;
  [[nodiscard]] Result<void> inject(const wire::Segment& segment) override;
  [[nodiscard]] Result<std::vector<wire::Segment>> collect() override;
  [[nodiscard]] Result<model::CallResult> call(const model::SocketCall& call) override;
  [[nodiscard]] Result<void> advance(Duration d) override;
  [[nodiscard]] Result<std::vector<model::ConnectionObservation>> observe() override;
  [[nodiscard]] Result<void> configure(const Settings& settings) override;
  [[nodiscard]] Result<void> reset() override;

  // The model itself, e.g. to bind the choices a real stack made (ISN, window scale).
  [[nodiscard]] model::Endpoint& endpoint() { return endpoint_; }
  [[nodiscard]] const model::Endpoint& endpoint() const { return endpoint_; }
  // Time until the model's earliest armed timer, if any.
  [[nodiscard]] bool virtual_time() const override { return true; }
  [[nodiscard]] std::optional<Duration> time_to_next_timer() const override;
  // Rules fired and state changes since the last reset(), and those of the last event alone.
  [[nodiscard]] const model::RuleSet& rules_fired() const { return rules_; }
  [[nodiscard]] const model::RuleSet& last_event_rules() const { return last_.rules; }
  [[nodiscard]] const std::vector<model::StateChange>& state_changes() const { return changes_; }
  [[nodiscard]] const std::vector<std::string>& ignored_settings() const { return ignored_; }

 private:
  void absorb();  // moves the last event's output into the pending queue and the coverage

  model::Profile base_profile_;
  model::Choices base_choices_;
  model::Endpoint endpoint_;
  model::EventOutput last_;
  std::vector<wire::Segment> pending_;
  model::RuleSet rules_;
  std::vector<model::StateChange> changes_;
  std::vector<std::string> ignored_;
};

// A model to stand in for a stack (explore's self-check, judging on): the engine configures the
// model lane with the run's environment but only resets the stack, and reset() returns a
// ModelSut to the profile and choices it was built with; so this one is built with the
// environment applied, and every reset keeps it (a plain ModelSut would diverge from the model
// lane at the first timer).
[[nodiscard]] std::unique_ptr<ModelSut> model_stand_in(
    const model::Profile& profile, const Environment& environment = bench_environment());

}  // namespace tcpconform::harness
