#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <string_view>

#include "openssl.hpp"

namespace parley::verify {

// The public key of a signing certificate whose chain passed every check, and the interval in
// which the whole chain is valid. Immutable once built; shared by the cache and verifications.
struct ValidatedChain {
  ossl::EvpPkey public_key{};
  std::chrono::system_clock::time_point not_before{};  // latest notBefore in the chain
  std::chrono::system_clock::time_point not_after{};   // earliest notAfter in the chain

  bool validAt(std::chrono::system_clock::time_point now) const {
    return not_before <= now && now <= not_after;
  }
};

// Parses a PEM chain (signing certificate first, then intermediates) and runs the checks of
// alexa-skill.md §5.4 at time `now`: leaf dates, SAN echo-api.amazon.com, digitalSignature key
// usage and an RSA key, and a path to a root in `trust`.
boost::system::result<std::shared_ptr<const ValidatedChain>> validateChain(
    std::string_view pem, X509_STORE* trust, std::chrono::system_clock::time_point now);

}  // namespace parley::verify
