"""The pure core: the Danish calendar and the deadline rules (no Flask, no database, no clock)."""
