// The tcpconform command line: parses arguments and maps outcomes to documented exit codes.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string>

#include "exit_codes.h"
#include "explore_command.h"
#include "matrix_command.h"
#include "profile_option.h"
#include "run_command.h"
#include "self_check.h"

int main(int argc, char** argv) {
  using namespace tcpconform::cli;
  CLI::App app{"tcpconform: TCP connection-state conformance and fuzzing suite"};
  app.footer(kExitCodesHelp);
  app.set_version_flag("--version", std::string("tcpconform ") + TCPCONFORM_VERSION);
  app.require_subcommand(1);

  int exit_code = kExitOk;
  add_run_command(app, exit_code);
  add_replay_command(app, exit_code);
  add_self_check_command(app, exit_code);
  add_explore_command(app, exit_code);
  add_matrix_command(app, exit_code);
  add_profiles_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "tcpconform: internal error: {}\n", e.what());
    return kExitFailures;
  }
  return exit_code;
}
