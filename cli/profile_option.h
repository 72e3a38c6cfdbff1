// `--profile`, the same in every command: a built-in profile (linux, rfc9293) or a spec that
// adopts fields of the other (model/deviations.h), and `tcpconform profiles`, which lists them.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "tcpconform/model/profile.h"

namespace tcpconform::cli {

// Adds `--profile SPEC` to `cmd`, bound to `spec` (whose value is the default); a spec that
// does not parse is a usage error naming the bad part.
void add_profile_option(CLI::App* cmd, std::string& spec);

// The profile of a spec add_profile_option() accepted.
[[nodiscard]] model::Profile profile_of(const std::string& spec);

// `tcpconform profiles`: every field with its catalog rules and its value in each profile.
void add_profiles_command(CLI::App& app, int& exit_code);

}  // namespace tcpconform::cli
