"""Verbs that bridge the domain specs and the kernels (units stripped here, once)."""

from nanocloak.workflows.design import design

__all__ = ["design"]
