"""Public disclosure: the ratings site, red and black lists, methodology and appeal statistics, and open data."""
