"""Early warning (预警) between cycles: the running rating of the period to date, the companies sliding, the weekly
summary (docs/monitor.md)."""
