-- The dashboard mix for wrk: the 80 questions of questions.py (file BENCH_QUESTIONS, one per line),
-- asked in turn. BENCH_MODE: post (GraphQL POST body), get (GraphQL over GET, the query in the URL),
-- static (GET /q/<n>.json: the same answers as files). wrk's two threads start 40 questions apart, so
-- that no two connections ask the same question at the same moment (a server could compute it once).
local mode = os.getenv("BENCH_MODE") or "post"
local requests = {}
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local function json_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end
-- built in init, per thread: wrk sets the Host header only once the thread starts (a request formatted
-- earlier has none, and every answer is a 400)
init = function(_)
  local i = 0
  for line in io.lines(os.getenv("BENCH_QUESTIONS")) do
    i = i + 1
    if mode == "post" then
      requests[i] = wrk.format("POST", nil, {["Content-Type"] = "application/json"}, '{"query":' .. json_string(line) .. '}')
    elseif mode == "get" then
      requests[i] = wrk.format("GET", wrk.path .. "?query=" .. urlencode(line))
    else
      requests[i] = wrk.format("GET", "/q/" .. i .. ".json")
    end
  end
end

local started = 0
setup = function(thread)
  thread:set("offset", started * 40)
  started = started + 1
end
local n
request = function()
  n = (n or offset or 0) + 1
  return requests[(n % #requests) + 1]
end
done = function(summary, latency, _)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests, errors))
end
