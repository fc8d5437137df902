#!/usr/bin/python3
"""Convolution kernels against a float64 reference: every path of the Conv kernel (Winograd F(4x4,3x3),
implicit GEMM (unit and larger strides), im2col, pointwise, depthwise, grouped, dilated, strided), with
bias, a fused residual Add and Relu / Clip / SiLU / HardSwish, odd channel counts (partial GEMM panels), tiles across the
edges of the output, asymmetric pads, batch 2 and more than 256 input channels (K slices); and MaxPool
(stride 2 rows are vectorised) exactly against numpy; and the per-channel broadcast of Add / Sub / Mul /
Div ([N, C, H, W] with [N, C, 1, 1], either side: the squeeze-and-excitation scale) exactly against numpy.

Each model runs through the CLI twice: as is, and with the Winograd path off (--no-pass winograd), so
both the Winograd and the direct kernels are compared with the same reference. Tolerance: the zoo's
(rtol 1e-3, atol 1e-4 on outputs of unit scale); the largest errors are printed.

usage: tests/conv_kernels.py [path/to/infer]      (one line per case; exit 1 on any failure)
"""
import sys
import tempfile

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import cli_case

INFER = sys.argv[1] if len(sys.argv) > 1 else "build/infer"
TMP = tempfile.mkdtemp(prefix="infer_conv_")
RTOL, ATOL = 1e-3, 1e-4
rng = np.random.default_rng(1234)


def conv_ref(x, w, b, pads, strides, dil, group):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    ho = (h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) // strides[0] + 1
    wo = (wd + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, m, ho, wo))
    mg = m // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        for a in range(kh):
            for bb in range(kw):
                patch = xs[:, :, a * dil[0]:a * dil[0] + (ho - 1) * strides[0] + 1:strides[0],
                           bb * dil[1]:bb * dil[1] + (wo - 1) * strides[1] + 1:strides[1]]
                y[:, g * mg:(g + 1) * mg] += np.einsum("oc,nchw->nohw", w[g * mg:(g + 1) * mg, :, a, bb].astype(np.float64), patch)
    if b is not None:
        y += b.astype(np.float64)[None, :, None, None]
    return y


def case(name, n, cin, cout, h, wd, k=3, pads=(1, 1, 1, 1), strides=(1, 1), dil=(1, 1), group=1, bias=True,
         residual=False, act=None, one_thread=False):
    x = rng.standard_normal((n, cin, h, wd)).astype(np.float32)
    w = (rng.standard_normal((cout, cin // group, k, k)) / np.sqrt(cin // group * k * k)).astype(np.float32)
    b = rng.standard_normal(cout).astype(np.float32) if bias else None
    ref = conv_ref(x, w, b, pads, strides, dil, group)
    inits = [numpy_helper.from_array(w, "W")] + ([numpy_helper.from_array(b, "B")] if bias else [])
    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(x.shape))]
    feeds = [x]
    nodes = [helper.make_node("Conv", ["X", "W"] + (["B"] if bias else []), ["C"], kernel_shape=[k, k],
                              pads=list(pads), strides=list(strides), dilations=list(dil), group=group)]
    last = "C"
    if residual:
        r = rng.standard_normal(ref.shape).astype(np.float32)
        inputs.append(helper.make_tensor_value_info("R", TensorProto.FLOAT, list(r.shape)))
        feeds.append(r)
        nodes.append(helper.make_node("Add", [last, "R"], ["S"]))
        ref = ref + r
        last = "S"
    if act == "relu":
        nodes.append(helper.make_node("Relu", [last], ["Y"]))
        ref = np.maximum(ref, 0)
    elif act == "clip":
        nodes.append(helper.make_node("Clip", [last, "lo", "hi"], ["Y"]))
        inits += [numpy_helper.from_array(np.array(-0.5, np.float32), "lo"),
                  numpy_helper.from_array(np.array(0.75, np.float32), "hi")]
        ref = np.clip(ref, -0.5, 0.75)
    elif act == "silu":  # Sigmoid + Mul: fused into the convolution as SiLU
        nodes.append(helper.make_node("Sigmoid", [last], ["SG"]))
        nodes.append(helper.make_node("Mul", [last, "SG"], ["Y"]))
        ref = ref / (1.0 + np.exp(-ref))
    elif act == "hardswish":  # HardSigmoid(1/6, 1/2) + Mul, as torch exports hardswish below opset 14
        nodes.append(helper.make_node("HardSigmoid", [last], ["HS"], alpha=1.0 / 6, beta=0.5))
        nodes.append(helper.make_node("Mul", [last, "HS"], ["Y"]))
        ref = ref * np.clip(ref / 6 + 0.5, 0, 1)
    else:
        nodes.append(helper.make_node("Identity", [last], ["Y"]))
    g = helper.make_graph(nodes, name, inputs, [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="conv_kernels")
    m.ir_version = 8
    d, args = cli_case.save(TMP, name, m, [(inputs[i].name, a) for i, a in enumerate(feeds)])
    ok = True
    msgs = []
    runs = [("", ["-t", "2"]), ("direct", ["--no-pass", "winograd", "-t", "2"])]
    if one_thread:  # the single-thread tiling too
        runs.append(("1thread", ["-t", "1"]))
    for label, extra in runs:
        err_text, od = cli_case.run(INFER, d, args, label, extra)
        if err_text:
            ok = False
            msgs.append("%s: %s" % (label or "default", err_text))
            continue
        y = cli_case.output(od, 0)
        if y.shape != ref.shape:
            ok = False
            msgs.append("%s: shape %s, expected %s" % (label or "default", y.shape, ref.shape))
            continue
        err = np.abs(y.astype(np.float64) - ref)
        bad = err > ATOL + RTOL * np.abs(ref)
        msgs.append("%s max err %.2g" % (label or "default", err.max()))
        if bad.any():
            ok = False
            msgs.append("%d elements out of tolerance" % int(bad.sum()))
    print("%s  %-34s %s" % ("ok  " if ok else "FAIL", name, ", ".join(msgs)))
    return ok


CASES = [
    # Winograd: 3x3, stride 1, group 1, >= 16 channels in and out
    ("wino_16x16_5x5", dict(n=1, cin=16, cout=16, h=5, wd=5)),
    ("wino_16x24_7x9", dict(n=1, cin=16, cout=24, h=7, wd=9)),
    ("wino_24x16_13x13_relu", dict(n=1, cin=24, cout=16, h=13, wd=13, act="relu")),
    ("wino_32x48_14x14_res_relu", dict(n=1, cin=32, cout=48, h=14, wd=14, residual=True, act="relu")),
    ("wino_17x19_8x30_pad0", dict(n=1, cin=17, cout=19, h=8, wd=30, pads=(0, 0, 0, 0))),
    ("wino_16x32_10x11_asym_pads", dict(n=1, cin=16, cout=32, h=10, wd=11, pads=(2, 1, 0, 2))),
    ("wino_20x20_1x1_input", dict(n=1, cin=20, cout=20, h=1, wd=1)),
    ("wino_16x16_3x3_pad0", dict(n=1, cin=16, cout=16, h=3, wd=3, pads=(0, 0, 0, 0))),
    ("wino_batch2_res_clip", dict(n=2, cin=24, cout=40, h=23, wd=17, residual=True, act="clip")),
    ("wino_300x16_6x6_kslices", dict(n=1, cin=300, cout=16, h=6, wd=6)),
    ("wino_64x64_56x56_nobias", dict(n=1, cin=64, cout=64, h=56, wd=56, bias=False, act="relu")),
    # the direct paths
    ("im2col_3x3_stride2", dict(n=1, cin=16, cout=24, h=15, wd=15, strides=(2, 2))),
    ("implicit_5x5_wide", dict(n=1, cin=8, cout=20, h=30, wd=40, k=5, pads=(2, 2, 2, 2), residual=True, act="relu")),
    ("stem_7x7_stride2_relu", dict(n=1, cin=3, cout=20, h=61, wd=70, k=7, pads=(3, 3, 3, 3), strides=(2, 2), act="relu")),
    ("pointwise_stride2_res", dict(n=1, cin=24, cout=40, h=50, wd=52, k=1, pads=(0, 0, 0, 0), strides=(2, 2), residual=True)),
    ("im2col_3x3_stride2_asym", dict(n=2, cin=16, cout=16, h=40, wd=57, strides=(2, 2), pads=(1, 0, 0, 1))),
    ("im2col_3x3_stride3_dilated", dict(n=1, cin=8, cout=12, h=30, wd=90, strides=(1, 3), dil=(2, 2), pads=(2, 2, 2, 2))),
    ("implicit_3x3_stride3_dilated", dict(n=1, cin=3, cout=12, h=30, wd=90, strides=(1, 3), dil=(2, 2), pads=(2, 2, 2, 2))),
    ("implicit_5x5_stride2_cin4", dict(n=2, cin=4, cout=40, h=51, wd=60, k=5, pads=(2, 2, 2, 2), strides=(2, 2), act="relu")),
    ("small_channels_3x3", dict(n=2, cin=3, cout=8, h=12, wd=12)),
    # implicit GEMM over fewer than 64 rows of B (row groups walked slowest): a stem, a shallow 3x3
    ("stem_3x3_stride2_clip", dict(n=1, cin=3, cout=32, h=66, wd=70, strides=(2, 2), act="clip")),
    # the AVX-512 stem kernel (3x3 stride 2 over at most 4 channels): a partial last group of 16
    # output channels, two images, uneven padding, SiLU
    ("stem_3x3_stride2_c4_m20_silu", dict(n=2, cin=4, cout=20, h=40, wd=100, strides=(2, 2), pads=(1, 0, 0, 1), act="silu")),
    ("implicit_3x3_cin4_res_relu", dict(n=1, cin=4, cout=20, h=27, wd=35, residual=True, act="relu")),
    ("dilated_3x3", dict(n=1, cin=16, cout=16, h=20, wd=20, dil=(2, 2), pads=(2, 2, 2, 2))),
    ("grouped_3x3", dict(n=1, cin=32, cout=32, h=14, wd=14, group=4)),
    ("depthwise_3x3_s1_clip", dict(n=1, cin=32, cout=32, h=14, wd=15, group=32, act="clip")),
    ("depthwise_3x3_s2", dict(n=2, cin=24, cout=24, h=17, wd=16, group=24, strides=(2, 2))),
    ("depthwise_3x3_s2_pad0_wide", dict(n=1, cin=16, cout=16, h=21, wd=37, group=16, strides=(2, 2), pads=(0, 0, 0, 0))),
    ("depthwise_3x3_s2_pad2_relu", dict(n=1, cin=8, cout=8, h=30, wd=70, group=8, strides=(2, 2), pads=(2, 2, 1, 1),
                                        act="relu")),
    # narrow maps: rows shorter than a vector (masked loads), two output rows per step, odd row counts
    ("depthwise_3x3_s2_narrow_silu", dict(n=1, cin=12, cout=12, h=13, wd=14, group=12, strides=(2, 2), act="silu")),
    ("depthwise_3x3_s2_w9_pad_r", dict(n=1, cin=6, cout=6, h=9, wd=9, group=6, strides=(2, 2), pads=(0, 1, 1, 0))),
    ("depthwise_3x3_s1_7x7_hardswish", dict(n=2, cin=10, cout=10, h=7, wd=7, group=10, act="hardswish")),
    ("depthwise_3x3_s1_w5_relu", dict(n=1, cin=5, cout=5, h=6, wd=5, group=5, act="relu")),
    ("depthwise_5x5_s1_7x7_hardswish", dict(n=1, cin=9, cout=9, h=7, wd=7, k=5, group=9, pads=(2, 2, 2, 2), act="hardswish")),
    # stride 1 over more than 8 columns: the 16-wide blocks of four rows where AVX-512 is compiled in
    # (a partial last block in both directions; SiLU applied over the finished plane)
    ("depthwise_3x3_s1_wide_silu", dict(n=2, cin=5, cout=5, h=23, wd=37, group=5, act="silu")),
    ("depthwise_5x5_s1_pads_asym", dict(n=1, cin=6, cout=6, h=18, wd=33, k=5, group=6, pads=(1, 2, 3, 0))),
    ("depthwise_5x5_s2_narrow", dict(n=1, cin=7, cout=7, h=14, wd=13, k=5, group=7, strides=(2, 2), pads=(2, 1, 2, 2))),
    ("depthwise_5x5_s1_clip", dict(n=2, cin=24, cout=24, h=14, wd=19, k=5, group=24, pads=(2, 2, 2, 2), act="clip")),
    ("depthwise_5x5_s2", dict(n=1, cin=16, cout=16, h=29, wd=40, k=5, group=16, strides=(2, 2), pads=(2, 2, 2, 2))),
    ("depthwise_5x5_s2_pad1_silu", dict(n=1, cin=8, cout=8, h=17, wd=17, k=5, group=8, strides=(2, 2), pads=(1, 2, 1, 2),
                                        act="silu")),
    # stride 2 read straight from the input plane (AVX-512): rows and columns wide enough for blocks
    # with no edge (unmasked loads, no row checks) between edge ones on both sides
    ("depthwise_3x3_s2_interior_clip", dict(n=1, cin=3, cout=3, h=31, wd=117, group=3, strides=(2, 2), act="clip")),
    ("depthwise_5x5_s2_interior", dict(n=2, cin=2, cout=2, h=36, wd=131, k=5, group=2, strides=(2, 2), pads=(2, 1, 1, 2))),
    # rows of at most 8 outputs (8-wide with AVX-512), tall enough for row blocks with no edge
    ("depthwise_3x3_s1_tall_w8", dict(n=1, cin=3, cout=3, h=29, wd=8, group=3, act="relu")),
    ("depthwise_5x5_s2_tall_w7", dict(n=1, cin=3, cout=3, h=41, wd=14, k=5, group=3, strides=(2, 2), pads=(2, 2, 2, 2))),
    ("depthwise_3x3_s2_tall_w6_pad0", dict(n=1, cin=2, cout=2, h=33, wd=13, group=2, strides=(2, 2), pads=(0, 0, 0, 0))),
    ("pointwise_in_place", dict(n=1, cin=40, cout=24, h=8, wd=8, k=1, pads=(0, 0, 0, 0), residual=True)),
    ("pointwise_silu", dict(n=1, cin=16, cout=30, h=20, wd=21, k=1, pads=(0, 0, 0, 0), act="silu")),
    ("pointwise_res_silu_deep", dict(n=1, cin=300, cout=20, h=5, wd=9, k=1, pads=(0, 0, 0, 0), residual=True, act="silu")),
    ("pointwise_1x1_map_silu", dict(n=2, cin=24, cout=40, h=1, wd=1, k=1, pads=(0, 0, 0, 0), act="silu")),
    ("pointwise_hardswish", dict(n=1, cin=16, cout=30, h=20, wd=21, k=1, pads=(0, 0, 0, 0), act="hardswish")),
    ("im2col_3x3_stride2_hardswish", dict(n=1, cin=3, cout=16, h=33, wd=33, strides=(2, 2), act="hardswish")),
    ("pointwise_packed", dict(n=1, cin=40, cout=24, h=7, wd=7, k=1, pads=(0, 0, 0, 0), act="relu")),
    # a last column panel of 1-4 pixels, packed compact (read at its own width by the narrow kernel):
    # B built in blocks (enough panels for 2 threads), packed B, and a deep im2col at 7x7
    ("pointwise_blocks_tail4", dict(n=1, cin=24, cout=20, h=25, wd=20, k=1, pads=(0, 0, 0, 0), act="relu")),
    ("pointwise_blocks_tail1_res", dict(n=2, cin=33, cout=13, h=7, wd=71, k=1, pads=(0, 0, 0, 0), residual=True)),
    ("im2col_3x3_7x7_tail1", dict(n=1, cin=64, cout=24, h=7, wd=7)),
    # pointwise with B read in place (AVX2; up to 128 output channels, maps of 64 pixels or more):
    # a partial last panel of 7 columns (built), rows past the 6-row panels, two images; a long map
    # into few channels (many column tiles); at 1 and 2 threads
    ("pointwise_inplace_tail7_res_clip", dict(n=2, cin=50, cout=100, h=9, wd=15, k=1, pads=(0, 0, 0, 0), residual=True,
                                             act="clip", one_thread=True)),
    ("pointwise_inplace_long_16", dict(n=1, cin=24, cout=16, h=40, wd=41, k=1, pads=(0, 0, 0, 0), act="relu",
                                       one_thread=True)),
    ("im2col_3x3_5x10_tail2_res", dict(n=2, cin=40, cout=30, h=5, wd=10, residual=True, act="clip")),
]

def maxpool_case(name, n, c, h, wd, k, stride, pads, ceil, kind="max"):
    """MaxPool (the vectorised stride-2 rows among them) against numpy; AveragePool (kind "avg", no
    padding) too, its float32 sums in the kernel's order, so both compare exactly."""
    x = rng.standard_normal((n, c, h, wd)).astype(np.float32)
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])), constant_values=-np.inf)
    def osz(i, p0, p1):
        v = (i + p0 + p1 - k + (stride - 1 if ceil else 0)) // stride + 1
        if ceil and (v - 1) * stride >= i + p0:
            v -= 1
        return v
    ho, wo = osz(h, pads[0], pads[2]), osz(wd, pads[1], pads[3])
    xp = np.pad(xp, ((0, 0), (0, 0), (0, k + stride), (0, k + stride)), constant_values=-np.inf)
    ref = np.full((n, c, ho, wo), -np.inf if kind == "max" else 0.0, np.float32)
    for a in range(k):
        for b in range(k):
            tap = xp[:, :, a:a + (ho - 1) * stride + 1:stride, b:b + (wo - 1) * stride + 1:stride]
            ref = np.maximum(ref, tap) if kind == "max" else (ref + tap).astype(np.float32)
    if kind == "avg":
        ref = (ref / np.float32(k * k)).astype(np.float32)
    node = helper.make_node("MaxPool" if kind == "max" else "AveragePool", ["X"], ["Y"], kernel_shape=[k, k],
                            strides=[stride, stride], pads=list(pads), ceil_mode=1 if ceil else 0)
    return run_exact(name, node, [("X", x)], ref)


def run_exact(name, node, feeds, ref):
    """A one-node model (inputs feeds: (name, array) pairs, output Y) through the CLI on 2 threads,
    its output compared with ref exactly."""
    g = helper.make_graph([node], name, [helper.make_tensor_value_info(nm, TensorProto.FLOAT, list(a.shape)) for nm, a in feeds],
                          [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="conv_kernels")
    m.ir_version = 8
    d, args = cli_case.save(TMP, name, m, feeds)
    err_text, od = cli_case.run(INFER, d, args, "", ["-t", "2"])
    ok = err_text is None
    msg = err_text or ""
    if ok:
        y = cli_case.output(od, 0)
        ok = y.shape == ref.shape and bool(np.array_equal(y, ref))
        msg = "exact" if ok else "shape %s vs %s or values differ" % (y.shape, ref.shape)
    print("%s  %-34s %s" % ("ok  " if ok else "FAIL", name, msg))
    return ok


POOLS = [
    ("maxpool_3x3_s2_ceil", dict(n=1, c=8, h=111, wd=111, k=3, stride=2, pads=(0, 0, 0, 0), ceil=True)),
    ("maxpool_3x3_s2_pad1", dict(n=2, c=5, h=56, wd=57, k=3, stride=2, pads=(1, 1, 1, 1), ceil=False)),
    ("maxpool_3x3_s2_ceil_13", dict(n=1, c=6, h=27, wd=27, k=3, stride=2, pads=(0, 0, 0, 0), ceil=True)),
    ("maxpool_3x3_s2_pad1_narrow", dict(n=1, c=7, h=9, wd=13, k=3, stride=2, pads=(1, 1, 1, 1), ceil=True)),
    ("maxpool_2x2_s2", dict(n=1, c=4, h=40, wd=33, k=2, stride=2, pads=(0, 0, 0, 0), ceil=False)),
    ("maxpool_2x2_s2_narrow", dict(n=2, c=3, h=15, wd=14, k=2, stride=2, pads=(0, 0, 0, 0), ceil=False)),
    ("avgpool_2x2_s2", dict(n=1, c=4, h=29, wd=37, k=2, stride=2, pads=(0, 0, 0, 0), ceil=False, kind="avg")),
    ("avgpool_3x3_s2", dict(n=1, c=3, h=21, wd=40, k=3, stride=2, pads=(0, 0, 0, 0), ceil=False, kind="avg")),
]


def channel_case(name, op, full_shape, scale_first):
    """op(X, S) or op(S, X) for X of full_shape and S of shape [N, C, 1, 1]: exactly numpy's float32."""
    x = rng.standard_normal(full_shape).astype(np.float32)
    sc = (rng.standard_normal(full_shape[:2] + [1, 1]) + 3.0).astype(np.float32)
    a, b = (sc, x) if scale_first else (x, sc)
    ref = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op](a, b).astype(np.float32)
    return run_exact(name, helper.make_node(op, ["A", "B"], ["Y"]), [("A", a), ("B", b)], ref)


CHANNEL = [  # rows of 21 (a masked tail of 5), 16, 45 and 8 elements
    ("chan_mul_2x5x3x7", dict(op="Mul", full_shape=[2, 5, 3, 7], scale_first=False)),
    ("chan_sub_scale_first", dict(op="Sub", full_shape=[1, 6, 4, 4], scale_first=True)),
    ("chan_div_1x3x5x9", dict(op="Div", full_shape=[1, 3, 5, 9], scale_first=False)),
    ("chan_add_scale_first", dict(op="Add", full_shape=[1, 4, 2, 4], scale_first=True)),
]

failed = [nm for nm, kw in CASES if not case(nm, **kw)]
failed += [nm for nm, kw in POOLS if not maxpool_case(nm, **kw)]
failed += [nm for nm, kw in CHANNEL if not channel_case(nm, **kw)]
print("conv_kernels: %d cases, %d failed%s" % (len(CASES) + len(POOLS) + len(CHANNEL), len(failed),
                                             (": " + " ".join(failed)) if failed else ""))
cli_case.finish(TMP, not failed)
sys.exit(1 if failed else 0)
