"""Lab-data analyses: read the tables labs have, fit with uncertainties, return results.

Each module reads ``io.tables.LabTable`` data, uses the kernels' models where one exists, fits
with lmfit, lifelines or statsmodels, and returns an ``AnalysisResult`` that states its formulas.
"""
