#include "analysis/checkpatch.h"

#include <unistd.h>

#include <filesystem>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/strings.h"
#include "kernels/deb_package.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

constexpr char kPackage[] = "linux-source-6.12";
const std::vector<std::string> kFiles = {
    "scripts/checkpatch.pl", "scripts/spelling.txt", "scripts/const_structs.checkpatch",
    "Documentation/dev-tools/checkpatch.rst", "MAINTAINERS"};

Result<CheckpatchInstall> ReadInstall(const std::string& dir) {
  Result<std::string> json = ReadTextFile(dir + "/source.json");
  if (!json.ok()) return json.status();
  try {
    nlohmann::json j = nlohmann::json::parse(*json);
    return CheckpatchInstall{dir, dir + "/scripts/checkpatch.pl", dir + "/MAINTAINERS",
                             j.at("package").get<std::string>(), j.at("version").get<std::string>()};
  } catch (const nlohmann::json::exception& e) {
    return Status::Infrastructure(fmt::format("{}/source.json: {}", dir, e.what()));
  }
}

// Downloads the package into tmp/work and extracts kFiles into tmp.
Status Fetch(ProcessRunner& runner, const std::string& tmp, std::string* version) {
  std::string work = tmp + "/work";
  KG_RETURN_IF_ERROR(MakeDirs(work));
  Result<std::vector<std::string>> debs = DownloadDebs(runner, {kPackage}, work);
  if (!debs.ok()) {
    return debs.status().Prefixed(fmt::format(
        "cannot fetch {} for checkpatch.pl (run apt-get update, or check the mirror)", kPackage));
  }
  const std::string& deb = debs->front();
  *version = DebVersion(deb);
  KG_RETURN_IF_ERROR(ExtractDeb(runner, deb, work + "/root"));
  std::string tarball = fmt::format("{}/root/usr/src/{}.tar.xz", work, kPackage);
  std::vector<std::string> argv = {"tar", "-xJf", tarball, "-C", tmp, "--strip-components=1"};
  for (const std::string& f : kFiles) argv.push_back(std::string(kPackage) + "/" + f);
  Result<ProcessResult> extract = RunChecked(runner, argv, "", 1200);
  if (!extract.ok()) return extract.status();
  std::error_code ec;
  fs::remove_all(work, ec);
  nlohmann::json source = {{"package", kPackage}, {"version", *version}};
  return WriteFileAtomic(tmp + "/source.json", source.dump(2) + "\n");
}

// The text of file:line in the change, for a finding's excerpt.
std::string LineText(const ChangeSet& change, const std::string& file, int line) {
  for (const ChangedFile& f : change.files) {
    if (f.path != file) continue;
    for (const ChangedLine& l : f.lines) {
      if (l.line == line) return Trim(l.text);
    }
  }
  return "";
}

}  // namespace

Result<CheckpatchInstall> EnsureCheckpatch(const std::string& cache_dir, ProcessRunner& runner) {
  std::string root = cache_dir + "/checkpatch";
  std::string dir = root + "/" + kCheckpatchSeries;
  if (fs::exists(dir + "/source.json")) return ReadInstall(dir);
  KG_RETURN_IF_ERROR(MakeDirs(root));
  std::string tmp = fmt::format("{}/.tmp-{}-{}", root, kCheckpatchSeries, getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  KG_RETURN_IF_ERROR(MakeDirs(tmp));
  std::string version;
  Status fetched = Fetch(runner, tmp, &version);
  if (!fetched.ok()) {
    fs::remove_all(tmp, ec);
    return fetched;
  }
  fs::rename(tmp, dir, ec);
  if (ec) fs::remove_all(tmp, ec);  // another process finished first: keep its copy
  return ReadInstall(dir);
}

Result<std::vector<FindingRecord>> ParseCheckpatchOutput(std::string_view out,
                                                         const std::string& strip_prefix) {
  static const std::regex kLine(R"(^(.*):(\d+): (ERROR|WARNING|CHECK):(\w+): (.*)$)");
  std::vector<FindingRecord> findings;
  std::vector<std::string> lines = Split(out, '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Trim(line).empty()) continue;
    std::smatch m;
    if (!std::regex_match(line, m, kLine)) {
      return Status::BadInput(fmt::format(
          "checkpatch output line {} is not 'FILE:LINE: LEVEL:TYPE: message': {}", i + 1, line));
    }
    FindingRecord f;
    f.rule = "checkpatch-" + m[4].str();
    f.level = m[3] == "ERROR" ? "error" : m[3] == "WARNING" ? "warning" : "note";
    f.file = m[1];
    if (!strip_prefix.empty() && StartsWith(f.file, strip_prefix)) f.file = f.file.substr(strip_prefix.size());
    f.line = std::stoi(m[2]);
    // checkpatch reports this one on a stale line number: it is about the file.
    if (m[4] == "FILE_PATH_CHANGES") f.line = 0;
    f.message = m[5].str() + " (checkpatch.pl)";
    findings.push_back(std::move(f));
  }
  return findings;
}

CheckpatchResult RunCheckpatch(const ChangeSet& change, const CheckpatchInstall& install,
                               ProcessRunner& runner) {
  CheckpatchResult result;
  result.version = install.version;
  if (FindInPath("perl").empty()) {
    result.reason = "perl is not installed, so checkpatch.pl cannot run";
    return result;
  }
  std::vector<std::string> base = {"perl",         install.script, "--no-tree",    "--terse",
                                   "--show-types", "--showfile",   "--no-summary", "--color=never"};
  struct Job {
    std::vector<std::string> argv;
    std::string stdin_data;
    std::string strip;
  };
  std::vector<Job> jobs;
  if (change.kind == ChangeSet::Kind::kPatch) {
    for (const Patch& p : change.patches.patches) {
      if (p.files.empty()) continue;  // a cover letter: checkpatch would call it "not a diff"
      Job job{base, p.text, ""};
      job.argv.push_back("-");
      jobs.push_back(std::move(job));
    }
  } else {
    Job job{base, "", fs::absolute(change.origin).lexically_normal().string()};
    if (!EndsWith(job.strip, "/")) job.strip += "/";
    job.argv.push_back("-f");
    for (const std::string& f : change.module_files) job.argv.push_back(f);
    jobs.push_back(std::move(job));
  }
  for (const Job& job : jobs) {
    ProcessOptions options;
    options.cwd = install.dir;
    options.env["HOME"] = install.dir;
    options.stdin_data = job.stdin_data;
    options.timeout = std::chrono::seconds(600);
    Result<ProcessResult> run = runner.Run(job.argv, options);
    if (!run.ok()) {
      result.reason = run.status().message();
      return result;
    }
    // 0: clean, 1: problems found; anything else means the script died.
    if (run->timed_out || run->signal != 0 || run->exit_code > 1) {
      result.reason = fmt::format("checkpatch.pl failed ({}): {}", run->Describe(), LastLine(run->err));
      return result;
    }
    Result<std::vector<FindingRecord>> findings = ParseCheckpatchOutput(run->out, job.strip);
    if (!findings.ok()) {
      result.reason = findings.status().message();
      return result;
    }
    for (FindingRecord& f : *findings) {
      f.excerpt = f.line > 0 ? LineText(change, f.file, f.line) : "";
      result.errors += f.level == "error";
      result.warnings += f.level == "warning";
      result.checks += f.level == "note";
      result.findings.push_back(std::move(f));
    }
  }
  result.ran = true;
  return result;
}

}  // namespace kgate
