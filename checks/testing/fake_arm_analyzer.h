// FakeArmAnalyzer: an arm's analysis without building anything: each module
// directory of the arm becomes one module file (written to dir) with one
// parameter, and no findings.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "checks/arm_analysis.h"

namespace kgate::testing {

class FakeArmAnalyzer : public ArmAnalyzer {
 public:
  explicit FakeArmAnalyzer(std::string dir) : dir_(std::move(dir)) {}
  Result<ArmAnalysis> Analyze(const ArmSpec& arm, int arm_index, const Kernel& kernel) override {
    analysed.push_back(arm.name);
    ArmAnalysis a;
    a.arm = arm.name;
    a.kernel_version = kernel.version;
    for (std::size_t i = 0; i < arm.modules.size(); ++i) {
      std::string file = "mod" + std::to_string(i) + ".ko";
      ArmModule m;
      m.host_path = dir_ + "/" + file;
      m.guest_path = "/kgate/modules/" + std::to_string(arm_index) + "/" + file;
      m.parameter_paths = {"/sys/module/mod" + std::to_string(i) + "/parameters/level"};
      std::ofstream(m.host_path) << "not a module";
      a.modules.push_back(m);
    }
    return a;
  }
  std::vector<std::string> analysed;

 private:
  std::string dir_;
};

}  // namespace kgate::testing
