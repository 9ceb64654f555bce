-- GET /staff/persons?q=<HAVEN_QUERY>, the name search over blind indexes. Expects 200.
dofile(os.getenv("HAVEN_BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  wrk.headers["Cookie"] = os.getenv("HAVEN_COOKIE")
  wrk.path = "/staff/persons?q=" .. (os.getenv("HAVEN_QUERY") or "Mohammed")
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
