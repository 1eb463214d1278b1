#include "retrieve/batch_search.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "common/json.h"
#include "common/strings.h"
#include "retrieve/filter.h"
#include "retrieve/hit_json.h"

namespace atiende::retrieve {
namespace {

constexpr size_t kMaxK = 1000;

Result<BatchQuery> parse_line(std::string_view line, const BatchOptions& options) {
  ATIENDE_ASSIGN_OR_RETURN(const Json j, parse_json(line));
  if (!j.is_object()) return Status::invalid_argument("expected a JSON object");
  BatchQuery q;
  q.request.k = options.k;
  q.request.mode = options.mode;
  q.request.filter = options.filter;
  if (!j.contains("id")) return Status::invalid_argument("missing \"id\"");
  const Json& id = j["id"];
  if (!id.is_string() && !id.is_number()) {
    return Status::invalid_argument("\"id\" must be a string or a number");
  }
  q.id_json = dump_json(id);
  if (!j.contains("query") || !j["query"].is_string()) {
    return Status::invalid_argument("missing string \"query\"");
  }
  q.request.query = j["query"].get<std::string>();
  if (trim(q.request.query).empty()) return Status::invalid_argument("\"query\" is empty");
  if (j.contains("k")) {
    if (!j["k"].is_number_integer()) return Status::invalid_argument("\"k\" must be an integer");
    const auto k = j["k"].get<int64_t>();
    if (k < 1 || k > static_cast<int64_t>(kMaxK)) {
      return Status::invalid_argument("\"k\" must be between 1 and " + std::to_string(kMaxK));
    }
    q.request.k = static_cast<size_t>(k);
  }
  if (j.contains("mode")) {
    const auto mode = j["mode"].is_string() ? parse_search_mode(j["mode"].get<std::string>())
                                            : std::nullopt;
    if (!mode) return Status::invalid_argument("\"mode\" must be bm25, vector or hybrid");
    q.request.mode = *mode;
  }
  if (j.contains("filter") && !j["filter"].is_null()) {
    ATIENDE_ASSIGN_OR_RETURN(q.request.filter, parse_filter_json(dump_json(j["filter"])));
  }
  return q;
}

}  // namespace

Result<std::vector<BatchQuery>> parse_batch_queries(std::istream& in, const BatchOptions& options) {
  std::vector<BatchQuery> queries;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (trim(line).empty()) continue;
    auto parsed = parse_line(line, options);
    if (!parsed.ok()) {
      return Status::invalid_argument("line " + std::to_string(number) + ": " +
                                      parsed.status().message());
    }
    queries.push_back(std::move(parsed).value());
  }
  if (in.bad()) return Status::unavailable("read error after line " + std::to_string(number));
  return queries;
}

Result<BatchStats> run_batch_search(const Retriever& retriever, std::span<const BatchQuery> queries,
                                    std::ostream& out, const BatchOptions& options) {
  const size_t n = queries.size();
  BatchStats stats;
  stats.queries = n;
  stats.latencies_ms.assign(n, 0.0);
  std::vector<std::optional<std::string>> lines(n);
  std::mutex mutex;
  std::condition_variable ready;
  Status failure;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};

  auto worker = [&]() {
    while (!stop) {
      const size_t i = next++;
      if (i >= n) return;
      const auto begin = std::chrono::steady_clock::now();
      auto hits = retriever.search(queries[i].request);
      const auto end = std::chrono::steady_clock::now();
      stats.latencies_ms[i] = std::chrono::duration<double, std::milli>(end - begin).count();
      std::string text;
      if (hits.ok()) {
        text = "{\"id\":" + queries[i].id_json + ",\"hits\":" + dump_json(Json(*hits)) + "}\n";
      }
      std::lock_guard lock(mutex);
      if (!hits.ok()) {
        if (failure.ok()) failure = hits.status().with_context("query id " + queries[i].id_json);
        stop = true;
      } else {
        lines[i] = std::move(text);
      }
      ready.notify_one();
    }
  };

  size_t threads = options.threads != 0 ? options.threads
                                        : std::max<unsigned>(1, std::thread::hardware_concurrency());
  threads = std::max<size_t>(1, std::min(threads, n));
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads && n > 0; ++t) pool.emplace_back(worker);
  for (size_t i = 0; i < n; ++i) {
    std::string text;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return lines[i].has_value() || !failure.ok(); });
      if (!failure.ok()) break;
      text = std::move(*lines[i]);
      lines[i].reset();
    }
    out << text;
    if (options.progress) options.progress(i + 1, n);
  }
  stop = stop || !failure.ok();
  for (auto& thread : pool) thread.join();
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.flush();
  if (!failure.ok()) return failure;
  if (!out) return Status::unavailable("writing the results failed");
  return stats;
}

}  // namespace atiende::retrieve
