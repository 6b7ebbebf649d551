// kgate kernel: fetch, list or build kernels in the cache.
#include "harness/cli/command.h"

namespace kgate {

void RegisterKernelCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "kernel", "fetch, list or build kernels in the cache", "issue 3, kernels");
}

}  // namespace kgate
