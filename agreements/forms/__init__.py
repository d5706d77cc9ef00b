"""Forms of the agreements app: they parse and validate input; the use cases write."""
