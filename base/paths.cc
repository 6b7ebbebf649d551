#include "base/paths.h"

#include <cstdlib>

namespace kgate {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : "";
}

}  // namespace

std::string SourceDir() {
  std::string home = Env("KGATE_HOME");
  return home.empty() ? KGATE_SOURCE_DIR : home;
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
