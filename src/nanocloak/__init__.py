"""nanocloak: a workbench for cell-membrane-camouflaged inorganic nanoparticles (CMCINPs).

The public API: describe a particle with ``nanocloak.domain.Design``, predict how it is
made with ``nanocloak.workflows.design``, load and save specs with
``nanocloak.io.specs``.
"""

__version__ = "0.1.0"
