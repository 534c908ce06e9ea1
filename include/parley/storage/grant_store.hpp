#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parley/storage/user_store.hpp"

namespace parley::storage {

using TimePoint = std::chrono::system_clock::time_point;

// One link between a user and a client; every code and token belongs to one (spec §2.3).
struct GrantFamily {
  std::string id{};
  std::string client_id{};
  std::string user_id{};
  std::string scope{};
  TimePoint created_at{};
  std::optional<TimePoint> revoked_at{};

  friend bool operator==(const GrantFamily&, const GrantFamily&) = default;
};

struct AuthorizationCode {
  std::string hash{};  // key: hex digest of the code (R7, R67)
  std::string family_id{};
  std::string client_id{};
  std::string user_id{};
  std::string redirect_uri{};
  std::string scope{};
  std::string code_challenge{};
  std::string code_challenge_method{};
  TimePoint created_at{};
  TimePoint expires_at{};
  std::optional<TimePoint> consumed_at{};

  friend bool operator==(const AuthorizationCode&, const AuthorizationCode&) = default;
};

struct AccessToken {
  std::string hash{};
  std::string family_id{};
  // The family's user, copied when the token is issued: a store that cannot join reads the
  // family and the user of a skill request's token together instead of one after the other.
  std::string user_id{};
  TimePoint created_at{};
  std::optional<TimePoint> expires_at{};  // none: implicit token with TTL 0
  bool revoked{};

  // Not revoked, and not expired by `now`.
  bool liveAt(TimePoint now) const { return !revoked && !(expires_at && *expires_at <= now); }

  friend bool operator==(const AccessToken&, const AccessToken&) = default;
};

struct RefreshToken {
  std::string hash{};
  std::string family_id{};
  std::string parent_hash{};  // rotate mode: the token this one was issued for
  TimePoint created_at{};
  std::optional<TimePoint> first_used_at{};
  std::optional<TimePoint> revoke_after{};  // rotate mode: end of the grace period
  bool revoked{};

  friend bool operator==(const RefreshToken&, const RefreshToken&) = default;
};

// An access token with its family: what a skill request needs to know who is calling.
struct AccessGrant {
  AccessToken token{};
  GrantFamily family{};

  // The token live at `now` and its family not revoked.
  bool liveAt(TimePoint now) const { return token.liveAt(now) && !family.revoked_at; }

  friend bool operator==(const AccessGrant&, const AccessGrant&) = default;
};

// An access grant with the user its family belongs to; user is none when that user is gone or
// the grant was not live.
struct AccessGrantWithUser {
  AccessGrant grant{};
  std::optional<User> user{};
};

// `grant` with the family's user from `users`, read only when the grant is live at `now`.
inline AccessGrantWithUser withUserIfLive(AccessGrant grant, UserStore& users, TimePoint now) {
  auto user = grant.liveAt(now) ? users.get(grant.family.user_id) : std::nullopt;
  return {.grant = std::move(grant), .user = std::move(user)};
}

// Codes, grant families and tokens, all keyed by hashes (R7, R67). Thread-safe; failures throw
// StorageError.
class GrantStore {
 public:
  virtual ~GrantStore() = default;

  virtual void createFamily(const GrantFamily& family) = 0;
  virtual std::optional<GrantFamily> findFamily(std::string_view id) = 0;
  // Revokes the family (and so every code and token in it); false when unknown or revoked.
  virtual bool revokeFamily(std::string_view id, TimePoint now) = 0;
  // Revokes every unrevoked family of `user_id`, only those of `client_id` when it is non-empty.
  virtual std::size_t revokeFamiliesOf(std::string_view user_id, std::string_view client_id,
                                       TimePoint now) = 0;

  virtual void createCode(const AuthorizationCode& code) = 0;
  virtual std::optional<AuthorizationCode> findCode(std::string_view hash) = 0;
  // Compare-and-set on consumed_at (R23): exactly one of two racing callers gets true.
  virtual bool consumeCode(std::string_view hash, TimePoint now) = 0;

  virtual void createAccessToken(const AccessToken& token) = 0;
  virtual std::optional<AccessToken> findAccessToken(std::string_view hash) = 0;
  // The token and its family in one lookup where the backend can join (every skill request);
  // none when either is missing.
  virtual std::optional<AccessGrant> findAccessGrant(std::string_view hash) = 0;
  // findAccessGrant and, when that grant is live at `now`, the family's user from `users`. Two
  // reads here, the second only for a live grant; an engine that keeps both in one place answers
  // with one (SQLite: one statement, one read transaction).
  virtual std::optional<AccessGrantWithUser> findAccessGrantWithUser(std::string_view hash,
                                                                     UserStore& users,
                                                                     TimePoint now) {
    auto grant = findAccessGrant(hash);
    if (!grant) return std::nullopt;
    return withUserIfLive(std::move(*grant), users, now);
  }
  virtual bool revokeAccessToken(std::string_view hash) = 0;

  virtual void createRefreshToken(const RefreshToken& token) = 0;
  virtual std::optional<RefreshToken> findRefreshToken(std::string_view hash) = 0;
  // Replaces first_used_at, revoke_after and revoked of an existing token.
  virtual void updateRefreshToken(const RefreshToken& token) = 0;
  virtual std::vector<RefreshToken> refreshChildren(std::string_view parent_hash) = 0;

  // Deletes expired codes and access tokens, and everything of families revoked before
  // `revoked_before`. Returns the number of records deleted.
  virtual std::size_t sweep(TimePoint now, TimePoint revoked_before) = 0;
};

}  // namespace parley::storage
