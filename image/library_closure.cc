#include "image/library_closure.h"

#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace fs = std::filesystem;

Result<std::vector<std::string>> ParseLddOutput(const std::string& binary, const std::string& out) {
  std::vector<std::string> libs;
  for (const std::string& raw : Split(out, '\n')) {
    std::string line = Trim(raw);
    if (line.empty() || line.find("statically linked") != std::string::npos) continue;
    std::size_t arrow = line.find("=>");
    std::string path;
    if (arrow == std::string::npos) {
      path = line.substr(0, line.find(' '));  // the loader, or the vDSO (no path)
    } else {
      std::string rest = Trim(line.substr(arrow + 2));
      if (StartsWith(rest, "not found")) {
        return Status::BadInput(fmt::format("{} needs {}, which is not found on this host",
                                            binary, Trim(line.substr(0, arrow))));
      }
      path = rest.substr(0, rest.find(' '));
    }
    if (StartsWith(path, "/")) libs.push_back(path);
  }
  return libs;
}

Result<std::vector<std::string>> LibraryClosure(ProcessRunner& runner, const std::string& binary) {
  Result<ProcessResult> run = runner.Run({"ldd", binary});
  if (!run.ok()) return run.status().Prefixed("ldd (install libc-bin)");
  if (!run->success()) {
    // ldd says so and exits 1 for static binaries and for scripts.
    if (run->out.find("not a dynamic executable") != std::string::npos ||
        run->err.find("not a dynamic executable") != std::string::npos) {
      return std::vector<std::string>{};
    }
    return Status::BadInput(fmt::format("ldd {}: {}: {}", binary, run->Describe(), Trim(run->err)));
  }
  return ParseLddOutput(binary, run->out);
}

std::string GuestPathFor(const std::string& host_path) {
  return fs::path(host_path).lexically_normal().string();
}

}  // namespace kgate
