#include "store/sqlite_store.h"

#include <chrono>
#include <set>
#include <unordered_map>

namespace atiende::store {
namespace {

constexpr Migration kKbMigrations[] = {
    {1,
     "CREATE TABLE documents("
     "  id TEXT PRIMARY KEY,"
     "  title TEXT NOT NULL DEFAULT '',"
     "  type TEXT NOT NULL DEFAULT 'doc',"
     "  language TEXT NOT NULL DEFAULT '',"
     "  source TEXT NOT NULL DEFAULT '',"
     "  metadata TEXT NOT NULL DEFAULT '{}',"
     "  content_hash TEXT NOT NULL DEFAULT '',"
     "  created_ms INTEGER NOT NULL DEFAULT 0,"
     "  updated_ms INTEGER NOT NULL DEFAULT 0);"
     "CREATE INDEX documents_type ON documents(type, id);"
     "CREATE INDEX documents_source ON documents(source);"
     // AUTOINCREMENT: a chunk id is never reused, so indexes can key on it for the store's life.
     "CREATE TABLE chunks("
     "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
     "  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
     "  ordinal INTEGER NOT NULL,"
     "  title TEXT NOT NULL DEFAULT '',"
     "  text TEXT NOT NULL DEFAULT '',"
     "  start_cp INTEGER NOT NULL DEFAULT 0,"
     "  end_cp INTEGER NOT NULL DEFAULT 0,"
     "  page INTEGER NOT NULL DEFAULT 0);"
     "CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);"
     "CREATE TABLE kb_generation(id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);"
     "INSERT INTO kb_generation(id, value) VALUES (1, 0);"},
};

constexpr std::string_view kChunkColumns =
    "c.id, c.doc_id, c.ordinal, c.title, c.text, c.start_cp, c.end_cp, c.page, d.type, "
    "d.language, d.metadata, d.source";

Chunk read_chunk(const Statement& s) {
  Chunk c;
  c.id = s.column_int(0);
  c.doc_id = s.column_text(1);
  c.ordinal = static_cast<int32_t>(s.column_int(2));
  c.title = s.column_text(3);
  c.text = s.column_text(4);
  c.start = s.column_int(5);
  c.end = s.column_int(6);
  c.page = static_cast<int32_t>(s.column_int(7));
  c.type = s.column_text(8);
  c.language = s.column_text(9);
  c.metadata_json = s.column_text(10);
  c.source = s.column_text(11);
  return c;
}

constexpr std::string_view kDocumentColumns =
    "d.id, d.title, d.type, d.language, d.source, d.metadata, d.content_hash, d.created_ms, "
    "d.updated_ms, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.id)";

Document read_document(const Statement& s) {
  Document d;
  d.id = s.column_text(0);
  d.title = s.column_text(1);
  d.type = s.column_text(2);
  d.language = s.column_text(3);
  d.source = s.column_text(4);
  d.metadata_json = s.column_text(5);
  d.content_hash = s.column_text(6);
  d.created_ms = s.column_int(7);
  d.updated_ms = s.column_int(8);
  d.chunk_count = s.column_int(9);
  return d;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Result<UpsertOutcome> upsert_document(const Document& document,
                                        const std::vector<Chunk>& chunks) override {
    DocumentWithChunks one{document, chunks};
    ATIENDE_ASSIGN_OR_RETURN(BatchOutcome batch,
                             upsert_documents(std::span<const DocumentWithChunks>(&one, 1),
                                              std::nullopt));
    return std::move(batch.documents.front());
  }

  Result<BatchOutcome> upsert_documents(std::span<const DocumentWithChunks> documents,
                                        const std::optional<std::string>& prune_source) override {
    std::set<std::string_view> ids;
    for (const auto& item : documents) {
      if (item.document.id.empty()) return Status::invalid_argument("document id is empty");
      if (!ids.insert(item.document.id).second) {
        return Status::invalid_argument("document id '" + item.document.id +
                                        "' appears twice in one batch");
      }
    }
    BatchOutcome outcome;
    Status status = db_->with_transaction([&](SqliteDatabase& db) -> Status {
      outcome = {};
      bool changed = false;
      for (const auto& item : documents) {
        ATIENDE_ASSIGN_OR_RETURN(UpsertOutcome one, upsert_locked(db, item));
        changed = changed || !one.unchanged;
        outcome.documents.push_back(std::move(one));
      }
      if (prune_source) {
        ATIENDE_ASSIGN_OR_RETURN(
            Statement stale, db.prepare("SELECT id FROM documents WHERE source = ?1 ORDER BY id"));
        stale.bind(1, *prune_source);
        std::vector<std::string> to_prune;
        while (true) {
          ATIENDE_ASSIGN_OR_RETURN(bool row, stale.step());
          if (!row) break;
          std::string id = stale.column_text(0);
          if (!ids.count(id)) to_prune.push_back(std::move(id));
        }
        for (const auto& id : to_prune) {
          ATIENDE_ASSIGN_OR_RETURN(std::vector<int64_t> removed, delete_locked(db, id));
          outcome.pruned_chunk_ids.insert(outcome.pruned_chunk_ids.end(), removed.begin(),
                                          removed.end());
          outcome.pruned_doc_ids.push_back(id);
          changed = true;
        }
      }
      if (changed) ATIENDE_RETURN_IF_ERROR(bump_generation(db));
      return {};
    });
    if (!status.ok()) return status;
    return outcome;
  }

  Result<std::vector<int64_t>> delete_document(const std::string& doc_id) override {
    std::vector<int64_t> removed;
    Status status = db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(removed, delete_locked(db, doc_id));
      return bump_generation(db);
    });
    if (!status.ok()) return status;
    return removed;
  }

  Result<std::optional<Document>> get_document(const std::string& doc_id) override {
    std::optional<Document> found;
    ATIENDE_RETURN_IF_ERROR(db_->with_connection([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          Statement s, db.prepare("SELECT " + std::string(kDocumentColumns) +
                                  " FROM documents d WHERE d.id = ?1"));
      s.bind(1, doc_id);
      ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
      if (row) found = read_document(s);
      return {};
    }));
    return found;
  }

  Result<std::vector<Document>> list_documents(const DocumentQuery& query) override {
    if (query.offset < 0 || query.limit < 0) {
      return Status::invalid_argument("document listing offset and limit must be >= 0");
    }
    std::vector<Document> documents;
    ATIENDE_RETURN_IF_ERROR(db_->with_connection([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          Statement s, db.prepare("SELECT " + std::string(kDocumentColumns) +
                                  " FROM documents d WHERE (?1 = '' OR d.type = ?1)"
                                  " ORDER BY d.id LIMIT ?2 OFFSET ?3"));
      s.bind(1, query.type).bind(2, query.limit).bind(3, query.offset);
      while (true) {
        ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
        if (!row) break;
        documents.push_back(read_document(s));
      }
      return {};
    }));
    return documents;
  }

  Result<int64_t> count_documents() override { return count("SELECT count(*) FROM documents"); }
  Result<int64_t> count_chunks() override { return count("SELECT count(*) FROM chunks"); }
  Result<int64_t> generation() override {
    return count("SELECT value FROM kb_generation WHERE id = 1");
  }

  Result<std::vector<Chunk>> chunks_of(const std::string& doc_id) override {
    std::vector<Chunk> chunks;
    ATIENDE_RETURN_IF_ERROR(db_->with_connection([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          Statement s, db.prepare("SELECT " + std::string(kChunkColumns) +
                                  " FROM chunks c JOIN documents d ON d.id = c.doc_id"
                                  " WHERE c.doc_id = ?1 ORDER BY c.ordinal"));
      s.bind(1, doc_id);
      while (true) {
        ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
        if (!row) break;
        chunks.push_back(read_chunk(s));
      }
      return {};
    }));
    return chunks;
  }

  Result<std::vector<Chunk>> get_chunks(std::span<const int64_t> chunk_ids) override {
    std::vector<Chunk> chunks;
    chunks.reserve(chunk_ids.size());
    ATIENDE_RETURN_IF_ERROR(db_->with_connection([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          Statement s, db.prepare("SELECT " + std::string(kChunkColumns) +
                                  " FROM chunks c JOIN documents d ON d.id = c.doc_id"
                                  " WHERE c.id = ?1"));
      for (int64_t id : chunk_ids) {
        s.reset();
        s.bind(1, id);
        ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
        if (row) chunks.push_back(read_chunk(s));
      }
      return {};
    }));
    return chunks;
  }

  Status for_each_chunk(const std::function<Status(const Chunk&)>& visit) override {
    constexpr int64_t kPage = 512;
    int64_t after = 0;
    while (true) {
      std::vector<Chunk> page;
      ATIENDE_RETURN_IF_ERROR(db_->with_connection([&](SqliteDatabase& db) -> Status {
        ATIENDE_ASSIGN_OR_RETURN(
            Statement s, db.prepare("SELECT " + std::string(kChunkColumns) +
                                    " FROM chunks c JOIN documents d ON d.id = c.doc_id"
                                    " WHERE c.id > ?1 ORDER BY c.id LIMIT ?2"));
        s.bind(1, after).bind(2, kPage);
        while (true) {
          ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
          if (!row) break;
          page.push_back(read_chunk(s));
        }
        return {};
      }));
      if (page.empty()) return {};
      for (const auto& chunk : page) ATIENDE_RETURN_IF_ERROR(visit(chunk));
      after = page.back().id;
      if (static_cast<int64_t>(page.size()) < kPage) return {};
    }
  }

 private:
  Result<int64_t> count(std::string_view sql) {
    int64_t value = 0;
    ATIENDE_RETURN_IF_ERROR(db_->with_connection([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(value, query_int(db, sql, 0));
      return {};
    }));
    return value;
  }

  static Status bump_generation(SqliteDatabase& db) {
    ATIENDE_ASSIGN_OR_RETURN(Statement s,
                             db.prepare("UPDATE kb_generation SET value = value + 1 WHERE id = 1"));
    return s.run();
  }

  static Result<std::vector<int64_t>> chunk_ids_of(SqliteDatabase& db, const std::string& doc_id) {
    ATIENDE_ASSIGN_OR_RETURN(Statement s,
                             db.prepare("SELECT id FROM chunks WHERE doc_id = ?1 ORDER BY id"));
    s.bind(1, doc_id);
    std::vector<int64_t> ids;
    while (true) {
      ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
      if (!row) break;
      ids.push_back(s.column_int(0));
    }
    return ids;
  }

  static Result<std::vector<int64_t>> delete_locked(SqliteDatabase& db, const std::string& doc_id) {
    ATIENDE_ASSIGN_OR_RETURN(std::vector<int64_t> removed, chunk_ids_of(db, doc_id));
    ATIENDE_ASSIGN_OR_RETURN(Statement del_chunks,
                             db.prepare("DELETE FROM chunks WHERE doc_id = ?1"));
    del_chunks.bind(1, doc_id);
    ATIENDE_RETURN_IF_ERROR(del_chunks.run());
    ATIENDE_ASSIGN_OR_RETURN(Statement del_doc, db.prepare("DELETE FROM documents WHERE id = ?1"));
    del_doc.bind(1, doc_id);
    ATIENDE_RETURN_IF_ERROR(del_doc.run());
    if (db.changes() == 0) return Status::not_found("document '" + doc_id + "' not found");
    return removed;
  }

  static Result<UpsertOutcome> upsert_locked(SqliteDatabase& db, const DocumentWithChunks& item) {
    const Document& doc = item.document;
    UpsertOutcome outcome;
    outcome.doc_id = doc.id;
    ATIENDE_ASSIGN_OR_RETURN(
        Statement existing,
        db.prepare("SELECT content_hash, created_ms FROM documents WHERE id = ?1"));
    existing.bind(1, doc.id);
    ATIENDE_ASSIGN_OR_RETURN(bool exists, existing.step());
    const int64_t now = now_ms();
    int64_t created = doc.created_ms > 0 ? doc.created_ms : now;
    if (exists) {
      outcome.replaced = true;
      if (!doc.content_hash.empty() && existing.column_text(0) == doc.content_hash) {
        outcome.unchanged = true;
        outcome.replaced = false;
        return outcome;
      }
      created = existing.column_int(1);
      ATIENDE_ASSIGN_OR_RETURN(outcome.removed_chunk_ids, chunk_ids_of(db, doc.id));
      ATIENDE_ASSIGN_OR_RETURN(Statement del, db.prepare("DELETE FROM chunks WHERE doc_id = ?1"));
      del.bind(1, doc.id);
      ATIENDE_RETURN_IF_ERROR(del.run());
    }
    ATIENDE_ASSIGN_OR_RETURN(
        Statement put,
        db.prepare("INSERT INTO documents(id, title, type, language, source, metadata,"
                   " content_hash, created_ms, updated_ms) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
                   " ON CONFLICT(id) DO UPDATE SET title=excluded.title, type=excluded.type,"
                   " language=excluded.language, source=excluded.source,"
                   " metadata=excluded.metadata, content_hash=excluded.content_hash,"
                   " updated_ms=excluded.updated_ms"));
    put.bind(1, doc.id)
        .bind(2, doc.title)
        .bind(3, doc.type)
        .bind(4, doc.language)
        .bind(5, doc.source)
        .bind(6, doc.metadata_json.empty() ? std::string("{}") : doc.metadata_json)
        .bind(7, doc.content_hash)
        .bind(8, created)
        .bind(9, doc.updated_ms > 0 ? doc.updated_ms : now);
    ATIENDE_RETURN_IF_ERROR(put.run());
    ATIENDE_ASSIGN_OR_RETURN(
        Statement ins,
        db.prepare("INSERT INTO chunks(doc_id, ordinal, title, text, start_cp, end_cp, page)"
                   " VALUES (?1,?2,?3,?4,?5,?6,?7)"));
    outcome.inserted_chunks.reserve(item.chunks.size());
    int32_t ordinal = 0;
    for (const auto& chunk : item.chunks) {
      ins.reset();
      ins.bind(1, doc.id)
          .bind(2, int64_t{ordinal})
          .bind(3, chunk.title)
          .bind(4, chunk.text)
          .bind(5, chunk.start)
          .bind(6, chunk.end)
          .bind(7, int64_t{chunk.page});
      ATIENDE_RETURN_IF_ERROR(ins.run());
      Chunk stored = chunk;
      stored.id = db.last_insert_rowid();
      stored.doc_id = doc.id;
      stored.ordinal = ordinal;
      stored.type = doc.type;
      stored.language = doc.language;
      stored.metadata_json = doc.metadata_json.empty() ? std::string("{}") : doc.metadata_json;
      outcome.inserted_chunks.push_back(std::move(stored));
      ++ordinal;
    }
    return outcome;
  }

  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace

std::span<const Migration> knowledge_base_migrations() { return kKbMigrations; }

Result<std::unique_ptr<Store>> open_sqlite_store(std::shared_ptr<SqliteDatabase> db) {
  if (!db) return Status::invalid_argument("open_sqlite_store: null database");
  ATIENDE_RETURN_IF_ERROR(apply_migrations(*db, "kb", kKbMigrations));
  return std::unique_ptr<Store>(new SqliteStore(std::move(db)));
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<SqliteDatabase> db, SqliteDatabase::open(path));
  return open_sqlite_store(std::move(db));
}

}  // namespace atiende::store
