-- Makes every request's query string different (an extra parameter the API ignores), so
-- that no answer comes from Haven's answer cache: the cost of computing each one.
-- Use with a path that already has a query string.
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  prefix = "&uncached=" .. tostring(id) .. "-"
end

function request()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. prefix .. counter)
end
