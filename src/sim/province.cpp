#include "sim/province.hpp"

#include "sim/tables.hpp"

namespace tthc::sim {

Province::Province(const calendar::WorkingCalendar& calendar, const engine::Catalogue& catalogue,
                   ProvinceOptions options)
    : calendar_(calendar), options_(options), tables_(build_tables(catalogue, options_)) {}

const std::vector<Unit>& Province::units() const {
  return tables_->public_units;
}

std::vector<Unit> Province::units_on(Date day) const {
  std::vector<Unit> out;
  for (const Unit& u : tables_->public_units) {
    if (u.in_force(day)) out.push_back(u);
  }
  return out;
}

const std::vector<std::string>& Province::departments() const {
  return tables_->departments;
}

std::vector<std::string> Province::late_departments() const {
  std::vector<std::string> out;
  for (const std::size_t d : tables_->late_departments) out.push_back(tables_->departments[d]);
  return out;
}

void Province::generate(Moment from, Moment to, const std::function<void(const Delivery&)>& sink,
                        std::optional<Moment> horizon) const {
  DeliveryStream stream(*this, from, to);
  const Moment until = horizon ? *horizon - Duration{1} : Moment::max();
  stream.advance(until, [&](const ScheduledDelivery& d) { sink(d.render()); });
}

}  // namespace tthc::sim
