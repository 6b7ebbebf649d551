#include "kernels/deb_package.h"

#include <filesystem>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace fs = std::filesystem;

Result<std::vector<std::string>> DownloadDebs(ProcessRunner& runner,
                                              const std::vector<std::string>& packages,
                                              const std::string& dir) {
  std::vector<std::string> argv = {"apt-get", "download"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  KG_RETURN_IF_ERROR(RunChecked(runner, argv, dir, 1800).status());
  std::vector<std::string> debs;
  for (const std::string& package : packages) {
    std::string found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string name = e.path().filename();
      if (e.path().extension() == ".deb" && StartsWith(name, package + "_")) found = e.path();
    }
    if (found.empty()) {
      return Status::Infrastructure(fmt::format("apt-get download {} left no .deb in {}", package, dir));
    }
    debs.push_back(found);
  }
  return debs;
}

Status ExtractDeb(ProcessRunner& runner, const std::string& deb, const std::string& root) {
  return RunChecked(runner, {"dpkg-deb", "-x", deb, root}, "", 600).status();
}

std::string DebVersion(const std::string& deb_path) {
  std::vector<std::string> parts = Split(fs::path(deb_path).filename().string(), '_');
  return parts.size() >= 3 ? parts[1] : "unknown";
}

std::vector<std::string> ParseDependsNames(std::string_view depends) {
  std::vector<std::string> names;
  for (const std::string& clause : Split(depends, ',')) {
    std::string first = Trim(clause.substr(0, clause.find('|')));
    first = Trim(first.substr(0, first.find('(')));
    first = first.substr(0, first.find(':'));  // gcc-12:amd64
    if (!first.empty()) names.push_back(first);
  }
  return names;
}

}  // namespace kgate
