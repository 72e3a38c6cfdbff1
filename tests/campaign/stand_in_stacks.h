// Stacks for the campaign's tests: a linux-profile model standing in for a real stack, and that
// model made to crash (as lwIP's host does on an assertion) or to fail as a harness does.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "tcpconform/campaign/campaign.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"

namespace tcpconform::campaign::testing {

// Forwards everything to a linux-profile model; an inbound segment with URG set makes it fail
// as `failure` says (a crash of the stack, or a plain harness error).
class FailingStack final : public harness::SystemUnderTest {
 public:
  explicit FailingStack(harness::Error failure)
      : model_(harness::model_stand_in(model::linux_profile())), failure_(std::move(failure)) {}

  [[nodiscard]] std::string name() const override { return "failing model"; }
  [[nodiscard]] harness::Addresses addresses(wire::IpVersion v) const override {
    return model_->addresses(v);
  }
  [[nodiscard]] harness::Result<void> inject(const wire::Segment& s) override {
    if (s.flags.has(wire::Flag::kUrg)) return tl::make_unexpected(failure_);
    return model_->inject(s);
  }
  [[nodiscard]] harness::Result<std::vector<wire::Segment>> collect() override {
    return model_->collect();
  }
  [[nodiscard]] harness::Result<model::CallResult> call(const model::SocketCall& c) override {
    return model_->call(c);
  }
  [[nodiscard]] harness::Result<void> advance(harness::Duration d) override {
    return model_->advance(d);
  }
  [[nodiscard]] harness::Result<std::vector<model::ConnectionObservation>> observe() override {
    return model_->observe();
  }
  [[nodiscard]] harness::Result<void> configure(const harness::Settings& s) override {
    return model_->configure(s);
  }
  [[nodiscard]] harness::Result<void> reset() override { return model_->reset(); }
  [[nodiscard]] bool virtual_time() const override { return true; }
  [[nodiscard]] std::optional<harness::Duration> time_to_next_timer() const override {
    return model_->time_to_next_timer();
  }

 private:
  std::unique_ptr<harness::ModelSut> model_;
  harness::Error failure_;
};

inline StackFactory linux_model_stack() {
  return [] {
    return harness::Result<std::unique_ptr<harness::SystemUnderTest>>(
        harness::model_stand_in(model::linux_profile()));
  };
}

inline StackFactory failing_stack(harness::Error failure) {
  return [failure] {
    return harness::Result<std::unique_ptr<harness::SystemUnderTest>>(
        std::make_unique<FailingStack>(failure));
  };
}

// A fresh directory under the system's temporary directory, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// An RFC-profile campaign of `programs` programs, one worker, against the linux-profile model.
inline CampaignOptions rfc_campaign(const std::filesystem::path& out, std::uint64_t programs) {
  CampaignOptions o;
  o.profile = "rfc9293";
  o.sut = "model";
  o.jobs = 1;
  o.seed = 1;
  o.seconds = 600;
  o.max_programs = programs;
  o.out = out;
  return o;
}

}  // namespace tcpconform::campaign::testing
