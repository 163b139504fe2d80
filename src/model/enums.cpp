// Names for the model's enums that need more than a table.
#include "model/enums.hpp"

namespace knots {

std::string pressure_span(Pressure min, Pressure max) {
  if (min == max) return std::string(name_of(min));
  return std::string(name_of(min)) + "\u2013" + std::string(name_of(max));
}

}  // namespace knots
