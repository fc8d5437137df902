#!/usr/bin/python3
"""The packed SGEMM's deep path (products with A of 16 MiB or more: K in passes of 512, tiles of a row
group by a block of column panels) against a float64 numpy reference, at 1 and at 2 threads.

Neither the conformance suite nor the zoo has a product that large (ViT's biggest is 197 x 3072), so
before these cases only tools/gemm_bench.c's sampled checks reached it. The cases: a depth that is not
a multiple of the pass (a short last pass), a partial last column panel (its results stored straight
into C, or through the narrow kernel when 1-4 wide), rows that are not a multiple of the 6-row panel,
and Gemm with a bias row and transB. Tolerance: rtol 1e-3, atol 1e-4 relative to the
scale of the sums (the inputs are scaled by 1/sqrt(K)).

usage: tests/gemm_kernels.py [path/to/infer]      (one line per case and thread count; exit 1 on any failure)
"""
import sys
import tempfile

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import cli_case

INFER = sys.argv[1] if len(sys.argv) > 1 else "build/infer"
TMP = tempfile.mkdtemp(prefix="infer_gemm_")
RTOL, ATOL = 1e-3, 1e-4
rng = np.random.default_rng(7)


def case(name, m, n, k, kind="matmul", bias=False, trans_b=False):
    a = (rng.standard_normal((m, k)) / np.sqrt(k)).astype(np.float32)
    b = rng.standard_normal((n, k) if trans_b else (k, n)).astype(np.float32)
    c = rng.standard_normal(n).astype(np.float32) if bias else None
    ref = a.astype(np.float64) @ (b.T if trans_b else b).astype(np.float64)
    if bias:
        ref += c
    inputs = [helper.make_tensor_value_info("A", TensorProto.FLOAT, [m, k])]
    inits, feeds = [numpy_helper.from_array(b, "B")], [("A", a)]
    if kind == "gemm":
        ins = ["A", "B"] + (["C"] if bias else [])
        if bias:
            inits.append(numpy_helper.from_array(c, "C"))
        node = helper.make_node("Gemm", ins, ["Y"], transB=1 if trans_b else 0)
    else:
        node = helper.make_node("MatMul", ["A", "B"], ["Y"])
    graph = helper.make_graph([node], name, inputs, [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [m, n])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    d, args = cli_case.save(TMP, name, model, feeds)
    bad = 0
    for t in (1, 2):
        err, od = cli_case.run(INFER, d, args, "_t%d" % t, ["-t", str(t)])
        if err:
            print("FAIL  %-28s %d thread(s): %s" % (name, t, err))
            bad += 1
            continue
        y = cli_case.output(od, 0).astype(np.float64)
        e = np.abs(y - ref)
        ok = y.shape == ref.shape and bool(np.all(e <= ATOL + RTOL * np.abs(ref)))
        print("%-5s %-28s %d thread(s): max err %.2g" % ("ok" if ok else "FAIL", name, t, float(e.max())))
        bad += 0 if ok else 1
    return bad


CASES = [
    ("deep_k1300_n40", dict(m=4096, n=40, k=1300)),                       # short last pass, 8-wide last panel
    ("deep_m4099_k1024_n35", dict(m=4099, n=35, k=1024)),                 # rows past the 6-row panels, 3-wide tail
    ("deep_gemm_bias_transb", dict(m=3001, n=150, k=1500, kind="gemm", bias=True, trans_b=True)),
    ("deep_k1536_n17", dict(m=3000, n=17, k=1536)),                       # exact passes, a 1-column tail
]

failed = [n for n, kw in CASES if case(n, **kw)]
print("gemm_kernels: %d cases, %d failed%s" % (len(CASES), len(failed), (": " + " ".join(failed)) if failed else ""))
cli_case.finish(TMP, not failed)
sys.exit(1 if failed else 0)
