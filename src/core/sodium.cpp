#include "parley/core/sodium.hpp"

#include <sodium.h>

#include <stdexcept>

namespace parley::core {

void ensureSodium() {
  // sodium_init takes a lock on every call; the answer is kept after the first.
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium initialisation failed");
}

}  // namespace parley::core
