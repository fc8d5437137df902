#!/usr/bin/python3
"""Recurrent kernels (LSTM, GRU, RNN) against a float64 numpy reference, at 1 and at 2 threads.

The conformance suite's recurrent tests are small (hidden sizes up to a few dozen), so they never
reach the path that shares each time step's product between threads by hidden unit (taken from 32K
multiply-adds a step on). These cases are big enough for it: hidden sizes that are not multiples of
the 8-unit ranges, batches, both directions, sequence_lens with short and empty entries, initial
states, peepholes, and GRU with and without linear_before_reset. Every output (Y, Y_h, Y_c) is compared
with the zoo's tolerance (rtol 1e-3, atol 1e-4); the largest error is printed.

usage: tests/rnn_kernels.py [path/to/infer]      (one line per case and thread count; exit 1 on any failure)
"""
import sys
import tempfile

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import cli_case

INFER = sys.argv[1] if len(sys.argv) > 1 else "build/infer"
TMP = tempfile.mkdtemp(prefix="infer_rnn_")
RTOL, ATOL = 1e-3, 1e-4
rng = np.random.default_rng(99)


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def reference(kind, x, w, r, b, h0, c0, p, lens, ndir, lbr):
    """Y [S, D, B, H], Y_h [D, B, H], Y_c [D, B, H] (layout 0), in float64."""
    S, Bn, _ = x.shape
    H = r.shape[2]
    x, w, r = x.astype(np.float64), w.astype(np.float64), r.astype(np.float64)
    y = np.zeros((S, ndir, Bn, H))
    yh = np.zeros((ndir, Bn, H))
    yc = np.zeros((ndir, Bn, H))
    for d in range(ndir):
        wb = b[d, :b.shape[1] // 2].astype(np.float64) if b is not None else 0.0
        rb = b[d, b.shape[1] // 2:].astype(np.float64) if b is not None else np.zeros(r.shape[1])
        for n in range(Bn):
            h = h0[d, n].astype(np.float64) if h0 is not None else np.zeros(H)
            c = c0[d, n].astype(np.float64) if c0 is not None else np.zeros(H)
            L = lens[n]
            steps = range(L - 1, -1, -1) if d == 1 else range(L)
            for t in steps:
                gx = w[d] @ x[t, n] + wb
                if kind == "LSTM":
                    g = gx + r[d] @ h + rb
                    gi, go, gf, gc = g[:H], g[H:2 * H], g[2 * H:3 * H], g[3 * H:]
                    pi, po, pf = (p[d, :H], p[d, H:2 * H], p[d, 2 * H:]) if p is not None else (0, 0, 0)
                    i = sigmoid(gi + pi * c)
                    f = sigmoid(gf + pf * c)
                    c = f * c + i * np.tanh(gc)
                    o = sigmoid(go + po * c)
                    h = o * np.tanh(c)
                elif kind == "GRU":
                    gr = r[d] @ h + rb
                    z = sigmoid(gx[:H] + gr[:H])
                    rr = sigmoid(gx[H:2 * H] + gr[H:2 * H])
                    if lbr:
                        hh = np.tanh(gx[2 * H:] + rr * gr[2 * H:])
                    else:
                        hh = np.tanh(gx[2 * H:] + r[d][2 * H:] @ (rr * h) + rb[2 * H:])
                    h = (1 - z) * hh + z * h
                else:
                    h = np.tanh(gx + r[d] @ h + rb)
                y[t, d, n] = h
            if L == 0:
                h, c = np.zeros(H), np.zeros(H)
            yh[d, n], yc[d, n] = h, c
    return y, yh, yc


def case(name, kind, S, Bn, I, H, ndir=1, lens=None, init=False, peep=False, lbr=0, bias=True):
    G = {"LSTM": 4, "GRU": 3, "RNN": 1}[kind]
    sc = 1.0 / np.sqrt(H)
    x = rng.standard_normal((S, Bn, I)).astype(np.float32)
    w = (rng.uniform(-sc, sc, (ndir, G * H, I))).astype(np.float32)
    r = (rng.uniform(-sc, sc, (ndir, G * H, H))).astype(np.float32)
    b = rng.uniform(-sc, sc, (ndir, 2 * G * H)).astype(np.float32) if bias else None
    h0 = rng.standard_normal((ndir, Bn, H)).astype(np.float32) if init else None
    c0 = rng.standard_normal((ndir, Bn, H)).astype(np.float32) if init and kind == "LSTM" else None
    p = rng.uniform(-sc, sc, (ndir, 3 * H)).astype(np.float32) if peep else None
    seq = np.array(lens if lens is not None else [S] * Bn, np.int32)
    ref = reference(kind, x, w, r, b, h0, c0, p, seq, ndir, lbr)
    names = ["X", "W", "R", "B" if bias else "", "L" if lens is not None else "", "H0" if init else ""]
    inits = [numpy_helper.from_array(w, "W"), numpy_helper.from_array(r, "R")]
    if bias:
        inits.append(numpy_helper.from_array(b, "B"))
    if kind == "LSTM":
        names += ["C0" if init else "", "P" if peep else ""]
        if peep:
            inits.append(numpy_helper.from_array(p, "P"))
    feeds = [("X", x)] + ([("L", seq)] if lens is not None else []) + ([("H0", h0)] if init else []) + \
            ([("C0", c0)] if c0 is not None else [])
    while names and names[-1] == "":
        names.pop()
    outs = ["Y", "Y_h"] + (["Y_c"] if kind == "LSTM" else [])
    attrs = dict(hidden_size=H, direction="bidirectional" if ndir == 2 else "forward")
    if kind == "GRU":
        attrs["linear_before_reset"] = lbr
    node = helper.make_node(kind, names, outs, **attrs)
    ins = [helper.make_tensor_value_info(n, TensorProto.INT32 if n == "L" else TensorProto.FLOAT, list(a.shape))
           for n, a in feeds]
    g = helper.make_graph([node], name, ins, [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outs],
                          inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)], producer_name="rnn_kernels")
    m.ir_version = 8
    d, args = cli_case.save(TMP, name, m, feeds)
    ok = True
    for threads in ("1", "2"):
        msgs = []
        err_text, od = cli_case.run(INFER, d, args, threads, ["-t", threads])
        good = err_text is None
        if not good:
            msgs.append(err_text)
        else:
            worst = 0.0
            for k in range(len(outs)):
                yv = cli_case.output(od, k).astype(np.float64)
                want = ref[k]
                if yv.shape != want.shape:
                    good = False
                    msgs.append("%s: shape %s, expected %s" % (outs[k], yv.shape, want.shape))
                    continue
                err = np.abs(yv - want)
                worst = max(worst, float(err.max()))
                bad = err > ATOL + RTOL * np.abs(want)
                if bad.any():
                    good = False
                    msgs.append("%s: %d elements out of tolerance" % (outs[k], int(bad.sum())))
            msgs.insert(0, "max err %.2g" % worst)
        print("%s  %-34s %s thread(s): %s" % ("ok  " if good else "FAIL", name, threads, ", ".join(msgs)))
        ok = ok and good
    return ok


CASES = [
    ("lstm_h128", dict(kind="LSTM", S=12, Bn=1, I=64, H=128)),
    ("lstm_h100_bidir_peep_init", dict(kind="LSTM", S=9, Bn=2, I=30, H=100, ndir=2, init=True, peep=True)),
    ("lstm_h96_lens_batch3", dict(kind="LSTM", S=7, Bn=3, I=20, H=96, ndir=2, lens=[7, 3, 0], init=True)),
    ("lstm_h20_one_thread", dict(kind="LSTM", S=5, Bn=1, I=8, H=20)),
    ("gru_h128_lbr", dict(kind="GRU", S=10, Bn=1, I=48, H=128, lbr=1)),
    ("gru_h120_nolbr_bidir_init", dict(kind="GRU", S=8, Bn=2, I=24, H=120, ndir=2, init=True, lbr=0)),
    ("gru_h104_nolbr_lens", dict(kind="GRU", S=6, Bn=3, I=16, H=104, lens=[2, 6, 5], lbr=0, bias=False)),
    ("rnn_h200_lens_bidir", dict(kind="RNN", S=8, Bn=2, I=40, H=200, ndir=2, lens=[8, 5], init=True)),
]


def main():
    ok = True
    for name, kw in CASES:
        ok = case(name, **kw) and ok
    print("rnn kernels: %s" % ("all passed" if ok else "FAILED"))
    cli_case.finish(TMP, ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
