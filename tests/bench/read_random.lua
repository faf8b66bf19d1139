-- wrk script: reads cases spread over the generated data (a different case almost every time, so
-- the rendered-view cache does not help): lawyer.ho's generated cases are every third one, from
-- the first after the demo's 14.
math.randomseed(42)
request = function()
  local id = 15 + 3 * math.random(0, 30000)
  return wrk.format("GET", "/api/v1/cases/" .. id)
end
done = function(summary, latency, requests)
  io.write(string.format("P95 %.2fms\n", latency:percentile(95) / 1000))
end
