// FakeKernelSource: every debian: reference is one kernel, 6.12.0-test,
// whose image is an empty file in dir; other references are bad input.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace kgate::testing {

class FakeKernelSource : public KernelSource {
 public:
  explicit FakeKernelSource(std::string dir) : dir_(std::move(dir)) {}
  Result<Kernel> Fetch(const std::string& ref) override {
    fetched.push_back(ref);
    if (ref.rfind("debian:", 0) != 0) return Status::BadInput("unknown kernel " + ref);
    Kernel k;
    k.ref = ref;
    k.package = "linux-image-6.12.0-test-cloud-amd64-unsigned";
    k.version = "6.12.0-test-cloud-amd64";
    k.bzimage_path = dir_ + "/vmlinuz";
    k.config_hash = "c0ffee";
    k.dir = dir_;
    std::ofstream(k.bzimage_path) << "not a kernel";
    return k;
  }
  std::vector<std::string> fetched;

 private:
  std::string dir_;
};

}  // namespace kgate::testing
