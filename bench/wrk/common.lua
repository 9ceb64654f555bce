-- Shared by the Haven wrk scripts: counts responses that are not what the benchmark
-- expects (wrk itself counts 3xx as success, and a lapsed session answers 303 to the
-- sign-in page), and prints "bad=N" at the end so that scripts/bench can refuse the run.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

bad = 0

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("bad") or 0)
  end
  io.write(string.format("bad=%d\n", total))
end
