#include "engine/provenance.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>

#include "base/build_info.h"
#include "base/strings.h"

namespace kgate {

Provenance CollectProvenance(ProcessRunner& runner, const std::string& qemu_binary) {
  Provenance p;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  p.host = host;
  struct utsname u;
  if (uname(&u) == 0) p.host_kernel = u.release;
  auto qemu = runner.Run({qemu_binary, "--version"},
                         ProcessOptions::WithTimeout(std::chrono::seconds(10)));
  if (qemu.ok() && qemu->success()) p.qemu_version = Trim(qemu->out.substr(0, qemu->out.find('\n')));
  p.kgate_version = build_info::kVersion;
  p.git_sha = build_info::kGitSha;
  return p;
}

}  // namespace kgate
