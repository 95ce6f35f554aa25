#!/usr/bin/env python3
"""The analyst -> reviewer -> front-end journey through a running gateway, with real Keycloak tokens,
checking the answers against the raw UNHCR files it uploaded.

  journey.py GATEWAY_URL OIDC_URL SAMPLE_DATA_DIR

An analyst creates the Mid-Year Trends 2023 release (2023 up to 30 June), uploads its five files and
submits it; a reviewer publishes it; an anonymous front-end asks for a yearly series and sees the
mid-year figures flagged partial. Then Global Trends 2023 goes the same way and the same question
shows the final figures, the revision of the preliminary one and the top destinations of 2022. Every
figure is compared with the sum computed here from the uploaded CSV, and years with nothing reported must
be null, not 0. Also checked: a forged token and
no token are refused on the analysts' API. Prints one line per step and exits 1 at the first
difference.
"""
import base64
import csv
import gzip
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

GATEWAY, OIDC, DATA = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3]
DATASETS = {"population": "population", "asylum-applications": "asylum_applications",
            "asylum-decisions": "asylum_decisions", "demographics": "demographics", "solutions": "solutions"}
ORIGIN, YEARS = "SYR", range(2019, 2024)


def call(method, url, body=None, token=None, content_type=None, expect=(200,)):
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    if status not in expect:
        fail(f"{method} {url} answered {status}, expected {expect}: {payload[:300]!r}")
    return json.loads(payload) if payload.startswith((b"{", b"[")) else payload


def fail(message):
    print("FAIL " + message, flush=True)
    sys.exit(1)


def step(message):
    print("ok   " + message, flush=True)


def token(user):
    form = urllib.parse.urlencode({"grant_type": "password", "client_id": "asylum-stats-cli",
                                   "username": user, "password": user}).encode()
    return call("POST", OIDC + "/protocol/openid-connect/token", form,
                content_type="application/x-www-form-urlencoded")["access_token"]


def publish(folder, release):
    analyst = token("analyst")
    created = call("POST", GATEWAY + "/api/releases", json.dumps(release).encode(), analyst,
                   "application/json", expect=(201,))
    for dataset, file in DATASETS.items():
        with open(f"{DATA}/{folder}/{file}.csv.gz", "rb") as upload:
            call("PUT", f"{GATEWAY}/api/releases/{created['id']}/datasets/{dataset}", upload.read(), analyst,
                 "application/gzip", expect=(200, 201))
    call("POST", f"{GATEWAY}/api/releases/{created['id']}/submit", b"", analyst, expect=(200, 204))
    call("POST", f"{GATEWAY}/api/releases/{created['id']}/publish", b"", token("reviewer"), expect=(200, 204))
    step(f"{release['title']}: created, five files uploaded and submitted by analyst, published by reviewer"
         f" (release {created['id']})")


def ask(query):
    answer = call("POST", GATEWAY + "/graphql", json.dumps({"query": query}).encode(),
                  content_type="application/json")
    if answer.get("errors"):
        fail(f"GraphQL errors: {json.dumps(answer['errors'])[:300]}")
    return answer["data"]


def raw_sums(folder, file, value_column, key, keep=lambda row: True):
    """Sums of the reported cells by key; a key whose cells are all "not reported" (empty, "-") is absent."""
    sums = defaultdict(int)
    with gzip.open(f"{DATA}/{folder}/{file}.csv.gz", "rt", encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            cell = (row[value_column] or "").strip()
            if cell not in ("", "-") and keep(row):
                sums[key(row)] += int(cell)
    return sums


def check_series(folder, title, partial_end):
    expected = raw_sums(folder, "population", "refugees", lambda r: int(r["year"]),
                       lambda r: r["coo_iso"] == ORIGIN)
    points = ask(f'{{ series(measure: REFUGEES, filter: {{origin: ["{ORIGIN}"], years: {{from: {YEARS[0]}, '
                 f'to: {YEARS[-1]}}}}}) {{ year value partial periodEnd release {{ title }} }} }}')["series"]
    if [p["year"] for p in points] != list(YEARS):
        fail(f"series years {[p['year'] for p in points]}")
    for point in points:
        if int(point["value"]) != expected[point["year"]]:
            fail(f"refugees from {ORIGIN} in {point['year']}: {point['value']}, the file says {expected[point['year']]}")
        if point["release"]["title"] != title:
            fail(f"{point['year']} came from {point['release']['title']}, expected {title}")
    last = points[-1]
    if last["partial"] != (partial_end is not None) or last["periodEnd"] != (partial_end or "2023-12-31"):
        fail(f"2023 partial={last['partial']} periodEnd={last['periodEnd']}, expected end {partial_end or '2023-12-31'}")
    step(f"series of refugees from {ORIGIN} {YEARS[0]}-{YEARS[-1]} equals {folder}'s file, from {title},"
         f" 2023 {'partial to ' + partial_end if partial_end else 'whole year'}")


def check_top_destinations(folder):
    expected = raw_sums(folder, "asylum_applications", "applied", lambda r: r["coa_iso"],
                        lambda r: r["year"] == "2022" and r["app_pc"] == "P")
    table = ask('{ figures(measure: APPLICATIONS, groupBy: [ASYLUM], first: 5, filter: {years: {from: 2022, to: 2022}})'
                ' { total unit rows { asylum { code } value } } }')["figures"]
    top = sorted(expected.items(), key=lambda kv: -kv[1])[:5]
    got = [(row["asylum"]["code"], int(row["value"])) for row in table["rows"]]
    if got != top:
        fail(f"top destinations of 2022 applications (persons): {got}, the file says {top}")
    if table["unit"] != "PERSONS" or int(table["total"]) != sum(expected.values()):
        fail(f"2022 applications total {table['total']} {table['unit']}, the file says {sum(expected.values())} PERSONS")
    step(f"top 5 destinations of 2022 asylum applications (persons, cases left out) equal the file: {got}")


def check_not_reported():
    # "other people in need of international protection" from Venezuela: no cell reported before 2018,
    # some cells reported and some not from then on; a year with nothing reported is null, never 0
    years = range(2015, 2024)
    expected = raw_sums("gt2023", "population", "oip", lambda r: int(r["year"]), lambda r: r["coo_iso"] == "VEN")
    points = ask('{ series(measure: OTHER_IN_NEED, filter: {origin: ["VEN"], years: {from: 2015, to: 2023}}) { year value } }')["series"]
    got = {p["year"]: None if p["value"] is None else int(p["value"]) for p in points}
    want = {year: expected.get(year) for year in years}
    if got != want:
        fail(f"other in need from VEN: {got}, the file says {want} (None = not reported)")
    step(f"other in need from VEN 2015-2023: not reported years null ({[y for y in years if want[y] is None]}),"
         " the others the sums of their reported cells")


def check_revision():
    revisions = ask(f'{{ revisions(measure: REFUGEES, filter: {{origin: ["{ORIGIN}"], years: {{from: 2023, to: 2023}}}})'
                    ' { year vintages { value periodEnd release { title } } } }')["revisions"]
    mid = raw_sums("my2023", "population", "refugees", lambda r: r["year"], lambda r: r["coo_iso"] == ORIGIN)["2023"]
    final = raw_sums("gt2023", "population", "refugees", lambda r: r["year"], lambda r: r["coo_iso"] == ORIGIN)["2023"]
    vintages = [(v["release"]["title"], int(v["value"]), v["periodEnd"]) for r in revisions for v in r["vintages"]]
    expected = [("Mid-Year Trends 2023", mid, "2023-06-30"), ("Global Trends 2023", final, "2023-12-31")]
    if vintages != expected:
        fail(f"revision of 2023 refugees from {ORIGIN}: {vintages}, expected {expected}")
    step(f"revision of 2023 refugees from {ORIGIN}: {mid} at 30 June (preliminary) -> {final} final")


def check_refusals():
    call("GET", GATEWAY + "/api/releases", expect=(401,))
    analyst = token("analyst")
    header, payload, signature = analyst.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["realm_access"] = {"roles": ["reviewer", "admin"]}
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    forged = ".".join([header, forged_payload, signature])
    call("GET", GATEWAY + "/api/releases", token=forged, expect=(401,))
    call("GET", GATEWAY + "/api/releases", token=analyst, expect=(200,))
    step("analysts' API: no token 401, a token with forged roles 401, the analyst's real token 200")


check_refusals()
publish("my2023", {"title": "Mid-Year Trends 2023", "source": "UNHCR Refugee Data Finder", "publishedOn": "2023-10-25",
                   "preliminaryYears": [2023], "referencePeriods": [{"year": 2023, "end": "2023-06-30"}]})
check_series("my2023", "Mid-Year Trends 2023", "2023-06-30")
publish("gt2023", {"title": "Global Trends 2023", "source": "UNHCR Refugee Data Finder", "publishedOn": "2024-06-13",
                   "preliminaryYears": []})
check_series("gt2023", "Global Trends 2023", None)
check_revision()
check_not_reported()
check_top_destinations("gt2023")
print("journey passed", flush=True)
