-- wrk script for bench/run.sh: sends the session cookie (from the environment) and prints one
-- machine-readable line at the end. Latencies from wrk are in microseconds; printed in ms.
local session = os.getenv("ZC_SESSION")
if session and session ~= "" then
  wrk.headers["Cookie"] = "zc_session=" .. session
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH rps=%.0f p50=%.2f p90=%.2f p99=%.2f max=%.2f requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout))
end
