#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>

namespace parley::verify {

// Checks a SignatureCertChainUrl header value against alexa-skill.md §5.3 and returns it in
// canonical form: scheme and host lower-case, dot segments resolved, duplicate slashes collapsed
// (like Python's os.path.normpath, which Amazon's SDK uses), default port dropped. The canonical
// form is what gets downloaded and what keys the chain cache, so the URL that was checked is the
// URL that is fetched. Fails with Error::kInvalidCertChainUrl.
boost::system::result<std::string> normalizeCertChainUrl(std::string_view url);

}  // namespace parley::verify
