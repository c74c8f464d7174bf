"""Background jobs: the one mechanism for the long work done after the server has answered — computing a cycle
(``compute``) and rendering its documents after publicize (``render``). docs/operations.md, "The job queue".

- A job is a row of the ``jobs`` table (kind, cycle, actor, status, stage, progress, error), written in the
  caller's transaction (`service.submit`, or `service.run_after_commit` for a row the caller made with its own
  checks). The work is queued only when that transaction commits: an action that rolls back leaves nothing
  running, and the job always sees what the action stored. Pages and the API poll the row
  (``GET /api/v1/jobs/{id}``) from any web process.
- `runner` runs one attempt of a job, whoever runs it: the task function of its kind (`runner.TASKS`), its progress
  and outcome on the row, and the retry decision (an error in the data fails at once; any other error is tried
  again with back-off, `runner.RetryLater`). A kind in `runner.BATCHED` is split into batches (``job_batches``),
  each a task of its own, so that several workers share it; the batch completing the last one finishes the job.
- Where attempts run is a setting (``RATING_JOB_QUEUE``): `queue` hands them to procrastinate on PostgreSQL, run by
  `rating worker` processes on any number of machines, which give back the tasks of a lost worker; `local` runs
  them on threads of the serving process (the embedded SQLite default, `make run`).
- Task functions are plain functions of their rooms that know nothing of this mechanism: they take the database,
  their own arguments and a progress callback (`cycles.service.compute_cycle`,
  `notices.service.render_cycle_documents`, `notices.service.render_document_batch`), and must be idempotent. The
  registry names them by import path, so this package imports no room's service. CLI commands that wait for the
  work call the task functions directly.

Not a job: the public-disclosure cache's builder thread (`disclosure.service.DisclosureCache`). It warms up one
process's cache of public answers, is restarted with the process and recorded nowhere, so it stays where it is.
"""
