"""Permeability-limited nanoparticle PBPK kernel (Lin 2016 / Cheng 2020 lineage).

Pure numpy/scipy on floats and arrays; units h, mg, L, kg. ``model`` holds the topology, the
batched parameters and the right-hand side; ``uptake`` the phagocytic uptake laws; ``solve`` the
dosing events and the batched stiff solver; ``metrics`` AUC, half-lives and tumor delivery
efficiency.
"""
