// Rules about what the added code does: floating point, file I/O, hard-coded
// paths, polling kernel threads and in-kernel training.
#include <set>

#include <fmt/format.h>

#include "analysis/rules_internal.h"
#include "base/strings.h"

namespace kgate::rules {
namespace {

bool IsKernelC(const ChangedFile& f) { return IsCSource(f.path) && !IsUserspacePath(f.path); }

// Calls fn(file, line) for every added line of the files keep selects.
template <typename Keep, typename Fn>
void ForAddedLines(const ChangeSet& change, Keep keep, Fn fn) {
  for (const ChangedFile& file : change.files) {
    if (!keep(file)) continue;
    for (const ChangedLine& line : file.lines) {
      if (line.added) fn(file, line);
    }
  }
}

}  // namespace

void CheckFpu(const ChangeSet& change, FindingSink& sink) {
  static const std::regex kFpuCall(R"(\b(kernel_fpu_begin|kernel_fpu_end|kernel_fpu_begin_mask|kernel_neon_begin|kernel_neon_end)\s*\()");
  static const std::regex kFpType(R"(\b(float|double)\b)");
  static const std::regex kTarget(R"((__attribute__\s*\(\(\s*(__)?target(__)?\s*\()|(#\s*pragma\s+GCC\s+target))");
  static const std::regex kFpString(R"(sse|avx|fpu|387|mmx|neon|fp16|float)");
  static const std::regex kFpFlag(R"((^|[\s=:,(])(-m(hard-float|sse[\w.]*|avx\w*|fpu(=\S+)?|float-abi=hard|80387|mmx|3dnow))|\$\(CC_FLAGS_FPU\))");
  ForAddedLines(change, IsKernelC, [&](const ChangedFile& file, const ChangedLine& line) {
    std::smatch m;
    const std::string& code = line.lexed.code;
    if (Find(code, kFpuCall, &m)) {
      sink.Add("fpu-in-kernel", file.path, line, fmt::format("{}() in kernel code", m[1].str()));
    } else if (Find(code, kTarget)) {
      bool fp = false;
      for (const std::string& s : line.lexed.strings) fp = fp || Find(s, kFpString);
      if (fp) sink.Add("fpu-in-kernel", file.path, line, "a target attribute enabling FP/SIMD code generation");
    } else if (Find(code, kFpType, &m)) {
      sink.Add("fpu-in-kernel", file.path, line,
               fmt::format("floating-point type '{}' in kernel code", m[1].str()));
    }
  });
  auto build = [](const ChangedFile& f) { return IsBuildFile(f.path) && !IsUserspacePath(f.path); };
  ForAddedLines(change, build, [&](const ChangedFile& file, const ChangedLine& line) {
    std::smatch m;
    if (Find(line.lexed.code, kFpFlag, &m)) {
      std::string flag = m[2].matched ? m[2].str() : "$(CC_FLAGS_FPU)";
      sink.Add("fpu-in-kernel", file.path, line,
               fmt::format("floating-point compiler flag {} in the kernel build", flag));
    }
  });
}

void CheckFileIo(const ChangeSet& change, FindingSink& sink) {
  static const std::regex kFileIo(R"(\b(filp_open|file_open_name|file_open_root|kernel_read|kernel_write|vfs_read|vfs_write|vfs_readv|vfs_writev|vfs_iter_read|vfs_iter_write|kernel_read_file\w*)\s*\()");
  ForAddedLines(change, IsKernelC, [&](const ChangedFile& file, const ChangedLine& line) {
    std::smatch m;
    if (Find(line.lexed.code, kFileIo, &m)) {
      sink.Add("kernel-file-io", file.path, line, fmt::format("{}() from kernel code", m[1].str()));
    }
  });
}

void CheckHardcodedPaths(const ChangeSet& change, FindingSink& sink) {
  static const std::regex kHostPath(R"(^/(tmp|home|root|var|etc|opt|usr|mnt|media|srv|lib|data|run)(/|$))");
  static const std::regex kDevice(R"(^/dev/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|md\d|loop\d|dm-\d|mapper/|disk/))");
  ForAddedLines(change, IsKernelC, [&](const ChangedFile& file, const ChangedLine& line) {
    for (const std::string& s : line.lexed.strings) {
      if (Find(s, kHostPath) || Find(s, kDevice)) {
        sink.Add("hardcoded-path", file.path, line, fmt::format("hard-coded path \"{}\"", s));
        break;
      }
    }
  });
}

void CheckPollingKthreads(const ChangeSet& change, FindingSink& sink) {
  static const std::regex kSleep(R"(\b(msleep|msleep_interruptible|ssleep|usleep_range|schedule_timeout\w*)\s*\()");
  static const std::regex kLoop(R"(\b(while|for)\s*\()");
  static const std::regex kForever(R"(\bfor\s*\(\s*;\s*;\s*\)|\bwhile\s*\(\s*(1|true)\s*\))");
  static const std::regex kShouldStop(R"(\bkthread_should_stop\s*\()");
  static const std::regex kStart(R"(\bkthread_(run|create)\w*\s*\(\s*(\w+))");
  std::set<std::string> thread_fns;  // functions some added line starts as a kthread
  ForAddedLines(change, IsKernelC, [&](const ChangedFile&, const ChangedLine& line) {
    std::smatch m;
    if (Find(line.lexed.code, kStart, &m)) thread_fns.insert(m[2]);
  });
  for (const ChangedFile& file : change.files) {
    if (!IsKernelC(file)) continue;
    for (const FunctionSpan& fn : FindFunctions(file)) {
      bool loop = false, stop = false, forever = false;
      for (std::size_t i = fn.body_begin; i <= fn.body_end; ++i) {
        const std::string& code = file.lines[i].lexed.code;
        loop = loop || Find(code, kLoop);
        stop = stop || Find(code, kShouldStop);
        forever = forever || Find(code, kForever);
      }
      if (!loop || !(stop || (forever && thread_fns.count(fn.name)))) continue;
      for (std::size_t i = fn.body_begin; i <= fn.body_end; ++i) {
        const ChangedLine& line = file.lines[i];
        std::smatch m;
        if (line.added && Find(line.lexed.code, kSleep, &m)) {
          sink.Add("polling-kthread", file.path, line,
                   fmt::format("kernel thread {}() polls with {}()", fn.name, m[1].str()));
          break;
        }
      }
    }
  }
}

void CheckTraining(const ChangeSet& change, FindingSink& sink) {
  // A compound update whose right-hand side carries a learning signal, or a
  // weight-like target updated by an error term.
  static const std::regex kUpdate(R"(([\w.>\[\]-]+)\s*([-+*])=\s*([^;]*))");
  static const std::regex kSignal(R"(\b(\w*grad\w*|\w*learning_rate\w*|\w*_lr|lr|eta|loss\w*)\b)");
  static const std::regex kWeight(R"((weight|bias|theta|coef)\w*(\s*\[[^\]]*\])*$)");
  static const std::regex kError(R"(err|delta|residual)");
  ForAddedLines(change, IsKernelC, [&](const ChangedFile& file, const ChangedLine& line) {
    std::smatch m;
    const std::string& code = line.lexed.code;
    if (!Find(code, kUpdate, &m)) return;
    std::string target = m[1], rhs = m[3];
    if (Find(rhs, kSignal) || (Find(target, kWeight) && Find(rhs, kError))) {
      sink.Add("in-kernel-training", file.path, line,
               fmt::format("model weight update '{} {}=' in kernel code", target, m[2].str()));
    }
  });
}

}  // namespace kgate::rules
