#include "kernels/kernel_ref.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace {

constexpr char kImagePrefix[] = "linux-image-";
constexpr char kUnsignedSuffix[] = "-unsigned";
// Longest first: "amd64" is a suffix of the other two.
const std::vector<std::string> kFlavours = {"cloud-amd64", "rt-amd64", "amd64"};

bool IsSeries(const std::string& s) {
  std::vector<std::string> parts = Split(s, '.');
  if (parts.size() != 2) return false;
  for (const std::string& p : parts) {
    if (p.empty() || !std::all_of(p.begin(), p.end(), [](char c) { return std::isdigit(c); })) {
      return false;
    }
  }
  return true;
}

// The runs of digits in a version: "6.12.117+deb12" -> {6, 12, 117, 12}.
std::vector<unsigned long> NumberRuns(const std::string& v) {
  std::vector<unsigned long> out;
  for (std::size_t i = 0; i < v.size();) {
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < v.size() && std::isdigit(static_cast<unsigned char>(v[j]))) ++j;
    out.push_back(std::stoul(v.substr(i, std::min<std::size_t>(j - i, 9))));
    i = j;
  }
  return out;
}

Result<KernelRef> ParsePathRef(const std::string& text, const std::string& body) {
  KernelRef ref;
  ref.kind = KernelRef::Kind::kPath;
  ref.text = text;
  std::vector<std::string> parts = Split(body, ',');
  ref.bzimage = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (!StartsWith(parts[i], "modules=") || parts[i].size() == 8) {
      return Status::BadInput(fmt::format(
          "kernel '{}': unexpected '{}' (expected path:<bzImage>[,modules=<dir>])", text, parts[i]));
    }
    ref.modules_dir = parts[i].substr(8);
  }
  if (ref.bzimage.empty()) {
    return Status::BadInput(fmt::format("kernel '{}': empty path (expected path:<bzImage>)", text));
  }
  return ref;
}

}  // namespace

Result<KernelRef> ParseKernelRef(const std::string& text) {
  if (StartsWith(text, "path:")) return ParsePathRef(text, text.substr(5));
  if (!StartsWith(text, "debian:")) {
    return Status::BadInput(fmt::format(
        "kernel '{}': unknown source (expected debian:<series>[-cloud|-rt], "
        "debian:<package> or path:<bzImage>)", text));
  }
  std::string body = text.substr(7);
  KernelRef ref;
  ref.text = text;
  if (StartsWith(body, kImagePrefix)) {
    ref.kind = KernelRef::Kind::kDebianPackage;
    ref.package = body;
    return ref;
  }
  std::size_t dash = body.find('-');
  ref.series = body.substr(0, dash);
  std::string flavour = dash == std::string::npos ? "" : body.substr(dash + 1);
  if (!IsSeries(ref.series)) {
    return Status::BadInput(fmt::format(
        "kernel '{}': '{}' is not a series (expected e.g. debian:6.12-cloud, debian:6.1)", text,
        ref.series));
  }
  if (flavour.empty()) {
    ref.flavour = "amd64";
  } else if (flavour == "cloud" || flavour == "rt") {
    ref.flavour = flavour + "-amd64";
  } else {
    std::string close = ClosestMatch(flavour, {"cloud", "rt"});
    return Status::BadInput(fmt::format(
        "kernel '{}': unknown flavour '{}' (expected cloud, rt or none{})", text, flavour,
        close.empty() ? "" : "; did you mean '" + close + "'?"));
  }
  return ref;
}

std::optional<DebianKernelPackage> ParseDebianKernelPackage(const std::string& name) {
  if (!StartsWith(name, kImagePrefix) || !EndsWith(name, kUnsignedSuffix)) return std::nullopt;
  std::string middle = name.substr(sizeof(kImagePrefix) - 1,
                                   name.size() - (sizeof(kImagePrefix) - 1) -
                                       (sizeof(kUnsignedSuffix) - 1));
  for (const std::string& flavour : kFlavours) {
    if (!EndsWith(middle, "-" + flavour)) continue;
    DebianKernelPackage pkg;
    pkg.name = name;
    pkg.flavour = flavour;
    pkg.kver = middle.substr(0, middle.size() - flavour.size() - 1);
    std::vector<std::string> parts = Split(pkg.kver, '.');
    if (parts.size() < 2 || parts[0].empty()) return std::nullopt;
    pkg.series = parts[0] + "." + parts[1];
    if (!IsSeries(pkg.series)) return std::nullopt;
    return pkg;
  }
  return std::nullopt;
}

bool KernelVersionLess(const std::string& a, const std::string& b) {
  return NumberRuns(a) < NumberRuns(b);
}

Result<std::string> SelectDebianPackage(const KernelRef& ref,
                                        const std::vector<std::string>& available) {
  if (ref.kind == KernelRef::Kind::kDebianPackage) {
    if (std::find(available.begin(), available.end(), ref.package) != available.end()) {
      return ref.package;
    }
    std::string close = ClosestMatch(ref.package, available);
    return Status::BadInput(fmt::format("kernel '{}': no package {} in the registry{}", ref.text,
                                        ref.package,
                                        close.empty() ? "" : "; did you mean " + close + "?"));
  }
  KG_CHECK(ref.kind == KernelRef::Kind::kDebianSeries) << "path: refs have no package";
  std::optional<DebianKernelPackage> best;
  std::set<std::string> offered;
  for (const std::string& name : available) {
    std::optional<DebianKernelPackage> pkg = ParseDebianKernelPackage(name);
    if (!pkg) continue;
    std::string flavour = pkg->flavour == "amd64" ? "" : "-" + pkg->flavour.substr(0, pkg->flavour.find('-'));
    offered.insert("debian:" + pkg->series + flavour);
    if (pkg->series != ref.series || pkg->flavour != ref.flavour) continue;
    if (!best || KernelVersionLess(best->kver, pkg->kver)) best = pkg;
  }
  if (best) return best->name;
  return Status::BadInput(fmt::format(
      "kernel '{}': no {} kernel of series {} in the registry (available: {})", ref.text,
      ref.flavour, ref.series,
      offered.empty() ? "none; run apt-get update" : Join({offered.begin(), offered.end()}, ", ")));
}

}  // namespace kgate
