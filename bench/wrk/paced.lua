-- GET the URL given to wrk with the session cookie in HAVEN_COOKIE, as staff at work would:
-- every connection is one person who waits a random while before asking again, the waits
-- drawn from an exponential distribution with mean HAVEN_BENCH_THINK_MS milliseconds. With
-- C connections the server sees about C * 1000 / (think + latency) requests a second,
-- arriving at random rather than in lockstep. wrk's latency figures leave the waits out.
-- Like page.lua, no response() hook; scripts/bench-casework checks the page after the run.
dofile(os.getenv("HAVEN_BENCH_LUA_DIR") .. "/common.lua")

local think

function init(args)
  wrk.headers["Cookie"] = os.getenv("HAVEN_COOKIE")
  think = tonumber(os.getenv("HAVEN_BENCH_THINK_MS") or "")
  if not think or think <= 0 then
    error("HAVEN_BENCH_THINK_MS must be a positive number of milliseconds")
  end
  math.randomseed(os.time() * 1000 + tid)
end

function delay()
  -- 1 - random() lies in (0, 1], so the logarithm is finite.
  return math.floor(-think * math.log(1 - math.random()))
end
