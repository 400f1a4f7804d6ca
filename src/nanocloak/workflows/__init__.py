"""Verbs that bridge the domain specs and the kernels (units stripped here, once).

``nanocloak.workflows.design.design`` predicts manufacture and characterization of a design.
"""
