-- GET /staff/persons/{id}, cycling over the ids in the file given after "--".
-- Env: HAVEN_COOKIE = "haven_session=...". Expects 200.
dofile(os.getenv("HAVEN_BENCH_LUA_DIR") .. "/common.lua")

local ids = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(ids, line) end
  end
  if #ids == 0 then error("no ids in " .. tostring(args[1])) end
  -- spread the threads over the list
  i = (tid or 0) * math.floor(#ids / 2)
  wrk.headers["Cookie"] = os.getenv("HAVEN_COOKIE")
end

function request()
  i = i + 1
  return wrk.format("GET", "/staff/persons/" .. ids[(i % #ids) + 1])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
