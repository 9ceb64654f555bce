-- POST /en/report (the public reporting form) with a new text each time, no cookie.
-- Expects 200 with the receipt code on the page.
dofile(os.getenv("HAVEN_BENCH_LUA_DIR") .. "/common.lua")

local n = 0

function init(args)
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  n = n + 1
  local body = "category=labour_exploitation&occurred=2026-10"
    .. "&what=Bench+report+" .. (tid or 0) .. "x" .. n .. "+wages+unpaid+for+three+months"
    .. "&place=near+the+canal&reporter_role=victim&may_contact=no&language=ar"
  return wrk.format("POST", "/en/report", nil, body)
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, "class=\"code\"", 1, true) then bad = bad + 1 end
end
