#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace parley::storage {

// A validated authorization request waiting for the user's sign-in (account-linking spec R41).
// Only hashes of the handle, the CSRF token and the browser-binding cookie are kept (R7).
struct PendingRequest {
  std::string handle_hash{};  // key
  std::string csrf_hash{};
  std::string binding_hash{};
  std::string client_id{};
  std::string redirect_uri{};  // the stored allowlist entry, byte for byte
  std::string response_type{};
  std::string state{};
  std::string scope{};
  std::string code_challenge{};
  std::string code_challenge_method{};
  std::chrono::system_clock::time_point created_at{};
  std::chrono::system_clock::time_point expires_at{};
  bool consumed{};

  friend bool operator==(const PendingRequest&, const PendingRequest&) = default;
};

// Pending authorization requests. Thread-safe; calls may block. Failures throw StorageError.
class PendingRequestStore {
 public:
  virtual ~PendingRequestStore() = default;
  virtual void create(const PendingRequest& request) = 0;
  virtual std::optional<PendingRequest> find(std::string_view handle_hash) = 0;
  // A re-rendered form carries a fresh CSRF token; false when the request is gone or consumed.
  virtual bool replaceCsrf(std::string_view handle_hash, std::string_view csrf_hash) = 0;
  // Atomically marks the request consumed. False when it is missing, already consumed or
  // expired at `now`: exactly one of two racing callers gets true.
  virtual bool consume(std::string_view handle_hash, std::chrono::system_clock::time_point now) = 0;
  // Deletes requests that expired before `now`; returns how many.
  virtual std::size_t sweep(std::chrono::system_clock::time_point now) = 0;
};

}  // namespace parley::storage
