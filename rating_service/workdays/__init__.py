"""The working-day calendar as data: what an administrator adds to the `holidays` package's PRC schedule."""
