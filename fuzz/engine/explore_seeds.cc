// Writes the seed corpora of the explore fuzz targets, or prints inputs as scripts:
//   explore_seeds seeds DIR [--check model|linux]   one case per target state and prefix route,
//                                                   with a tail of 3-7 seeded perturbations;
//                                                   --check keeps only cases that pass there
//                                                   (and prints why the others fail)
//   explore_seeds print FILE...                     the program of each input, as a script
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../seed_files.h"
#include "case_codec.h"
#include "case_mutator.h"
#include "differential.h"
#include "tcpconform/harness/linux_sut.h"
#include "tcpconform/harness/model_sut.h"
#include "tcpconform/model/profile.h"
#include "tcpconform/scenario/print.h"

namespace {

using namespace tcpconform;
using namespace tcpconform::explore_steps;

constexpr int kRoutes = 3;  // prefix variants per target state

int write_seeds(const std::string& dir, const std::string& check) {
  harness::ModelSut model(model::linux_profile());
  std::unique_ptr<harness::SystemUnderTest> stack;
  Limits limits;
  if (check == "linux") {
    auto k = harness::LinuxSut::create();
    if (!k) {
      std::fprintf(stderr, "cannot drive the kernel: %s\n", k.error().to_string().c_str());
      return 77;
    }
    stack = std::move(*k);
    limits.max_advance_us = 500'000;
  } else if (check == "model") {
    stack = harness::model_stand_in(model::linux_profile());
  }
  engine::explore::Bench bench{&model, stack.get()};
  int written = 0;
  int dropped = 0;
  for (int t = 0; t < engine::explore::kTargetCount; ++t) {
    for (int v = 0; v < kRoutes; ++v) {
      Case c;
      c.target = static_cast<engine::explore::Target>(t);
      c.variant = static_cast<std::uint8_t>(v);
      // A tail of 3, 5 or 7 perturbations grown by the fuzzers' own mutator.
      const std::size_t want = 3 + 2 * static_cast<std::size_t>(v);
      for (std::uint64_t k = 0; c.steps.size() < want && k < 200; ++k) {
        c = mutate(c, static_cast<std::uint64_t>((t * 16 + v) * 1000) + k);
        c.target = static_cast<engine::explore::Target>(t);  // mutate() may move the header
        c.variant = static_cast<std::uint8_t>(v);
      }
      if (stack) {
        const Built b = build(c, limits);
        if (const auto why =
                failure(b.prefix_steps, engine::explore::run_trial(bench, b.program))) {
          std::fprintf(stderr, "dropped %s route %d:\n%s\n",
                       std::string(engine::explore::to_string(c.target)).c_str(), v,
                       reproducer(b.program, *why, "linux", check).c_str());
          ++dropped;
          continue;
        }
      }
      const auto bytes = encode(c);
      const std::string path = dir + "/" +
                               tcpconform::fuzz::slug(engine::explore::to_string(c.target)) + "-" +
                               std::to_string(v) + ".case";
      if (!tcpconform::fuzz::write_seed(path, bytes)) return 1;
      ++written;
    }
  }
  std::printf("wrote %d seeds to %s (%d dropped by --check)\n", written, dir.c_str(), dropped);
  return 0;
}

int print(const char* path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> raw{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::vector<std::uint8_t> bytes(raw.begin(), raw.end());
  const Case c = decode(bytes);
  std::printf("// %s: %s, route %d, %zu perturbations\n", path,
              std::string(engine::explore::to_string(c.target)).c_str(), c.variant, c.steps.size());
  for (const Perturbation& p : c.steps) std::printf("//   %s\n", describe(p).c_str());
  std::printf("%s", scenario::print(build(c, Limits{}).program).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if ((args.size() == 2 || (args.size() == 4 && args[2] == "--check")) && args[0] == "seeds") {
    return write_seeds(std::string{args[1]}, args.size() == 4 ? std::string{args[3]} : "");
  }
  if (args.size() >= 2 && args[0] == "print") {
    int rc = 0;
    for (int i = 2; i < argc; ++i) rc |= print(argv[i]);
    return rc;
  }
  std::fprintf(stderr, "usage: %s seeds DIR [--check model|linux] | print FILE...\n", argv[0]);
  return 2;
}
