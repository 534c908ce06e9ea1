#include "grants.hpp"

namespace parley::linking {

storage::GrantFamily Issuer::newFamily(std::string_view client_id, std::string_view user_id,
                                       std::string_view scope, storage::TimePoint now) {
  storage::GrantFamily family{.id = core::randomHex(random_, 16),
                              .client_id = std::string{client_id},
                              .user_id = std::string{user_id},
                              .scope = std::string{scope},
                              .created_at = now,
                              .revoked_at = {}};
  grants_.createFamily(family);
  return family;
}

std::string Issuer::accessToken(const storage::GrantFamily& family, storage::TimePoint now,
                                std::chrono::seconds ttl) {
  auto token = randomToken(random_, "at");
  grants_.createAccessToken(
      storage::AccessToken{.hash = digest_.hash(token),
                           .family_id = family.id,
                           .user_id = family.user_id,
                           .created_at = now,
                           .expires_at = ttl.count() > 0 ? std::optional{now + ttl} : std::nullopt,
                           .revoked = false});
  return token;
}

std::string Issuer::refreshToken(std::string_view family_id, std::string_view parent_hash,
                                 storage::TimePoint now) {
  auto token = randomToken(random_, "rt");
  grants_.createRefreshToken(storage::RefreshToken{.hash = digest_.hash(token),
                                                   .family_id = std::string{family_id},
                                                   .parent_hash = std::string{parent_hash},
                                                   .created_at = now,
                                                   .first_used_at = {},
                                                   .revoke_after = {},
                                                   .revoked = false});
  return token;
}

std::string Issuer::code(const storage::AuthorizationCode& bound) {
  auto code = randomToken(random_, "ac");
  auto record = bound;
  record.hash = digest_.hash(code);
  grants_.createCode(record);
  return code;
}

}  // namespace parley::linking
