"""Thermal kernels: the lumped (well-mixed) heating model of a sample in a cuvette or vial.

Used by the photothermal-efficiency and magnetic-heating analyses; units are SI with °C for
temperatures (differences in K).
"""

from nanocloak.kernels.thermal.lumped import (
    absorbed_power_w,
    cooling_curve_c,
    heating_curve_c,
    heating_power_w,
    intrinsic_loss_power_h_m2_per_kg,
    loss_coefficient_w_per_k,
    lumped_temperature_c,
    photothermal_efficiency,
    steady_rise_k,
    time_constant_s,
)

__all__ = [
    "absorbed_power_w",
    "cooling_curve_c",
    "heating_curve_c",
    "heating_power_w",
    "intrinsic_loss_power_h_m2_per_kg",
    "loss_coefficient_w_per_k",
    "lumped_temperature_c",
    "photothermal_efficiency",
    "steady_rise_k",
    "time_constant_s",
]
