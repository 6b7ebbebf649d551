// FakeVmBackend: a VmBackend that "boots" by writing canned console and event
// logs into the trial directory and returning a canned outcome, so the trial
// runner, tier probing and the run loop are tested in milliseconds. The
// outcome is the next queued FakeBoot, or what a guest script makes of the
// request (a simulated guest that reads the task it was given).
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "vm/vm_backend.h"

namespace kgate {

struct FakeBoot {
  ExitReason reason = ExitReason::kPoweredOff;
  std::string detail;
  std::string console;  // written to <trial_dir>/console.log
  std::string events;   // written to <trial_dir>/events.jsonl
  double ready_seconds = 2.5;
  double wall_seconds = 4.0;
};

// A simulated guest: the request and its index among this backend's boots
// in, the boot's outcome (or an error, as a backend that could not boot) out.
using GuestScript = std::function<Result<FakeBoot>(const BootRequest& request, int index)>;

class FakeVmBackend : public VmBackend {
 public:
  // Boots replay the queued FakeBoots in order; the last one repeats.
  void Push(FakeBoot boot) { boots_.push_back(std::move(boot)); }
  // Boots ask the script instead.
  void SetScript(GuestScript script) { script_ = std::move(script); }
  const std::vector<BootRequest>& requests() const { return requests_; }

  Result<BootOutcome> Boot(const BootRequest& request) override {
    requests_.push_back(request);
    FakeBoot boot;
    if (script_) {
      Result<FakeBoot> scripted = script_(request, static_cast<int>(requests_.size()) - 1);
      if (!scripted.ok()) return scripted.status();
      boot = std::move(*scripted);
    } else {
      KG_CHECK(!boots_.empty()) << "FakeVmBackend: no boot queued";
      boot = boots_.front();
      if (boots_.size() > 1) boots_.pop_front();
    }
    KG_RETURN_IF_ERROR(MakeDirs(request.trial_dir));
    BootOutcome out;
    out.reason = boot.reason;
    out.detail = boot.detail;
    out.wall_seconds = boot.wall_seconds;
    out.ready_seconds = boot.events.find("\"ready\"") != std::string::npos ? boot.ready_seconds : -1;
    out.console_path = request.trial_dir + "/console.log";
    out.events_path = request.trial_dir + "/events.jsonl";
    out.command_line = "fake-qemu -kernel " + request.kernel_image + " -initrd " + request.initrd;
    KG_RETURN_IF_ERROR(WriteFileAtomic(out.console_path, boot.console));
    KG_RETURN_IF_ERROR(WriteFileAtomic(out.events_path, boot.events));
    return out;
  }

 private:
  GuestScript script_;
  std::deque<FakeBoot> boots_;
  std::vector<BootRequest> requests_;
};

}  // namespace kgate
