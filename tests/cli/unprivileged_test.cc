// The tcpconform command run by an unprivileged user (uid 65534, started from root with
// setpriv): it either drives the kernel from a user namespace of its own, or says which
// privilege is missing and exits 77 — never a crash, a hang or a misleading failure.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "command_outcome.h"

namespace {
namespace fs = std::filesystem;

using tcpconform::testing::Outcome;

Outcome run_as_nobody(const std::string& args) {
  return tcpconform::testing::run_command("setpriv --reuid=65534 --regid=65534 --clear-groups " +
                                          std::string(TCPCONFORM_BINARY) + " " + args);
}

class Unprivileged : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to start a process as uid 65534";
    if (std::system("command -v setpriv >/dev/null") != 0) GTEST_SKIP() << "setpriv is absent";
    const std::string reachable = "setpriv --reuid=65534 --regid=65534 --clear-groups test -x " +
                                  std::string(TCPCONFORM_BINARY);
    if (std::system(reachable.c_str()) != 0) {
      GTEST_SKIP() << "uid 65534 cannot reach " << TCPCONFORM_BINARY << " (directory modes)";
    }
    dir_ = fs::temp_directory_path() /
           ("tcpconform-nobody-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms::all);
    // Whether uid 65534 can open the TUN clone device decides which outcome is right.
    struct stat st {};
    tun_open_to_all_ = ::stat("/dev/net/tun", &st) == 0 && (st.st_mode & S_IROTH) != 0 &&
                       (st.st_mode & S_IWOTH) != 0;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void expect_runs_or_exit77(const Outcome& o, int success_code) const {
    if (tun_open_to_all_) {
      EXPECT_EQ(o.exit_code, success_code) << o.output;
    } else {
      EXPECT_EQ(o.exit_code, 77) << o.output;
      EXPECT_NE(o.output.find("/dev/net/tun"), std::string::npos) << o.output;
      EXPECT_NE(o.output.find("missing privilege"), std::string::npos) << o.output;
    }
  }

  fs::path dir_;
  bool tun_open_to_all_ = false;
};

TEST_F(Unprivileged, RunDrivesTheKernelOrExits77NamingTheMissingPrivilege) {
  const Outcome o =
      run_as_nobody("run -j2 --filter 'handshake/*' --out " + (dir_ / "out").string());
  expect_runs_or_exit77(o, 0);
  if (tun_open_to_all_) EXPECT_NE(o.output.find(" passed, 0 failed"), std::string::npos);
}

TEST_F(Unprivileged, ExploreDrivesTheKernelOrExits77NamingTheMissingPrivilege) {
  const Outcome o =
      run_as_nobody("explore -j2 --time 2 --programs 40 --out " + (dir_ / "ex").string());
  if (tun_open_to_all_) {
    // 0 or 1 (divergences found) are both a working campaign; what matters is its summary.
    EXPECT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.output;
    EXPECT_TRUE(fs::exists(dir_ / "ex" / "summary.json")) << o.output;
  } else {
    expect_runs_or_exit77(o, 0);
  }
}

}  // namespace
