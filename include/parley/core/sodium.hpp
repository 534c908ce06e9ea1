#pragma once

namespace parley::core {

// libsodium initialised, once per process (thread-safe); throws std::runtime_error when it
// cannot be. Call before using libsodium.
void ensureSodium();

}  // namespace parley::core
