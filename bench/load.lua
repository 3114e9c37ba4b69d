-- wrk script for the load run (bench/reliability.sh): round-robin over the request mix in
-- bench/targets.txt (written by reliability.sh: one "header: value" line per header, a blank
-- line, then one path a line); counts statuses; prints throughput, p50/p95/p99 and errors.
local paths, headers = {}, {}
local file = assert(io.open(os.getenv("TARGETS") or "bench/data/reliability/targets.txt"))
local in_headers = true
for line in file:lines() do
  if line == "" then in_headers = false
  elseif in_headers then
    local name, value = line:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  else table.insert(paths, line) end
end
file:close()

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local counter = 0
statuses = {}
function init(args)
  counter = id or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end

function response(status, response_headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + n
    end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests %d in %.1f s: %.1f req/s\n", summary.requests, seconds,
    summary.requests / seconds))
  io.write(string.format("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  local errors = summary.errors
  io.write(string.format("socket errors: connect %d read %d write %d timeout %d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
  for status, n in pairs(totals) do io.write(string.format("status %d: %d\n", status, n)) end
end
