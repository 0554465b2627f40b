"""The scheduler: re-checks driven by the deadline calendar, a weekly full change check, the weekly digest.

    calendar.py  what is due when (pure: regions, the judge's statuses, past runs, today → crawls)
    jobs.py      the job functions; every crawl and digest is a `python -m monitor` subprocess
    runner.py    APScheduler setup: SQLite job store in its own file, explicit job ids, one process per store
    clock.py     real or simulated time ("today" for every --as-of)
    history.py   what ran when (executed, failed, missed), kept beside the job store

Started by `python -m monitor schedule` (monitor.cli.schedule_cmd).
"""
