#include "analysis/module_build.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/rules.h"
#include "base/file_util.h"
#include "base/strings.h"
#include "kernels/kernel_headers.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxModCBytes = 4 << 20;
constexpr std::size_t kMaxSymversBytes = 64 << 20;
constexpr std::size_t kMaxSourceBytes = 64 << 20;

// Copies each built .ko into <cache>/module-builds/<builds name>/<source hash>/
// (same relative path) unless a copy is there already: the same sources
// built against the same headers give the same module, and keeping the
// first copy keeps its mtime, so guest images keyed on it stay valid.
// Returns the absolute paths of the kept copies; a module that cannot be
// copied is left out and named in *error.
std::vector<std::string> KeepModules(const std::string& work, const std::vector<std::string>& modules,
                                     const std::string& dest, std::string* error) {
  std::vector<std::string> kept;
  for (const std::string& rel : modules) {
    fs::path to = fs::path(dest) / rel;
    std::error_code ec;
    if (!fs::exists(to, ec)) {
      fs::create_directories(to.parent_path(), ec);
      fs::path tmp = to.string() + fmt::format(".tmp-{}", getpid());
      fs::copy_file(fs::path(work) / rel, tmp, fs::copy_options::overwrite_existing, ec);
      if (!ec) fs::rename(tmp, to, ec);
      if (ec) {
        fs::remove(tmp, ec);
        *error = fmt::format("cannot keep {} in {}: {}", rel, dest, ec.message());
        continue;
      }
    }
    kept.push_back(fs::absolute(to, ec).string());
  }
  return kept;
}

bool IsBuildProduct(const fs::path& p) {
  std::string name = p.filename();
  std::string ext = p.extension();
  return StartsWith(name, ".") || ext == ".o" || ext == ".ko" || ext == ".mod" ||
         EndsWith(name, ".mod.c") || name == "Module.symvers" || name == "modules.order";
}

std::string Rel(const fs::path& p, const fs::path& base) { return p.lexically_relative(base).string(); }

// Copies the module's sources into a fresh temporary directory; *hash is the
// SHA-256 over every copied file's relative path and content, in path order.
Result<std::string> CopySources(const std::string& module_dir, std::string* hash) {
  std::string pattern = (fs::temp_directory_path() / "kgate-modbuild-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::Infrastructure(fmt::format("cannot create a temporary directory like {}", pattern));
  }
  std::error_code ec;
  fs::path src = fs::absolute(module_dir, ec);
  std::map<std::string, std::string> contents;  // relative path -> bytes
  for (auto it = fs::recursive_directory_iterator(src, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (IsBuildProduct(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    fs::path to = fs::path(pattern) / it->path().lexically_relative(src);
    if (it->is_directory()) {
      fs::create_directories(to, ec);
    } else if (it->is_regular_file()) {
      fs::copy_file(it->path(), to, ec);
      Result<std::string> bytes = ReadTextFile(it->path(), kMaxSourceBytes, false);
      contents[Rel(it->path(), src)] = bytes.ok() ? *bytes : "unreadable";
    }
    if (ec) break;
  }
  std::string all;
  for (const auto& [path, bytes] : contents) all += fmt::format("{}\n{}\n{}\n", path, bytes.size(), bytes);
  *hash = Sha256Hex(all);
  if (ec) {
    fs::remove_all(pattern, ec);
    return Status::Infrastructure(fmt::format("cannot copy {}: {}", module_dir, ec.message()));
  }
  return pattern;
}

// Runs make in a copy of module_dir and reads what it produced; an ok
// build's modules are kept under cache_dir.
void RunBuild(const std::string& module_dir, const KernelHeaders& headers, const std::string& cache_dir,
              ProcessRunner& runner, ModuleBuild* b) {
  std::string hash;
  Result<std::string> work = CopySources(module_dir, &hash);
  if (!work.ok()) {
    b->reason = work.status().message();
    return;
  }
  std::vector<std::string> argv = {"make", "-C", headers.build_dir, "M=" + *work, "modules",
                                   "CONFIG_DEBUG_INFO_BTF_MODULES="};
  ProcessOptions options;
  // Plain quotes in gcc's messages. The kernel Makefile unexports LC_ALL, so
  // the categories gcc reads are set one by one.
  options.env["LANG"] = "C";
  options.env["LC_CTYPE"] = "C";
  options.env["LC_MESSAGES"] = "C";
  options.timeout = std::chrono::seconds(900);
  Result<ProcessResult> run = runner.Run(argv, options);
  std::error_code ec;
  if (!run.ok()) {
    b->reason = run.status().message();
    fs::remove_all(*work, ec);
    return;
  }
  b->ran = true;
  b->seconds = run->seconds;
  b->diagnostics = ParseBuildOutput(run->out + "\n" + run->err, *work + "/");
  std::set<std::string> symbols;
  for (auto it = fs::recursive_directory_iterator(*work, ec); !ec && it != fs::end(it); it.increment(ec)) {
    std::string name = it->path().filename();
    if (EndsWith(name, ".ko")) b->modules.push_back(Rel(it->path(), *work));
    if (!EndsWith(name, ".mod.c")) continue;
    Result<std::string> mod_c = ReadTextFile(it->path(), kMaxModCBytes, false);
    if (!mod_c.ok()) continue;
    for (std::string& s : ParseModversions(*mod_c)) symbols.insert(std::move(s));
  }
  std::sort(b->modules.begin(), b->modules.end());
  b->symbols.assign(symbols.begin(), symbols.end());
  b->ok = run->success() && !b->modules.empty();
  for (const BuildDiagnostic& d : b->diagnostics) {
    b->warnings += d.level == "warning";
    if (d.level == "error" && b->error_lines.size() < kMaxErrorLines) b->error_lines.push_back(d.text);
  }
  if (!b->ok && b->error_lines.empty()) {  // make or the linker failed without a diagnostic
    std::vector<std::string> lines = Split(Trim(run->err.empty() ? run->out : run->err), '\n');
    std::size_t from = lines.size() > kMaxErrorLines ? lines.size() - kMaxErrorLines : 0;
    for (std::size_t i = from; i < lines.size(); ++i) b->error_lines.push_back(lines[i]);
    if (b->error_lines.empty()) b->error_lines.push_back(fmt::format("make {}", run->Describe()));
  }
  if (b->ok) {
    std::string dest = fmt::format("{}/module-builds/{}/{}", cache_dir, headers.BuildsName(), hash.substr(0, 16));
    std::string error;
    b->ko_paths = KeepModules(*work, b->modules, dest, &error);
    if (!error.empty()) b->reason = error;
  }
  fs::remove_all(*work, ec);
}

std::string Why(std::string_view rule) { return std::string(FindRule(rule)->why); }

}  // namespace

std::vector<ModuleBuild> BuildModuleOnKernels(const std::string& module_dir,
                                              const std::vector<std::string>& refs,
                                              const std::string& cache_dir, ProcessRunner& runner,
                                              const std::map<std::string, KernelHeaders>& known) {
  std::vector<ModuleBuild> builds;
  std::map<std::string, std::map<std::string, std::string>> exports;
  for (const std::string& ref : refs) {
    bool seen = std::any_of(builds.begin(), builds.end(), [&](const ModuleBuild& b) { return b.ref == ref; });
    if (seen) continue;
    ModuleBuild b;
    b.ref = ref;
    auto given = known.find(ref);
    Result<KernelHeaders> headers =
        given != known.end() ? Result<KernelHeaders>(given->second) : EnsureKernelHeaders(ref, cache_dir, runner);
    if (!headers.ok()) {
      b.reason = headers.status().message();
      builds.push_back(std::move(b));
      continue;
    }
    b.package = headers->package;
    b.version = headers->version;
    Result<std::string> symvers = ReadTextFile(headers->symvers, kMaxSymversBytes, false);
    if (symvers.ok()) exports[ref] = ParseModuleSymvers(*symvers);
    RunBuild(module_dir, *headers, cache_dir, runner, &b);
    builds.push_back(std::move(b));
  }
  ComputeMissingSymbols(builds, exports);
  return builds;
}

std::vector<BuildDiagnostic> ParseBuildOutput(std::string_view out, const std::string& strip_prefix) {
  static const std::regex kCompiler(R"(^(.+?):(\d+):(?:\d+:)? (?:fatal )?(error|warning): (.*)$)");
  static const std::regex kModpost(R"(^(ERROR|WARNING): modpost: (.*)$)");
  std::vector<BuildDiagnostic> out_diags;
  for (std::string line : Split(out, '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    for (std::size_t at; !strip_prefix.empty() && (at = line.find(strip_prefix)) != std::string::npos;) {
      line.erase(at, strip_prefix.size());
    }
    std::string bounded = line.substr(0, 4096);
    std::smatch m;
    BuildDiagnostic d;
    if (std::regex_match(bounded, m, kCompiler)) {
      d.level = m[3];
      d.file = m[1];
      d.line = std::stoi(m[2].str().substr(0, 9));
      d.message = m[4];
    } else if (std::regex_match(bounded, m, kModpost)) {
      d.level = m[1] == "ERROR" ? "error" : "warning";
      d.message = m[2];
    } else {
      continue;
    }
    d.text = Trim(line);
    out_diags.push_back(std::move(d));
  }
  return out_diags;
}

std::vector<std::string> ParseModversions(std::string_view mod_c) {
  static const std::regex kEntry(R"re(^\s*\{\s*0x[0-9a-fA-F]+,\s*"([^"]+)"\s*\},?\s*$)re");
  std::vector<std::string> symbols;
  bool inside = false;
  for (const std::string& line : Split(mod_c, '\n')) {
    if (line.find("__versions") != std::string::npos) {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (StartsWith(Trim(line), "};")) break;
    std::smatch m;
    if (std::regex_match(line, m, kEntry) && m[1] != "module_layout") symbols.push_back(m[1]);
  }
  return symbols;
}

std::map<std::string, std::string> ParseModuleSymvers(std::string_view text) {
  std::map<std::string, std::string> exports;
  for (const std::string& line : Split(text, '\n')) {
    std::vector<std::string> fields = Split(line, '\t');
    if (fields.size() >= 4 && !fields[1].empty()) exports[fields[1]] = fields[3];
  }
  return exports;
}

void ComputeMissingSymbols(std::vector<ModuleBuild>& builds,
                           const std::map<std::string, std::map<std::string, std::string>>& exports) {
  for (ModuleBuild& b : builds) {
    b.missing_elsewhere.clear();
    for (const auto& [other, symbols] : exports) {
      if (other == b.ref) continue;
      std::vector<std::string> missing;
      for (const std::string& s : b.symbols) {
        if (symbols.count(s) == 0) missing.push_back(s);
      }
      if (!missing.empty()) b.missing_elsewhere[other] = std::move(missing);
    }
  }
}

std::vector<FindingRecord> ModuleBuildFindings(const std::vector<ModuleBuild>& builds) {
  std::vector<FindingRecord> failed, warned, missing;
  // One warning finding per distinct warning, naming every kernel it came from.
  std::map<std::tuple<std::string, int, std::string>, std::size_t> warning_index;
  for (const ModuleBuild& b : builds) {
    if (!b.ran) continue;
    std::string kernel = fmt::format("{} ({})", b.ref, b.version);
    if (!b.ok) {
      FindingRecord f;
      f.rule = "module-build-failed";
      f.level = "error";
      auto first = std::find_if(b.diagnostics.begin(), b.diagnostics.end(),
                                [](const BuildDiagnostic& d) { return d.level == "error"; });
      std::string what = b.error_lines.empty() ? "" : b.error_lines.front();
      if (first != b.diagnostics.end()) {
        f.file = first->file;
        f.line = first->line;
        what = first->message;
      }
      f.excerpt = b.error_lines.empty() ? "" : b.error_lines.front();
      f.message = fmt::format("does not build on {}: {}: {}", kernel, what, Why(f.rule));
      failed.push_back(std::move(f));
    }
    for (const BuildDiagnostic& d : b.diagnostics) {
      if (d.level != "warning") continue;
      auto key = std::make_tuple(d.file, d.line, d.message);
      auto it = warning_index.find(key);
      if (it != warning_index.end()) {
        warned[it->second].message.insert(warned[it->second].message.find(": "), ", " + b.ref);
        continue;
      }
      warning_index[key] = warned.size();
      FindingRecord f;
      f.rule = "module-build-warning";
      f.level = "warning";
      f.file = d.file;
      f.line = d.line;
      f.excerpt = d.text;
      f.message = fmt::format("warning building on {}: {}: {}", b.ref, d.message, Why(f.rule));
      warned.push_back(std::move(f));
    }
    for (const auto& [other, symbols] : b.missing_elsewhere) {
      for (const std::string& s : symbols) {
        FindingRecord f;
        f.rule = "module-symbol-missing";
        f.level = "warning";
        f.excerpt = s;
        f.message = fmt::format("builds on {} using {}, which {} does not export: {}", kernel, s,
                                other, Why(f.rule));
        missing.push_back(std::move(f));
      }
    }
  }
  for (FindingRecord& f : warned) failed.push_back(std::move(f));
  for (FindingRecord& f : missing) failed.push_back(std::move(f));
  return failed;
}

nlohmann::ordered_json ModuleBuildJson(const ModuleBuild& b) {
  nlohmann::ordered_json missing = nlohmann::ordered_json::object();
  for (const auto& [other, symbols] : b.missing_elsewhere) missing[other] = symbols;
  return {{"ref", b.ref},         {"package", b.package},   {"version", b.version},
          {"ran", b.ran},         {"reason", b.reason},     {"ok", b.ok},
          {"seconds", b.seconds}, {"modules", b.modules},   {"ko_paths", b.ko_paths},
          {"warnings", b.warnings},
          {"errors", b.error_lines}, {"symbols", b.symbols}, {"missing_elsewhere", missing}};
}

}  // namespace kgate
