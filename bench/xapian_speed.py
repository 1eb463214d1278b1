#!/usr/bin/python3
"""Xapian BM25 batch search throughput on the generated corpus (the speed peer).

Indexes bench/out/corpus.jsonl (title + text, Spanish Snowball stemmer, title terms weighted
x2 via wdf_inc, as our BM25F does) in a temporary on-disk database, then runs every query of
bench/out/queries.jsonl as an OR query for the top K, single-threaded, and reports queries per
second plus p50/p99 latency. Run gen_corpus.py first. Use the Debian python (python3-xapian):

  /usr/bin/python3 bench/xapian_speed.py [--corpus F] [--queries F] [--k 10] [--rounds 3]
"""
import argparse
import json
import os
import sys
import tempfile
import time

import xapian


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="bench/out/corpus.jsonl")
    ap.add_argument("--queries", default="bench/out/queries.jsonl")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    stemmer = xapian.Stem("spanish")
    with tempfile.TemporaryDirectory() as tmp:
        db = xapian.WritableDatabase(os.path.join(tmp, "db"), xapian.DB_CREATE_OR_OVERWRITE)
        tg = xapian.TermGenerator()
        tg.set_stemmer(stemmer)
        t0 = time.perf_counter()
        n = 0
        with open(args.corpus, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                doc = xapian.Document()
                tg.set_document(doc)
                tg.index_text(rec.get("title", ""), 2)
                tg.increase_termpos()
                tg.index_text(rec["text"])
                doc.set_data(rec["id"])
                db.add_document(doc)
                n += 1
        db.commit()
        index_s = time.perf_counter() - t0
        db.close()
        rdb = xapian.Database(os.path.join(tmp, "db"))
        enquire = xapian.Enquire(rdb)
        enquire.set_weighting_scheme(xapian.BM25Weight())
        qp = xapian.QueryParser()
        qp.set_stemmer(stemmer)
        qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        qp.set_database(rdb)
        qp.set_default_op(xapian.Query.OP_OR)
        with open(args.queries, encoding="utf-8") as f:
            queries = [json.loads(line)["query"] for line in f]
        best_qps, lat = 0.0, []
        for _ in range(args.rounds):
            lat = []
            t0 = time.perf_counter()
            for q in queries:
                s = time.perf_counter()
                enquire.set_query(qp.parse_query(q, 0))
                mset = enquire.get_mset(0, args.k)
                _ = [m.docid for m in mset]
                lat.append(time.perf_counter() - s)
            best_qps = max(best_qps, len(queries) / (time.perf_counter() - t0))
        lat.sort()
        p50 = lat[len(lat) // 2] * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        print("xapian %s: %d docs indexed in %.1f s; %d queries, k=%d: %.0f QPS (best of %d), "
              "p50 %.3f ms, p99 %.3f ms" % (xapian.version_string(), n, index_s, len(queries),
                                            args.k, best_qps, args.rounds, p50, p99))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
