// `tthc-monitor simulate`: a realistic one-stop system to talk to. Either writes a past span's
// deliveries as JSON Lines (`--out`), or serves the poll API as simulated time runs (`--serve`),
// optionally pushing each new batch to a webhook as an MC envelope.
#include "app/commands.hpp"

#include "app/cli_support.hpp"
#include "app/loading.hpp"
#include "base/clock.hpp"
#include "config/catalogue.hpp"
#include "http/client.hpp"
#include "sim/poll_server.hpp"
#include "sim/province.hpp"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <memory>
#include <ostream>

namespace tthc::app {

namespace {

int usage(std::ostream& err, const std::string& message) {
  err << "tthc-monitor: error: " << message << "\n";
  return kExitUsage;
}

/// `--from`: a date is its midnight; a moment is itself.
std::optional<Moment> parse_start(std::string_view option, const std::string& text,
                                  std::ostream& err) {
  auto m = parse_user_moment(text);
  if (!m) {
    usage(err, std::string(option) + ": " + m.error().message);
    return std::nullopt;
  }
  return *m;
}

/// `--to`: a date is inclusive (up to the end of that day); a moment is exclusive.
std::optional<Moment> parse_end(std::string_view option, const std::string& text,
                                std::ostream& err) {
  if (auto d = parse_date(text)) return Moment(*d + std::chrono::days{1});
  return parse_start(option, text, err);
}

/// Today in Vietnam.
Date today_in_vietnam() {
  return day_of(now_in_vietnam());
}

struct Prepared {
  Loaded loaded;
  engine::Catalogue catalogue;
};

std::optional<Prepared> prepare(const SourceOptions& src, std::ostream& err) {
  auto loaded = load_with_calendar(src, err);
  if (!loaded) return std::nullopt;
  auto rules = config::load_catalogue(loaded->settings.catalogue_file);
  if (!rules) {
    err << "tthc-monitor: error: " << rules.error().message << "\n";
    return std::nullopt;
  }
  if (rules->empty()) {
    err << "tthc-monitor: error: " << loaded->settings.catalogue_file.string()
        << ": no procedure to simulate\n";
    return std::nullopt;
  }
  return Prepared{std::move(*loaded), engine::Catalogue(std::move(*rules))};
}

sim::ProvinceOptions province_options(const SimulateCommand& cmd) {
  sim::ProvinceOptions o;
  o.seed = cmd.seed;
  o.dossiers_per_working_day = cmd.rate;
  return o;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// --- --out ------------------------------------------------------------------------------------

int write_file(const SourceOptions& src, const SimulateCommand& cmd, std::ostream& out,
               std::ostream& err) {
  if (!cmd.from || !cmd.to) return usage(err, "simulate --out: --from and --to are required");
  const auto from = parse_start("--from", *cmd.from, err);
  if (!from) return kExitUsage;
  const auto to = parse_end("--to", *cmd.to, err);
  if (!to) return kExitUsage;
  if (*to <= *from) return usage(err, "--to: \"" + *cmd.to + "\" is not after --from");
  std::optional<Moment> horizon;
  if (cmd.horizon) {
    horizon = parse_start("--horizon", *cmd.horizon, err);
    if (!horizon) return kExitUsage;
  }
  auto prepared = prepare(src, err);
  if (!prepared) return kExitFailure;
  const sim::Province province(prepared->loaded.calendar, prepared->catalogue,
                               province_options(cmd));

  const bool to_stdout = *cmd.out == "-";
  std::FILE* file = to_stdout ? stdout : std::fopen(cmd.out->c_str(), "wb");
  if (file == nullptr) {
    err << "tthc-monitor: error: " << *cmd.out << ": cannot write\n";
    return kExitFailure;
  }
  std::vector<char> buffer(std::size_t{1} << 20);
  std::setvbuf(file, buffer.data(), _IOFBF, buffer.size());
  sim::DeliveryStream stream(province, *from, *to);
  std::string line;
  std::uint64_t bytes = 0;
  bool write_failed = false;
  const Moment until = horizon ? *horizon - Duration{1} : Moment::max();
  stream.advance(until, [&](const sim::ScheduledDelivery& d) {
    if (write_failed) return;
    line.clear();
    d.append_record(line);
    line += '\n';
    bytes += line.size();
    write_failed = std::fwrite(line.data(), 1, line.size(), file) != line.size();
  });
  write_failed |= std::fflush(file) != 0;
  if (!to_stdout) write_failed |= std::fclose(file) != 0;
  if (write_failed) {
    err << "tthc-monitor: error: " << *cmd.out << ": write failed\n";
    return kExitFailure;
  }
  const auto& s = stream.stats();
  std::ostream& summary = to_stdout ? err : out;
  char size[32];
  std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(bytes) / 1e6);
  summary << "simulated dossiers received from " << *cmd.from << " to " << *cmd.to << " (seed "
          << cmd.seed << ", " << cmd.rate << " a working day)\n"
          << "  dossiers           " << thousands(s.dossiers) << "\n"
          << "  deliveries         " << thousands(s.deliveries) << "\n"
          << "  duplicates         " << thousands(s.duplicates) << "\n"
          << "  out of order       " << thousands(s.delayed) << "\n"
          << "  bad                " << thousands(s.bad) << "\n"
          << "  late departments   " << join(province.late_departments()) << "\n"
          << "written: " << (to_stdout ? std::string("standard output") : *cmd.out) << " (" << size
          << ")\n";
  return kExitOk;
}

// --- --serve ----------------------------------------------------------------------------------

/// Posts new deliveries to a webhook as DongBoHoSoMC envelopes. What cannot be sent waits for
/// the next tick (bounded); a 4xx answer drops the envelope (resending would not help).
class Pusher {
 public:
  Pusher(http::Url url, std::ostream& err) : url_(std::move(url)), err_(err) {}

  void add(const std::vector<sim::ScheduledDelivery>& fresh) {
    for (const auto& d : fresh) {
      std::string record;
      d.append_record(record);
      pending_.push_back(std::move(record));
    }
    std::size_t dropped = 0;
    for (; pending_.size() > kMaxPending; ++dropped) pending_.pop_front();
    if (dropped > 0) {
      err_ << "tthc-monitor simulate: push: " << dropped
           << " oldest records dropped (the webhook is not keeping up)\n";
    }
  }

  void flush() {
    while (!pending_.empty()) {
      const std::size_t n = std::min(pending_.size(), kBatch);
      http::ClientRequest req;
      req.method = "POST";
      req.target = url_.target;
      req.content_type = "application/json";
      req.body = R"({"service":"DongBoHoSoMC","data":[)";
      for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) req.body += ',';
        req.body += pending_[i];
      }
      req.body += "]}";
      auto response = send(req);
      if (!response) {
        failed(response.error().message);
        return;  // kept for the next tick
      }
      if (response->status >= 500 || response->status == 429) {
        failed("HTTP " + std::to_string(response->status));
        return;
      }
      if (response->status >= 400) {
        err_ << "tthc-monitor simulate: push: HTTP " << response->status << ", " << n
             << " records dropped: " << response->body.substr(0, 200) << "\n";
      }
      if (failing_) {
        err_ << "tthc-monitor simulate: push: delivering again\n";
        failing_ = false;
      }
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(n));
    }
  }

 private:
  static constexpr std::size_t kBatch = 500;
  static constexpr std::size_t kMaxPending = 200000;

  Result<http::Response> send(const http::ClientRequest& req) {
    if (!connection_ || !connection_->is_open()) {
      http::ClientOptions options;
      options.tls = url_.tls;
      TTHC_TRY(auto c, http::Connection::open(url_.host, url_.port, options));
      connection_ = std::make_unique<http::Connection>(std::move(c));
    }
    auto r = connection_->send(req);
    if (!r) connection_.reset();
    return r;
  }
  void failed(const std::string& why) {
    if (!failing_) {
      err_ << "tthc-monitor simulate: push: " << why << "; " << pending_.size()
           << " records wait for the next attempt\n";
    }
    failing_ = true;
    connection_.reset();
  }

  http::Url url_;
  std::ostream& err_;
  std::unique_ptr<http::Connection> connection_;
  std::deque<std::string> pending_;
  bool failing_ = false;
};

int serve(const SourceOptions& src, const SimulateCommand& cmd, std::ostream& out,
          std::ostream& err) {
  // Signals are taken by sigtimedwait below; every thread started from here inherits the mask.
  sigset_t signals = block_stop_signals();

  Moment from = Moment(today_in_vietnam());
  if (cmd.from) {
    auto m = parse_start("--from", *cmd.from, err);
    if (!m) return kExitUsage;
    from = *m;
  }
  std::optional<Moment> to;
  if (cmd.to) {
    to = parse_end("--to", *cmd.to, err);
    if (!to) return kExitUsage;
  }
  if (cmd.speed <= 0) return usage(err, "--speed: must be positive");
  std::optional<http::Url> push_url;
  if (cmd.push) {
    auto u = http::parse_url(*cmd.push);
    if (!u) return usage(err, "--push: " + u.error().message);
    push_url = std::move(*u);
  }
  auto prepared = prepare(src, err);
  if (!prepared) return kExitFailure;
  const auto& cal = prepared->loaded.calendar;
  const sim::Province province(cal, prepared->catalogue, province_options(cmd));

  sim::PollServerOptions options;
  options.port = cmd.port.value_or(8090);
  options.token = cmd.token;
  options.embed_progress = !cmd.no_embed_progress;
  options.log = [&err](LogLevel, std::string_view message) {
    err << "tthc-monitor simulate: " << message << "\n";
  };
  const Moment history_start = from - std::chrono::days{cmd.history_days};
  sim::PollServer server(sim::DeliveryStream(province, history_start, to), options);
  auto port = server.start();
  if (!port) {
    err << "tthc-monitor: error: " << port.error().message << "\n";
    return kExitFailure;
  }
  const Moment start = cal.normalize(from);
  const sim::SimulatedClock clock(cal, start, cmd.speed,
                                  cmd.wall_clock ? sim::SimulatedClock::Mode::WallTime
                                                 : sim::SimulatedClock::Mode::WorkingTime);
  std::unique_ptr<Pusher> pusher;
  if (push_url) pusher = std::make_unique<Pusher>(*push_url, err);
  auto tick = [&](Moment now) {
    auto fresh = server.advance_to(now);
    if (pusher) {
      pusher->add(fresh);
      pusher->flush();
    }
  };
  tick(start);
  err << "tthc-monitor simulate: seed " << cmd.seed << ", " << cmd.rate
      << " dossiers a working day, simulated time from " << format_iso(start) << " at " << cmd.speed
      << (cmd.wall_clock ? " simulated seconds" : " simulated working seconds")
      << " per second; late departments: " << join(province.late_departments()) << "\n";
  out << "tthc-monitor simulate: serving http://" << options.address << ":" << *port << "\n"
      << std::flush;

  const auto real_start = system_clock().steady();
  const timespec period{0, 250'000'000};  // how often simulated time catches up
  for (;;) {
    const int sig = sigtimedwait(&signals, nullptr, &period);
    if (sig == SIGINT || sig == SIGTERM) break;
    if (sig < 0 && errno != EAGAIN && errno != EINTR) break;
    tick(clock.at(system_clock().steady() - real_start));
  }
  server.stop();
  const auto now = server.now();
  err << "tthc-monitor simulate: stopped at simulated " << (now ? format_iso(*now) : "-") << ", "
      << thousands(server.changes()) << " changes served\n";
  return kExitOk;
}

}  // namespace

int run_simulate(const SourceOptions& src, const SimulateCommand& cmd, std::ostream& out,
                 std::ostream& err) {
  if (cmd.serve && cmd.out) return usage(err, "simulate: --out and --serve exclude each other");
  if (!cmd.serve && !cmd.out) return usage(err, "simulate: --out FILE or --serve is required");
  if (!(cmd.rate > 0)) return usage(err, "--rate: must be positive");
  if (cmd.history_days < 0) return usage(err, "--history: must not be negative");
  return cmd.serve ? serve(src, cmd, out, err) : write_file(src, cmd, out, err);
}

}  // namespace tthc::app
