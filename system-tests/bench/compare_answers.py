#!/usr/bin/env python3
"""Asks our API and PostGraphile the same questions and compares the numbers where both define them."""
import json
import sys
import urllib.request

OURS, PEER = sys.argv[1], sys.argv[2]
ORIGINS = ["SYR", "AFG", "UKR", "VEN", "SSD", "MMR", "COD", "SDN", "SOM", "CAF",
           "ERI", "BDI", "IRQ", "NGA", "CHN", "COL", "PAK", "IRN", "TUR", "RUS"]


def ask(url, query):
    request = urllib.request.Request(url, json.dumps({"query": query}).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    if answer.get("errors"):
        raise SystemExit(f"{url}: {answer['errors']}")
    return answer["data"]


def num(value):
    return None if value is None else int(float(value))


identical = differing = 0
notes = []
for o in ORIGINS:
    f = f'origin: {{equalTo: "{o}"}}'
    checks = []
    ours = ask(OURS, f'{{ series(measure: REFUGEES, filter: {{origin: ["{o}"], years: {{from: 2000, to: 2023}}}}) {{ year value }} }}')["series"]
    peer = ask(PEER, f'{{ allCurrentPopulations(filter: {{{f}, year: {{greaterThanOrEqualTo: 2000, lessThanOrEqualTo: 2023}}}}) {{ groupedAggregates(groupBy: [YEAR]) {{ keys sum {{ refugees }} }} }} }}')
    peer_years = {int(g["keys"][0]): num(g["sum"]["refugees"]) for g in peer["allCurrentPopulations"]["groupedAggregates"]}
    checks.append(("series", {p["year"]: num(p["value"]) for p in ours if p["value"] is not None}, peer_years))
    ours = ask(OURS, f'{{ figures(measure: ASYLUM_SEEKERS, filter: {{origin: ["{o}"], years: {{from: 2023, to: 2023}}}}, groupBy: [ASYLUM], first: 10) {{ rows {{ asylum {{ code }} value }} }} }}')
    peer = ask(PEER, f'{{ allCurrentPopulations(filter: {{{f}, year: {{equalTo: 2023}}}}) {{ groupedAggregates(groupBy: [ASYLUM]) {{ keys sum {{ asylumSeekers }} }} }} }}')
    top_peer = sorted((num(g["sum"]["asylumSeekers"]) for g in peer["allCurrentPopulations"]["groupedAggregates"]), reverse=True)[:10]
    checks.append(("top 10 destinations", [num(r["value"]) for r in ours["figures"]["rows"]], top_peer))
    ours = ask(OURS, f'{{ figures(measure: REFUGEES, filter: {{origin: ["{o}"], years: {{from: 2013, to: 2023}}}}) {{ total }} }}')
    peer = ask(PEER, f'{{ allCurrentPopulations(filter: {{{f}, year: {{greaterThanOrEqualTo: 2013, lessThanOrEqualTo: 2023}}}}) {{ aggregates {{ sum {{ refugees }} }} }} }}')
    checks.append(("period total", num(ours["figures"]["total"]), num(peer["allCurrentPopulations"]["aggregates"]["sum"]["refugees"])))
    for name, a, b in checks:
        if a == b:
            identical += 1
        else:
            differing += 1
            notes.append(f"{o} {name}: ours {a} vs peer {b}")

# where the two define "not reported" differently: a sum over nothing reported
ours = ask(OURS, '{ figures(measure: OTHER_IN_NEED, filter: {years: {from: 2000, to: 2010}}) { total } }')["figures"]["total"]
peer = ask(PEER, '{ allCurrentPopulations(filter: {year: {greaterThanOrEqualTo: 2000, lessThanOrEqualTo: 2010}}) { aggregates { sum { otherInNeed } } } }')
peer_total = peer["allCurrentPopulations"]["aggregates"]["sum"]["otherInNeed"]
print(f"answers compared: {identical + differing}, identical: {identical}, differing: {differing}")
for n in notes:
    print("  " + n)
print(f"not reported (other_in_need 2000-2010, reported only from 2018): ours {ours!r}, PostGraphile {peer_total!r}"
      " (PostGraphile reports an all-null sum as 0)")
