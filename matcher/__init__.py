"""Buddying matcher: NHS trust data, classification and (soon) the partnership optimiser.

This package is the domain and optimisation core. It never imports Flask or the
``web`` package, so the CLI, the web service and the tests all share one engine.
"""
