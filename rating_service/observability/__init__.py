"""What the service tells its operators while it runs: Prometheus metrics (`metrics`), structured logs with a
request id (`logs`), and the request id itself (`context`), which a job carries from the request that queued it
into the worker that runs it (docs/operations.md, "Metrics" and "Logs").

Rooms record what happens through the functions of `metrics` (never prometheus_client directly), so that the
names of the series are defined once, here.
"""
