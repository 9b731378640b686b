-- wrk script: check-ins (POST /api/v1/checkins) as one cadre, each with a fresh client_id and the
-- current time, at the village centre (ZC_LAT, ZC_LNG). Prints the same BENCH line as report.lua.
local session, csrf = os.getenv("ZC_SESSION"), os.getenv("ZC_CSRF")
local lat, lng = os.getenv("ZC_LAT"), os.getenv("ZC_LNG")
local counter = 0
local thread_tag

-- ZC_RUN (bench/run.sh: a number of its own per run) seeds the tags: wrk's Lua starts from the same seed
-- every run, so a database kept between runs (BENCH_PROVINCE_DB, BENCH_PROVINCE_PG_DB) met the last run's
-- client_ids again, each a duplicate (409)
math.randomseed(tonumber(os.getenv("ZC_RUN") or "0") % 0x7fffffff)

function setup(thread)
  thread:set("tag", tostring(math.random(1, 0x7fffffff)))
end

function init(args)
  thread_tag = string.format("%08x", tonumber(tag or "1"))
end

function request()
  counter = counter + 1
  local now = os.time() * 1000
  local body = string.format(
    '{"client_id":"%s%016x","at":%d,"sent_at":%d,"lat":%s,"lng":%s,"accuracy_m":15,"source":"gps"}',
    thread_tag, counter, now, now, lat, lng)
  return wrk.format("POST", "/api/v1/checkins", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "zc_session=" .. session,
    ["X-CSRF-Token"] = csrf,
  }, body)
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
