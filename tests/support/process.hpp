#pragma once
// Running the real executable from a test: once, capturing its output, or as a daemon that
// says on its first line of standard output where it listens ("...:PORT").

#include "support/temp_dir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace tthc::test {

struct Outcome {
  int status = -1;  ///< exit status, or -1 when the process did not exit normally
  std::string out;
  std::string err;
};

namespace process_detail {

inline std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

/// Waits for `pid` to end; gives waitpid's status word.
inline int wait_status(pid_t pid) {
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0) {
  }
  return wstatus;
}

inline int exit_status(pid_t pid) {
  const int wstatus = wait_status(pid);
  return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

}  // namespace process_detail

/// Runs `exe args...` in `cwd` (when given) with standard input from /dev/null, waits, and
/// returns its exit status with standard output and error captured apart. Output goes through
/// files, so a large output cannot fill a pipe and stall the child.
inline Outcome run_process(const std::filesystem::path& exe, std::vector<std::string> args,
                           const std::optional<std::filesystem::path>& cwd = std::nullopt) {
  TempDir dir;
  const std::string out_file = dir.file("stdout").string();
  const std::string err_file = dir.file("stderr").string();
  args.insert(args.begin(), exe.string());
  std::vector<char*> argv = process_detail::argv_of(args);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const std::string cwd_text = cwd ? cwd->string() : std::string();
  if (cwd) posix_spawn_file_actions_addchdir_np(&actions, cwd_text.c_str());
  // The child gets none of the test's other descriptors (a listening socket of a server the
  // test runs would otherwise stay bound in the child after the test closes it).
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  Outcome r;
  if (rc != 0) {
    r.err = "posix_spawn failed: " + std::to_string(rc);
    return r;
  }
  r.status = process_detail::exit_status(pid);
  r.out = read_file(out_file);
  r.err = read_file(err_file);
  return r;
}

/// A daemon started in `cwd`; the constructor returns once it has printed its first line of
/// standard output (its address), or has exited. Killed if still running when destroyed.
class Daemon {
 public:
  Daemon(const std::filesystem::path& exe, std::vector<std::string> args,
         const std::filesystem::path& cwd) {
    int out_pipe[2];
    if (pipe(out_pipe) != 0) return;
    args.insert(args.begin(), exe.string());
    std::vector<char*> argv = process_detail::argv_of(args);
    const std::string cwd_text = cwd.string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addchdir_np(&actions, cwd_text.c_str());
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // as in run_process
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    out_fd_ = out_pipe[0];
    if (rc != 0) {
      pid_ = -1;
      return;
    }
    char c = 0;
    while (read(out_fd_, &c, 1) == 1 && c != '\n') first_line_ += c;
  }
  ~Daemon() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      process_detail::exit_status(pid_);
    }
    if (out_fd_ >= 0) close(out_fd_);
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  const std::string& first_line() const { return first_line_; }
  /// The port after the last ':' of the first line; 0 when there is none.
  std::uint16_t port() const {
    const auto colon = first_line_.rfind(':');
    if (colon == std::string::npos || colon + 1 == first_line_.size()) return 0;
    return static_cast<std::uint16_t>(std::stoi(first_line_.substr(colon + 1)));
  }
  /// SIGTERM, then waits: the exit status, or -1 when it did not exit normally.
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    const int status = process_detail::exit_status(pid_);
    pid_ = -1;
    return status;
  }
  /// SIGKILL, then waits: true when the signal ended it, false when it had exited before (or
  /// was never started).
  bool kill_hard() {
    if (pid_ <= 0) return false;
    kill(pid_, SIGKILL);
    const int wstatus = process_detail::wait_status(pid_);
    pid_ = -1;
    return WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string first_line_;
};

/// Starts `command` in `cwd` through /bin/sh, its standard error going to `log`
/// (shown when a step fails), and under `setpriv --pdeathsig KILL` where available, so it dies
/// with the test process even when no destructor runs (a crash, a ctest timeout). The returned
/// Daemon kills it when destroyed. `announce`: the shell prints the first line itself, for a
/// program that prints none on standard output (Prometheus).
inline std::unique_ptr<Daemon> start_logged(const std::filesystem::path& log,
                                            const std::vector<std::string>& command, bool announce,
                                            const std::filesystem::path& cwd) {
  std::string script = R"(log=$1; shift; exec 2>>"$log"; )";
  if (announce) script += "echo started; ";
  script += R"(exec "$@")";
  std::vector<std::string> args = {"-c", script, "tthc-test", log.string()};
  if (std::filesystem::exists("/usr/bin/setpriv")) {
    args.insert(args.end(), {"/usr/bin/setpriv", "--pdeathsig", "KILL"});
  }
  args.insert(args.end(), command.begin(), command.end());
  return std::make_unique<Daemon>("/bin/sh", std::move(args), cwd);
}

#ifdef TTHC_EXECUTABLE
namespace monitor {

/// Runs the executable under test in the source folder (where it finds the shipped
/// configuration), waits, and captures both streams.
inline Outcome run(const std::vector<std::string>& args) {
  return run_process(TTHC_EXECUTABLE, args, TTHC_SOURCE_DIR);
}

}  // namespace monitor
#endif

}  // namespace tthc::test
