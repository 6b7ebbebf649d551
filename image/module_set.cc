#include "image/module_set.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxModulesMetadataBytes = 64 << 20;

struct Compression {
  const char* suffix;
  const char* tool;  // "" for uncompressed
};
constexpr Compression kCompressions[] = {{".ko.xz", "xz"}, {".ko.zst", "zstd"}, {".ko.gz", "gzip"},
                                         {".ko", ""}};

const Compression* CompressionOf(const std::string& path) {
  for (const Compression& c : kCompressions) {
    if (EndsWith(path, c.suffix)) return &c;
  }
  return nullptr;
}

std::string Normalise(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

// modules.dep: "<path>: <dep path> <dep path>...", one module per line.
Result<std::map<std::string, std::vector<std::string>>> ReadModulesDep(const std::string& modules_dir) {
  std::string path = modules_dir + "/modules.dep";
  Result<std::string> text = ReadTextFile(path, kMaxModulesMetadataBytes);
  if (!text.ok()) return text.status().Prefixed("run depmod -b <root> <version> first");
  std::map<std::string, std::vector<std::string>> deps;
  int line_no = 0;
  for (const std::string& line : Split(*text, '\n')) {
    ++line_no;
    if (Trim(line).empty()) continue;
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      return Status::BadInput(fmt::format("{}:{}:1: expected '<module path>: <dependencies>'", path, line_no));
    }
    std::vector<std::string>& list = deps[line.substr(0, colon)];
    for (const std::string& dep : Split(line.substr(colon + 1), ' ')) {
      if (!Trim(dep).empty()) list.push_back(Trim(dep));
    }
  }
  return deps;
}

std::set<std::string> ReadBuiltin(const std::string& modules_dir) {
  std::set<std::string> names;
  Result<std::string> text = ReadTextFile(modules_dir + "/modules.builtin", kMaxModulesMetadataBytes);
  if (!text.ok()) return names;
  for (const std::string& line : Split(*text, '\n')) {
    if (!Trim(line).empty()) names.insert(ModuleName(Trim(line)));
  }
  return names;
}

}  // namespace

std::string ModuleName(const std::string& path) {
  std::string base = fs::path(path).filename().string();
  if (const Compression* c = CompressionOf(base)) base.resize(base.size() - std::string(c->suffix).size());
  return Normalise(base);
}

Result<std::vector<std::string>> ResolveModules(const std::string& modules_dir,
                                                const std::vector<std::string>& names) {
  KG_ASSIGN_OR_RETURN(auto deps, ReadModulesDep(modules_dir));
  std::map<std::string, std::string> by_name;
  for (const auto& [path, unused] : deps) by_name[ModuleName(path)] = path;
  std::set<std::string> builtin = ReadBuiltin(modules_dir);

  std::vector<std::string> order;
  std::set<std::string> seen;
  std::function<void(const std::string&)> visit = [&](const std::string& path) {
    if (!seen.insert(path).second) return;
    for (const std::string& dep : (deps)[path]) visit(dep);
    order.push_back(path);
  };
  for (const std::string& requested : names) {
    std::string name = Normalise(requested);
    if (auto it = by_name.find(name); it != by_name.end()) {
      visit(it->second);
    } else if (!builtin.count(name)) {
      std::vector<std::string> known;
      for (const auto& [n, unused] : by_name) known.push_back(n);
      std::string close = ClosestMatch(name, known);
      return Status::BadInput(fmt::format(
          "module '{}' is neither in {}/modules.dep nor built into the kernel{}", requested,
          modules_dir, close.empty() ? "" : "; did you mean '" + close + "'?"));
    }
  }
  return order;
}

Result<std::vector<std::string>> StageModules(ProcessRunner& runner, const std::string& modules_dir,
                                              const std::string& version,
                                              const std::vector<std::string>& relative_paths,
                                              const std::string& staging_root) {
  std::string rel_base = "lib/modules/" + version;
  std::string out_dir = staging_root + "/" + rel_base;
  KG_RETURN_IF_ERROR(MakeDirs(out_dir));
  std::vector<std::string> staged;
  for (const std::string& rel : relative_paths) {
    const Compression* c = CompressionOf(rel);
    if (c == nullptr) return Status::BadInput(fmt::format("{}: not a kernel module file", rel));
    std::string plain = rel.substr(0, rel.size() - std::string(c->suffix).size()) + ".ko";
    std::string src = modules_dir + "/" + rel;
    std::string data;
    if (*c->tool == '\0') {
      Result<std::string> raw = ReadTextFile(src, 1u << 30, /*require_utf8=*/false);
      if (!raw.ok()) return raw.status();
      data = std::move(*raw);
    } else {
      ProcessOptions options;
      options.max_output_bytes = 1u << 30;
      Result<ProcessResult> run = runner.Run({c->tool, "-d", "-c", src}, options);
      if (!run.ok()) return run.status();
      if (!run->success()) {
        return Status::Infrastructure(fmt::format("{} -d {}: {}: {}", c->tool, src, run->Describe(), Trim(run->err)));
      }
      data = std::move(run->out);
    }
    KG_RETURN_IF_ERROR(MakeDirs(fs::path(out_dir + "/" + plain).parent_path()));
    KG_RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/" + plain, data));
    staged.push_back(rel_base + "/" + plain);
  }
  for (const char* meta : {"modules.builtin", "modules.builtin.modinfo", "modules.order"}) {
    std::error_code ec;
    if (fs::exists(modules_dir + "/" + meta)) {
      fs::copy_file(modules_dir + "/" + meta, out_dir + "/" + meta, fs::copy_options::overwrite_existing, ec);
      if (ec) return Status::Infrastructure(fmt::format("copying {}: {}", meta, ec.message()));
    }
  }
  Result<ProcessResult> depmod = runner.Run({"depmod", "-b", staging_root, version});
  if (!depmod.ok()) return depmod.status().Prefixed("install kmod");
  if (!depmod->success()) {
    return Status::Infrastructure(fmt::format("depmod -b {} {}: {}: {}", staging_root, version,
                                              depmod->Describe(), Trim(depmod->err)));
  }
  for (const auto& e : fs::directory_iterator(out_dir)) {
    if (e.is_regular_file() && StartsWith(e.path().filename().string(), "modules.")) {
      staged.push_back(rel_base + "/" + e.path().filename().string());
    }
  }
  std::sort(staged.begin(), staged.end());
  return staged;
}

}  // namespace kgate
