"""Background jobs: the one mechanism for the long work the server does after it has answered — computing a cycle
(``compute``) and rendering its documents after publicize (``render``).

- A job is a row of the ``jobs`` table (kind, cycle, actor, status, stage, progress, error), written in the
  caller's transaction (`service.submit`, or `service.run_after_commit` for a row the caller made with its own
  checks). The work is queued only when that transaction commits: an action that rolls back leaves nothing
  running, and the job always sees what the action stored.
- A few daemon worker threads of the serving process take queued jobs and run the task function of their kind
  (`service.TASKS`), writing its progress and its outcome (done, or failed with the error's code, key and params) to
  the row; pages and the API poll the row (``GET /api/v1/jobs/{id}``).
- Task functions are plain functions of their rooms that know nothing of this mechanism: they take the database,
  their own arguments and a progress callback (`cycles.service.compute_cycle`,
  `notices.service.render_cycle_documents`). The registry names them by import path, as a real queue does, so this
  package imports no room's service; a later issue can move them onto a real queue as they are. CLI commands that
  wait for the work call the task functions directly.
- Jobs run in the process that submitted them. A server that stops leaves its jobs "running"; the next start marks
  them failed (`cycles.service.fail_interrupted_jobs`, called by ``rating serve``).

Not a job: the public-disclosure cache's builder thread (`disclosure.service.DisclosureCache`). It warms up one
process's cache of public answers, is restarted with the process and recorded nowhere, so it stays where it is.
"""
