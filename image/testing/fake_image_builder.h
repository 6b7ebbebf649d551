// FakeImageBuilder: an "image" is a small file in dir; each spec is kept.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "image/guest_image.h"

namespace kgate::testing {

class FakeImageBuilder : public ImageBuilder {
 public:
  explicit FakeImageBuilder(std::string dir) : dir_(std::move(dir)) {}
  Result<GuestImage> Build(const GuestImageSpec& spec) override {
    specs.push_back(spec);
    GuestImage image;
    image.key = std::to_string(specs.size());
    image.path = dir_ + "/image-" + image.key + ".cpio";
    std::ofstream(image.path) << "base image for " << spec.kernel_version;
    return image;
  }
  std::vector<GuestImageSpec> specs;

 private:
  std::string dir_;
};

}  // namespace kgate::testing
