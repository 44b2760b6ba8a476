"""The optimisation model: a generic assignment core (``core``), its named constraints, and the solve."""
