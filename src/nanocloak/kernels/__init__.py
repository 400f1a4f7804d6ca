"""Pure numerical kernels: functions on floats and arrays in documented units; no pint, no I/O."""
