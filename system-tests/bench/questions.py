#!/usr/bin/env python3
"""The benchmark's questions, one source for every path: the dashboard mix of four questions (yearly
series, top 10 destinations, period total, period against baseline) over 20 origins, as our GraphQL
API, as PostGraphile with pg-aggregates and as plain SQL ask them (80 distinct questions each).

`questions.py write DIR` writes them one per line (ours.txt, peer.txt) for mix.lua."""
import sys

ORIGINS = ["SYR", "AFG", "UKR", "VEN", "SSD", "MMR", "COD", "SDN", "SOM", "CAF",
           "ERI", "BDI", "IRQ", "NGA", "CHN", "COL", "PAK", "IRN", "TUR", "RUS"]
KINDS = ["series", "top destinations", "period total", "compare"]


def ours(kind, o):
    return {
        "series": f'{{ series(measure: REFUGEES, filter: {{origin: ["{o}"], years: {{from: 2000, to: 2023}}}}) {{ year value }} }}',
        "top destinations": f'{{ figures(measure: ASYLUM_SEEKERS, filter: {{origin: ["{o}"], years: {{from: 2023, to: 2023}}}}, groupBy: [ASYLUM], first: 10) {{ rows {{ asylum {{ code }} value }} }} }}',
        "period total": f'{{ figures(measure: REFUGEES, filter: {{origin: ["{o}"], years: {{from: 2013, to: 2023}}}}) {{ total }} }}',
        "compare": f'{{ compare(measure: REFUGEES, filter: {{origin: ["{o}"]}}, period: {{from: 2021, to: 2023}}, baseline: {{from: 2017, to: 2019}}) {{ periodTotal baselineTotal }} }}',
    }[kind]


def peer(kind, o):
    f = f'origin: {{equalTo: "{o}"}}'
    return {
        "series": f'{{ allCurrentPopulations(filter: {{{f}, year: {{greaterThanOrEqualTo: 2000, lessThanOrEqualTo: 2023}}}}) {{ groupedAggregates(groupBy: [YEAR]) {{ keys sum {{ refugees }} }} }} }}',
        # pg-aggregates cannot order or limit grouped aggregates on the server: every destination comes back
        "top destinations": f'{{ allCurrentPopulations(filter: {{{f}, year: {{equalTo: 2023}}}}) {{ groupedAggregates(groupBy: [ASYLUM]) {{ keys sum {{ asylumSeekers }} }} }} }}',
        "period total": f'{{ allCurrentPopulations(filter: {{{f}, year: {{greaterThanOrEqualTo: 2013, lessThanOrEqualTo: 2023}}}}) {{ aggregates {{ sum {{ refugees }} }} }} }}',
        "compare": f'{{ p: allCurrentPopulations(filter: {{{f}, year: {{greaterThanOrEqualTo: 2021, lessThanOrEqualTo: 2023}}}}) {{ aggregates {{ sum {{ refugees }} }} }} b: allCurrentPopulations(filter: {{{f}, year: {{greaterThanOrEqualTo: 2017, lessThanOrEqualTo: 2019}}}}) {{ aggregates {{ sum {{ refugees }} }} }} }}',
    }[kind]


def sql(kind, o):
    """What floor.sql runs for the same question (pgbench draws origin and kind at random)."""
    where = f"origin = '{o}'"
    return {
        "series": f"SELECT json_agg(t) FROM (SELECT year, sum(refugees) AS value FROM stats.current_population WHERE {where} AND year BETWEEN 2000 AND 2023 GROUP BY year ORDER BY year) t",
        "top destinations": f"SELECT json_agg(t) FROM (SELECT asylum, sum(asylum_seekers) AS value FROM stats.current_population WHERE {where} AND year = 2023 GROUP BY asylum ORDER BY value DESC NULLS LAST LIMIT 10) t",
        "period total": f"SELECT json_agg(t) FROM (SELECT sum(refugees) AS value FROM stats.current_population WHERE {where} AND year BETWEEN 2013 AND 2023) t",
        "compare": f"SELECT json_agg(t) FROM (SELECT sum(refugees) FILTER (WHERE year BETWEEN 2021 AND 2023) AS p, sum(refugees) FILTER (WHERE year BETWEEN 2017 AND 2019) AS b FROM stats.current_population WHERE {where}) t",
    }[kind]


def all_questions():
    """(origin, kind) in the order every path asks them."""
    return [(o, k) for o in ORIGINS for k in KINDS]


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "write":
    with open(f"{sys.argv[2]}/ours.txt", "w") as out:
        out.writelines(ours(k, o) + "\n" for o, k in all_questions())
    with open(f"{sys.argv[2]}/peer.txt", "w") as out:
        out.writelines(peer(k, o) + "\n" for o, k in all_questions())
