#include "base/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace kgate {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : "";
}

}  // namespace

std::string ExecutableDir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : exe.parent_path().string();
}

std::string KgateHome() {
  if (std::string home = Env("KGATE_HOME"); !home.empty()) return home;
  std::filesystem::path share = std::filesystem::path(ExecutableDir()) / ".." / "share" / "kgate";
  return share.lexically_normal().string();
}

std::string KernelConfigsDir() { return KgateHome() + "/kernel-configs"; }

std::string GuestProgramPath(const std::string& name) {
  std::string dir = Env("KGATE_GUEST_BIN");
  if (dir.empty()) {
    dir = (std::filesystem::path(ExecutableDir()) / ".." / "libexec" / "kgate")
              .lexically_normal()
              .string();
  }
  std::string path = dir + "/" + name;
  return access(path.c_str(), X_OK) == 0 ? path : "";
}

std::string CacheDir() {
  if (std::string c = Env("KGATE_CACHE"); !c.empty()) return c;
  if (std::string x = Env("XDG_CACHE_HOME"); !x.empty()) return x + "/kgate";
  std::string home = Env("HOME");
  return (home.empty() ? std::string("/tmp") : home) + "/.cache/kgate";
}

std::string DefaultDbPath() {
  std::string db = Env("KGATE_DB");
  return db.empty() ? "kgate.db" : db;
}

}  // namespace kgate
