-- wrk script for .ci/scale: each request a path drawn at random from the
-- file named by SCALE_PATHS, each thread with its own seed.
local paths = {}
for line in io.lines(os.getenv("SCALE_PATHS")) do
  paths[#paths + 1] = line
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init()
  math.randomseed(seed)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
