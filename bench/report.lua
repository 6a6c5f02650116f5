-- wrk reporter for bench/run.sh: prints one machine-readable line after the run.
-- Only done() is defined, so wrk keeps its fast path (no Lua per request or response).
-- Latencies are in microseconds; duration is the run's length in microseconds.
-- err_status counts responses with status >= 400 (wrk's own definition of a bad status).
-- dist_us is the latency distribution: the 50, 75, 90, 99, 99.9 and 99.99th percentiles and the max.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LSBENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d "
      .. "err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d dist_us=%d/%d/%d/%d/%d/%d/%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency:percentile(99.99), latency.max))
end
