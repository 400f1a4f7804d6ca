"""Absorption and scattering of spheres and coated spheres by Mie theory.

Homogeneous sphere (Bohren & Huffman, *Absorption and Scattering of Light by Small
Particles*, Wiley 1983, ISBN 0-471-05772-X, §4.4 and the BHMIE program): with the size
parameter ``x = 2π n_med r / λ`` and the relative index ``m = n_p / n_med``,

.. math::

    a_n = \\frac{[D_n(mx)/m + n/x]\\,ψ_n(x) - ψ_{n-1}(x)}{[D_n(mx)/m + n/x]\\,ξ_n(x) - ξ_{n-1}(x)},
    \\qquad
    b_n = \\frac{[m D_n(mx) + n/x]\\,ψ_n(x) - ψ_{n-1}(x)}{[m D_n(mx) + n/x]\\,ξ_n(x) - ξ_{n-1}(x)}

    Q_\\mathrm{ext} = \\frac{2}{x^2} \\sum_n (2n+1)\\,\\mathrm{Re}(a_n + b_n), \\quad
    Q_\\mathrm{sca} = \\frac{2}{x^2} \\sum_n (2n+1)(|a_n|^2 + |b_n|^2), \\quad
    Q_\\mathrm{abs} = Q_\\mathrm{ext} - Q_\\mathrm{sca}

with the Riccati–Bessel functions ``ψ_n``, ``ξ_n = ψ_n − iχ_n`` (upward recurrence, real
argument) and the logarithmic derivative ``D_n = ψ_n'/ψ_n`` by downward recurrence (stable for
absorbing particles). The series stops at ``n = x + 4 x^{1/3} + 2`` (Wiscombe's criterion).

Coated sphere (core radius ``a``, outer radius ``b``): the Aden–Kerker solution in the form of
Bohren & Huffman's BHCOAT program (§8.1), with every logarithmic derivative computed by
downward recurrence and ``χ_n`` of the complex shell arguments by upward recurrence.

Conventions: refractive indices are complex with a **positive** imaginary part for absorption
(``n + ik``, as in the Johnson–Christy and Querry tables); the medium must not absorb (its
imaginary part must be 0: cross-sections in an absorbing host are not uniquely defined).
Efficiencies ``Q`` are cross-sections divided by the geometric cross-section ``π r²`` of the
outer radius. Lengths in nm, cross-sections in nm².

The homogeneous sphere can also be computed by ``miepython`` (an optional extra, Prahl's
well-kept implementation) with ``backend="miepython"``; the numpy path is the default and does
not need it.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

ComplexArray = NDArray[np.complex128]

#: Avogadro constant (1/mol), exact in the 2019 SI.
AVOGADRO_PER_MOL = 6.02214076e23


@dataclass(frozen=True, slots=True)
class MieResult:
    """Efficiencies and cross-sections of one particle at one wavelength.

    Attributes
    ----------
    q_ext, q_sca, q_abs
        Extinction, scattering and absorption efficiencies (dimensionless).
    size_parameter
        ``x = 2π n_med r / λ`` of the outer radius.
    geometric_nm2
        ``π r²`` of the outer radius (nm²).
    """

    q_ext: float
    q_sca: float
    q_abs: float
    size_parameter: float
    geometric_nm2: float

    @property
    def c_ext_nm2(self) -> float:
        """Extinction cross-section (nm²)."""
        return self.q_ext * self.geometric_nm2

    @property
    def c_sca_nm2(self) -> float:
        """Scattering cross-section (nm²)."""
        return self.q_sca * self.geometric_nm2

    @property
    def c_abs_nm2(self) -> float:
        """Absorption cross-section (nm²)."""
        return self.q_abs * self.geometric_nm2

    @property
    def absorption_share(self) -> float:
        """``Q_abs / Q_ext``, the part of the extinguished light that heats."""
        return self.q_abs / self.q_ext


def size_parameter(wavelength_nm: float, radius_nm: float, n_medium: float = 1.0) -> float:
    """``x = 2π n_med r / λ`` (dimensionless).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    radius_nm
        Sphere radius (nm).
    n_medium
        Real refractive index of the surrounding medium.
    """
    if wavelength_nm <= 0.0 or radius_nm <= 0.0 or n_medium <= 0.0:
        raise ValueError("wavelength, radius and medium index must be positive")
    return 2.0 * math.pi * n_medium * radius_nm / wavelength_nm


def _n_terms(x: float) -> int:
    return int(x + 4.0 * x ** (1.0 / 3.0) + 2.0)


def _log_derivative(z: complex, n_terms: int) -> ComplexArray:
    """``D_n(z) = ψ_n'(z)/ψ_n(z)`` for n = 0..n_terms by downward recurrence."""
    start = max(n_terms, int(abs(z))) + 16
    d = np.zeros(start + 1, dtype=complex)
    for n in range(start, 0, -1):
        d[n - 1] = n / z - 1.0 / (d[n] + n / z)
    return d[: n_terms + 1]


def _medium_index(n_medium: complex) -> float:
    if abs(complex(n_medium).imag) > 0.0:
        raise ValueError(
            "the medium must not absorb (imaginary part 0): Mie cross-sections in an absorbing "
            "host are not uniquely defined"
        )
    value = complex(n_medium).real
    if value <= 0.0:
        raise ValueError(f"medium index must be positive; got {value}")
    return value


def _check_particle(name: str, index: complex) -> complex:
    value = complex(index)
    if value.imag < 0.0:
        raise ValueError(
            f"{name} has a negative imaginary part; use n + ik with k ≥ 0 for absorption"
        )
    return value


def sphere_efficiencies(m: complex, x: float) -> tuple[float, float, float]:
    """``(Q_ext, Q_sca, Q_abs)`` of a homogeneous sphere by the Bohren–Huffman series.

    Parameters
    ----------
    m
        Relative complex refractive index ``n_p / n_med`` (imaginary part ≥ 0).
    x
        Size parameter ``2π n_med r / λ`` (> 0).
    """
    if x <= 0.0:
        raise ValueError(f"size parameter must be positive; got {x}")
    m = _check_particle("m", m)
    nstop = _n_terms(x)
    d = _log_derivative(m * x, nstop)
    psi0, psi1 = math.cos(x), math.sin(x)
    chi0, chi1 = -math.sin(x), math.cos(x)
    xi1 = complex(psi1, -chi1)
    q_ext = 0.0
    q_sca = 0.0
    for n in range(1, nstop + 1):
        psi = (2.0 * n - 1.0) * psi1 / x - psi0
        chi = (2.0 * n - 1.0) * chi1 / x - chi0
        xi = complex(psi, -chi)
        da = d[n] / m + n / x
        db = m * d[n] + n / x
        a = (da * psi - psi1) / (da * xi - xi1)
        b = (db * psi - psi1) / (db * xi - xi1)
        q_ext += (2.0 * n + 1.0) * (a + b).real
        q_sca += (2.0 * n + 1.0) * (abs(a) ** 2 + abs(b) ** 2)
        psi0, psi1 = psi1, psi
        chi0, chi1 = chi1, chi
        xi1 = complex(psi1, -chi1)
    q_ext *= 2.0 / x**2
    q_sca *= 2.0 / x**2
    return q_ext, q_sca, q_ext - q_sca


def coated_sphere_efficiencies(
    m_core: complex, m_shell: complex, x_core: float, x_shell: float
) -> tuple[float, float, float]:
    """``(Q_ext, Q_sca, Q_abs)`` of a coated sphere (BHCOAT), referred to the outer radius.

    Parameters
    ----------
    m_core, m_shell
        Relative complex indices of core and shell (imaginary parts ≥ 0).
    x_core, x_shell
        Size parameters of the core and outer radius, ``0 < x_core ≤ x_shell``.
    """
    if not 0.0 < x_core <= x_shell:
        raise ValueError(f"need 0 < x_core ≤ x_shell; got {x_core}, {x_shell}")
    m1 = _check_particle("m_core", m_core)
    m2 = _check_particle("m_shell", m_shell)
    x, y = x_core, x_shell
    nstop = _n_terms(y)
    d_x1 = _log_derivative(m1 * x, nstop)
    d_x2 = _log_derivative(m2 * x, nstop)
    d_y2 = _log_derivative(m2 * y, nstop)
    x2, y2 = m2 * x, m2 * y
    refrel = m2 / m1
    psi0y, psi1y = math.cos(y), math.sin(y)
    chi0y, chi1y = -math.sin(y), math.cos(y)
    xi1y = complex(psi1y, -chi1y)
    chi0x2, chi1x2 = -np.sin(x2), np.cos(x2)
    chi0y2, chi1y2 = -np.sin(y2), np.cos(y2)
    core_matters = True
    q_ext = 0.0
    q_sca = 0.0
    for n in range(1, nstop + 1):
        psiy = (2.0 * n - 1.0) * psi1y / y - psi0y
        chiy = (2.0 * n - 1.0) * chi1y / y - chi0y
        xiy = complex(psiy, -chiy)
        brack: complex = 0.0
        crack: complex = 0.0
        if core_matters:
            chix2 = (2.0 * n - 1.0) * chi1x2 / x2 - chi0x2
            chiy2 = (2.0 * n - 1.0) * chi1y2 / y2 - chi0y2
            chipx2 = chi1x2 - n * chix2 / x2
            chipy2 = chi1y2 - n * chiy2 / y2
            ancap = (refrel * d_x1[n] - d_x2[n]) / (refrel * d_x1[n] * chix2 - chipx2)
            ancap /= chix2 * d_x2[n] - chipx2
            brack = ancap * (chiy2 * d_y2[n] - chipy2)
            bncap = (refrel * d_x2[n] - d_x1[n]) / (refrel * chipx2 - d_x1[n] * chix2)
            bncap /= chix2 * d_x2[n] - chipx2
            crack = bncap * (chiy2 * d_y2[n] - chipy2)
            terms = (brack * chipy2, brack * chiy2, crack * chipy2, crack * chiy2)
            if all(abs(t) <= 1e-12 * abs(d_y2[n]) for t in terms):
                core_matters = False  # the core no longer changes higher orders
                brack = crack = 0.0
            chi0x2, chi1x2 = chi1x2, chix2
            chi0y2, chi1y2 = chi1y2, chiy2
            dnbar = (d_y2[n] - brack * chipy2) / (1.0 - brack * chiy2)
            gnbar = (d_y2[n] - crack * chipy2) / (1.0 - crack * chiy2)
        else:
            dnbar = gnbar = d_y2[n]
        fa = dnbar / m2 + n / y
        fb = m2 * gnbar + n / y
        a = (fa * psiy - psi1y) / (fa * xiy - xi1y)
        b = (fb * psiy - psi1y) / (fb * xiy - xi1y)
        q_ext += (2.0 * n + 1.0) * (a + b).real
        q_sca += (2.0 * n + 1.0) * (abs(a) ** 2 + abs(b) ** 2)
        psi0y, psi1y = psi1y, psiy
        chi0y, chi1y = chi1y, chiy
        xi1y = complex(psi1y, -chi1y)
    q_ext *= 2.0 / y**2
    q_sca *= 2.0 / y**2
    return q_ext, q_sca, q_ext - q_sca


def rayleigh_efficiencies(m: complex, x: float) -> tuple[float, float, float]:
    """Small-particle (dipole) limit ``(Q_ext, Q_sca, Q_abs)``.

    ``Q_abs = 4x Im[(m²−1)/(m²+2)]`` and ``Q_sca = (8/3) x⁴ |(m²−1)/(m²+2)|²`` (Bohren &
    Huffman eqs. 5.7–5.8); exact as ``x → 0`` with ``|m| x`` small.

    Parameters
    ----------
    m
        Relative complex index (imaginary part ≥ 0).
    x
        Size parameter.
    """
    m = _check_particle("m", m)
    alpha = (m**2 - 1.0) / (m**2 + 2.0)
    q_abs = 4.0 * x * alpha.imag
    q_sca = 8.0 / 3.0 * x**4 * abs(alpha) ** 2
    return q_abs + q_sca, q_sca, q_abs


def _sphere_miepython(m: complex, x: float) -> tuple[float, float, float]:
    miepython = importlib.import_module("miepython")  # optional extra, untyped

    # miepython uses n − ik for absorption
    q_ext, q_sca, _, _ = miepython.efficiencies_mx(m.conjugate(), x)
    return float(q_ext), float(q_sca), float(q_ext - q_sca)


def sphere_cross_sections(
    wavelength_nm: float,
    radius_nm: float,
    n_particle: complex,
    n_medium: complex = 1.33,
    backend: str = "numpy",
) -> MieResult:
    """Mie efficiencies and cross-sections of a homogeneous sphere.

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    radius_nm
        Sphere radius (nm).
    n_particle
        Complex refractive index of the particle, ``n + ik`` with ``k ≥ 0``.
    n_medium
        Refractive index of the (non-absorbing) medium, e.g. 1.33 for water.
    backend
        ``"numpy"`` (built in), ``"miepython"`` (optional extra) or ``"auto"`` (miepython if
        it imports, otherwise numpy).
    """
    n_med = _medium_index(n_medium)
    x = size_parameter(wavelength_nm, radius_nm, n_med)
    m = _check_particle("n_particle", n_particle) / n_med
    if backend == "auto":
        try:
            importlib.import_module("miepython")
        except ImportError:
            backend = "numpy"
        else:
            backend = "miepython"
    if backend == "numpy":
        q = sphere_efficiencies(m, x)
    elif backend == "miepython":
        q = _sphere_miepython(m, x)
    else:
        raise ValueError(f"backend must be 'numpy', 'miepython' or 'auto'; got {backend!r}")
    return MieResult(q[0], q[1], q[2], x, math.pi * radius_nm**2)


def coated_sphere_cross_sections(
    wavelength_nm: float,
    core_radius_nm: float,
    outer_radius_nm: float,
    n_core: complex,
    n_shell: complex,
    n_medium: complex = 1.33,
) -> MieResult:
    """Mie efficiencies and cross-sections of a core–shell sphere (e.g. SiO₂@Au nanoshell).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    core_radius_nm, outer_radius_nm
        Core radius and outer (core + shell) radius (nm).
    n_core, n_shell
        Complex refractive indices ``n + ik`` (``k ≥ 0``) of core and shell.
    n_medium
        Refractive index of the (non-absorbing) medium.
    """
    n_med = _medium_index(n_medium)
    if core_radius_nm > outer_radius_nm:
        raise ValueError("the core radius exceeds the outer radius")
    x_core = size_parameter(wavelength_nm, core_radius_nm, n_med)
    x_shell = size_parameter(wavelength_nm, outer_radius_nm, n_med)
    q = coated_sphere_efficiencies(
        _check_particle("n_core", n_core) / n_med,
        _check_particle("n_shell", n_shell) / n_med,
        x_core,
        x_shell,
    )
    return MieResult(q[0], q[1], q[2], x_shell, math.pi * outer_radius_nm**2)


def molar_extinction_per_m_per_cm(cross_section_nm2: float) -> float:
    """Decadic molar (per-particle) coefficient ``ε = C N_A / (1000 ln 10)`` (M⁻¹ cm⁻¹).

    Parameters
    ----------
    cross_section_nm2
        Extinction (or absorption) cross-section of one particle (nm²).
    """
    return cross_section_nm2 * 1e-14 * AVOGADRO_PER_MOL / (1000.0 * math.log(10.0))


def mass_extinction_l_per_g_per_cm(cross_section_nm2: float, particle_mass_g: float) -> float:
    """Decadic mass coefficient ``C / (m 1000 cm³/L ln 10)`` (L g⁻¹ cm⁻¹).

    Parameters
    ----------
    cross_section_nm2
        Cross-section of one particle (nm²).
    particle_mass_g
        Mass of one particle (g).
    """
    if particle_mass_g <= 0.0:
        raise ValueError("particle mass must be positive")
    return cross_section_nm2 * 1e-14 / (particle_mass_g * 1000.0 * math.log(10.0))
