// kgate merge: combine shard databases without duplicates.
#include "cli/command.h"

namespace kgate {

void RegisterMergeCommand(CLI::App& app, CommandContext& context) {
  RegisterNotBuilt(app, context, "merge", "combine shard databases without duplicates", "scale-out issue");
}

}  // namespace kgate
