"""`python3 -m caresim calibrate`: fit the England baseline to the published 2010-2017 series.

Modules: data (published series), forward (expected values from the forward equations of the
simulator's piecewise-constant hazards), params (parameter vector, priors, implied rates),
uasc (the unaccompanied asylum-seeking children stream), model (model series and weighted
residuals), fit (least squares and Laplace covariance), backtest (fit 2010-2014, project
2015-2017, naive forecasters), areas (area multipliers), costs (unit costs), tables (the
simulator's CSV tables), report (fit tables and charts), pathway_model, pathway and
pathway_tables (the pathway before care: its forward model, fit and tables). See
docs/calibration.md.
"""
from __future__ import annotations

from .run import calibrate

__all__ = ["calibrate"]
