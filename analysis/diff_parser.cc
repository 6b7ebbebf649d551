#include "analysis/diff_parser.h"

#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "base/strings.h"

namespace kgate {
namespace {

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

// "From <sha> Mon Sep 17 00:00:00 2001" (format-patch) or a mailbox's
// "From someone@host Fri Nov 27 11:00:00 2026".
bool IsMboxSeparator(const std::string& line) {
  static const std::regex kSeparator(R"(^From \S+ +\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}\s*$)");
  return StartsWith(line, "From ") && line.size() < 200 && std::regex_match(line, kSeparator);
}

// A path from a ---/+++ or rename line: unquoted, without a timestamp, without
// the a/ or b/ prefix; "" for /dev/null.
std::string CleanPath(std::string path, bool strip_prefix) {
  std::size_t tab = path.find('\t');
  if (tab != std::string::npos) path.resize(tab);
  path = Trim(path);
  if (path.size() >= 2 && path.front() == '"' && path.back() == '"') {
    path = path.substr(1, path.size() - 2);
  }
  if (path == "/dev/null") return "";
  if (strip_prefix && (StartsWith(path, "a/") || StartsWith(path, "b/"))) path = path.substr(2);
  return path;
}

// The two paths of "diff --git a/X b/Y": the split whose halves agree when
// they can (paths may contain " b/"), else the last " b/".
std::pair<std::string, std::string> GitPaths(const std::string& rest) {
  std::size_t split = std::string::npos;
  for (std::size_t i = rest.find(" b/"); i != std::string::npos; i = rest.find(" b/", i + 1)) {
    split = i;
    if (CleanPath(rest.substr(0, i), true) == CleanPath(rest.substr(i + 1), true)) break;
  }
  if (split == std::string::npos) return {CleanPath(rest, true), CleanPath(rest, true)};
  return {CleanPath(rest.substr(0, split), true), CleanPath(rest.substr(split + 1), true)};
}

class Parser {
 public:
  Parser(std::vector<std::string> lines, std::string origin)
      : lines_(std::move(lines)), origin_(std::move(origin)) {}

  Result<PatchSet> Run() {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      if (IsMboxSeparator(lines_[i]) && (i == 0 || lines_[i - 1].empty())) starts.push_back(i);
    }
    if (starts.empty() || starts.front() != 0) starts.insert(starts.begin(), 0);
    PatchSet set;
    std::size_t files = 0;
    for (std::size_t s = 0; s < starts.size(); ++s) {
      std::size_t end = s + 1 < starts.size() ? starts[s + 1] : lines_.size();
      Result<Patch> patch = ParsePatch(starts[s], end);
      if (!patch.ok()) return patch.status();
      if (patch->files.empty() && patch->subject.empty()) continue;  // preamble
      files += patch->files.size();
      set.patches.push_back(std::move(*patch));
    }
    if (files == 0) {
      return Status::BadInput(fmt::format(
          "{}:1: no diff found: expected a unified diff (---/+++ lines and @@ hunks), a git "
          "format-patch file or an mbox of patches",
          origin_));
    }
    return set;
  }

 private:
  Status Error(std::size_t index, const std::string& what) const {
    return Status::BadInput(fmt::format("{}:{}: {}", origin_, index + 1, what));
  }

  // Mail headers (From:, Subject: with folded lines) and the commit message.
  std::size_t ParseMail(std::size_t i, std::size_t end, Patch* patch) {
    if (i < end && IsMboxSeparator(lines_[i])) ++i;
    std::size_t first = i;
    bool mail = false;
    for (; i < end && !lines_[i].empty(); ++i) {
      const std::string& line = lines_[i];
      std::string* field = nullptr;
      if (StartsWith(line, "Subject:")) field = &patch->subject;
      if (StartsWith(line, "From:")) field = &patch->author;
      if (field == nullptr) {
        if (line.find(':') == std::string::npos || line[0] == ' ') break;
        continue;
      }
      mail = true;
      *field = Trim(line.substr(line.find(':') + 1));
      while (i + 1 < end && (StartsWith(lines_[i + 1], " ") || StartsWith(lines_[i + 1], "\t"))) {
        *field += " " + Trim(lines_[++i]);
      }
    }
    if (!mail) return first;
    std::vector<std::string> message;
    for (++i; i < end && lines_[i] != "---" && !StartsWith(lines_[i], "diff --git "); ++i) {
      message.push_back(lines_[i]);
    }
    patch->message = Trim(Join(message, "\n"));
    return i;
  }

  Result<Patch> ParsePatch(std::size_t begin, std::size_t end) {
    Patch patch;
    patch.input_line = static_cast<int>(begin) + 1;
    std::vector<std::string> own(lines_.begin() + begin, lines_.begin() + end);
    patch.text = Join(own, "\n") + "\n";
    FileDiff* file = nullptr;
    bool saw_minus_plus = false;
    for (std::size_t i = ParseMail(begin, end, &patch); i < end; ++i) {
      const std::string& line = lines_[i];
      if (StartsWith(line, "diff --git ")) {
        patch.files.emplace_back();
        file = &patch.files.back();
        file->input_line = static_cast<int>(i) + 1;
        std::tie(file->old_path, file->new_path) = GitPaths(line.substr(11));
        saw_minus_plus = false;
      } else if (StartsWith(line, "--- ") && i + 1 < end && StartsWith(lines_[i + 1], "+++ ")) {
        if (file == nullptr || saw_minus_plus || !file->hunks.empty()) {
          patch.files.emplace_back();
          file = &patch.files.back();
          file->input_line = static_cast<int>(i) + 1;
        }
        saw_minus_plus = true;
        file->old_path = CleanPath(line.substr(4), true);
        file->new_path = CleanPath(lines_[i + 1].substr(4), true);
        file->is_new = file->is_new || file->old_path.empty();
        file->is_deleted = file->is_deleted || file->new_path.empty();
        ++i;
      } else if (file != nullptr && StartsWith(line, "@@")) {
        Result<std::size_t> next = ParseHunk(i, end, file);
        if (!next.ok()) return next.status();
        i = *next - 1;
      } else if (file != nullptr && file->hunks.empty()) {
        ParseExtendedHeader(line, file);
        if (StartsWith(line, "GIT binary patch")) {
          while (i + 1 < end && !StartsWith(lines_[i + 1], "diff --git ") && lines_[i + 1] != "-- ") ++i;
        }
      }
    }
    return patch;
  }

  static void ParseExtendedHeader(const std::string& line, FileDiff* file) {
    if (StartsWith(line, "new file mode")) {
      file->is_new = true;
      file->old_path.clear();
    } else if (StartsWith(line, "deleted file mode")) {
      file->is_deleted = true;
      file->new_path.clear();
    } else if (StartsWith(line, "rename from ") || StartsWith(line, "copy from ")) {
      file->is_rename = StartsWith(line, "rename");
      file->old_path = CleanPath(line.substr(line.find(" from ") + 6), false);
    } else if (StartsWith(line, "rename to ") || StartsWith(line, "copy to ")) {
      file->new_path = CleanPath(line.substr(line.find(" to ") + 4), false);
    } else if (StartsWith(line, "Binary files ") || StartsWith(line, "GIT binary patch")) {
      file->is_binary = true;
    }
  }

  // Reads the hunk whose "@@" line is lines_[at]; returns the index after it.
  Result<std::size_t> ParseHunk(std::size_t at, std::size_t end, FileDiff* file) {
    static const std::regex kHeader(R"(^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@)");
    std::smatch m;
    // The numbers come first; what follows (the function context) is not read.
    const std::string& header = lines_[at];
    auto numbers_end =
        header.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(header.size(), 200));
    if (!std::regex_search(header.begin(), numbers_end, m, kHeader)) {
      return Error(at, fmt::format("malformed hunk header '{}': expected '@@ -A,B +C,D @@'",
                                   lines_[at]));
    }
    Hunk hunk;
    hunk.input_line = static_cast<int>(at) + 1;
    hunk.old_start = std::stoi(m[1]);
    hunk.old_count = m[2].matched ? std::stoi(m[2]) : 1;
    hunk.new_start = std::stoi(m[3]);
    hunk.new_count = m[4].matched ? std::stoi(m[4]) : 1;
    int old_left = hunk.old_count, new_left = hunk.new_count;
    int old_line = hunk.old_start, new_line = hunk.new_start;
    std::size_t i = at + 1;
    auto truncated = [&](std::size_t where) {
      return Error(where, fmt::format(
          "truncated hunk (the one at line {}): {} old and {} new lines missing", at + 1,
          old_left, new_left));
    };
    while (old_left > 0 || new_left > 0) {
      if (i >= end) return truncated(end == 0 ? 0 : end - 1);
      const std::string& line = lines_[i];
      DiffLine d;
      d.input_line = static_cast<int>(i) + 1;
      char marker = line.empty() ? ' ' : line[0];
      d.text = line.empty() ? "" : line.substr(1);
      if (marker == '\\') {
        ++i;
        continue;
      }
      if (marker == ' ' && old_left > 0 && new_left > 0) {
        d.kind = DiffLine::Kind::kContext;
        d.old_line = old_line++;
        d.new_line = new_line++;
        --old_left;
        --new_left;
      } else if (marker == '+' && new_left > 0) {
        d.kind = DiffLine::Kind::kAdded;
        d.new_line = new_line++;
        --new_left;
      } else if (marker == '-' && old_left > 0) {
        d.kind = DiffLine::Kind::kRemoved;
        d.old_line = old_line++;
        --old_left;
      } else {
        return truncated(i);
      }
      hunk.lines.push_back(std::move(d));
      ++i;
    }
    if (i < end && StartsWith(lines_[i], "\\")) ++i;  // "\ No newline at end of file"
    file->hunks.push_back(std::move(hunk));
    return i;
  }

  std::vector<std::string> lines_;
  std::string origin_;
};

}  // namespace

int FileDiff::Added() const {
  int n = 0;
  for (const Hunk& h : hunks) {
    for (const DiffLine& l : h.lines) n += l.kind == DiffLine::Kind::kAdded;
  }
  return n;
}

int FileDiff::Removed() const {
  int n = 0;
  for (const Hunk& h : hunks) {
    for (const DiffLine& l : h.lines) n += l.kind == DiffLine::Kind::kRemoved;
  }
  return n;
}

Result<PatchSet> ParsePatchSet(std::string_view text, const std::string& origin) {
  return Parser(SplitLines(text), origin).Run();
}

}  // namespace kgate
