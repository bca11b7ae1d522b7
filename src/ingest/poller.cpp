#include "ingest/poller.hpp"

#include "base/backoff.hpp"
#include "base/worker.hpp"

#include "http/client.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <charconv>
#include <random>

namespace tthc::ingest {

namespace {

using std::chrono::milliseconds;

std::optional<milliseconds> retry_after_of(const http::Response& r) {
  for (const auto& [name, value] : r.headers) {
    if (name != "retry-after") continue;
    long long seconds = 0;
    const auto res = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (res.ec == std::errc{} && seconds >= 0) {
      return milliseconds(std::min<long long>(seconds, 3600) * 1000);
    }
  }
  return std::nullopt;
}

std::string replace_all(std::string s, std::string_view what, std::string_view with) {
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size())) {
    s.replace(p, what.size(), with);
  }
  return s;
}

}  // namespace

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < in.size()) {
    auto n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

struct Poller::Impl {
  Impl(PollerOptions o, Intake& i, std::filesystem::path db, const Clock& c, Seams s)
      : options(std::move(o)), intake(i), db_path(std::move(db)), clock(c), seams(std::move(s)) {}

  PollerOptions options;
  Intake& intake;
  std::filesystem::path db_path;
  const Clock& clock;
  Seams seams;
  std::string source;

  mutable std::mutex m;  // guards stats
  PollStats stats;

  std::optional<http::Connection> connection;  ///< kept alive between requests of a cycle
  Worker worker;                               ///< the cycles; its stop ends a cycle early

  /// Fetches, reads and commits the page after `current` (then moves it); false when the cycle
  /// ends there (no more pages, nothing new, or a failure noted in `result`).
  bool next_page(std::optional<std::string>& current, CycleResult& result);
  /// Adds each dossier's progress entries to the page; false (a failure noted in `result`) when
  /// one cannot be read.
  bool add_progress(Page& page, CycleResult& result);
  /// The cycle in the stats; the first failure of a streak and the recovery logged.
  void count(const CycleResult& result);

  std::vector<std::pair<std::string, std::string>> auth_headers() const {
    switch (options.auth) {
      case PollerOptions::Auth::None: return {};
      case PollerOptions::Auth::Bearer: return {{"Authorization", "Bearer " + options.secret}};
      case PollerOptions::Auth::ApiKey: return {{options.api_key_header, options.secret}};
      case PollerOptions::Auth::Basic:
        return {{"Authorization", "Basic " + base64(options.secret)}};
    }
    return {};
  }

  // GET a URL (the list or a progress URL); a transport or HTTP failure is an Error whose text
  // names the URL without its query (which may carry a token in some systems).
  Result<http::Response> get(const std::string& url, std::optional<milliseconds>& retry_after) {
    TTHC_TRY(auto parsed, http::parse_url(url));
    const std::string where = (parsed.tls ? "https://" : "http://") + parsed.host + ":" +
                              std::to_string(parsed.port) +
                              parsed.target.substr(0, parsed.target.find('?'));
    http::ClientOptions co;
    co.timeout = options.timeout;
    co.tls = parsed.tls;
    co.ca_file = options.ca_file;
    http::ClientRequest req;
    req.target = parsed.target;
    req.headers = auth_headers();
    req.headers.emplace_back("Accept", "application/json");
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = connection && connection->is_open();
      if (!reused) {
        auto c = http::Connection::open(parsed.host, parsed.port, co);
        if (!c) return Error{"GET " + where + ": " + c.error().message};
        connection.emplace(std::move(*c));
      }
      auto r = connection->send(req);
      if (!r) {
        connection.reset();
        if (reused) continue;  // a kept-alive connection the server had closed: once more
        return Error{"GET " + where + ": " + r.error().message};
      }
      if (r->status == 200) return r;
      retry_after = retry_after_of(*r);
      connection.reset();
      return Error{"GET " + where + ": HTTP " + std::to_string(r->status) +
                   (retry_after
                        ? " (Retry-After " + std::to_string(retry_after->count() / 1000) + " s)"
                        : std::string())};
    }
    return Error{"GET " + where + ": no answer"};
  }

  std::string page_url(const std::optional<std::string>& cursor) const {
    std::string url = options.url;
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += http::percent_encode(options.limit_param) + "=" + std::to_string(options.page_size);
    if (cursor && !cursor->empty()) {
      url += "&" + http::percent_encode(options.cursor_param) + "=" + http::percent_encode(*cursor);
    }
    return url;
  }

  Result<std::optional<std::string>> stored_cursor() {
    TTHC_TRY(auto reader, store::Reader::open(db_path));
    return reader.cursor(source);
  }
};

Poller::Poller(PollerOptions options, Intake& intake, std::filesystem::path db_path,
               const Clock& clock, Seams seams)
    : impl_(std::make_unique<Impl>(std::move(options), intake, std::move(db_path), clock,
                                   std::move(seams))) {
  impl_->source = "poll:" + impl_->options.name;
  if (!impl_->seams.random) {
    impl_->seams.random = [rng = std::mt19937_64(std::random_device{}())]() mutable {
      return rng();
    };
  }
}

Poller::~Poller() {
  stop();
}

bool Poller::Impl::add_progress(Page& page, CycleResult& result) {
  const auto fail = [&](std::string error) {
    result.ok = false;
    result.error = std::move(error);
    return false;
  };
  for (const DossierSnapshot& d : page.batch.dossiers) {
    auto r = get(replace_all(options.progress_url, "{code}", http::percent_encode(d.dossier.code)),
                 result.retry_after);
    if (!r) return fail(r.error().message);
    auto entries =
        parse_page(r->body, options.progress_shape, RecordKind::Progress, options.limits);
    if (!entries) return fail("GET " + options.progress_url + ": " + entries.error().message);
    for (auto& u : entries->batch.progress) page.batch.progress.push_back(std::move(u));
    for (auto& rj : entries->batch.rejected) page.batch.rejected.push_back(std::move(rj));
  }
  return true;
}

bool Poller::Impl::next_page(std::optional<std::string>& current, CycleResult& result) {
  const auto fail = [&](std::string error) {
    result.ok = false;
    result.error = std::move(error);
    return false;
  };
  auto response = get(page_url(current), result.retry_after);
  if (!response) return fail(response.error().message);
  auto page = parse_page(response->body, options.shape, RecordKind::Dossier, options.limits);
  if (!page) return fail("GET " + options.url + ": " + page.error().message);
  // A page whose progress cannot be read is not committed: its cursor stays behind.
  if (!options.progress_url.empty() && !add_progress(*page, result)) return false;
  const std::size_t records = page->batch.records;
  const std::size_t rejected = page->batch.rejected.size();
  const std::size_t dossiers = page->batch.dossiers.size();
  const std::optional<std::string> next = page->next_cursor ? page->next_cursor : current;
  const bool cursor_moved = next != current;
  if (records == 0 && !cursor_moved) return false;  // nothing new
  store::BatchInfo info{source, clock.unix_seconds(), next, rejected};
  auto outcome = intake.submit(std::move(page->batch), std::move(info)).get();
  if (const auto* err = std::get_if<IntakeError>(&outcome)) return fail("store: " + err->message);
  const auto& counts = std::get<store::ApplyCounts>(outcome);
  ++result.pages;
  result.records += records;
  result.accepted += counts.accepted;
  result.rejected += rejected;
  current = next;
  const bool more = page->has_more ? *page->has_more : dossiers >= options.page_size;
  return more && cursor_moved;  // without a cursor there is no next page to ask for
}

void Poller::Impl::count(const CycleResult& result) {
  std::lock_guard lock(m);
  PollStats& s = stats;
  ++s.cycles;
  s.pages += result.pages;
  s.records += result.records;
  s.accepted += result.accepted;
  s.rejected += result.rejected;
  if (result.ok) {
    if (s.consecutive_failures > 0) {
      seams.log.info("poller " + options.name + ": recovered after " +
                     std::to_string(s.consecutive_failures) + " failed cycle(s)");
    }
    s.consecutive_failures = 0;
    s.last_success_unix = clock.unix_seconds();
  } else {
    ++s.cycles_failed;
    if (s.consecutive_failures == 0) {
      seams.log.warning("poller " + options.name + ": " + result.error +
                        "; retrying with backoff (further failures are counted, not logged)");
    }
    ++s.consecutive_failures;
    s.last_error = result.error;
  }
}

Poller::CycleResult Poller::run_cycle() {
  Impl& p = *impl_;
  CycleResult result;
  if (auto cursor = p.stored_cursor(); !cursor) {
    result.ok = false;
    result.error = cursor.error().message;
  } else {
    std::optional<std::string> current = *cursor;
    for (std::size_t n = 0; n < p.options.max_pages_per_cycle; ++n) {
      if (p.worker.stopping()) break;  // committed pages stay; the rest waits for the next start
      if (!p.next_page(current, result)) break;
    }
  }
  p.connection.reset();
  p.count(result);
  return result;
}

std::chrono::milliseconds Poller::next_delay(const CycleResult& result) {
  Impl& p = *impl_;
  if (result.ok) return p.options.interval;
  std::uint64_t failures = 0;
  {
    std::lock_guard lock(p.m);
    failures = std::max<std::uint64_t>(p.stats.consecutive_failures, 1);
  }
  milliseconds delay =
      Backoff{p.options.backoff_initial, p.options.backoff_max}.delay(failures, p.seams.random());
  if (result.retry_after) delay = std::max(delay, *result.retry_after);
  return delay;
}

void Poller::start() {
  impl_->worker.start([this](Worker& w) {
    for (;;) {
      const CycleResult r = run_cycle();
      if (!w.sleep_for(next_delay(r))) return;
    }
  });
}

void Poller::stop() {
  impl_->worker.stop();
}

PollStats Poller::stats() const {
  std::lock_guard lock(impl_->m);
  return impl_->stats;
}

}  // namespace tthc::ingest
