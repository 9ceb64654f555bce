-- GET the URL given to wrk (a staff page such as /staff/cases or /staff/shelters) with the
-- session cookie in HAVEN_COOKIE. Expects 200: a lapsed session answers 303 to the sign-in
-- page, which wrk alone would count as a success.
dofile(os.getenv("HAVEN_BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  wrk.headers["Cookie"] = os.getenv("HAVEN_COOKIE")
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
