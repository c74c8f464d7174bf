"""The working-day calendar: PRC working days (`holiday_calendar`, pure) and what an administrator adds to the
`holidays` package's schedule (`service`, `repository`)."""
