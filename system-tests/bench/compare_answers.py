#!/usr/bin/env python3
"""Asks every path the benchmark measures the same 80 questions and compares the answers, country codes
included: our API on each given endpoint (POST, and GET where marked), PostGraphile, plain SQL (psql)
and the static files. Exits 1 on any difference.

usage: compare_answers.py PEER_URL STATIC_URL OURS_URL[,get] [OURS_URL[,get] ...]
(STATIC_URL: where the static anchor serves the answers that `--write-static OURS_URL DIR` wrote as DIR/<n>.json)."""
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from questions import all_questions, ours, peer, sql


def fetch(request):
    # a server under load may drop a kept-alive connection; ask again on a new one (at most 3 times)
    for attempt in range(3):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError) as e:
            if attempt == 2:
                raise SystemExit(f"{request.full_url[:60]}: {e}")
            time.sleep(0.5)


def ask(url, query, get=False):
    if get:
        raw = fetch(urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query})))
    else:
        raw = fetch(urllib.request.Request(url, json.dumps({"query": query}).encode(), {"Content-Type": "application/json"}))
    answer = json.loads(raw)
    if answer.get("errors"):
        raise SystemExit(f"{url}: {str(answer['errors'])[:200]}")
    return raw, answer["data"]


def num(value):
    return None if value is None else int(float(value))


def top10(pairs):
    """(code, value) pairs, largest first; codes tied at the tenth value are interchangeable, so they are
    compared as the set of codes at that value."""
    ranked = sorted(((c, v) for c, v in pairs if v is not None), key=lambda p: (-p[1], p[0]))[:10]
    if len(ranked) == 10:
        tenth = ranked[-1][1]
        return [(c, v) for c, v in ranked if v != tenth] + [("tied at " + str(tenth), sum(1 for _, v in ranked if v == tenth))]
    return ranked


def normal_ours(kind, data):
    if kind == "series":
        return {p["year"]: num(p["value"]) for p in data["series"] if p["value"] is not None}
    if kind == "top destinations":
        return top10((r["asylum"]["code"], num(r["value"])) for r in data["figures"]["rows"])
    if kind == "period total":
        return num(data["figures"]["total"])
    return (num(data["compare"]["periodTotal"]), num(data["compare"]["baselineTotal"]))


def normal_peer(kind, data):
    if kind == "series":
        return {int(g["keys"][0]): num(g["sum"]["refugees"]) for g in data["allCurrentPopulations"]["groupedAggregates"]
                if g["sum"]["refugees"] is not None}
    if kind == "top destinations":
        return top10((g["keys"][0], num(g["sum"]["asylumSeekers"])) for g in data["allCurrentPopulations"]["groupedAggregates"])
    if kind == "period total":
        return num(data["allCurrentPopulations"]["aggregates"]["sum"]["refugees"])
    return (num(data["p"]["aggregates"]["sum"]["refugees"]), num(data["b"]["aggregates"]["sum"]["refugees"]))


def normal_sql(kind, rows):
    rows = rows or []
    if kind == "series":
        return {r["year"]: num(r["value"]) for r in rows if r["value"] is not None}
    if kind == "top destinations":
        return top10((r["asylum"], num(r["value"])) for r in rows)
    if kind == "period total":
        return num(rows[0]["value"])
    return (num(rows[0]["p"]), num(rows[0]["b"]))


def plain_sql(statement):
    env = dict(os.environ, PGPASSWORD="stats_service")
    out = subprocess.run(["psql", "-At", "-h", "localhost", "-p", os.environ.get("BENCH_PG_PORT", "5432"), "-U", "stats_service",
                          "asylum_stats", "-c", statement], capture_output=True, text=True, env=env, check=True).stdout.strip()
    return json.loads(out) if out else None


def write_static(url, folder):
    os.makedirs(folder, exist_ok=True)
    for i, (o, kind) in enumerate(all_questions(), start=1):
        raw, _ = ask(url, ours(kind, o), get=True)
        with open(f"{folder}/{i}.json", "wb") as out:
            out.write(raw)


def main():
    if sys.argv[1] == "--write-static":
        write_static(sys.argv[2], sys.argv[3])
        return
    peer_url, static_url, endpoints = sys.argv[1], sys.argv[2], sys.argv[3:]
    compared = differing = 0
    notes = []
    for i, (o, kind) in enumerate(all_questions(), start=1):
        answers = {}
        for endpoint in endpoints:
            url, _, how = endpoint.partition(",")
            raw, data = ask(url, ours(kind, o), get=how == "get")
            answers[f"{url} {how or 'post'}"] = normal_ours(kind, data)
        answers["static file"] = normal_ours(kind, json.loads(fetch(urllib.request.Request(f"{static_url}/q/{i}.json")))["data"])
        answers["PostGraphile"] = normal_peer(kind, ask(peer_url, peer(kind, o))[1])
        answers["plain SQL"] = normal_sql(kind, plain_sql(sql(kind, o)))
        reference = answers[f"{endpoints[0].partition(',')[0]} {endpoints[0].partition(',')[2] or 'post'}"]
        for path, answer in answers.items():
            if answer is reference:
                continue
            compared += 1
            if answer != reference:
                differing += 1
                notes.append(f"{o} {kind}: {path} {str(answer)[:120]} vs ours {str(reference)[:120]}")
    print(f"answers compared: {compared} ({len(all_questions())} questions x {len(endpoints) + 2} paths against the first, country codes included),"
          f" differing: {differing}")
    for n in notes[:20]:
        print("  " + n)

    # where the two define "not reported" differently: a sum over nothing reported
    _, data = ask(endpoints[0].partition(",")[0], '{ figures(measure: OTHER_IN_NEED, filter: {years: {from: 2000, to: 2010}}) { total } }')
    _, theirs = ask(peer_url, '{ allCurrentPopulations(filter: {year: {greaterThanOrEqualTo: 2000, lessThanOrEqualTo: 2010}}) { aggregates { sum { otherInNeed } } } }')
    print(f"not reported (other_in_need 2000-2010, reported only from 2018): ours {data['figures']['total']!r},"
          f" PostGraphile {theirs['allCurrentPopulations']['aggregates']['sum']['otherInNeed']!r} (PostGraphile reports an all-null sum as 0;"
          " not counted as a difference)")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
