-- POST /staff/persons (the registration form) with a new name each time.
-- Env: HAVEN_COOKIE, HAVEN_CSRF. Expects 303 to /staff/persons/{new id}.
dofile(os.getenv("HAVEN_BENCH_LUA_DIR") .. "/common.lua")

local n = 0
local csrf

function init(args)
  wrk.headers["Cookie"] = os.getenv("HAVEN_COOKIE")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  csrf = os.getenv("HAVEN_CSRF")
end

function request()
  n = n + 1
  local body = "csrf=" .. csrf
    .. "&name=Bench+Person+" .. (tid or 0) .. "x" .. n
    .. "&alias=Runner&birth_year=1990&residence_status=undocumented"
  return wrk.format("POST", "/staff/persons", nil, body)
end

function response(status, headers, body)
  local loc = headers["location"] or headers["Location"] or ""
  if status ~= 303 or string.sub(loc, 1, 15) ~= "/staff/persons/" then bad = bad + 1 end
end
