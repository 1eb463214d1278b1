#include "insights/ab_store.h"

#include <algorithm>
#include <set>

#include "common/crypto.h"
#include "common/strings.h"
#include "store/migrations.h"
#include "store/sqlite_rows.h"

namespace atiende::insights {
namespace {

using store::SqliteDatabase;
using store::Statement;

constexpr store::Migration kAbMigrations[] = {
    {1,
     "CREATE TABLE ab_studies("
     "  id TEXT PRIMARY KEY, name TEXT NOT NULL, source TEXT NOT NULL DEFAULT '',"
     "  config_first TEXT NOT NULL, config_second TEXT NOT NULL, created_ms INTEGER NOT NULL);"
     "CREATE TABLE ab_items("
     "  id TEXT PRIMARY KEY, study_id TEXT NOT NULL REFERENCES ab_studies(id) ON DELETE CASCADE,"
     "  ordinal INTEGER NOT NULL, question_id TEXT NOT NULL, question TEXT NOT NULL,"
     "  reference_answer TEXT NOT NULL DEFAULT '', first_text TEXT NOT NULL,"
     "  first_citations TEXT NOT NULL DEFAULT '[]', second_text TEXT NOT NULL,"
     "  second_citations TEXT NOT NULL DEFAULT '[]', salt TEXT NOT NULL);"
     "CREATE INDEX ab_items_study ON ab_items(study_id, ordinal);"
     "CREATE TABLE ab_votes("
     "  item_id TEXT NOT NULL REFERENCES ab_items(id) ON DELETE CASCADE,"
     "  rater TEXT NOT NULL, outcome TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '',"
     "  created_ms INTEGER NOT NULL, PRIMARY KEY(item_id, rater));"},
};

constexpr const char* kStudyColumns =
    "SELECT s.id, s.name, s.source, s.config_first, s.config_second, s.created_ms,"
    " (SELECT count(*) FROM ab_items i WHERE i.study_id = s.id),"
    " (SELECT count(*) FROM ab_votes v JOIN ab_items i ON i.id = v.item_id"
    "   WHERE i.study_id = s.id) FROM ab_studies s";
constexpr const char* kItemColumns =
    "SELECT id, study_id, ordinal, question_id, question, reference_answer, first_text,"
    " first_citations, second_text, second_citations, salt FROM ab_items";

AbStudy read_study(const Statement& row) {
  AbStudy s;
  s.id = row.column_text(0);
  s.name = row.column_text(1);
  s.source = row.column_text(2);
  s.config_first = row.column_text(3);
  s.config_second = row.column_text(4);
  s.created_ms = row.column_int(5);
  s.items = row.column_int(6);
  s.votes = row.column_int(7);
  return s;
}

AbItem read_item(const Statement& row) {
  AbItem item;
  item.id = row.column_text(0);
  item.study_id = row.column_text(1);
  item.ordinal = row.column_int(2);
  item.question_id = row.column_text(3);
  item.question = row.column_text(4);
  item.reference_answer = row.column_text(5);
  item.first = {row.column_text(6), row.column_text(7)};
  item.second = {row.column_text(8), row.column_text(9)};
  item.salt = row.column_text(10);
  return item;
}

class SqliteAbStore final : public AbStore {
 public:
  explicit SqliteAbStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status create_study(const AbStudy& study, const std::vector<AbItem>& items) override {
    return db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          auto insert, db.prepare("INSERT INTO ab_studies(id, name, source, config_first, "
                                  "config_second, created_ms) VALUES(?,?,?,?,?,?)"));
      insert.bind(1, study.id).bind(2, study.name).bind(3, study.source);
      insert.bind(4, study.config_first).bind(5, study.config_second).bind(6, study.created_ms);
      ATIENDE_RETURN_IF_ERROR(insert.run());
      ATIENDE_ASSIGN_OR_RETURN(
          auto item_insert,
          db.prepare("INSERT INTO ab_items(id, study_id, ordinal, question_id, question, "
                     "reference_answer, first_text, first_citations, second_text, "
                     "second_citations, salt) VALUES(?,?,?,?,?,?,?,?,?,?,?)"));
      for (const auto& item : items) {
        item_insert.reset();
        item_insert.bind(1, item.id).bind(2, study.id).bind(3, item.ordinal);
        item_insert.bind(4, item.question_id).bind(5, item.question).bind(6, item.reference_answer);
        item_insert.bind(7, item.first.text).bind(8, item.first.citations_json);
        item_insert.bind(9, item.second.text).bind(10, item.second.citations_json);
        item_insert.bind(11, item.salt);
        ATIENDE_RETURN_IF_ERROR(item_insert.run());
      }
      return {};
    });
  }

  Result<std::vector<AbStudy>> list_studies() override {
    return store::collect_rows<AbStudy>(
        *db_, std::string(kStudyColumns) + " ORDER BY s.created_ms DESC, s.id",
        [](Statement&) {}, read_study);
  }

  Result<std::optional<AbStudy>> get_study(const std::string& id) override {
    return store::first_row(store::collect_rows<AbStudy>(
        *db_, std::string(kStudyColumns) + " WHERE s.id = ?",
        [&](Statement& st) { st.bind(1, id); }, read_study));
  }

  Result<std::vector<AbItem>> items(const std::string& study_id) override {
    return store::collect_rows<AbItem>(
        *db_, std::string(kItemColumns) + " WHERE study_id = ? ORDER BY ordinal, id",
        [&](Statement& st) { st.bind(1, study_id); }, read_item);
  }

  Result<std::optional<AbItem>> get_item(const std::string& item_id) override {
    return store::first_row(store::collect_rows<AbItem>(
        *db_, std::string(kItemColumns) + " WHERE id = ?",
        [&](Statement& st) { st.bind(1, item_id); }, read_item));
  }

  Status put_vote(const AbVote& vote) override {
    return db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          auto upsert,
          db.prepare("INSERT INTO ab_votes(item_id, rater, outcome, comment, created_ms) "
                     "VALUES(?,?,?,?,?) ON CONFLICT(item_id, rater) DO UPDATE SET "
                     "outcome = excluded.outcome, comment = excluded.comment, "
                     "created_ms = excluded.created_ms"));
      upsert.bind(1, vote.item_id).bind(2, vote.rater).bind(3, outcome_name(vote.outcome));
      upsert.bind(4, vote.comment).bind(5, vote.created_ms);
      return upsert.run();
    });
  }

  Result<std::vector<AbVote>> votes(const std::string& study_id) override {
    return store::collect_rows<AbVote>(
        *db_,
        "SELECT v.item_id, v.rater, v.outcome, v.comment, v.created_ms FROM ab_votes v "
        "JOIN ab_items i ON i.id = v.item_id WHERE i.study_id = ? ORDER BY i.ordinal, v.rater",
        [&](Statement& st) { st.bind(1, study_id); },
        [](const Statement& row) {
          AbVote vote;
          vote.item_id = row.column_text(0);
          vote.rater = row.column_text(1);
          vote.outcome = outcome_from_name(row.column_text(2)).value_or(AbOutcome::kTie);
          vote.comment = row.column_text(3);
          vote.created_ms = row.column_int(4);
          return vote;
        });
  }

  Status delete_study(const std::string& id) override {
    return db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(auto remove, db.prepare("DELETE FROM ab_studies WHERE id = ?"));
      remove.bind(1, id);
      ATIENDE_RETURN_IF_ERROR(remove.run());
      if (db.changes() == 0) return Status::not_found("A/B study '" + id + "' does not exist");
      return {};
    });
  }

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

/// A per-rater pseudo-random key of an item: SHA-256 over the item's secret salt and the rater.
std::string rater_key(const AbItem& item, std::string_view rater) {
  std::string input = item.salt;
  input.push_back('\x1f');
  input.append(rater);
  return sha256(input);
}

}  // namespace

std::string_view outcome_name(AbOutcome outcome) {
  switch (outcome) {
    case AbOutcome::kFirst: return "first";
    case AbOutcome::kSecond: return "second";
    case AbOutcome::kTie: return "tie";
  }
  return "tie";
}

std::optional<AbOutcome> outcome_from_name(std::string_view name) {
  if (name == "first") return AbOutcome::kFirst;
  if (name == "second") return AbOutcome::kSecond;
  if (name == "tie") return AbOutcome::kTie;
  return std::nullopt;
}

Result<std::unique_ptr<AbStore>> open_sqlite_ab_store(std::shared_ptr<SqliteDatabase> db) {
  ATIENDE_RETURN_IF_ERROR(store::apply_migrations(*db, "ab_eval", kAbMigrations));
  return std::unique_ptr<AbStore>(new SqliteAbStore(std::move(db)));
}

bool presented_swapped(const AbItem& item, std::string_view rater) {
  return (static_cast<unsigned char>(rater_key(item, rater)[0]) & 1u) != 0;
}

Result<AbOutcome> outcome_of_choice(const AbItem& item, std::string_view rater,
                                    std::string_view choice) {
  const std::string lowered = ascii_lower(choice);
  if (lowered == "tie") return AbOutcome::kTie;
  if (lowered != "a" && lowered != "b") {
    return Status::invalid_argument("choice must be \"A\", \"B\" or \"tie\"");
  }
  const bool picked_a = lowered == "a";
  const bool swapped = presented_swapped(item, rater);
  return picked_a != swapped ? AbOutcome::kFirst : AbOutcome::kSecond;
}

Result<std::optional<AbItem>> next_item_for(AbStore& store, const std::string& study_id,
                                            const std::string& rater, int64_t* rated) {
  ATIENDE_ASSIGN_OR_RETURN(std::vector<AbItem> all, store.items(study_id));
  ATIENDE_ASSIGN_OR_RETURN(std::vector<AbVote> votes, store.votes(study_id));
  std::set<std::string> done;
  for (const auto& vote : votes) {
    if (vote.rater == rater) done.insert(vote.item_id);
  }
  if (rated) *rated = static_cast<int64_t>(done.size());
  std::optional<AbItem> best;
  std::string best_key;
  for (auto& item : all) {
    if (done.count(item.id)) continue;
    // The second byte onwards orders items (the first byte's low bit picks the side).
    std::string key = rater_key(item, rater).substr(1);
    if (!best || key < best_key) {
      best_key = std::move(key);
      best = std::move(item);
    }
  }
  return best;
}

Status validate_rater(std::string_view rater) {
  if (rater.empty() || rater.size() > 64) {
    return Status::invalid_argument("rater id must be 1 to 64 characters");
  }
  for (unsigned char c : rater) {
    const bool ok = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                    (c >= 'A' && c <= 'Z') || c == ' ' || c == '.' || c == '_' || c == '@' ||
                    c == '-';
    if (!ok) {
      return Status::invalid_argument(
          "rater id may only hold letters, digits, spaces and . _ @ - (it is a handle, not text)");
    }
  }
  if (rater.front() == ' ' || rater.back() == ' ') {
    return Status::invalid_argument("rater id must not start or end with a space");
  }
  return {};
}

}  // namespace atiende::insights
