#!/usr/bin/env python3
"""The chat engine's own time per turn (no LLM: the built-in provider), through the real server.

Starts `atiende serve` on a data dir holding the demo KB, sends every golden retrieval question as
a chat message (a new session per question, JSON mode) and reports the engine's `latency_ms`
(from the turn's start to its stored answer: validation, anonymization, agent routing, retrieval,
extractive answer, grounding, storage) plus the client-side round trip.

    python3 bench/chat_overhead.py [--bin build/atiende] [--data DIR] [--rounds 3]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time, urllib.request


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/atiende")
    ap.add_argument("--data", default="")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    data = args.data or tempfile.mkdtemp(prefix="atiende-chat-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATIENDE_")}
    env["ATIENDE_LOG_LEVEL"] = "warn"
    if not os.path.exists(os.path.join(data, "atiende.db")):
        subprocess.run([args.bin, "--data", data, "ingest", "data/demo"], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([args.bin, "--data", data, "serve", "--port", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        base = line.strip().split()[-1]
        questions = [json.loads(l)["query"] for l in open("data/demo/golden/retrieval.jsonl") if l.strip()]
        engine_ms, round_trip_ms = [], []
        for rnd in range(args.rounds):
            for q in questions:
                session = post(base + "/v1/chat/sessions", {})["session_id"]
                started = time.perf_counter()
                out = post(base + "/v1/chat/sessions/%s/messages" % session, {"text": q})
                elapsed = (time.perf_counter() - started) * 1000
                if rnd > 0:  # the first round warms caches
                    engine_ms.append(out["latency_ms"])
                    round_trip_ms.append(elapsed)
        print(json.dumps({
            "turns": len(engine_ms),
            "engine_p50_ms": pct(engine_ms, 50), "engine_p95_ms": pct(engine_ms, 95),
            "engine_max_ms": max(engine_ms),
            "round_trip_p50_ms": round(pct(round_trip_ms, 50), 2),
            "round_trip_p95_ms": round(pct(round_trip_ms, 95), 2),
        }))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
