"""Reading and validating input files: one module per source, all built on ``readers``."""
