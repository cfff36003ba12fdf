#!/usr/bin/python3
"""bench/peers/r1_expected.py - exact expectation (and variance) of reference model R1.

Derivation in bench/README.md. Per area, the expected numbers in care C(t) and at home H(t)
solve the linear system x' = B x + f, x = (C, H), f = (lam, 0), x(0) = 0, with
    B = [[-M, r], [a, -h]],  M = a + b (all exits), a = 1/1500 (reunification), b = 1/1800,
    h = 1/365 (leaving home: re-entry or closed), r = 0.3 h (re-entry).
Closed form: x(t) = (I - V e^{Dt} V^-1) x*, x* = -B^-1 f, with B = V D V^-1.
Expected events per area = lam T + integral_0^T (M C + r H) dt.

As a cross-check and for the variance, the script also solves the backward moment equations of
one child's event count (first and second moments) with a matrix exponential; see the README.
Prints one JSON line. Usage: r1_expected.py [--areas A] [--horizon DAYS]
"""
import argparse
import json

import numpy as np
from scipy.linalg import expm

LAM, A_REUN, B_OTHER = 0.6, 1 / 1500, 1 / 1800
H_LEAVE, P_REENTRY = 1 / 365, 0.3


def forward(T):
    """Closed form by eigen-decomposition: (C(T), H(T), expected events in [0, T]) per area."""
    M, r = A_REUN + B_OTHER, P_REENTRY * H_LEAVE
    B = np.array([[-M, r], [A_REUN, -H_LEAVE]])
    f = np.array([LAM, 0.0])
    mu, V = np.linalg.eig(B)                  # two real negative eigenvalues
    Vi = np.linalg.inv(V)
    xs = -np.linalg.solve(B, f)               # steady state x*
    x_T = xs - V @ np.diag(np.exp(mu * T)) @ Vi @ xs
    int_x = xs * T - V @ np.diag(np.expm1(mu * T) / mu) @ Vi @ xs
    flows = {"entries": LAM * T, "reentries": r * int_x[1], "exits_reunification": A_REUN * int_x[0],
             "exits_other": B_OTHER * int_x[0], "closed": (H_LEAVE - r) * int_x[1]}
    events = LAM * T + M * int_x[0] + r * int_x[1]
    return x_T[0], x_T[1], events, mu, xs, flows


def backward(T):
    """Moments of one child's counted events and of its being in care, as a linear ODE in the
    time u left to the horizon, integrated over arrival times; solved exactly with expm.
    Returns per area: mean events, var events, mean stock (= var stock: Poisson)."""
    a, b = A_REUN, B_OTHER
    r, k = P_REENTRY * H_LEAVE, (1 - P_REENTRY) * H_LEAVE
    # y = [m1c, m1h, m2c, m2h, pc, ph, I1, I2, Ip, 1]
    G = np.zeros((10, 10))
    G[0, [0, 1, 9]] = [-(a + b), a, a + b]               # m1c' = a(1+m1h-m1c) + b(1-m1c)
    G[1, [0, 1, 9]] = [r, -(r + k), r]                   # m1h' = r(1+m1c-m1h) - k m1h
    G[2, [1, 2, 3, 9]] = [2 * a, -(a + b), a, a + b]     # m2c' = a(1+2m1h+m2h-m2c) + b(1-m2c)
    G[3, [0, 2, 3, 9]] = [2 * r, r, -(r + k), r]         # m2h' = r(1+2m1c+m2c-m2h) - k m2h
    G[4, [4, 5]] = [-(a + b), a]                         # pc = P(in care after u | in care now)
    G[5, [4, 5]] = [r, -(r + k)]                         # ph = P(in care after u | home now)
    G[6, [0, 9]] = [1, 1]                                # I1' = 1 + m1c (the entry counts 1)
    G[7, [0, 2, 9]] = [2, 1, 1]                          # I2' = E[(1 + Kc)^2]
    G[8, 4] = 1                                          # Ip' = pc
    y0 = np.zeros(10)
    y0[4] = y0[9] = 1.0
    y = expm(G * T) @ y0
    return LAM * y[6], LAM * y[7], LAM * y[8]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--areas", type=int, default=150)
    ap.add_argument("--horizon", type=float, default=3650)
    args = ap.parse_args()
    A, T = args.areas, args.horizon
    C, H, ev, mu, xs, flows = forward(T)
    ev_b, ev_var, st_b = backward(T)
    assert abs(ev - ev_b) <= 1e-8 * max(1.0, ev) and abs(C - st_b) <= 1e-8 * max(1.0, C), (ev, ev_b, C, st_b)
    print(json.dumps({"areas": A, "horizon": T, "final_stock_mean": A * C, "events_mean": A * ev,
                      "final_stock_sd": (A * C) ** 0.5, "events_sd": (A * ev_var) ** 0.5,
                      "home_mean": A * H, "eigenvalues": sorted(mu.real.tolist()),
                      "steady_state_stock": A * xs[0], "flows": {k: A * v for k, v in flows.items()}}))


if __name__ == "__main__":
    main()
