"""Immutable results with summary(), to_dict() and report()."""

from nanocloak.results.design import DesignResult

__all__ = ["DesignResult"]
