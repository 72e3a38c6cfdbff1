// `--profile` and `tcpconform profiles`.
#include "profile_option.h"

#include <fmt/core.h>

#include "exit_codes.h"
#include "tcpconform/model/deviations.h"

namespace tcpconform::cli {

void add_profile_option(CLI::App* cmd, std::string& spec) {
  cmd->add_option("--profile", spec,
                  "Model profile: linux, rfc9293, or either followed by +FIELD (the linux "
                  "value) or -FIELD (the rfc9293 value), e.g. rfc9293+request_sockets; "
                  "`tcpconform profiles` lists the fields")
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            auto p = model::profile_from_spec(text);
            return p ? std::string() : p.error();
          },
          "PROFILE"))
      ->capture_default_str();
}

model::Profile profile_of(const std::string& spec) {
  return model::profile_from_spec(spec).value_or(model::linux_profile());
}

namespace {

int list_profiles(const std::string& spec) {
  auto chosen = model::profile_from_spec(spec);
  if (!chosen) {
    fmt::print(stderr, "tcpconform profiles: {}\n", chosen.error());
    return kExitBadInput;
  }
  const model::Profile rfc = model::rfc9293_profile();
  const model::Profile linux = model::linux_profile();
  const bool custom = spec != "rfc9293" && spec != "linux";
  fmt::print("{:<40} {:<20} {:<9} {:<9}{} {}\n", "FIELD", "RULES", "rfc9293", "linux",
             custom ? fmt::format(" {:<9}", "spec") : "", "WHAT LINUX DOES");
  for (const model::Deviation& d : model::deviations()) {
    std::string rules;
    for (const model::Rule r : d.rules)
      rules += fmt::format("{}{}", rules.empty() ? "" : " ", model::to_string(r));
    fmt::print("{:<40} {:<20} {:<9} {:<9}{} {}{}\n", d.name, rules.empty() ? "-" : rules,
               d.value(rfc), d.value(linux), custom ? fmt::format(" {:<9}", d.value(*chosen)) : "",
               d.summary, d.differs(rfc, linux) ? "" : " (same in both)");
  }
  fmt::print(
      "\nA profile spec is linux or rfc9293, then +FIELD to take a field's linux value or "
      "-FIELD to take its rfc9293 value: `--profile rfc9293+request_sockets`.\n");
  return kExitOk;
}

}  // namespace

void add_profiles_command(CLI::App& app, int& exit_code) {
  auto spec = std::make_shared<std::string>("rfc9293");
  auto* cmd = app.add_subcommand(
      "profiles",
      "List the model profiles' fields (where RFC 9293 and Linux differ), with their catalog "
      "rules and values");
  cmd->add_option("spec", *spec, "Also show the values of this profile spec");
  cmd->callback([spec, &exit_code] { exit_code = list_profiles(*spec); });
}

}  // namespace tcpconform::cli
