"""Kernels of the three preparation steps: membrane need, coating, sizing, process and storage."""
