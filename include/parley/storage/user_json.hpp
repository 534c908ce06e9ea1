#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "parley/storage/user_store.hpp"

namespace parley::storage {

// `{"id", "email", "createdAt", "attributes"}`, the shape `skill users get` prints.
boost::json::object toJson(const User& user);

// UTC, millisecond precision: "2024-05-01T12:34:56.789Z".
std::string formatTimestamp(std::chrono::system_clock::time_point time);

}  // namespace parley::storage
