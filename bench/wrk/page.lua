-- GET the URL given to wrk (a staff page such as /staff/cases or /staff/shelters) with the
-- session cookie in HAVEN_COOKIE. No response() hook: with one, wrk copies every body (65 KB
-- here) into Lua, and on a shared 2-core machine that cost lands on the server's figures.
-- Instead scripts/bench-casework asks the page once more after the run and counts anything
-- but 200 (a lapsed session would answer 303 to the sign-in page) as an error.
dofile(os.getenv("HAVEN_BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  wrk.headers["Cookie"] = os.getenv("HAVEN_COOKIE")
end
