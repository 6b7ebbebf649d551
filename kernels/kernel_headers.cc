#include "kernels/kernel_headers.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/file_util.h"
#include "base/strings.h"
#include "kernels/deb_package.h"
#include "kernels/kernel_cache.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

constexpr char kRegistryHint[] =
    "check that the Debian mirror in /etc/apt/sources.list is reachable, then run apt-get update";

Result<KernelHeaders> ReadHeaders(const std::string& dir) {
  std::string path = dir + "/headers.json";
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  try {
    nlohmann::json j = nlohmann::json::parse(*text);
    KernelHeaders h;
    h.ref = j.at("ref").get<std::string>();
    h.package = j.at("package").get<std::string>();
    h.version = j.at("version").get<std::string>();
    h.packages = j.at("packages").get<std::vector<std::string>>();
    h.dir = dir;
    h.build_dir = dir + "/root/usr/src/linux-headers-" + h.version;
    h.symvers = h.build_dir + "/Module.symvers";
    return h;
  } catch (const nlohmann::json::exception& e) {
    return Status::Infrastructure(fmt::format("{}: {}", path, e.what()));
  }
}

// The headers' own Depends on other headers and kbuild packages; the rest
// (gcc-12, linux-base, the image itself) is the host's business.
Result<std::vector<std::string>> TreeDepends(ProcessRunner& runner, const std::string& deb) {
  Result<ProcessResult> run = runner.Run({"dpkg-deb", "-f", deb, "Depends"});
  if (!run.ok()) return run.status();
  if (!run->success()) {
    return Status::Infrastructure(fmt::format("`dpkg-deb -f {} Depends` failed ({})", deb, run->Describe()));
  }
  std::vector<std::string> wanted;
  for (const std::string& name : ParseDependsNames(run->out)) {
    if (StartsWith(name, "linux-headers-") || StartsWith(name, "linux-kbuild-")) wanted.push_back(name);
  }
  return wanted;
}

// Downloads package and its tree dependencies into tmp/debs, unpacks them into tmp/root.
Status FetchInto(ProcessRunner& runner, const std::string& ref, const std::string& package,
                 const std::string& version, const std::string& tmp) {
  std::string debs_dir = tmp + "/debs";
  KG_RETURN_IF_ERROR(MakeDirs(debs_dir));
  Result<std::vector<std::string>> main = DownloadDebs(runner, {package}, debs_dir);
  if (!main.ok()) return main.status().Prefixed(kRegistryHint);
  Result<std::vector<std::string>> deps = TreeDepends(runner, main->front());
  if (!deps.ok()) return deps.status();
  std::vector<std::string> debs = *main;
  std::vector<std::string> names = {package};
  if (!deps->empty()) {
    Result<std::vector<std::string>> more = DownloadDebs(runner, *deps, debs_dir);
    if (!more.ok()) return more.status().Prefixed(kRegistryHint);
    debs.insert(debs.end(), more->begin(), more->end());
    names.insert(names.end(), deps->begin(), deps->end());
  }
  nlohmann::json packages = nlohmann::json::array();
  for (std::size_t i = 0; i < debs.size(); ++i) {
    KG_RETURN_IF_ERROR(ExtractDeb(runner, debs[i], tmp + "/root"));
    packages.push_back(names[i] + "=" + DebVersion(debs[i]));
  }
  std::error_code ec;
  fs::remove_all(debs_dir, ec);
  KG_RETURN_IF_ERROR(FixUpHeadersTree(tmp + "/root"));
  if (!fs::exists(fmt::format("{}/root/usr/src/linux-headers-{}/Makefile", tmp, version))) {
    return Status::Infrastructure(fmt::format("{} has no usr/src/linux-headers-{}/Makefile", package, version));
  }
  nlohmann::json j = {{"ref", ref}, {"package", package}, {"version", version}, {"packages", packages}};
  return WriteFileAtomic(tmp + "/headers.json", j.dump(2) + "\n");
}

// Image package names of the cached headers, for resolving offline.
std::vector<std::string> CachedImageNames(const std::string& headers_root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(headers_root, ec)) {
    std::string name = e.path().filename();
    if (!StartsWith(name, ".tmp-") && fs::exists(e.path() / "headers.json")) {
      names.push_back("linux-image-" + name + "-unsigned");
    }
  }
  return names;
}

}  // namespace

std::string HeadersPackageFor(const std::string& image_package) {
  std::optional<DebianKernelPackage> pkg = ParseDebianKernelPackage(image_package);
  return pkg ? fmt::format("linux-headers-{}-{}", pkg->kver, pkg->flavour) : "";
}

Result<KernelHeaders> HeadersOfBuiltKernel(const std::string& ref, const Kernel& kernel) {
  if (kernel.build_dir.empty()) {
    return Status::BadInput(fmt::format(
        "kernel '{}' ({}) has no tree for out-of-tree modules: it was built without "
        "CONFIG_MODULES=y",
        ref, kernel.package));
  }
  KernelHeaders h;
  h.ref = ref;
  h.package = kernel.package;
  h.version = kernel.version;
  h.dir = kernel.dir;
  h.build_dir = kernel.build_dir;
  h.symvers = kernel.build_dir + "/Module.symvers";
  if (!fs::exists(h.symvers)) {
    return Status::BadInput(fmt::format("kernel '{}' ({}): {} is missing; rebuild it (kgate kernel gc, "
                                        "then run again)",
                                        ref, kernel.package, h.symvers));
  }
  return h;
}

Result<KernelHeaders> EnsureKernelHeaders(const std::string& ref_text, const std::string& cache_dir,
                                          ProcessRunner& runner) {
  Result<KernelRef> ref = ParseKernelRef(ref_text);
  if (!ref.ok()) return ref.status();
  if (ref->kind == KernelRef::Kind::kPath) {
    return Status::BadInput(fmt::format(
        "kernel '{}': modules are built against Debian headers packages; a path: kernel has none",
        ref_text));
  }
  std::string root = cache_dir + "/headers";
  KernelCache kernels(cache_dir, runner);
  Result<std::string> image = kernels.ResolvePackage(*ref);
  if (!image.ok() && image.status().code() == Status::Code::kInfrastructure) {
    Result<std::string> cached = SelectDebianPackage(*ref, CachedImageNames(root));
    if (cached.ok()) image = std::move(cached);
  }
  if (!image.ok()) return image.status();
  std::optional<DebianKernelPackage> parsed = ParseDebianKernelPackage(*image);
  if (!parsed) return Status::BadInput(fmt::format("kernel '{}': {} is not a kernel image package", ref_text, *image));
  std::string version = parsed->kver + "-" + parsed->flavour;
  std::string dir = root + "/" + version;
  if (fs::exists(dir + "/headers.json")) return ReadHeaders(dir);

  KG_RETURN_IF_ERROR(MakeDirs(root));
  std::string tmp = fmt::format("{}/.tmp-{}-{}", root, version, getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  KG_RETURN_IF_ERROR(MakeDirs(tmp));
  Status fetched = FetchInto(runner, ref_text, HeadersPackageFor(*image), version, tmp);
  if (!fetched.ok()) {
    fs::remove_all(tmp, ec);
    return fetched.Prefixed(fmt::format("kernel '{}' headers", ref_text));
  }
  fs::rename(tmp, dir, ec);
  if (ec) fs::remove_all(tmp, ec);  // another process finished first: keep its copy
  return ReadHeaders(dir);
}

Status FixUpHeadersTree(const std::string& root, int* changed) {
  int count = 0;
  std::error_code ec;
  std::vector<fs::path> links;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (it->is_symlink(ec)) links.push_back(it->path());
  }
  if (ec) return Status::Infrastructure(fmt::format("cannot walk {}: {}", root, ec.message()));
  for (const fs::path& link : links) {
    fs::path target = fs::read_symlink(link, ec);
    if (ec || !target.is_absolute()) continue;
    fs::path inside = fs::path(root) / target.relative_path();
    fs::path relative = inside.lexically_relative(link.parent_path());
    fs::remove(link, ec);
    fs::create_symlink(relative, link, ec);
    if (ec) return Status::Infrastructure(fmt::format("cannot re-point {}: {}", link.string(), ec.message()));
    ++count;
  }
  for (const auto& e : fs::directory_iterator(fs::path(root) / "usr/src", ec)) {
    fs::path makefile = e.path() / "Makefile";
    if (e.is_symlink() || !fs::is_regular_file(makefile)) continue;
    Result<std::string> text = ReadTextFile(makefile);
    if (!text.ok()) return text.status();
    std::vector<std::string> lines = Split(*text, '\n');
    bool edited = false;
    for (std::string& line : lines) {
      if (!StartsWith(line, "include /")) continue;
      fs::path inside = fs::path(root) / fs::path(Trim(line.substr(8))).relative_path();
      line = "include $(dir $(lastword $(MAKEFILE_LIST)))" + inside.lexically_relative(e.path()).string();
      edited = true;
    }
    if (!edited) continue;
    std::string out = Join(lines, "\n");
    KG_RETURN_IF_ERROR(WriteFileAtomic(makefile, out));
    ++count;
  }
  if (changed != nullptr) *changed = count;
  return Status::Ok();
}

}  // namespace kgate
