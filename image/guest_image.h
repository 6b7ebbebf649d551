// The guest image: an initramfs laid out as guest/protocol.h describes,
// built from host files and cached by the identity of its inputs.
//
// Base image (one per kernel + scenario set + agent; reused across trials):
//   /init                  spec.init (kgate-agent, static), mode 0755
//   /bin/busybox + links   one symlink per applet of `busybox --list`
//   /dev/console, /dev/null  device nodes, so PID 1 has a console before
//                          it mounts devtmpfs
//   <binary> + libraries   each needed binary at its host path with its
//                          shared-library closure (library_closure.h)
//   /lib/modules/<ver>/    the modules asked for plus dependencies,
//                          decompressed, with depmod's metadata (module_set.h)
//   <extra files>          e.g. /kgate/agent/<file>, fio job files
// Trial archive (per trial, appended): /kgate/task.json.
//
// Cache: <cache_dir>/images/<key>.cpio, where key is the SHA-256 of a
// manifest listing every entry: its guest path and mode, and for a host file
// its path, size and modification time (ns), for a module its source path,
// size and mtime. The manifest uses path+size+mtime rather than content
// hashes because an image carries ~100 MB of libraries and hashing them on
// every trial would cost more than the rebuild it saves; Debian package
// upgrades and rebuilt agents both change size or mtime. A file rewritten in
// place within one mtime tick with the same size would be missed; `touch` it.
//
// Not thread-safe; concurrent processes write to temporary files and rename,
// so a reader never sees a partial image, and lock the images they use, so
// that one process's eviction never removes another's image mid-run.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/file_lock.h"
#include "base/process.h"
#include "base/status.h"

namespace kgate {

struct NeededBinary {
  std::string binary;     // "fio": searched in PATH; or an absolute path
  std::string needed_by;  // "scenario fio-randread", for error messages
};

struct GuestImageSpec {
  std::string init;                            // host path of /init (kgate-agent)
  std::string busybox;                         // "" = busybox from PATH
  std::vector<NeededBinary> needs;
  std::map<std::string, std::string> extra_files;  // guest path -> host path
  std::string modules_dir;                     // the kernel's lib/modules/<ver>, "" = no modules
  std::string kernel_version;                  // uname -r, names /lib/modules/<ver>
  std::vector<std::string> modules;            // module names, e.g. "virtio_blk"
};

struct GuestImage {
  std::string path;         // <cache>/images/<key>.cpio
  std::string key;          // hex SHA-256 of the input manifest
  bool reused = false;      // true when the cache already held it
  std::uint64_t bytes = 0;
  std::size_t entries = 0;  // number of manifest entries
  std::vector<std::string> modules;  // module files staged, dependencies first
  // A shared lock on path, held while any copy of this record lives: no
  // other kgate process evicts an image a run is booting. Empty from fakes.
  std::shared_ptr<const FileLock> in_use;
};

// Builds guest images; the engine takes one, so its loop runs in tests
// without building real images.
class ImageBuilder {
 public:
  virtual ~ImageBuilder() = default;
  // Returns the image for spec. BadInput when an input is missing (the
  // message names it and who needs it: "scenario fio-randread needs 'fio',
  // which is not in PATH ...") or a module is unknown; Infrastructure when a
  // host tool fails or the cache is unwritable.
  virtual Result<GuestImage> Build(const GuestImageSpec& spec) = 0;
};

// The real builder: initramfs files in <cache_dir>/images, cached by the
// identity of their inputs (above).
class GuestImageBuilder : public ImageBuilder {
 public:
  // runner runs busybox --list, ldd, xz/zstd and depmod.
  GuestImageBuilder(std::string cache_dir, ProcessRunner& runner);

  // Returns the cached image for spec, building it if needed.
  Result<GuestImage> Build(const GuestImageSpec& spec) override;

  std::string images_dir() const { return cache_dir_ + "/images"; }

 private:
  std::string cache_dir_;
  ProcessRunner& runner_;
};

// Images kept in the cache: each distinct build of kgate-agent or of a
// workload makes a new ~100 MB image, so without a bound CI runs from fresh
// clones would fill the disk. The least recently used go first (a cache hit
// touches the file; an evicted image is rebuilt in seconds). Images held in
// use by a run (GuestImage::in_use) are never evicted: CI runs a dozen kgate
// processes at once, each building its own images beside a 15-minute run.
inline constexpr std::size_t kMaxCachedImages = 8;

// Deletes the least recently modified *.cpio in dir until, counting protect
// (never deleted), at most keep remain; an image some process holds a lock
// on is skipped (and counted as kept). Errors are ignored: eviction is best
// effort and never fails a build.
void EvictImages(const std::string& dir, std::size_t keep, const std::string& protect);

// A newc archive holding /kgate/task.json (and the /kgate directory).
std::string BuildTaskArchive(const std::string& task_json);

// Writes base image + task archive to out_path (atomically): the initrd of one
// trial. Infrastructure when base cannot be read or out_path written.
Status WriteTrialInitrd(const std::string& base_image, const std::string& task_json,
                        const std::string& out_path);

}  // namespace kgate
