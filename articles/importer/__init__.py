"""Reading, parsing and cleaning Jekyll-style posts, and writing them as articles."""
