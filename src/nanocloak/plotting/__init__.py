"""Matplotlib figures from plain arrays (imported lazily; no science here)."""
