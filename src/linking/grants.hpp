#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "parley/core/random.hpp"
#include "parley/linking/crypto.hpp"
#include "parley/storage/grant_store.hpp"

namespace parley::linking {

// Issues codes and tokens: raw values go back to the caller once, only their digests are stored.
class Issuer {
 public:
  Issuer(storage::GrantStore& grants, core::Random& random, const TokenDigest& digest)
      : grants_(grants), random_(random), digest_(digest) {}

  storage::GrantFamily newFamily(std::string_view client_id, std::string_view user_id,
                                 std::string_view scope, storage::TimePoint now);
  std::string accessToken(const storage::GrantFamily& family, storage::TimePoint now,
                          std::chrono::seconds ttl);  // ttl 0: no expiry
  std::string refreshToken(std::string_view family_id, std::string_view parent_hash,
                           storage::TimePoint now);
  std::string code(const storage::AuthorizationCode& bound);  // digest filled in here

 private:
  storage::GrantStore& grants_;
  core::Random& random_;
  const TokenDigest& digest_;
};

}  // namespace parley::linking
