#include "image/guest_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "guest/protocol.h"
#include "image/cpio_writer.h"
#include "image/library_closure.h"
#include "image/module_set.h"

namespace kgate {
namespace fs = std::filesystem;
namespace {

// Bumped when the layout changes, so old cached images are not reused.
constexpr char kManifestFormat[] = "kgate-guest-image 1";
constexpr std::size_t kMaxImageFileBytes = std::size_t{1} << 30;

struct Entry {
  enum class Kind { kDir, kFile, kSymlink, kCharDevice };
  Kind kind = Kind::kDir;
  std::uint32_t perm = 0755;
  std::string host_path;  // kFile
  std::string target;     // kSymlink
  std::uint32_t major = 0, minor = 0;
};

// The image's entries by guest path, and the manifest lines that identify them.
class Manifest {
 public:
  void Dir(const std::string& path, std::uint32_t perm = 0755) {
    AddParents(path);
    entries_[path] = Entry{Entry::Kind::kDir, perm, "", "", 0, 0};
  }
  void Symlink(const std::string& path, const std::string& target) {
    AddParents(path);
    entries_[path] = Entry{Entry::Kind::kSymlink, 0777, "", target, 0, 0};
  }
  void CharDevice(const std::string& path, std::uint32_t major, std::uint32_t minor) {
    AddParents(path);
    entries_[path] = Entry{Entry::Kind::kCharDevice, 0600, "", "", major, minor};
  }
  // A host file; perm 0 keeps the host file's permission bits.
  Status File(const std::string& path, const std::string& host_path, const std::string& needed_by,
              std::uint32_t perm = 0) {
    struct stat st;
    if (::stat(host_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return Status::BadInput(fmt::format("{} needs {}, which is not a readable file", needed_by, host_path));
    }
    AddParents(path);
    entries_[path] = Entry{Entry::Kind::kFile, perm ? perm : (st.st_mode & 07777), host_path, "", 0, 0};
    identities_[path] = Identity(host_path, st);
    return Status::Ok();
  }
  // A file produced during the build, identified by extra_identity lines.
  void Derived(const std::string& path, const std::string& host_path) {
    AddParents(path);
    entries_[path] = Entry{Entry::Kind::kFile, 0644, host_path, "", 0, 0};
  }
  void AddIdentity(const std::string& line) { extra_.push_back(line); }

  static std::string Identity(const std::string& host_path, const struct stat& st) {
    return fmt::format("{} {} {}", host_path, st.st_size,
                       st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
  }

  std::string Key() const {
    std::string text = kManifestFormat;
    text += '\n';
    for (const auto& [path, e] : entries_) {
      auto id = identities_.find(path);
      text += fmt::format("{} {} {:o} {} {} {} {}\n", static_cast<int>(e.kind), path, e.perm,
                          e.target, e.major, e.minor, id == identities_.end() ? "" : id->second);
    }
    for (const std::string& line : extra_) text += line + "\n";
    return Sha256Hex(text);
  }

  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  void AddParents(const std::string& path) {
    for (fs::path p = fs::path(path).parent_path(); p != "/" && !p.empty(); p = p.parent_path()) {
      entries_.try_emplace(p.string(), Entry{});
    }
  }

  std::map<std::string, Entry> entries_;
  std::map<std::string, std::string> identities_;
  std::vector<std::string> extra_;
};

// Facts derived from a host binary (its library closure, busybox's applet
// list) cost a process each (ldd is ~0.1-0.2 s); they are kept in
// <images>/facts/, keyed by the binary's path, size and mtime, so a warm
// build runs no process at all.
class BinaryFacts {
 public:
  BinaryFacts(std::string dir, ProcessRunner& runner) : dir_(std::move(dir)), runner_(runner) {}

  Result<std::vector<std::string>> Libraries(const std::string& binary) {
    return Memoized("ldd", binary, [&]() { return LibraryClosure(runner_, binary); });
  }

  Result<std::vector<std::string>> Applets(const std::string& busybox) {
    return Memoized("applets", busybox, [&]() -> Result<std::vector<std::string>> {
      Result<ProcessResult> list = runner_.Run({busybox, "--list"});
      if (!list.ok()) return list.status();
      if (!list->success()) {
        return Status::Infrastructure(fmt::format("{} --list: {}", busybox, list->Describe()));
      }
      std::vector<std::string> applets;
      for (const std::string& line : Split(list->out, '\n')) {
        if (!Trim(line).empty()) applets.push_back(Trim(line));
      }
      return applets;
    });
  }

 private:
  template <typename Compute>
  Result<std::vector<std::string>> Memoized(const std::string& kind, const std::string& binary,
                                            Compute compute) {
    struct stat st;
    if (::stat(binary.c_str(), &st) != 0) return compute();
    std::string path = fmt::format("{}/{}-{}", dir_, kind, Sha256Hex(Manifest::Identity(binary, st)).substr(0, 32));
    if (Result<std::string> text = ReadTextFile(path); text.ok()) {
      std::vector<std::string> lines;
      for (const std::string& line : Split(*text, '\n')) {
        if (!line.empty()) lines.push_back(line);
      }
      return lines;
    }
    Result<std::vector<std::string>> lines = compute();
    if (lines.ok() && MakeDirs(dir_).ok()) {
      std::string text;
      for (const std::string& line : *lines) text += line + "\n";
      WriteFileAtomic(path, text);  // a lost memo only costs the next build a process
    }
    return lines;
  }

  std::string dir_;
  ProcessRunner& runner_;
};

Status AddLibraries(BinaryFacts& facts, Manifest& manifest, const std::string& host_path,
                    const std::string& needed_by) {
  Result<std::vector<std::string>> libs = facts.Libraries(host_path);
  if (!libs.ok()) return libs.status().Prefixed(needed_by);
  for (const std::string& lib : *libs) {
    KG_RETURN_IF_ERROR(manifest.File(GuestPathFor(lib), lib, needed_by + " (" + host_path + ")", 0755));
  }
  return Status::Ok();
}

Status AddBinary(BinaryFacts& facts, Manifest& manifest, const std::string& host_path,
                 const std::string& needed_by) {
  KG_RETURN_IF_ERROR(manifest.File(GuestPathFor(host_path), host_path, needed_by, 0755));
  return AddLibraries(facts, manifest, host_path, needed_by);
}

Status AddBusybox(BinaryFacts& facts, Manifest& manifest, const std::string& requested) {
  std::string busybox = FindInPath(requested.empty() ? "busybox" : requested);
  if (busybox.empty()) {
    return Status::BadInput("the guest image needs busybox, which is not in PATH (install busybox-static)");
  }
  // Always at /bin/busybox, wherever the host keeps it: the applet links and
  // kgate-agent name that path.
  KG_RETURN_IF_ERROR(manifest.File("/bin/busybox", busybox, "the guest image", 0755));
  KG_RETURN_IF_ERROR(AddLibraries(facts, manifest, busybox, "the guest image (busybox)"));
  Result<std::vector<std::string>> applets = facts.Applets(busybox);
  if (!applets.ok()) return applets.status();
  for (const std::string& name : *applets) {
    if (name != "busybox" && name.find('/') == std::string::npos) {
      manifest.Symlink("/bin/" + name, "busybox");
    }
  }
  return Status::Ok();
}

Status AddSkeleton(Manifest& manifest) {
  for (const char* dir : {"/bin", "/dev", "/etc", "/proc", "/sys", "/tmp", "/run", "/root",
                          "/kgate", "/kgate/agent"}) {
    manifest.Dir(dir);
  }
  manifest.Dir(guest::kScratchMount);
  manifest.Dir("/tmp", 01777);
  manifest.CharDevice("/dev/console", 5, 1);
  manifest.CharDevice("/dev/null", 1, 3);
  return Status::Ok();
}

Status WriteArchive(const Manifest& manifest, const std::string& out_path, std::uint64_t* bytes) {
  std::string tmp = fmt::format("{}.tmp-{}", out_path, getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Infrastructure(fmt::format("{}: cannot create: {}", tmp, std::strerror(errno)));
    CpioWriter cpio(out);
    for (const auto& [path, e] : manifest.entries()) {
      switch (e.kind) {
        case Entry::Kind::kDir: cpio.AddDirectory(path, e.perm); break;
        case Entry::Kind::kSymlink: cpio.AddSymlink(path, e.target); break;
        case Entry::Kind::kCharDevice: cpio.AddCharDevice(path, e.major, e.minor, e.perm); break;
        case Entry::Kind::kFile: {
          Result<std::string> data = ReadTextFile(e.host_path, kMaxImageFileBytes, false);
          if (!data.ok()) return data.status();
          cpio.AddFile(path, *data, e.perm);
          break;
        }
      }
    }
    cpio.Finish();
    out.flush();
    if (!cpio.status().ok() || !out) {
      std::remove(tmp.c_str());
      return Status::Infrastructure(fmt::format("{}: write failed (disk full?)", tmp));
    }
    *bytes = cpio.bytes_written();
  }
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    return Status::Infrastructure(fmt::format("rename {} -> {}: {}", tmp, out_path, std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace

GuestImageBuilder::GuestImageBuilder(std::string cache_dir, ProcessRunner& runner)
    : cache_dir_(std::move(cache_dir)), runner_(runner) {}

namespace {

// Writes the archive of manifest (plus the modules of spec, staged and
// stripped) to path.
Status WriteImage(ProcessRunner& runner, const std::string& images_dir, const std::string& key,
                  const GuestImageSpec& spec, const std::vector<std::string>& module_paths,
                  Manifest& manifest, const std::string& path) {
  KG_RETURN_IF_ERROR(MakeDirs(images_dir));
  std::string staging = fmt::format("{}/.stage-{}-{}", images_dir, key.substr(0, 16), getpid());
  if (!module_paths.empty()) {
    Result<std::vector<std::string>> staged =
        StageModules(runner, spec.modules_dir, spec.kernel_version, module_paths, staging);
    if (!staged.ok()) {
      fs::remove_all(staging);
      return staged.status();
    }
    for (const std::string& rel : *staged) manifest.Derived("/" + rel, staging + "/" + rel);
  }
  std::uint64_t bytes = 0;
  Status written = WriteArchive(manifest, path, &bytes);
  std::error_code ec;
  fs::remove_all(staging, ec);
  return written;
}

}  // namespace

Result<GuestImage> GuestImageBuilder::Build(const GuestImageSpec& spec) {
  Manifest manifest;
  BinaryFacts facts(images_dir() + "/facts", runner_);
  KG_RETURN_IF_ERROR(AddSkeleton(manifest));
  KG_RETURN_IF_ERROR(AddBusybox(facts, manifest, spec.busybox));
  for (const NeededBinary& need : spec.needs) {
    std::string host = FindInPath(need.binary);
    if (host.empty()) {
      return Status::BadInput(fmt::format(
          "{} needs '{}', which is not in PATH on this host (install the Debian package that ships it)",
          need.needed_by, need.binary));
    }
    KG_RETURN_IF_ERROR(AddBinary(facts, manifest, host, need.needed_by));
  }
  std::vector<std::string> module_paths;
  if (!spec.modules.empty()) {
    if (spec.modules_dir.empty() || spec.kernel_version.empty()) {
      return Status::BadInput(fmt::format("modules {} were asked for, but the kernel has no modules directory",
                                          Join(spec.modules, ", ")));
    }
    Result<std::vector<std::string>> resolved = ResolveModules(spec.modules_dir, spec.modules);
    if (!resolved.ok()) return resolved.status();
    module_paths = std::move(*resolved);
    manifest.AddIdentity("kernel " + spec.kernel_version);
    for (const std::string& rel : module_paths) {
      struct stat st;
      std::string src = spec.modules_dir + "/" + rel;
      if (::stat(src.c_str(), &st) != 0) return Status::BadInput(fmt::format("{}: missing", src));
      manifest.AddIdentity("module " + Manifest::Identity(src, st));
    }
  }
  KG_RETURN_IF_ERROR(manifest.File("/init", spec.init, "the guest image (/init)", 0755));
  for (const auto& [guest_path, host_path] : spec.extra_files) {
    KG_RETURN_IF_ERROR(manifest.File(guest_path, host_path, "the guest image (" + guest_path + ")"));
  }

  GuestImage image;
  image.key = manifest.Key();
  image.path = images_dir() + "/" + image.key + ".cpio";
  image.modules = module_paths;
  image.entries = manifest.entries().size();
  // Another process may evict the image between our look and our lock;
  // then it is built again (an evictor never removes a locked image).
  image.reused = true;
  for (int attempt = 0;; ++attempt) {
    Result<FileLock> held = FileLock::AcquireShared(image.path);
    if (held.ok()) {
      struct stat st;
      if (::stat(image.path.c_str(), &st) == 0) image.bytes = st.st_size;
      image.in_use = std::make_shared<FileLock>(std::move(*held));
      if (image.reused) {
        ::utimensat(AT_FDCWD, image.path.c_str(), nullptr, 0);  // most recently used; best effort
      } else {
        EvictImages(images_dir(), kMaxCachedImages, image.path);
      }
      return image;
    }
    if (held.status().code() != Status::Code::kNotFound || attempt == 3) return held.status();
    KG_RETURN_IF_ERROR(WriteImage(runner_, images_dir(), image.key, spec, module_paths, manifest, image.path));
    image.reused = false;
  }
}

void EvictImages(const std::string& dir, std::size_t keep, const std::string& protect) {
  std::vector<std::pair<fs::file_time_type, fs::path>> images;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".cpio" || entry.path() == fs::path(protect)) continue;
    images.emplace_back(entry.last_write_time(ec), entry.path());
  }
  std::sort(images.begin(), images.end());  // oldest first
  std::size_t left = images.size() + 1;     // and protect
  for (std::size_t i = 0; i < images.size() && left > keep; ++i) {
    // A run holds a shared lock on each image it boots; those stay.
    if (std::optional<FileLock> unused = FileLock::TryAcquire(images[i].second.string())) {
      if (fs::remove(images[i].second, ec)) --left;
    }
  }
}

std::string BuildTaskArchive(const std::string& task_json) {
  std::ostringstream out;
  CpioWriter cpio(out);
  cpio.AddDirectory("/kgate");
  cpio.AddFile(guest::kTaskPath, task_json, 0644);
  cpio.Finish();
  return out.str();
}

Status WriteTrialInitrd(const std::string& base_image, const std::string& task_json,
                        const std::string& out_path) {
  std::string tmp = fmt::format("{}.tmp-{}", out_path, getpid());
  std::error_code ec;
  fs::copy_file(base_image, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::Infrastructure(fmt::format("copying {} to {}: {}", base_image, tmp, ec.message()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::app);
    std::string task = BuildTaskArchive(task_json);
    out.write(task.data(), task.size());
    if (!out.flush()) {
      std::remove(tmp.c_str());
      return Status::Infrastructure(fmt::format("{}: write failed", tmp));
    }
  }
  if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
    return Status::Infrastructure(fmt::format("rename {} -> {}: {}", tmp, out_path, std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace kgate
