#pragma once
// Follows the live state and turns each dossier's change into alert transitions: an alert
// starts, its facts change (a new effective due), or it ends. Runs on the live state's thread
// and only computes and hands over: sending is the Dispatcher's, on its own thread, so a sink
// being down never slows intake or metrics.

#include "alerts/alert.hpp"

#include <functional>
#include <unordered_map>
#include <vector>

namespace tthc::alerts {

struct Transition {
  enum class Type : std::uint8_t {
    Start,      ///< the condition began (or is seen again after a restart: the dispatcher dedups)
    Update,     ///< still active; its due dates or department changed
    End,        ///< the condition cleared or the dossier ended
    Reconcile,  ///< the start-up load is complete: `active` holds every active key
  };
  Type type = Type::Start;
  Alert alert;
  Moment at{};                      ///< when it was judged
  std::vector<std::string> active;  ///< Reconcile only
};

class AlertObserver : public live::Observer {
 public:
  using Emit = std::function<void(std::vector<Transition>)>;
  AlertObserver(AlertSettings settings, Emit emit);

  void changed(const live::Change& change) override;
  /// Hands the round's transitions over in one batch; after the start-up load, first a
  /// Reconcile so that alerts that ended while the daemon was down end too.
  void settled(const live::LiveState& state) override;

  std::size_t active() const { return active_count_; }

 private:
  AlertSettings settings_;
  Emit emit_;
  std::unordered_map<live::DossierId, std::vector<Alert>> active_;
  std::size_t active_count_ = 0;
  std::vector<Transition> pending_;
  bool loaded_ = false;
};

}  // namespace tthc::alerts
