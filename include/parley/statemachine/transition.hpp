#pragma once

#include <optional>
#include <string>

namespace parley::statemachine {

// What happens after a state handler (spec §6.5). Enumerators keep Voxa's names.
enum class Flow {
  Continue,   // run state `to` now, within the same request, appending to the reply
  Yield,      // send the reply, keep the session open, resume in `to` next request
  Terminate,  // send the reply and end the session
};

// What a state handler returns. `reply` names a view ("Launch.Linked"); its ask makes the flow
// Yield and its tell makes it Terminate. `to` defaults to "die", which ends the session —
// except after an explicit `.flow = Flow::Yield`, where it defaults to "entry" (the next request
// goes to the global intent handlers). Without `flow`: Terminate when `to` is "die", else
// Continue.
struct Transition {
  std::string reply{};
  std::string to{};
  std::optional<Flow> flow{};
};

inline constexpr const char* kEntryState = "entry";
inline constexpr const char* kDieState = "die";

}  // namespace parley::statemachine
