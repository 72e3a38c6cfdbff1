// The tcpconform command line: parses arguments and maps outcomes to documented exit codes.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

int main(int argc, char** argv) {
  CLI::App app{"tcpconform: TCP connection-state conformance and fuzzing suite"};
  app.set_version_flag("--version", std::string("tcpconform ") + TCPCONFORM_VERSION);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
