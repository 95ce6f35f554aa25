-- The dashboard's query mix for wrk: series, top 10 destinations, period total, compare and
-- revisions, rotating over 20 origins (100 distinct questions), sent as GraphQL POSTs.
local origins = {"SYR","AFG","UKR","VEN","SSD","MMR","COD","SDN","SOM","CAF","ERI","BDI","IRQ","NGA","CHN","COL","PAK","IRN","TUR","RUS"}
local kinds = {
  '{ series(measure: REFUGEES, filter: {origin: [\\"%s\\"], years: {from: 2000, to: 2023}}) { year value status } }',
  '{ figures(measure: ASYLUM_SEEKERS, filter: {origin: [\\"%s\\"], years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 10) { total rows { asylum { code name } value share } } }',
  '{ figures(measure: REFUGEES, filter: {origin: [\\"%s\\"], years: {from: 2013, to: 2023}}) { total preliminary releases { title } } }',
  '{ compare(measure: REFUGEES, filter: {origin: [\\"%s\\"]}, period: {from: 2021, to: 2023}, baseline: {from: 2017, to: 2019}) { ratio } }',
  '{ revisions(measure: REFUGEES, filter: {origin: [\\"%s\\"], years: {from: 2022, to: 2023}}) { year vintages { value change } } }'
}
local bodies = {}
for i, o in ipairs(origins) do
  for k, q in ipairs(kinds) do
    bodies[#bodies + 1] = '{"query":"' .. string.format(q, o) .. '"}'
  end
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, bodies[(n % #bodies) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d rps=%.0f p50=%.2fms p99=%.2fms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
