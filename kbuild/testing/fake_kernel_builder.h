// FakeKernelBuilder: every build succeeds with a kernel whose image is an
// empty file in dir, unless fail_arms names the arm: then it fails with a
// compiler error in mm/readahead.c.
#pragma once

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "kbuild/kernel_builder.h"

namespace kgate::testing {

class FakeKernelBuilder : public KernelBuilder {
 public:
  explicit FakeKernelBuilder(std::string dir) : dir_(std::move(dir)) {}
  Result<KernelBuildOutcome> Build(const std::string& arm, const KernelBuildSpec& spec) override {
    built.push_back(arm);
    specs.push_back(spec);
    KernelBuildOutcome out;
    out.record.key = "feedbeef" + std::to_string(built.size());
    out.record.source = spec.source;
    out.record.config_base = spec.config_base;
    out.record.patch_ids.assign(spec.patches.size(), "1234");
    out.log_path = dir_ + "/build-" + arm + ".log";
    if (fail_arms.count(arm)) {
      out.error = BuildError{"mm/readahead.c", 130, 9, "'ra' undeclared", "compiler", {}};
      return out;
    }
    Kernel k;
    k.ref = "build:" + arm;
    k.package = "kgate-build-" + out.record.key;
    k.version = "6.12.118";
    k.bzimage_path = dir_ + "/bzImage-" + arm;
    k.dir = dir_;
    std::ofstream(k.bzimage_path) << "not a kernel";
    out.kernel = k;
    return out;
  }
  std::vector<std::string> built;     // arms, in build order
  std::vector<KernelBuildSpec> specs;  // what each was built from
  std::set<std::string> fail_arms;

 private:
  std::string dir_;
};

}  // namespace kgate::testing
