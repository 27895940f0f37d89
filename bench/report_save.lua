-- bench/report_save.lua — wrk script for bench/report_save.sh: one thread per connection (-t N
-- -c N), each saving its own task (PUT /api/v1/tasks/{id}/report) with the version the previous
-- answer gave, so every request is a full save (no version conflicts).
-- The setup file (JSON from bench/report_save.mjs) is read through the environment.
local cfg_text = io.open(os.getenv("BENCH_WRK_CFG")):read("*a")
local n_threads = 0
local threads = {}

local function json_string(s) return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"' end

function setup(thread)
  n_threads = n_threads + 1
  thread:set("idx", n_threads)
  table.insert(threads, thread)
end

function init(args)
  -- the task ids, versions and bodies, as plain Lua patterns over the JSON text
  local tasks = {}
  for obj in cfg_text:gmatch('{"id":%d+,"version":%d+,"bodies":%b[]}') do
    local id, version, bodies = obj:match('{"id":(%d+),"version":(%d+),"bodies":(%b[])}')
    local list = {}
    for b in bodies:sub(2, -2):gmatch('%b{}') do table.insert(list, b) end
    table.insert(tasks, {id = id, version = tonumber(version), bodies = list})
  end
  local t = tasks[idx]
  task_id, version, bodies, i = t.id, t.version, t.bodies, 0
  cookie = cfg_text:match('"cookie":"([^"]*)"')
  csrf = cfg_text:match('"csrf":"([^"]*)"')
  errors = 0
end

function request()
  i = i + 1
  local b = bodies[(i % #bodies) + 1]
  local body = b:sub(1, -2) .. ',"version":' .. version .. '}'
  return wrk.format("PUT", "/api/v1/tasks/" .. task_id .. "/report",
    {["Content-Type"] = "application/json", ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf}, body)
end

function response(status, headers, body)
  if status == 200 then
    version = tonumber(body:match('"version":(%d+)'))
  else
    errors = errors + 1
    version = tonumber(body:match('"current":{.-"version":(%d+)')) or version
  end
end

function done(summary, latency, requests)
  local errs = 0
  for _, t in ipairs(threads) do errs = errs + (t:get("errors") or 0) end
  io.write(string.format('{"saves":%d,"errors":%d,"seconds":%.1f,"per_second":%d,"p50_ms":%.1f,"p99_ms":%.1f}\n',
    summary.requests - errs, errs, summary.duration / 1e6,
    math.floor((summary.requests - errs) / (summary.duration / 1e6)),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
