-- wrk script: also prints the 95th percentile latency (wrk --latency shows 50/75/90/99 only).
done = function(summary, latency, requests)
  io.write(string.format("P95 %.2fms\n", latency:percentile(95) / 1000))
end
