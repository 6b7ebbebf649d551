#include "kbuild/kernel_builder.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <fmt/format.h>

#include "base/file_lock.h"
#include "base/file_util.h"
#include "base/strings.h"
#include "base/time_util.h"
#include "kbuild/config_base.h"
#include "kbuild/kconfig.h"
#include "kbuild/patch_series.h"
#include "kbuild/source_tree.h"
#include "kernels/kernel_cache.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

// Bumped when the builder changes what it does with the same inputs.
constexpr char kBuilderVersion[] = "kgate-kbuild 3";
constexpr int kConfigTimeoutS = 600;
constexpr int kBuildTimeoutS = 4 * 3600;
constexpr auto kProgressEvery = std::chrono::seconds(20);
// Pinned so a build does not depend on when, by whom or where it ran.
constexpr char kBuildTimestamp[] = "Sat Jan  1 00:00:00 UTC 2000";

std::string FirstLine(const std::string& text) { return Trim(Split(text, '\n').front()); }

bool HasSchedExt(const std::string& config) {
  return config.find("\nCONFIG_SCHED_CLASS_EXT=y\n") != std::string::npos;
}

// The in-tree BPF schedulers are built with Debian's clang-16 (the BPF
// target); gcc builds their loaders, statically, so the guest needs no
// libelf or zlib.
constexpr char kClang[] = "clang-16";
constexpr int kSchedExtTimeoutS = 3600;

// The .config's settings, without the header comments that name the
// kernel version and the date; what the key hashes.
std::string ConfigSettings(const std::string& config) {
  std::string out;
  for (const std::string& line : Split(config, '\n')) {
    if (StartsWith(line, "CONFIG_") || StartsWith(line, "# CONFIG_")) out += line + "\n";
  }
  return out;
}

std::string ValueText(const std::string& v) {
  if (v == "y" || v == "m" || v == "n") return v;
  if (!v.empty() && v.front() == '"') return v;
  bool number = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == 'x' || c == '-';
  });
  return number ? v : "\"" + v + "\"";
}

Status CopyFile(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::Infrastructure(fmt::format("cannot copy {} to {}: {}", from, to, ec.message()));
  return Status::Ok();
}

}  // namespace

struct CachedKernelBuilder::Inputs {
  KernelSourceTree source;  // identified, not yet prepared
  std::string config_base;
  std::string base_file_text;  // file:<path> and Debian bases: the .config to start from
  std::string base_origin;     // Debian bases: the linux-image package it came from
  std::vector<ConfigRequest> requests;
  std::vector<SeriesPatch> series;
  std::vector<std::string> patch_sha256;  // of each patch's text, in series order
  std::vector<std::string> make_vars;
  std::string toolchain;
  std::string input_key;
};

namespace {

// make -C src O=out <the build's variables> <args>: every make of a build
// sees the same variables, so Kbuild never rebuilds for a changed command line.
std::vector<std::string> MakeCommand(const std::vector<std::string>& vars, const std::string& src,
                                     const std::string& out, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"make", "-C", src, "O=" + out};
  argv.insert(argv.end(), vars.begin(), vars.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

CachedKernelBuilder::CachedKernelBuilder(Options options, ProcessRunner& runner)
    : options_(std::move(options)), runner_(runner) {
  if (options_.jobs <= 0) options_.jobs = std::max(1u, std::thread::hardware_concurrency());
}

void CachedKernelBuilder::Notice(const std::string& line) const {
  if (options_.notice) options_.notice(line);
}

Result<std::string> CachedKernelBuilder::SchedExtCompiler() {
  Result<ProcessResult> clang = runner_.Run({kClang, "--version"});
  if (!clang.ok() || !clang->success()) {
    return Status::Infrastructure(fmt::format(
        "the config has CONFIG_SCHED_CLASS_EXT=y, and kgate builds the in-tree sched_ext schedulers "
        "with it, which needs {} and static libelf and zlib: bash scripts/install-deps.sh sched-ext "
        "(apt-get install clang-16 llvm-16 libelf-dev zlib1g-dev)",
        kClang));
  }
  return FirstLine(clang->out);
}

Result<ProcessResult> CachedKernelBuilder::BuildSchedExt(const std::string& src,
                                                         const std::string& out,
                                                         const std::string& log) {
  KG_RETURN_IF_ERROR(MakeDirs(out + "/sched_ext"));  // tools/ makefiles want O= to exist
  ProcessOptions popts;
  popts.timeout = std::chrono::seconds(kSchedExtTimeoutS);
  auto logged = [&](std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"sh", "-c", "exec \"$@\" >>\"$0\" 2>&1", log});
    return runner_.Run(argv, popts);
  };
  KG_ASSIGN_OR_RETURN(ProcessResult made,
                      logged({"make", "-C", src + "/tools/sched_ext", "O=" + out + "/sched_ext",
                              std::string("CLANG=") + kClang, "VMLINUX_BTF=" + out + "/vmlinux",
                              fmt::format("-j{}", options_.jobs), "all"}));
  if (!made.success()) return made;
  // The Makefile links each loader against the shared libelf and zlib, and
  // its LDFLAGS would reach libbpf's shared build too: link them again,
  // statically, from the same objects.
  std::string obj = out + "/sched_ext/build/obj";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out + "/sched_ext/build/bin", ec)) {
    std::string name = entry.path().filename().string();
    KG_ASSIGN_OR_RETURN(made, logged({"gcc", "-static", "-o", entry.path().string(),
                                      obj + "/sched_ext/" + name + ".o", obj + "/libbpf/libbpf.a",
                                      "-lelf", "-lz", "-lpthread"}));
    if (!made.success()) return made;
  }
  return made;
}

Result<std::string> CachedKernelBuilder::ModuleSigningKey() {
  std::string dir = options_.cache_dir + "/kbuild";
  std::string path = dir + "/module-signing-key.pem";
  KG_RETURN_IF_ERROR(MakeDirs(dir));
  KG_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(path + ".lock", [](const std::string&) {}));
  if (fs::exists(path)) return path;
  // As certs/Makefile makes its own key (certs/default_x509.genkey), once.
  std::string genkey = path + ".genkey";
  std::string tmp = path + ".tmp";
  KG_RETURN_IF_ERROR(
      WriteFileAtomic(genkey,
                      "[ req ]\ndefault_bits = 4096\ndistinguished_name = dn\nprompt = no\n"
                      "string_mask = utf8only\nx509_extensions = ext\n"
                      "[ dn ]\nCN = kgate module signing key (one kgate cache)\n"
                      "[ ext ]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=digitalSignature\n"
                      "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"));
  Status made = RunChecked(runner_,
                           {"openssl", "req", "-new", "-nodes", "-utf8", "-sha256", "-days",
                            "36500", "-batch", "-x509", "-config", genkey, "-outform", "PEM",
                            "-out", tmp, "-keyout", tmp},
                           "", kConfigTimeoutS)
                    .status();
  std::error_code ec;
  fs::remove(genkey, ec);
  if (!made.ok()) return made.Prefixed("making the module signing key for Debian config bases");
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::rename(tmp, path, ec);
  if (ec) {
    return Status::Infrastructure(fmt::format("cannot move {} to {}: {}", tmp, path, ec.message()));
  }
  Notice("made the module signing key for Debian config bases: " + path);
  return path;
}

Result<std::string> CachedKernelBuilder::Toolchain() {
  if (!toolchain_.empty()) return toolchain_;
  std::vector<std::string> parts;
  for (const auto& argv : std::vector<std::vector<std::string>>{{"gcc", "--version"}, {"ld", "--version"}}) {
    KG_ASSIGN_OR_RETURN(ProcessResult r, RunChecked(runner_, argv, "", 30));
    parts.push_back(FirstLine(r.out));
  }
  // pahole matters only for BTF; a host without it still builds the guest config.
  Result<ProcessResult> pahole = runner_.Run({"pahole", "--version"});
  parts.push_back(pahole.ok() && pahole->success() ? "pahole " + FirstLine(pahole->out) : "no pahole");
  toolchain_ = Join(parts, "; ");
  return toolchain_;
}

Result<CachedKernelBuilder::Inputs> CachedKernelBuilder::ReadInputs(const std::string& arm,
                                                                     const KernelBuildSpec& spec) {
  Inputs in;
  KG_ASSIGN_OR_RETURN(in.source, IdentifySource(spec.source, runner_));
  in.config_base = spec.config_base.empty() ? "guest" : spec.config_base;
  if (DebianBase(in.config_base)) {
    Result<std::string> ref = DebianConfigKernel(in.config_base, in.source);
    if (!ref.ok()) return ref.status().Prefixed("arm '" + arm + "'");
    KernelCache debian(options_.cache_dir, runner_);
    Result<Kernel> kernel = debian.Fetch(*ref);
    if (!kernel.ok()) {
      return kernel.status().Prefixed(fmt::format("arm '{}': config base {}", arm, in.config_base));
    }
    KG_ASSIGN_OR_RETURN(in.base_file_text, ReadTextFile(kernel->config_path, 16 << 20));
    in.base_origin = kernel->package;
    KG_ASSIGN_OR_RETURN(in.requests,
                        ReadConfigFragment(options_.configs_dir + "/debian-rebuild.config"));
    KG_ASSIGN_OR_RETURN(std::string key, ModuleSigningKey());
    in.requests.push_back(
        {"MODULE_SIG_KEY", "\"" + key + "\"", "kgate: this cache's module signing key"});
  } else if (GuestBase(in.config_base)) {
    KG_ASSIGN_OR_RETURN(in.requests, ReadConfigFragment(options_.configs_dir + "/guest.config"));
    if (in.config_base == "guest-sched-ext") {
      KG_ASSIGN_OR_RETURN(std::vector<ConfigRequest> scx,
                          ReadConfigFragment(options_.configs_dir + "/sched-ext.config"));
      in.requests.insert(in.requests.end(), scx.begin(), scx.end());
    }
  } else if (StartsWith(in.config_base, "file:")) {
    KG_ASSIGN_OR_RETURN(in.base_file_text, ReadTextFile(in.config_base.substr(5), 16 << 20));
  }
  for (const std::string& fragment : spec.fragments) {
    KG_ASSIGN_OR_RETURN(std::vector<ConfigRequest> more, ReadConfigFragment(fragment));
    in.requests.insert(in.requests.end(), more.begin(), more.end());
  }
  for (const auto& [option, value] : spec.set) {
    in.requests.push_back({option, ValueText(value), "set: " + option});
  }
  KG_ASSIGN_OR_RETURN(in.series, ExpandSeries(spec.patches));
  for (const SeriesPatch& p : in.series) in.patch_sha256.push_back(Sha256Hex(p.parsed.text));
  // LOCALVERSION set (empty) keeps setlocalversion from appending "+" for
  // a git tree with no tag; ccache when the host has it.
  in.make_vars = {"LOCALVERSION="};
  if (!FindInPath("ccache").empty()) in.make_vars.push_back("CC=ccache gcc");
  KG_ASSIGN_OR_RETURN(in.toolchain, Toolchain());
  // The schedulers a sched_ext kernel comes with depend on clang too; a
  // request for it puts clang in the input key (a file: base that sets it
  // gets clang into the key after configuring, below).
  if (std::any_of(in.requests.begin(), in.requests.end(), [](const ConfigRequest& r) {
        return r.option == "SCHED_CLASS_EXT" && r.value == "y";
      })) {
    KG_ASSIGN_OR_RETURN(std::string clang, SchedExtCompiler());
    in.toolchain += "; " + clang;
  }
  std::string text = std::string(kBuilderVersion) + "\nsource " + in.source.id + " " +
                     in.source.version + " " + in.source.base_commit + "\nbase " + in.config_base +
                     (in.base_origin.empty() ? "" : " " + in.base_origin) + "\n" +
                     in.base_file_text + "\nrequests\n" + FragmentText(in.requests);
  for (const std::string& sha : in.patch_sha256) text += "patch " + sha + "\n";
  text += "toolchain " + in.toolchain + "\nmake " + Join(in.make_vars, " ") + "\n";
  in.input_key = Sha256Hex(text);
  return in;
}

std::optional<KernelBuildOutcome> CachedKernelBuilder::Lookup(const std::string& key) const {
  std::string dir = kernels_dir() + "/" + key;
  Result<std::string> kernel_json = ReadTextFile(dir + "/kernel.json");
  Result<std::string> build_json = ReadTextFile(dir + "/build.json");
  if (!kernel_json.ok() || !build_json.ok()) return std::nullopt;
  Result<Kernel> kernel = KernelFromJson(*kernel_json, dir + "/kernel.json");
  Result<KernelBuildRecord> record = BuildRecordFromJson(*build_json, dir + "/build.json");
  if (!kernel.ok() || !record.ok()) return std::nullopt;
  KernelBuildOutcome out;
  out.kernel = std::move(*kernel);
  out.record = std::move(*record);
  out.record.cache_hit = true;
  out.record.seconds = 0;
  out.log_path = dir + "/build.log";
  return out;
}

Result<std::string> CachedKernelBuilder::Configure(const Inputs& in, const std::string& src,
                                                  const std::string& out) {
  auto make = [&](const std::string& target) {
    return RunChecked(runner_, MakeCommand(in.make_vars, src, out, {"-s", target}), "", kConfigTimeoutS).status();
  };
  std::string config = out + "/.config";
  if (GivenConfigBase(in.config_base)) {
    KG_RETURN_IF_ERROR(WriteFileAtomic(config, in.base_file_text));
    KG_RETURN_IF_ERROR(make("olddefconfig"));
  } else {
    KG_RETURN_IF_ERROR(make("x86_64_defconfig"));
  }
  std::string requests = out + "/kgate.config";
  KG_RETURN_IF_ERROR(WriteFileAtomic(requests, FragmentText(in.requests)));
  std::vector<std::string> merge = {src + "/scripts/kconfig/merge_config.sh", "-m", "-O", out, config};
  if (GuestBase(in.config_base)) merge.push_back(src + "/kernel/configs/kvm_guest.config");
  merge.push_back(requests);
  KG_RETURN_IF_ERROR(RunChecked(runner_, merge, src, kConfigTimeoutS).status());
  KG_RETURN_IF_ERROR(make("olddefconfig"));
  KG_ASSIGN_OR_RETURN(std::string final_text, ReadTextFile(config, 16 << 20));
  std::vector<DroppedOption> dropped = FindDroppedOptions(in.requests, ParseConfigValues(final_text), src);
  if (!dropped.empty()) {
    return Status::BadInput(fmt::format(
        "Kconfig did not keep {} requested value(s) after olddefconfig:\n{}", dropped.size(),
        DescribeDropped(dropped)));
  }
  return final_text;
}

Result<KernelBuildOutcome> CachedKernelBuilder::Build(const std::string& arm, const KernelBuildSpec& spec) {
  KG_ASSIGN_OR_RETURN(Inputs in, ReadInputs(arm, spec));
  std::string index_path = options_.cache_dir + "/kbuild/index/" + in.input_key;
  if (Result<std::string> key = ReadTextFile(index_path); key.ok()) {
    if (auto hit = Lookup(Trim(*key))) {
      Notice(fmt::format("arm '{}': kernel {} from the build cache", arm, hit->record.key.substr(0, 12)));
      return *hit;
    }
  }
  KG_ASSIGN_OR_RETURN(in.source, PrepareSource(spec.source, options_.cache_dir, runner_, options_.notice));
  std::string slot_name = in.source.id + "-" +
                          (StartsWith(in.config_base, "file:") ? "file-" + Sha256Hex(in.base_file_text).substr(0, 12)
                                                                : in.config_base);
  KG_ASSIGN_OR_RETURN(BuildSlot slot, OpenSlot(in.source, options_.cache_dir, slot_name, runner_, options_.notice));
  if (!in.series.empty()) {
    Notice(fmt::format("arm '{}': applying {} patch(es) on {}", arm, in.series.size(),
                       in.source.base_commit.substr(0, 12)));
  }
  Status applied = ApplySeries(slot.src, in.series, runner_);
  if (!applied.ok()) return applied.Prefixed("arm '" + arm + "'");

  KernelBuildRecord record;
  record.input_key = in.input_key;
  record.source = spec.source;
  record.source_package = in.source.package;
  record.source_version = in.source.version;
  record.source_sha256 = in.source.sha256;
  record.base_commit = in.source.base_commit;
  record.config_base = in.config_base;
  record.config_origin = in.base_origin;
  record.toolchain = in.toolchain;
  KG_ASSIGN_OR_RETURN(ProcessResult head, RunGit(slot.src, {"rev-parse", "HEAD"}, runner_));
  record.head_commit = Trim(head.out);
  for (const SeriesPatch& p : in.series) {
    KG_ASSIGN_OR_RETURN(ProcessResult id, RunGit(slot.src, {"patch-id", "--stable"}, runner_, p.parsed.text));
    record.patch_ids.push_back(Split(Trim(id.out), ' ').front());
  }

  Result<std::string> config = Configure(in, slot.src, slot.out);
  if (!config.ok()) return config.status().Prefixed("arm '" + arm + "'");
  record.config_hash = Sha256Hex(ConfigSettings(*config));
  if (HasSchedExt(*config) && record.toolchain.find("clang") == std::string::npos) {
    KG_ASSIGN_OR_RETURN(std::string clang, SchedExtCompiler());
    record.toolchain += "; " + clang;
  }
  std::string key_text = std::string(kBuilderVersion) + "\nsource " + in.source.id + " " +
                         in.source.base_commit + "\n";
  for (const std::string& sha : in.patch_sha256) key_text += "patch " + sha + "\n";
  key_text += "config " + record.config_hash + "\ntoolchain " + record.toolchain + "\nmake " +
              Join(in.make_vars, " ") + "\n";
  record.key = Sha256Hex(key_text);
  KG_RETURN_IF_ERROR(MakeDirs(fs::path(index_path).parent_path().string()));
  if (auto hit = Lookup(record.key)) {
    KG_RETURN_IF_ERROR(WriteFileAtomic(index_path, record.key + "\n"));
    Notice(fmt::format("arm '{}': kernel {} from the build cache", arm, record.key.substr(0, 12)));
    return *hit;
  }
  KG_ASSIGN_OR_RETURN(KernelBuildOutcome built, Make(arm, in, slot.src, slot.out, *config, std::move(record)));
  if (built.kernel) KG_RETURN_IF_ERROR(WriteFileAtomic(index_path, built.record.key + "\n"));
  return built;
}

Result<KernelBuildOutcome> CachedKernelBuilder::Make(const std::string& arm, const Inputs& in,
                                                     const std::string& src, const std::string& out,
                                                     const std::string& config, KernelBuildRecord record) {
  std::string logs = options_.cache_dir + "/kbuild/logs";
  KG_RETURN_IF_ERROR(MakeDirs(logs));
  std::string log = logs + "/" + in.input_key + ".log";
  bool modules = config.find("=m\n") != std::string::npos;
  // With CONFIG_MODULES, `modules` runs modpost, which writes the
  // Module.symvers out-of-tree modules link against, even when nothing in
  // the tree is a module (the guest config).
  bool loadable = config.find("\nCONFIG_MODULES=y\n") != std::string::npos;
  bool scx = HasSchedExt(config);
  std::vector<std::string> targets = {fmt::format("-j{}", options_.jobs), "bzImage", "vmlinux"};
  if (loadable) targets.push_back("modules");
  std::vector<std::string> argv = {"sh", "-c", "exec \"$@\" >\"$0\" 2>&1", log};
  for (std::string& word : MakeCommand(in.make_vars, src, out, targets)) argv.push_back(std::move(word));
  ProcessOptions popts;
  popts.timeout = std::chrono::seconds(kBuildTimeoutS);
  popts.env = {{"KBUILD_BUILD_TIMESTAMP", kBuildTimestamp},
               {"KBUILD_BUILD_USER", "kgate"},
               {"KBUILD_BUILD_HOST", "kgate"},
               {"KBUILD_BUILD_VERSION", "1"},
               {"CCACHE_DIR", options_.cache_dir + "/ccache"},
               {"CCACHE_BASEDIR", fs::path(src).parent_path().string()},
               {"CCACHE_NOHASHDIR", "1"},
               {"CCACHE_SLOPPINESS", "time_macros"}};
  Notice(
      fmt::format("arm '{}': building the kernel ({} config{}, {} patch(es), make -j{}); log: {}",
                  arm, in.config_base, in.base_origin.empty() ? "" : " from " + in.base_origin,
                  in.series.size(), options_.jobs, log));
  auto started = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  std::future<Result<ProcessResult>> running =
      std::async(std::launch::async, [&] { return runner_.Run(argv, popts); });
  while (running.wait_for(kProgressEvery) != std::future_status::ready) {
    Result<std::string> so_far = ReadTextFile(log, 64 << 20, false);
    if (so_far.ok()) {
      Notice(fmt::format("arm '{}': {} build steps, {}", arm, CountBuildSteps(*so_far), FormatDuration(seconds())));
    }
  }
  KG_ASSIGN_OR_RETURN(ProcessResult made, running.get());
  record.seconds = seconds();
  KG_ASSIGN_OR_RETURN(std::string log_text, ReadTextFile(log, 256 << 20, false));
  record.build_steps = CountBuildSteps(log_text);
  KernelBuildOutcome outcome;
  outcome.log_path = log;
  // A kernel, or its schedulers, that did not build: the first error in the
  // log, else how make ended.
  auto failed = [&](const char* what, const std::string& text,
                    const std::vector<std::string>& prefixes, const std::string& step,
                    const ProcessResult& r) {
    outcome.error = FirstBuildError(text, prefixes);
    if (!outcome.error) outcome.error = BuildError{"", 0, 0, step + " " + r.Describe(), "make", {}};
    outcome.record = std::move(record);
    Notice(fmt::format("arm '{}': {} did not build after {}: {}", arm, what,
                       FormatDuration(outcome.record.seconds), outcome.error->Describe()));
    return outcome;
  };
  if (!made.success()) {
    return failed("the kernel", log_text, {src + "/", fs::relative(src, out).string() + "/"},
                  "make", made);
  }
  if (scx) {
    Notice(fmt::format("arm '{}': building the sched_ext schedulers (tools/sched_ext, {})", arm, kClang));
    KG_ASSIGN_OR_RETURN(ProcessResult built_scx, BuildSchedExt(src, out, log));
    record.seconds = seconds();
    if (!built_scx.success()) {
      KG_ASSIGN_OR_RETURN(std::string scx_log, ReadTextFile(log, 256 << 20, false));
      return failed("the sched_ext schedulers", scx_log, {src + "/tools/sched_ext/"},
                    "tools/sched_ext: make", built_scx);
    }
  }
  Notice(fmt::format("arm '{}': built in {} ({} build steps)", arm, FormatDuration(record.seconds), record.build_steps));

  // Into the cache: a temporary folder renamed into place when complete.
  std::string final_dir = kernels_dir() + "/" + record.key;
  std::string tmp = kernels_dir() + fmt::format("/.tmp-{}-{}", record.key.substr(0, 12), getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  KG_RETURN_IF_ERROR(MakeDirs(tmp + "/patches"));
  KG_RETURN_IF_ERROR(CopyFile(out + "/arch/x86/boot/bzImage", tmp + "/bzImage"));
  KG_RETURN_IF_ERROR(CopyFile(out + "/vmlinux", tmp + "/vmlinux"));
  KG_RETURN_IF_ERROR(CopyFile(out + "/.config", tmp + "/config"));
  KG_RETURN_IF_ERROR(CopyFile(out + "/kgate.config", tmp + "/kgate.config"));
  KG_RETURN_IF_ERROR(CopyFile(log, tmp + "/build.log"));
  for (std::size_t i = 0; i < in.series.size(); ++i) {
    KG_RETURN_IF_ERROR(WriteFileAtomic(fmt::format("{}/patches/{:04}.patch", tmp, i + 1), in.series[i].parsed.text));
  }
  KG_ASSIGN_OR_RETURN(ProcessResult release,
                      RunChecked(runner_, MakeCommand(in.make_vars, src, out, {"-s", "kernelrelease"}), "",
                                 kConfigTimeoutS));
  Kernel kernel;
  kernel.ref = "build:" + arm;
  kernel.package = "kgate-build-" + record.key.substr(0, 12);
  kernel.version = Trim(release.out);
  kernel.dir = final_dir;
  kernel.bzimage_path = final_dir + "/bzImage";
  kernel.vmlinux_path = final_dir + "/vmlinux";
  kernel.config_path = final_dir + "/config";
  kernel.config_hash = Sha256Hex(config);
  if (modules) {
    KG_RETURN_IF_ERROR(RunChecked(runner_,
                                  MakeCommand(in.make_vars, src, out,
                                              {"-s", "INSTALL_MOD_PATH=" + tmp + "/root",
                                               "INSTALL_MOD_STRIP=1", "modules_install"}),
                                  "", kConfigTimeoutS)
                           .status());
    kernel.modules_dir = final_dir + "/root/lib/modules/" + kernel.version;
  }
  // The tree out-of-tree modules build against (modules: arms), made by the
  // kernel's own install-extmod-build as Debian makes its headers packages:
  // it belongs to this kernel, where the slot changes with the next build.
  if (loadable) {
    KG_RETURN_IF_ERROR(
        RunChecked(runner_,
                   MakeCommand(in.make_vars, src, out,
                               {"-s", "run-command",
                                "KBUILD_RUN_COMMAND=" + src + "/scripts/package/install-extmod-build " + tmp + "/build"}),
                   "", kConfigTimeoutS)
            .status()
            .Prefixed("the tree for out-of-tree modules"));
    // The script pipes tar into tar without pipefail: a file it could not
    // copy is only a message on its standard error.
    if (!fs::exists(tmp + "/build/Module.symvers")) {
      return Status::Infrastructure(
          fmt::format("install-extmod-build left no Module.symvers in {}/build (see {})", tmp, log));
    }
    kernel.build_dir = final_dir + "/build";
  }
  if (scx) {
    KG_RETURN_IF_ERROR(MakeDirs(tmp + "/sched_ext"));
    for (const auto& entry : fs::directory_iterator(out + "/sched_ext/build/bin", ec)) {
      KG_RETURN_IF_ERROR(CopyFile(entry.path().string(), tmp + "/sched_ext/" + entry.path().filename().string()));
    }
    if (ec) return Status::Infrastructure(fmt::format("no schedulers in {}/sched_ext/build/bin: {}", out, ec.message()));
    kernel.sched_ext_dir = final_dir + "/sched_ext";
  }
  std::string reproduce = fmt::format(
      "#!/bin/sh\n"
      "# Rebuilds kgate kernel {key} from its inputs, outside kgate.\n"
      "# source {source} ({package} {version}), base commit {base}\n"
      "# config: {config_base}{origin}, then kgate.config; ./config is the final one\n"
      "set -eu\n"
      "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
      "work=${{1:-$here/reproduce}}\n"
      "mkdir -p \"$work\" && cd \"$work\"\n"
      "{fetch}"
      "for p in \"$here\"/patches/*.patch; do [ -e \"$p\" ] && git apply --index \"$p\"; done\n"
      "{defconfig}"
      "scripts/kconfig/merge_config.sh -m -O out out/.config {kvm}\"$here/kgate.config\"\n"
      "make O=out olddefconfig\n"
      "KBUILD_BUILD_TIMESTAMP='{stamp}' KBUILD_BUILD_USER=kgate KBUILD_BUILD_HOST=kgate \\\n"
      "KBUILD_BUILD_VERSION=1 make O=out -j\"$(nproc)\" LOCALVERSION= bzImage vmlinux\n"
      "cmp out/arch/x86/boot/bzImage \"$here/bzImage\" && echo 'bzImage: identical'\n"
      "{scx}",
      fmt::arg("key", record.key), fmt::arg("source", record.source),
      fmt::arg("package", record.source_package), fmt::arg("version", record.source_version),
      fmt::arg("base", record.base_commit), fmt::arg("config_base", in.config_base),
      fmt::arg("origin", in.base_origin.empty() ? "" : " (" + in.base_origin + ")"),
      fmt::arg("fetch", record.source_package.empty()
                            ? fmt::format("git clone -q {} src && cd src && git checkout -q {}\n",
                                          in.source.repo, record.base_commit)
                            : fmt::format("tar -xf /usr/src/{0}.tar.xz && cd {0} && git init -q && "
                                          "git add -A -f . && git commit -qm base\n",
                                          record.source_package)),
      fmt::arg("defconfig", GivenConfigBase(in.config_base)
                                ? "mkdir -p out && cp \"$here/config\" out/.config\n"
                                : "make O=out x86_64_defconfig\n"),
      fmt::arg("kvm", GuestBase(in.config_base) ? "kernel/configs/kvm_guest.config " : ""),
      fmt::arg("scx",
               scx ? fmt::format(
                         "mkdir -p out/sched_ext && make -C tools/sched_ext "
                         "O=\"$PWD/out/sched_ext\" CLANG={} VMLINUX_BTF=\"$PWD/out/vmlinux\" all\n"
                         "o=out/sched_ext/build/obj; for b in out/sched_ext/build/bin/*; do "
                         "gcc -static -o \"$b\" \"$o/sched_ext/${{b##*/}}.o\" $o/libbpf/libbpf.a "
                         "-lelf -lz -lpthread; done\n",
                         kClang)
                   : ""),
      fmt::arg("stamp", kBuildTimestamp));
  KG_RETURN_IF_ERROR(WriteFileAtomic(tmp + "/reproduce.sh", reproduce));
  fs::permissions(tmp + "/reproduce.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add, ec);
  KG_RETURN_IF_ERROR(WriteFileAtomic(tmp + "/build.json", BuildRecordToJson(record)));
  kernel.size_bytes = DiskUse(tmp);
  KG_RETURN_IF_ERROR(WriteFileAtomic(tmp + "/kernel.json", KernelToJson(kernel)));
  fs::rename(tmp, final_dir, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    if (!fs::exists(final_dir + "/kernel.json")) {
      return Status::Infrastructure(fmt::format("cannot move the built kernel into {}", final_dir));
    }
  }
  outcome.kernel = std::move(kernel);
  outcome.record = std::move(record);
  return outcome;
}

Result<std::vector<std::pair<Kernel, KernelBuildRecord>>> CachedKernelBuilder::List() const {
  std::vector<std::pair<Kernel, KernelBuildRecord>> out;
  std::vector<std::pair<fs::file_time_type, std::pair<Kernel, KernelBuildRecord>>> dated;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kernels_dir(), ec)) {
    std::string name = entry.path().filename().string();
    if (StartsWith(name, ".")) continue;
    auto hit = Lookup(name);
    if (!hit) continue;
    hit->kernel->size_bytes = DiskUse(entry.path().string());
    dated.push_back({fs::last_write_time(entry.path() / "kernel.json", ec), {*hit->kernel, hit->record}});
  }
  std::sort(dated.begin(), dated.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& d : dated) out.push_back(std::move(d.second));
  return out;
}

Result<int> CachedKernelBuilder::Collect(int keep) {
  KG_ASSIGN_OR_RETURN(auto all, List());
  int removed = 0;
  std::error_code ec;
  for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < all.size(); ++i) {
    fs::remove_all(all[i].first.dir, ec);
    if (!ec) ++removed;
  }
  // Index entries that name a kernel no longer here are dropped too.
  for (const auto& entry : fs::directory_iterator(options_.cache_dir + "/kbuild/index", ec)) {
    Result<std::string> key = ReadTextFile(entry.path().string());
    if (!key.ok() || !fs::exists(kernels_dir() + "/" + Trim(*key))) fs::remove(entry.path(), ec);
  }
  return removed;
}

}  // namespace kgate
