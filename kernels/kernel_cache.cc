#include "kernels/kernel_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/strings.h"
#include "kernels/deb_package.h"
#include "kernels/vmlinux.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxConfigBytes = 16 << 20;
constexpr char kRegistryHint[] =
    "check that the Debian mirror in /etc/apt/sources.list is reachable, then run apt-get update";

Result<std::string> ConfigHash(const std::string& path) {
  Result<std::string> config = ReadTextFile(path, kMaxConfigBytes, /*require_utf8=*/false);
  if (!config.ok()) return config.status();
  return Sha256Hex(*config);
}

// The single <ver> directory under root/lib/modules (or root/usr/lib/modules).
Result<std::string> FindModulesVersion(const std::string& root, std::string* modules_base) {
  for (const char* base : {"/lib/modules", "/usr/lib/modules"}) {
    std::error_code ec;
    std::vector<std::string> versions;
    for (const auto& e : fs::directory_iterator(root + base, ec)) {
      if (e.is_directory()) versions.push_back(e.path().filename());
    }
    if (versions.size() == 1) {
      *modules_base = root + base;
      return versions[0];
    }
  }
  return Status::BadInput(fmt::format("{}: expected one lib/modules/<version> directory", root));
}

Status WriteKernelJson(const Kernel& kernel, const std::string& dir) {
  return WriteFileAtomic(dir + "/kernel.json", KernelToJson(kernel));
}

}  // namespace

std::string KernelToJson(const Kernel& k) {
  nlohmann::json j = {{"ref", k.ref},
                      {"package", k.package},
                      {"version", k.version},
                      {"bzimage", k.bzimage_path},
                      {"vmlinux", k.vmlinux_path},
                      {"config", k.config_path},
                      {"config_sha256", k.config_hash},
                      {"modules_dir", k.modules_dir},
                      {"build_dir", k.build_dir},
                      {"sched_ext_dir", k.sched_ext_dir},
                      {"dir", k.dir}};
  return j.dump(2) + "\n";
}

Result<Kernel> KernelFromJson(const std::string& json, const std::string& origin) {
  try {
    nlohmann::json j = nlohmann::json::parse(json);
    Kernel k;
    k.ref = j.at("ref").get<std::string>();
    k.package = j.at("package").get<std::string>();
    k.version = j.at("version").get<std::string>();
    k.bzimage_path = j.at("bzimage").get<std::string>();
    k.vmlinux_path = j.at("vmlinux").get<std::string>();
    k.config_path = j.at("config").get<std::string>();
    k.config_hash = j.at("config_sha256").get<std::string>();
    k.modules_dir = j.at("modules_dir").get<std::string>();
    k.build_dir = j.value("build_dir", "");
    k.sched_ext_dir = j.value("sched_ext_dir", "");
    k.dir = j.at("dir").get<std::string>();
    return k;
  } catch (const nlohmann::json::exception& e) {
    return Status::BadInput(fmt::format("{}: not a kernel record: {}", origin, e.what()));
  }
}

KernelCache::KernelCache(std::string cache_dir, ProcessRunner& runner)
    : cache_dir_(std::move(cache_dir)), runner_(runner) {}

Result<Kernel> KernelCache::Fetch(const std::string& text) {
  Result<KernelRef> ref = ParseKernelRef(text);
  if (!ref.ok()) return ref.status();
  Result<Kernel> kernel = ref->kind == KernelRef::Kind::kPath ? FetchPath(*ref) : FetchDebian(*ref);
  if (!kernel.ok()) return kernel;
  kernel->size_bytes = DiskUse(kernel->dir);
  return kernel;
}

Result<ProcessResult> KernelCache::RunTool(const std::vector<std::string>& argv,
                                           const std::string& cwd, int timeout_s) {
  ProcessOptions options;
  options.cwd = cwd;
  options.timeout = std::chrono::seconds(timeout_s);
  Result<ProcessResult> run = runner_.Run(argv, options);
  if (!run.ok()) return run.status().Prefixed("kernel cache");
  if (!run->success()) {
    return Status::Infrastructure(fmt::format("`{}` failed ({}): {}", ShellJoin(argv),
                                              run->Describe(), LastLine(run->err)));
  }
  return run;
}

Result<std::string> KernelCache::ResolvePackage(const KernelRef& ref) {
  Result<ProcessResult> search =
      RunTool({"apt-cache", "search", "--names-only", "^linux-image-.*-unsigned$"}, "", 120);
  if (!search.ok()) return search.status().Prefixed(kRegistryHint);
  std::vector<std::string> names;
  for (const std::string& line : Split(search->out, '\n')) {
    std::string name = Trim(line.substr(0, line.find(' ')));
    if (!name.empty()) names.push_back(name);
  }
  if (names.empty()) {
    return Status::Infrastructure(fmt::format(
        "apt knows no linux-image-*-unsigned packages; {}", kRegistryHint));
  }
  return SelectDebianPackage(ref, names);
}

Result<std::string> KernelCache::ResolveCached(const KernelRef& ref) const {
  Result<std::vector<Kernel>> kernels = List();
  if (!kernels.ok()) return kernels.status();
  std::vector<std::string> names;
  for (const Kernel& k : *kernels) {
    if (!k.package.empty()) names.push_back(k.package);
  }
  return SelectDebianPackage(ref, names);
}

Result<Kernel> KernelCache::FetchDebian(const KernelRef& ref) {
  Result<std::string> package = ResolvePackage(ref);
  if (!package.ok() && package.status().code() == Status::Code::kInfrastructure) {
    // Offline (no apt lists, no mirror): a cached kernel that matches still runs.
    Result<std::string> cached = ResolveCached(ref);
    if (!cached.ok()) return package.status();
    package = std::move(cached);
  }
  if (!package.ok()) return package.status();
  std::string dir = kernels_dir() + "/" + *package;
  if (Result<std::string> json = ReadTextFile(dir + "/kernel.json"); json.ok()) {
    return KernelFromJson(*json, dir + "/kernel.json");
  }
  KG_RETURN_IF_ERROR(MakeDirs(kernels_dir()));
  std::string tmp = fmt::format("{}/.tmp-{}-{}", kernels_dir(), *package, getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  KG_RETURN_IF_ERROR(MakeDirs(tmp));
  Result<Kernel> kernel = Unpack(ref.text, *package, tmp);
  if (!kernel.ok()) {
    fs::remove_all(tmp, ec);
    return kernel;
  }
  fs::rename(tmp, dir, ec);
  if (ec) {  // another process finished first: keep its copy
    fs::remove_all(tmp, ec);
    Result<std::string> json = ReadTextFile(dir + "/kernel.json");
    if (!json.ok()) return Status::Infrastructure(fmt::format("cannot move {} to {}", tmp, dir));
    return KernelFromJson(*json, dir + "/kernel.json");
  }
  return kernel;
}

// Downloads the package into tmp and lays it out as the final directory would.
Result<Kernel> KernelCache::Unpack(const std::string& ref, const std::string& package,
                                   const std::string& tmp) {
  Result<std::vector<std::string>> debs = DownloadDebs(runner_, {package}, tmp);
  if (!debs.ok()) return debs.status().Prefixed(kRegistryHint);
  const std::string deb = debs->front();
  KG_RETURN_IF_ERROR(ExtractDeb(runner_, deb, tmp + "/root"));
  fs::remove(deb);

  std::string modules_base;
  Result<std::string> version = FindModulesVersion(tmp + "/root", &modules_base);
  if (!version.ok()) return version.status();
  Result<ProcessResult> depmod = RunTool({"depmod", "-b", tmp + "/root", *version}, "", 600);
  if (!depmod.ok()) return depmod.status();
  std::string bzimage = tmp + "/root/boot/vmlinuz-" + *version;
  KG_RETURN_IF_ERROR(ExtractVmlinux(runner_, bzimage, tmp + "/vmlinux"));
  Result<std::string> hash = ConfigHash(tmp + "/root/boot/config-" + *version);
  if (!hash.ok()) return hash.status();

  std::string dir = kernels_dir() + "/" + package;
  Kernel k;
  k.ref = ref;
  k.package = package;
  k.version = *version;
  k.bzimage_path = dir + "/root/boot/vmlinuz-" + *version;
  k.vmlinux_path = dir + "/vmlinux";
  k.config_path = dir + "/root/boot/config-" + *version;
  k.config_hash = *hash;
  k.modules_dir = dir + modules_base.substr(tmp.size()) + "/" + *version;
  k.dir = dir;
  KG_RETURN_IF_ERROR(WriteKernelJson(k, tmp));
  return k;
}

Result<Kernel> KernelCache::FetchPath(const KernelRef& ref) {
  std::error_code ec;
  std::string bzimage = fs::absolute(ref.bzimage, ec);
  struct stat st;
  if (::stat(bzimage.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::BadInput(fmt::format("kernel '{}': {} is not a file", ref.text, ref.bzimage));
  }
  Result<BzImageInfo> info = ReadBzImageInfo(bzimage);
  if (!info.ok()) return info.status().Prefixed(fmt::format("kernel '{}'", ref.text));
  Kernel k;
  k.ref = ref.text;
  k.bzimage_path = bzimage;
  k.version = info->version;
  if (!ref.modules_dir.empty()) {
    k.modules_dir = fs::absolute(ref.modules_dir, ec);
    if (!fs::exists(k.modules_dir + "/modules.dep")) {
      return Status::BadInput(fmt::format(
          "kernel '{}': {} has no modules.dep (run depmod -b <root> <version> first)", ref.text,
          ref.modules_dir));
    }
    k.version = fs::path(k.modules_dir).filename();
  }
  // A kernel build tree keeps .config three levels above arch/x86/boot/bzImage.
  fs::path config = fs::path(bzimage).parent_path() / "../../../.config";
  if (EndsWith(bzimage, "/arch/x86/boot/bzImage") && fs::exists(config)) {
    k.config_path = fs::canonical(config, ec);
    Result<std::string> hash = ConfigHash(k.config_path);
    if (!hash.ok()) return hash.status();
    k.config_hash = *hash;
  }
  std::string key = fmt::format("{}\n{}\n{}", bzimage, st.st_size, st.st_mtim.tv_sec * 1000000000L + st.st_mtim.tv_nsec);
  k.dir = kernels_dir() + "/path-" + Sha256Hex(key).substr(0, 16);
  k.vmlinux_path = k.dir + "/vmlinux";
  if (fs::exists(k.dir + "/kernel.json") && fs::exists(k.vmlinux_path)) return k;
  KG_RETURN_IF_ERROR(MakeDirs(k.dir));
  KG_RETURN_IF_ERROR(ExtractVmlinux(runner_, bzimage, k.vmlinux_path));
  KG_RETURN_IF_ERROR(WriteKernelJson(k, k.dir));
  return k;
}

Result<std::vector<Kernel>> KernelCache::List() const {
  std::vector<Kernel> kernels;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(kernels_dir(), ec)) {
    std::string json_path = e.path().string() + "/kernel.json";
    if (StartsWith(e.path().filename().string(), ".tmp-")) continue;
    Result<std::string> json = ReadTextFile(json_path);
    if (!json.ok()) continue;
    Result<Kernel> k = KernelFromJson(*json, json_path);
    if (!k.ok()) continue;
    k->size_bytes = DiskUse(k->dir);
    kernels.push_back(std::move(*k));
  }
  std::sort(kernels.begin(), kernels.end(),
            [](const Kernel& a, const Kernel& b) { return a.dir < b.dir; });
  return kernels;
}

}  // namespace kgate
