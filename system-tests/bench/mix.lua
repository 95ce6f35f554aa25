-- The dashboard mix for wrk, as our GraphQL API (BENCH_API=ours) or as PostGraphile with
-- pg-aggregates (BENCH_API=peer) asks it: series, top destinations, period total, compare,
-- over 20 origins (80 distinct questions). PostGraphile's grouped aggregates cannot order or
-- limit on the server, so its "top destinations" returns every destination.
local api = os.getenv("BENCH_API") or "ours"
local origins = {"SYR","AFG","UKR","VEN","SSD","MMR","COD","SDN","SOM","CAF","ERI","BDI","IRQ","NGA","CHN","COL","PAK","IRN","TUR","RUS"}
local ours = {
  '{ series(measure: REFUGEES, filter: {origin: [\\"%s\\"], years: {from: 2000, to: 2023}}) { year value } }',
  '{ figures(measure: ASYLUM_SEEKERS, filter: {origin: [\\"%s\\"], years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 10) { rows { asylum { code } value } } }',
  '{ figures(measure: REFUGEES, filter: {origin: [\\"%s\\"], years: {from: 2013, to: 2023}}) { total } }',
  '{ compare(measure: REFUGEES, filter: {origin: [\\"%s\\"]}, period: {from: 2021, to: 2023}, baseline: {from: 2017, to: 2019}) { periodTotal baselineTotal } }'
}
local peer = {
  '{ allCurrentPopulations(filter: {origin: {equalTo: \\"%s\\"}, year: {greaterThanOrEqualTo: 2000, lessThanOrEqualTo: 2023}}) { groupedAggregates(groupBy: [YEAR]) { keys sum { refugees } } } }',
  '{ allCurrentPopulations(filter: {origin: {equalTo: \\"%s\\"}, year: {equalTo: 2023}}) { groupedAggregates(groupBy: [ASYLUM]) { keys sum { asylumSeekers } } } }',
  '{ allCurrentPopulations(filter: {origin: {equalTo: \\"%s\\"}, year: {greaterThanOrEqualTo: 2013, lessThanOrEqualTo: 2023}}) { aggregates { sum { refugees } } } }',
  '{ p: allCurrentPopulations(filter: {origin: {equalTo: \\"%s\\"}, year: {greaterThanOrEqualTo: 2021, lessThanOrEqualTo: 2023}}) { aggregates { sum { refugees } } } b: allCurrentPopulations(filter: {origin: {equalTo: \\"%s\\"}, year: {greaterThanOrEqualTo: 2017, lessThanOrEqualTo: 2019}}) { aggregates { sum { refugees } } } }'
}
local kinds = api == "peer" and peer or ours
local bodies = {}
for _, o in ipairs(origins) do
  for _, q in ipairs(kinds) do
    bodies[#bodies + 1] = '{"query":"' .. string.format(q, o, o) .. '"}'
  end
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[(n % #bodies) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests, errors))
end
