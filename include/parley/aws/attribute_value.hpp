#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <string_view>

namespace parley::aws {

// DynamoDB's typed JSON ("AttributeValue": {"S": "x"}, {"N": "42"}, {"M": {…}}, …) from and to
// plain JSON, the way @aws-sdk/util-dynamodb's marshall/unmarshall do it:
// string -> S, number -> N (a decimal string), bool -> BOOL, null -> NULL, array -> L,
// object -> M. Unmarshalling also accepts B (kept as its base64 text), SS, NS and BS (arrays).
boost::json::value marshal(const boost::json::value& plain);
boost::json::object marshalItem(const boost::json::object& plain);

// Fails with Error::kBadResponse on anything that is not a well-formed AttributeValue.
boost::system::result<boost::json::value> unmarshal(const boost::json::value& typed);
boost::system::result<boost::json::object> unmarshalItem(const boost::json::object& typed);

// Single attribute values, for keys and expression values.
boost::json::value attrS(std::string_view text);
boost::json::value attrN(std::int64_t number);
// N as DynamoDB returns it (a decimal string) to a number: integers stay exact as int64 (or
// uint64), anything else becomes a double. Fails on text that is not a number.
boost::system::result<boost::json::value> parseNumber(std::string_view text);

}  // namespace parley::aws
