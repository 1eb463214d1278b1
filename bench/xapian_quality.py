#!/usr/bin/python3
"""Xapian BM25 baseline for Spanish question -> paragraph retrieval (the peer to beat).

Indexes every paragraph of a SQuAD-format file as one document (paragraph text only), stemmed
with Xapian's Spanish Snowball stemmer (STEM_SOME, as TermGenerator does by default), and runs
every question as an OR query with the same stemmer. Reports recall@1/5/10 and MRR@10.

Run with the Debian python (it has python3-xapian), from the repo root:
  /usr/bin/python3 bench/xapian_quality.py [../shared/data/retrieval-dev/mlqa_es_dev.json]
"""
import json
import os
import sys
import tempfile

import xapian


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)["data"]
    paragraphs, questions = [], []
    for article in data:
        for p in article["paragraphs"]:
            pid = len(paragraphs)
            paragraphs.append(p["context"])
            for qa in p["qas"]:
                questions.append((qa["question"], pid))
    return paragraphs, questions


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "retrieval-dev",
        "mlqa_es_dev.json")
    paragraphs, questions = load(path)
    with tempfile.TemporaryDirectory() as tmp:
        db = xapian.WritableDatabase(os.path.join(tmp, "db"), xapian.DB_CREATE_OR_OVERWRITE)
        stemmer = xapian.Stem("spanish")
        tg = xapian.TermGenerator()
        tg.set_stemmer(stemmer)
        for pid, text in enumerate(paragraphs):
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(text)
            doc.add_value(0, str(pid))
            db.add_document(doc)
        db.commit()
        enquire = xapian.Enquire(db)
        enquire.set_weighting_scheme(xapian.BM25Weight())
        qp = xapian.QueryParser()
        qp.set_stemmer(stemmer)
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_database(db)
        qp.set_default_op(xapian.Query.OP_OR)
        hits = {1: 0, 5: 0, 10: 0}
        mrr = 0.0
        for question, pid in questions:
            query = qp.parse_query(question, 0)
            enquire.set_query(query)
            ranked = [int(m.document.get_value(0)) for m in enquire.get_mset(0, 10)]
            if pid in ranked:
                rank = ranked.index(pid) + 1
                mrr += 1.0 / rank
                for k in hits:
                    if rank <= k:
                        hits[k] += 1
        n = len(questions)
        print("system\tr@1\tr@5\tr@10\tMRR@10")
        print("xapian-bm25-es\t%.3f\t%.3f\t%.3f\t%.4f" % (
            hits[1] / n, hits[5] / n, hits[10] / n, mrr / n))
        print("(%d paragraphs, %d questions, xapian %s)" % (
            len(paragraphs), n, xapian.version_string()), file=sys.stderr)


if __name__ == "__main__":
    main()
