#pragma once
/// Human side-by-side (A/B) evaluation: studies of paired answers of two configs to the same
/// question, and the votes of raters on them.
///
/// Blindness: an item stores its answers as config `first` / `second`, but a rater never sees
/// that order. `presented_swapped(item, rater)` decides, per item and per rater, whether the
/// answer shown as "A" is the second config's; `next_item_for` hands each rater the items in an
/// order of their own. Both come from a random salt stored with the item, so a rater cannot work
/// the mapping out from the item id, and votes are stored in config terms (`first`, `second`,
/// `tie`), never as screen sides.
///
/// Privacy: questions and answers come from evaluation reports (golden sets, not customers).
/// Rater comments must be anonymized by the caller before they are stored.
///
/// Thread-safety: the SQLite implementation is safe to share between threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite_database.h"

namespace atiende::insights {

/// One study: the items imported from one evaluation report for one pair of configs.
struct AbStudy {
  std::string id;            ///< "abs_<hex>"
  std::string name;          ///< human label, e.g. the report directory
  std::string source;        ///< where the items came from (report path or "api")
  std::string config_first;  ///< config names (hidden from raters)
  std::string config_second;
  int64_t created_ms = 0;
  int64_t items = 0;  ///< filled by reads
  int64_t votes = 0;  ///< filled by reads
};

/// One answer as shown to raters.
struct AbAnswer {
  std::string text;
  std::string citations_json = "[]";  ///< the report's citations array, as given
};

/// One question with the answers of both configs.
struct AbItem {
  std::string id;  ///< "abi_<hex>"
  std::string study_id;
  int64_t ordinal = 0;       ///< position in the report (1-based)
  std::string question_id;   ///< the golden question id
  std::string question;
  std::string reference_answer;
  AbAnswer first;            ///< the study's config_first
  AbAnswer second;           ///< the study's config_second
  std::string salt;          ///< random hex; drives side and order randomization per rater
};

/// A vote in config terms.
enum class AbOutcome { kFirst, kSecond, kTie };

std::string_view outcome_name(AbOutcome outcome);  ///< "first" | "second" | "tie"
std::optional<AbOutcome> outcome_from_name(std::string_view name);

struct AbVote {
  std::string item_id;
  std::string rater;    ///< the rater id typed on the page (1..64 characters)
  AbOutcome outcome = AbOutcome::kTie;
  std::string comment;  ///< anonymized; may be empty
  int64_t created_ms = 0;
};

class AbStore {
 public:
  virtual ~AbStore() = default;

  /// Creates the study with its items in one transaction (item study_id is set from `study`).
  virtual Status create_study(const AbStudy& study, const std::vector<AbItem>& items) = 0;
  /// Every study, newest first, with item and vote counts.
  virtual Result<std::vector<AbStudy>> list_studies() = 0;
  virtual Result<std::optional<AbStudy>> get_study(const std::string& id) = 0;
  /// The items of a study in report order.
  virtual Result<std::vector<AbItem>> items(const std::string& study_id) = 0;
  virtual Result<std::optional<AbItem>> get_item(const std::string& item_id) = 0;
  /// One vote per rater and item: a second vote replaces the first.
  virtual Status put_vote(const AbVote& vote) = 0;
  /// Every vote of a study, by item order then rater.
  virtual Result<std::vector<AbVote>> votes(const std::string& study_id) = 0;
  /// Deletes a study with its items and votes; not_found when absent.
  virtual Status delete_study(const std::string& id) = 0;
};

/// The SQLite implementation; applies the "ab_eval" migrations on `db`.
Result<std::unique_ptr<AbStore>> open_sqlite_ab_store(std::shared_ptr<store::SqliteDatabase> db);

/// Whether `rater` sees the second config's answer as "A" on `item` (stable per item and rater,
/// about half of the items for any rater).
bool presented_swapped(const AbItem& item, std::string_view rater);

/// The vote in config terms for what `rater` picked on screen: "A", "B" or "tie" (case-
/// insensitive); invalid_argument otherwise.
Result<AbOutcome> outcome_of_choice(const AbItem& item, std::string_view rater,
                                    std::string_view choice);

/// The next item `rater` has not voted on, in that rater's own random order (stable across calls),
/// or std::nullopt when every item is rated. `rated` receives how many items the rater has voted.
Result<std::optional<AbItem>> next_item_for(AbStore& store, const std::string& study_id,
                                            const std::string& rater, int64_t* rated = nullptr);

/// invalid_argument unless `rater` is 1..64 bytes of letters, digits, spaces or ._@- (so a
/// rater id is a handle, not free text).
Status validate_rater(std::string_view rater);

}  // namespace atiende::insights
