"""Small pure helpers every layer shares, no database: batches, calendar periods, cache keys and
timeouts, the site's name, whether a process lives."""
