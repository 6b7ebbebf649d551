#include "doctor/doctor.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <httplib.h>

#include "base/file_util.h"
#include "base/process.h"
#include "base/strings.h"

namespace kgate {
namespace {

using R = DoctorCheck::Result;

DoctorCheck Make(std::string name, bool essential) {
  DoctorCheck c;
  c.name = std::move(name);
  c.essential = essential;
  return c;
}

std::string FirstLine(const std::string& s) { return Trim(s.substr(0, s.find('\n'))); }

void CheckBoot(const DoctorHooks& hooks, const std::string& tier, DoctorCheck* c) {
  if (!hooks.boot_guest) {
    c->result = R::kNotChecked;
    c->detail = "no way to boot a guest in this build";
    return;
  }
  c->result = hooks.boot_guest(tier, &c->detail);
}

std::string FreeSpace(const std::string& dir) {
  std::error_code ec;
  auto space = std::filesystem::space(dir, ec);
  if (ec) return "free space unknown";
  return fmt::format("{:.1f} GiB free", static_cast<double>(space.available) / (1ull << 30));
}

}  // namespace

const char* DoctorResultName(DoctorCheck::Result r) {
  switch (r) {
    case R::kOk: return "ok";
    case R::kFailed: return "FAILED";
    case R::kUnavailable: return "unavailable";
    case R::kNotChecked: return "not checked";
  }
  return "?";
}

DoctorCheck CheckQemu() {
  DoctorCheck c = Make("qemu", true);
  auto r = DefaultProcessRunner().Run({"qemu-system-x86_64", "--version"},
                                      ProcessOptions::WithTimeout(std::chrono::seconds(10)));
  if (!r.ok()) {
    c.result = R::kFailed;
    c.detail = r.status().message() + " (install qemu-system-x86)";
  } else if (!r->success()) {
    c.result = R::kFailed;
    c.detail = "qemu-system-x86_64 --version: " + r->Describe();
  } else {
    c.result = R::kOk;
    c.detail = FindInPath("qemu-system-x86_64") + ": " + FirstLine(r->out);
  }
  return c;
}

DoctorCheck CheckRegistry() {
  DoctorCheck c = Make("registry", false);
  // apt resolves the package to a URL from its lists; a HEAD request to that
  // URL proves the registry answers, without downloading anything.
  auto uris = DefaultProcessRunner().Run({"apt-get", "download", "--print-uris", "busybox-static"},
                                         ProcessOptions::WithTimeout(std::chrono::seconds(30)));
  if (!uris.ok() || !uris->success()) {
    c.result = R::kFailed;
    c.detail = "apt-get download --print-uris busybox-static failed (run apt-get update?)";
    return c;
  }
  std::string line = FirstLine(uris->out);
  if (line.size() < 2 || line[0] != '\'') {
    c.result = R::kFailed;
    c.detail = "apt printed no URL: " + line;
    return c;
  }
  std::string url = line.substr(1, line.find('\'', 1) - 1);
  auto scheme_end = url.find("://");
  auto path_start = url.find('/', scheme_end + 3);
  std::string host = url.substr(0, path_start);
  httplib::Client client(host);
  client.set_connection_timeout(10);
  auto response = client.Head(url.substr(path_start));
  if (!response) {
    c.result = R::kFailed;
    c.detail = fmt::format("{}: no answer ({})", host, httplib::to_string(response.error()));
  } else if (response->status != 200) {
    c.result = R::kFailed;
    c.detail = fmt::format("HEAD {}: HTTP {}", url, response->status);
  } else {
    c.result = R::kOk;
    c.detail = fmt::format("HEAD {}: HTTP 200", url);
  }
  return c;
}

DoctorCheck CheckCacheWritable(const std::string& dir) {
  DoctorCheck c = Make("cache", true);
  Status made = MakeDirs(dir);
  std::string probe = dir + "/.doctor-probe";
  Status wrote = made.ok() ? WriteFileAtomic(probe, "kgate doctor\n") : made;
  if (!wrote.ok()) {
    c.result = R::kFailed;
    c.detail = wrote.message();
    return c;
  }
  std::remove(probe.c_str());
  c.result = R::kOk;
  c.detail = fmt::format("{}: wrote and removed a file; {}", dir, FreeSpace(dir));
  return c;
}

DoctorCheck CheckStoreFolder(const std::string& db_path) {
  DoctorCheck c = Make("store", true);
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(db_path, ec);
  std::string dir = (ec ? std::filesystem::path(db_path) : abs).parent_path().string();
  if (access(dir.c_str(), W_OK) != 0) {
    c.result = R::kFailed;
    c.detail = fmt::format("{}: the folder of the store is not writable", dir);
    return c;
  }
  c.result = R::kOk;
  c.detail = fmt::format("{}: writable; {}", abs.string(), FreeSpace(dir));
  return c;
}

DoctorCheck CheckWorkloads() {
  DoctorCheck c = Make("workloads", false);
  std::vector<std::string> missing;
  for (const char* p : {"busybox", "hackbench", "cyclictest", "fio", "stress-ng", "sysbench",
                        "db_bench"}) {
    if (FindInPath(p).empty()) missing.push_back(p);
  }
  c.result = missing.empty() ? R::kOk : R::kFailed;
  c.detail = missing.empty() ? "busybox, hackbench, cyclictest, fio, stress-ng, sysbench, db_bench found"
                             : "missing: " + Join(missing, ", ") + " (scripts/install-deps.sh)";
  return c;
}

std::vector<DoctorCheck> RunDoctor(const DoctorHooks& hooks, const std::string& cache_dir,
                                   const std::string& db_path) {
  std::vector<DoctorCheck> checks;
  checks.push_back(CheckQemu());
  bool qemu = checks.back().result == R::kOk;
  checks.push_back(CheckCacheWritable(cache_dir));
  checks.push_back(CheckStoreFolder(db_path));
  checks.push_back(CheckWorkloads());
  DoctorCheck tcg = Make("tcg-boot", true);
  if (qemu) CheckBoot(hooks, "tcg", &tcg);
  checks.push_back(tcg);
  DoctorCheck kvm = Make("kvm", false);
  if (access("/dev/kvm", R_OK | W_OK) != 0) {
    kvm.result = R::kUnavailable;
    kvm.detail = "/dev/kvm is absent or not accessible; runs use icount or tcg";
  } else if (qemu) {
    CheckBoot(hooks, "kvm", &kvm);
    // KVM is optional: a host whose KVM cannot boot a guest runs the other
    // tiers, and `tier: auto` finds that out the same way.
    if (kvm.result == R::kFailed) {
      kvm.result = R::kUnavailable;
      kvm.detail = "/dev/kvm exists but does not boot a guest (" + kvm.detail +
                   "); runs use icount or tcg";
    }
  }
  checks.push_back(kvm);
  checks.push_back(hooks.registry ? hooks.registry() : CheckRegistry());
  return checks;
}

}  // namespace kgate
