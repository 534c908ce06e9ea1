#pragma once

#include <boost/json/memory_resource.hpp>

namespace parley::alexa {

// Where a request's arena gets its blocks: operator new, in power-of-two sizes from 4 KiB, with
// the last freed block kept per thread for the next request (most requests need one block of the
// same size). Saves a large malloc and free per request, which also spares glibc from merging
// its small free chunks each time. A kept block is poisoned for AddressSanitizer. Lives for the
// whole process.
boost::json::memory_resource& arenaBlocks();

}  // namespace parley::alexa
