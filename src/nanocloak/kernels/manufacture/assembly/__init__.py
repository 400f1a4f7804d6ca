"""Step 3 (assembly): what each method does, from its settings, in the coating model's terms.

Every method is reduced to the same named quantities (``common.ProcessOutcome``), so
differences between methods come from their physics and settings, not from labels:

* ``capture_intensity`` κ — expected productive encounters of one membrane piece (vesicle)
  with the cores during the process; the coating model turns it into events per particle by
  mass action, λ̄ = n·(1 − e^(−κ)) for n pieces per particle (which grows with the membrane
  excess), and caps it by membrane conservation;
* the vesicle size distribution particles meet (median, geometric SD, nm);
* ``reseal_probability`` — chance that an event with a large-enough vesicle envelops fully;
* core recovery, membrane-protein retention, wall and hands-on time, cost, peak temperature.

One module per method: ``extrusion``, ``sonication``, ``electroporation``, ``co_incubation``.
Units: nm, min, °C, mL, W, J, V, s where stated.
"""
