#include "kbuild/source_tree.h"

#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/strings.h"
#include "kbuild/patch_series.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

constexpr int kUnpackTimeoutS = 1800;

std::string SourcesDir(const std::string& cache_dir) { return cache_dir + "/kbuild/sources"; }

// A file name from anything: '/', ':' and '@' become '-'.
std::string FileName(std::string s) {
  for (char& c : s) {
    if (c == '/' || c == ':' || c == '@' || c == ' ') c = '-';
  }
  return s;
}

Result<ProcessResult> Git(const std::string& dir, const std::vector<std::string>& args,
                          ProcessRunner& runner, const std::string& what) {
  KG_ASSIGN_OR_RETURN(ProcessResult r, RunGit(dir, args, runner));
  if (!r.success()) {
    return Status::Infrastructure(fmt::format("{}: git {} failed ({}): {}", what, Join(args, " "),
                                              r.Describe(), LastLine(r.err)));
  }
  return r;
}

Result<KernelSourceTree> IdentifyDebian(const std::string& ref, const std::string& series,
                                        ProcessRunner& runner) {
  KernelSourceTree t;
  t.ref = ref;
  t.package = "linux-source-" + series;
  KG_ASSIGN_OR_RETURN(ProcessResult q,
                      runner.Run({"dpkg-query", "-W", "-f", "${Version} ${db:Status-Status}", t.package}));
  std::vector<std::string> words = Split(Trim(q.out), ' ');
  if (!q.success() || words.size() != 2 || words[1] != "installed") {
    return Status::BadInput(fmt::format(
        "kernel source '{}' needs the Debian package {}, which is not installed; "
        "apt-get install {} (scripts/install-deps.sh installs linux-source-6.12)",
        ref, t.package, t.package));
  }
  t.version = words[0];
  t.id = FileName(t.package + "_" + t.version);
  return t;
}

Result<KernelSourceTree> IdentifyGit(const std::string& ref, const std::string& rest,
                                     ProcessRunner& runner) {
  std::size_t at = rest.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == rest.size()) {
    return Status::BadInput(fmt::format(
        "kernel source '{}': expected git:<local repository>@<ref>, e.g. git:/srv/linux@v6.12.3", ref));
  }
  KernelSourceTree t;
  t.ref = ref;
  std::string path = rest.substr(0, at);
  t.version = rest.substr(at + 1);
  KG_ASSIGN_OR_RETURN(ProcessResult r,
                      RunGit(path, {"rev-parse", "--verify", "-q", t.version + "^{commit}"}, runner));
  if (!r.success()) {
    return Status::BadInput(fmt::format("kernel source '{}': {} is not a commit in the git repository {}",
                                        ref, t.version, path));
  }
  t.base_commit = Trim(r.out);
  std::error_code ec;
  std::string abs = fs::absolute(path, ec).lexically_normal().string();
  t.id = "git-" + Sha256Hex(abs).substr(0, 16);
  t.repo = abs;  // replaced by the cache's clone in PrepareSource
  return t;
}

Status WriteSourceJson(const KernelSourceTree& t, const std::string& path) {
  nlohmann::json j = {{"ref", t.ref},         {"package", t.package}, {"version", t.version},
                      {"sha256", t.sha256},   {"base_commit", t.base_commit}};
  return WriteFileAtomic(path, j.dump(2) + "\n");
}

// Unpacks /usr/src/<package>.tar.xz and commits it as one commit into a bare
// repository at repo.
Status UnpackDebian(KernelSourceTree* t, const std::string& repo, ProcessRunner& runner,
                    const Notice& notice) {
  std::string tarball = "/usr/src/" + t->package + ".tar.xz";
  std::string tmp = fs::path(repo).parent_path().string() + fmt::format("/.tmp-{}-{}", t->id, getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  KG_RETURN_IF_ERROR(MakeDirs(tmp));
  if (notice) notice(fmt::format("unpacking {} {} into the kernel source cache (once)", t->package, t->version));
  KG_ASSIGN_OR_RETURN(ProcessResult sum, RunChecked(runner, {"sha256sum", tarball}, "", kUnpackTimeoutS));
  t->sha256 = Split(Trim(sum.out), ' ').front();
  KG_RETURN_IF_ERROR(RunChecked(runner, {"tar", "-xf", tarball, "-C", tmp}, "", kUnpackTimeoutS).status());
  std::string work = tmp + "/" + t->package;
  if (!fs::is_directory(work)) {
    return Status::Infrastructure(fmt::format("{} did not unpack into {}/", tarball, t->package));
  }
  std::string git_dir = tmp + "/repo.git";
  std::string what = "committing " + t->package;
  KG_RETURN_IF_ERROR(Git(tmp, {"init", "-q", "--bare", git_dir}, runner, what).status());
  std::vector<std::string> in_tree = {"--git-dir", git_dir, "--work-tree", work,
                                      "-c", "core.looseCompression=1", "-c", "gc.auto=0"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), in_tree.begin(), in_tree.end());
    return args;
  };
  KG_RETURN_IF_ERROR(Git(tmp, with({"add", "-A", "-f", "."}), runner, what).status());
  KG_RETURN_IF_ERROR(
      Git(tmp, with({"commit", "-q", "-m", t->package + " " + t->version}), runner, what).status());
  KG_ASSIGN_OR_RETURN(ProcessResult head, Git(tmp, with({"rev-parse", "HEAD"}), runner, what));
  t->base_commit = Trim(head.out);
  fs::rename(git_dir, repo, ec);
  if (ec && !fs::is_directory(repo)) {
    return Status::Infrastructure(fmt::format("cannot move {} to {}: {}", git_dir, repo, ec.message()));
  }
  fs::remove_all(tmp, ec);
  return Status::Ok();
}

}  // namespace

Result<KernelSourceTree> IdentifySource(const std::string& ref, ProcessRunner& runner) {
  if (StartsWith(ref, "debian:") && ref.size() > 7) return IdentifyDebian(ref, ref.substr(7), runner);
  if (StartsWith(ref, "git:") && ref.size() > 4) return IdentifyGit(ref, ref.substr(4), runner);
  return Status::BadInput(fmt::format(
      "kernel source '{}': expected debian:<series> (linux-source-<series>) or git:<repository>@<ref>", ref));
}

Result<KernelSourceTree> PrepareSource(const std::string& ref, const std::string& cache_dir,
                                       ProcessRunner& runner, const Notice& notice) {
  KG_ASSIGN_OR_RETURN(KernelSourceTree t, IdentifySource(ref, runner));
  std::string dir = SourcesDir(cache_dir);
  KG_RETURN_IF_ERROR(MakeDirs(dir));
  KG_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(dir + "/" + t.id + ".lock", [&](const std::string&) {
    if (notice) notice("waiting for another kgate preparing " + ref);
  }));
  std::string repo = dir + "/" + t.id + ".git";
  std::string json_path = dir + "/" + t.id + ".json";
  if (!t.package.empty()) {
    if (fs::exists(json_path)) {
      KG_ASSIGN_OR_RETURN(std::string text, ReadTextFile(json_path));
      try {
        nlohmann::json j = nlohmann::json::parse(text);
        t.sha256 = j.at("sha256").get<std::string>();
        t.base_commit = j.at("base_commit").get<std::string>();
      } catch (const nlohmann::json::exception& e) {
        return Status::Infrastructure(fmt::format("{}: {}; remove it and {} to unpack again",
                                                  json_path, e.what(), repo));
      }
    } else {
      std::error_code ec;
      fs::remove_all(repo, ec);
      KG_RETURN_IF_ERROR(UnpackDebian(&t, repo, runner, notice));
      KG_RETURN_IF_ERROR(WriteSourceJson(t, json_path));
    }
  } else if (!fs::exists(repo + "/HEAD")) {
    KG_RETURN_IF_ERROR(
        Git(dir, {"clone", "-q", "--bare", "--shared", t.repo, repo}, runner, "cloning " + ref).status());
    KG_RETURN_IF_ERROR(WriteSourceJson(t, json_path));
  }
  t.repo = repo;
  return t;
}

Result<BuildSlot> OpenSlot(const KernelSourceTree& source, const std::string& cache_dir,
                           const std::string& name, ProcessRunner& runner, const Notice& notice) {
  std::string trees = cache_dir + "/kbuild/trees";
  KG_RETURN_IF_ERROR(MakeDirs(trees));
  std::string dir = trees + "/" + FileName(name);
  KG_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(dir + ".lock", [&](const std::string&) {
    if (notice) notice("waiting for another kgate building in " + dir);
  }));
  BuildSlot slot{dir, dir + "/src", dir + "/out", std::move(lock)};
  KG_RETURN_IF_ERROR(MakeDirs(slot.out));
  std::string what = "preparing build tree " + dir;
  if (!fs::exists(slot.src + "/.git")) {
    std::error_code ec;
    fs::remove_all(slot.src, ec);
    KG_RETURN_IF_ERROR(Git(source.repo, {"worktree", "prune"}, runner, what).status());
    if (notice) notice(fmt::format("checking out {} in {}", source.ref, slot.src));
    KG_RETURN_IF_ERROR(Git(source.repo, {"worktree", "add", "-q", "--detach", "-f", slot.src,
                                         source.base_commit},
                           runner, what)
                           .status());
    return slot;
  }
  KG_RETURN_IF_ERROR(
      Git(slot.src, {"checkout", "-q", "-f", "--detach", source.base_commit}, runner, what).status());
  KG_RETURN_IF_ERROR(Git(slot.src, {"clean", "-q", "-f", "-d", "-x"}, runner, what).status());
  return slot;
}

}  // namespace kgate
