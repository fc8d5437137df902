#!/usr/bin/python3
"""opt_patterns.py - models built for the optimiser's rewrites, with numpy reference outputs.

Usage: opt_patterns.py OUTDIR [INFER]

For each pattern it writes OUTDIR/<name>/{model.onnx, test_data_set_0/} (expected outputs computed
here with numpy in float64), then checks with INFER (default build/infer):
  - `infer optimize` writes a file whose node count is the expected one (the rewrite fired, or did
    not where it must not) into OUTDIR/<name>.opt/model.onnx with the same test data;
  - `infer info` reports the expected executed node count;
  - `infer test` passes on the model at -O 2, at -O 0, with each pass turned off, and on the
    optimised file.
Exit 1 on any failure. Needs python3-onnx (1.12 or later) and numpy.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

OUT = sys.argv[1] if len(sys.argv) > 1 else "build/opt_patterns"
INFER = sys.argv[2] if len(sys.argv) > 2 else "build/infer"
RNG = np.random.default_rng(7)
PASSES = ["constant-fold", "shape-fold", "dead-code", "noop", "transpose", "bn-fold", "affine-fold", "cse",
          "layernorm", "gelu", "matmul-gemm", "epilogue", "attention"]
INT_MAX = 2**63 - 1


def f32(*shape, lo=-1.0, hi=1.0):
    return RNG.uniform(lo, hi, size=shape).astype(np.float32)


def const(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def conv2d(x, w, b, group=1):
    """Plain NCHW convolution, stride 1, no padding."""
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    oh, ow = h - kh + 1, wd - kw + 1
    y = np.zeros((n, m, oh, ow))
    mg = m // group
    for o in range(m):
        g = o // mg
        xs = x[:, g * cg:(g + 1) * cg].astype(np.float64)
        for i in range(oh):
            for j in range(ow):
                y[:, o, i, j] = np.sum(xs[:, :, i:i + kh, j:j + kw] * w[o], axis=(1, 2, 3))
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def conv_transpose2d(x, w, b, group=1):
    """NCHW transposed convolution, stride 1, no padding; w is [Cin, Cout/group, kh, kw]."""
    n, cin, h, wd = x.shape
    _, cog, kh, kw = w.shape
    cig = cin // group
    y = np.zeros((n, cog * group, h + kh - 1, wd + kw - 1))
    for ci in range(cin):
        g = ci // cig
        for co in range(cog):
            for i in range(kh):
                for j in range(kw):
                    y[:, g * cog + co, i:i + h, j:j + wd] += x[:, ci].astype(np.float64) * w[ci, co, i, j]
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def bn_params(c):
    return (f32(c, lo=0.5, hi=1.5), f32(c), f32(c), f32(c, lo=0.5, hi=2.0))


def bn_ref(y, p, eps=1e-5, axis=1):
    sc, bi, mu, va = (a.astype(np.float64) for a in p)
    shape = [1] * y.ndim
    shape[axis] = -1
    r = lambda a: a.reshape(shape)
    return (y - r(mu)) / np.sqrt(r(va) + eps) * r(sc) + r(bi)


def bn_node(x, y, prefix, p, inits):
    names = [prefix + s for s in ("_scale", "_bias", "_mean", "_var")]
    for nm, a in zip(names, p):
        inits.append(const(nm, a))
    return helper.make_node("BatchNormalization", [x] + names, [y], epsilon=1e-5)


PATTERNS = []


def pattern(fn):
    PATTERNS.append(fn)
    return fn


@pattern
def noop_ops():
    """Reshape / Expand / Pad / Slice / Cast / Transpose that change nothing are removed; a Slice that
    reverses (same shape, negative step) and a Pad with real pads stay."""
    x = f32(2, 3, 4)
    inits = [const("shape_same", np.array([2, -1, 4], np.int64)), const("ones", np.array([1, 1, 4], np.int64)),
             const("zpads", np.zeros(6, np.int64)), const("s0", np.array([0], np.int64)),
             const("s1", np.array([INT_MAX], np.int64)), const("ax1", np.array([1], np.int64)),
             const("rs", np.array([-1], np.int64)), const("re", np.array([-INT_MAX], np.int64)),
             const("st", np.array([-1], np.int64)), const("pads", np.array([0, 0, 0, 0, 1, 0], np.int64)),
             const("two", np.array(2.0, np.float32))]
    nodes = [
        helper.make_node("Relu", ["x"], ["a"]),
        helper.make_node("Reshape", ["a", "shape_same"], ["b"]),
        helper.make_node("Expand", ["b", "ones"], ["c"]),
        helper.make_node("Pad", ["c", "zpads"], ["d"]),
        helper.make_node("Slice", ["d", "s0", "s1", "ax1"], ["e"]),
        helper.make_node("Cast", ["e"], ["f"], to=TensorProto.FLOAT),
        helper.make_node("Transpose", ["f"], ["g"], perm=[0, 1, 2]),
        helper.make_node("Slice", ["g", "rs", "re", "ax1", "st"], ["h"]),  # reverses axis 1: stays
        helper.make_node("Pad", ["h", "pads"], ["i"]),                      # real padding: stays
        helper.make_node("Mul", ["i", "two"], ["y"]),
    ]
    a = np.maximum(x, 0)
    h = a[:, ::-1, :]
    i = np.pad(h, ((0, 0), (0, 1), (0, 0)))
    return nodes, inits, {"x": x}, {"y": i * 2}, [("x", [2, 3, 4])], [("y", [2, 4, 4])], 13, 4, 4


@pattern
def transposes_symbolic():
    """Symbolic batch: Reshape to [-1, 3, 4] is a no-op for every batch; Transposes that cancel go,
    two that do not are composed into one; a Transpose moving only a size-1 axis is a no-op."""
    x = f32(2, 3, 4)
    inits = [const("shp", np.array([-1, 3, 4], np.int64))]
    nodes = [
        helper.make_node("Reshape", ["x", "shp"], ["a"]),
        helper.make_node("Tanh", ["a"], ["b"]),
        helper.make_node("Transpose", ["b"], ["c"], perm=[0, 2, 1]),
        helper.make_node("Transpose", ["c"], ["d"], perm=[0, 2, 1]),
        helper.make_node("Transpose", ["d"], ["e"], perm=[1, 0, 2]),
        helper.make_node("Transpose", ["e"], ["f"], perm=[0, 2, 1]),
        helper.make_node("Relu", ["f"], ["y"]),
    ]
    f = np.transpose(np.transpose(np.tanh(x), (1, 0, 2)), (0, 2, 1))
    return nodes, inits, {"x": x}, {"y": np.maximum(f, 0)}, [("x", ["N", 3, 4])], [("y", [3, 4, "N"])], 13, 3, 3


@pattern
def transpose_size1():
    """[1, 5, 6] transposed with perm [1, 0, 2] then back: the pair cancels; a lone [1, 0, 2] on a
    [5, 1, 6] tensor keeps the order of the data (only the size-1 axis moves) but changes the shape: stays."""
    x = f32(1, 5, 6)
    nodes = [
        helper.make_node("Sigmoid", ["x"], ["a"]),
        helper.make_node("Transpose", ["a"], ["b"], perm=[1, 0, 2]),
        helper.make_node("Transpose", ["b"], ["c"], perm=[1, 0, 2]),
        helper.make_node("Transpose", ["c"], ["y"], perm=[1, 0, 2]),
    ]
    ref = np.transpose(1 / (1 + np.exp(-x.astype(np.float64))), (1, 0, 2))
    return nodes, [], {"x": x}, {"y": ref}, [("x", [1, 5, 6])], [("y", [5, 1, 6])], 13, 2, 2


@pattern
def bn_conv_transpose():
    """BatchNormalization after a grouped ConvTranspose (with bias) folds into it."""
    x = f32(1, 4, 4, 4)
    w = f32(4, 3, 3, 3)
    b = f32(6)
    p = bn_params(6)
    inits = [const("W", w), const("B", b)]
    nodes = [helper.make_node("ConvTranspose", ["x", "W", "B"], ["t"], group=2), bn_node("t", "y", "bn", p, inits)]
    ref = bn_ref(conv_transpose2d(x, w, b, group=2), p)
    return nodes, inits, {"x": x}, {"y": ref}, [("x", [1, 4, 4, 4])], [("y", [1, 6, 6, 6])], 13, 1, 1


@pattern
def bn_gemm():
    """BatchNormalization after a Gemm (transB, alpha, beta, bias) folds into it."""
    x = f32(3, 5)
    w = f32(6, 5)
    c = f32(6)
    p = bn_params(6)
    inits = [const("W", w), const("C", c)]
    nodes = [helper.make_node("Gemm", ["x", "W", "C"], ["t"], transB=1, alpha=0.7, beta=0.5),
             bn_node("t", "y", "bn", p, inits)]
    ref = bn_ref(0.7 * x.astype(np.float64) @ w.T.astype(np.float64) + 0.5 * c, p)
    return nodes, inits, {"x": x}, {"y": ref}, [("x", [3, 5])], [("y", [3, 6])], 13, 1, 1


@pattern
def bn_matmul():
    """BatchNormalization after a MatMul with a constant weight and a 2-D input: one Gemm."""
    x = f32(4, 5)
    w = f32(5, 6)
    p = bn_params(6)
    inits = [const("W", w)]
    nodes = [helper.make_node("MatMul", ["x", "W"], ["t"]), bn_node("t", "y", "bn", p, inits)]
    ref = bn_ref(x.astype(np.float64) @ w.astype(np.float64), p)
    return nodes, inits, {"x": x}, {"y": ref}, [("x", ["N", 5])], [("y", ["N", 6])], 13, 1, 1


@pattern
def bn_relu_conv_pre():
    """Pre-activation blocks (DenseNet): BatchNormalization -> Relu -> 1x1 Conv and BatchNormalization ->
    Clip -> padded 3x3 Conv run as two Conv nodes, each applying its BN while reading its input (the
    1x1 one while packing it for the GEMM). The file keeps all six nodes: nothing folds into weights."""
    x = f32(1, 8, 24, 24, lo=-2.0, hi=2.0)
    w1, w2, b2 = f32(6, 8, 1, 1), f32(5, 8, 3, 3), f32(5)
    p1, p2 = bn_params(8), bn_params(8)
    inits = [const("W1", w1), const("W2", w2), const("B2", b2), const("lo", np.array(0.0, np.float32)),
             const("hi", np.array(0.5, np.float32))]
    nodes = [bn_node("x", "n1", "bn1", p1, inits), helper.make_node("Relu", ["n1"], ["r1"]),
             helper.make_node("Conv", ["r1", "W1"], ["y1"]),
             bn_node("x", "n2", "bn2", p2, inits), helper.make_node("Clip", ["n2", "lo", "hi"], ["r2"]),
             helper.make_node("Conv", ["r2", "W2", "B2"], ["y2"], pads=[1, 1, 1, 1])]
    y1 = conv2d(np.maximum(bn_ref(x, p1), 0), w1, None)
    r2 = np.pad(np.clip(bn_ref(x, p2), 0, 0.5), ((0, 0), (0, 0), (1, 1), (1, 1)))
    y2 = conv2d(r2, w2, b2)
    return (nodes, inits, {"x": x}, {"y1": y1, "y2": y2}, [("x", [1, 8, 24, 24])], [("y1", [1, 6, 24, 24]), ("y2", [1, 5, 24, 24])],
            13, 6, 2)


@pattern
def concat_rows():
    """Not a rewrite: a Concat large enough for threads, with two rows (batch 2), an empty input and
    inputs of unequal widths, so the byte ranges the threads copy start and end inside inputs and rows."""
    a, b, c = f32(2, 3, 150, 200), f32(2, 0, 150, 200), f32(2, 5, 150, 200)
    nodes = [helper.make_node("Concat", ["a", "b", "c"], ["y"], axis=1)]
    return (nodes, [], {"a": a, "b": b, "c": c}, {"y": np.concatenate([a, b, c], axis=1)},
            [("a", [2, 3, 150, 200]), ("b", [2, 0, 150, 200]), ("c", [2, 5, 150, 200])], [("y", [2, 8, 150, 200])], 13, 1, 1)


@pattern
def se_scale_conv():
    """Squeeze-and-excitation: x * s (s one scale per channel, computed at run time) read only by a
    Conv runs as that Conv applying the scales while it packs its input (a run-time fusion: the file
    keeps the Mul). A pointwise Conv of one image (scales applied in its GEMM's B fill) and a padded
    3x3 Conv of two images with the operands swapped (one scale per image and channel, applied in
    a copy)."""
    x1, x2 = f32(1, 16, 24, 24), f32(2, 8, 10, 10)
    wa, w1, w2 = f32(16, 16, 1, 1), f32(8, 16, 1, 1), f32(4, 8, 3, 3)
    inits = [const("Wa", wa), const("W1", w1), const("W2", w2)]
    nodes = [helper.make_node("GlobalAveragePool", ["x1"], ["g1"]),
             helper.make_node("Conv", ["g1", "Wa"], ["e1"]),
             helper.make_node("Sigmoid", ["e1"], ["s1"]),
             helper.make_node("Mul", ["x1", "s1"], ["m1"]),
             helper.make_node("Conv", ["m1", "W1"], ["y1"]),
             helper.make_node("GlobalAveragePool", ["x2"], ["g2"]),
             helper.make_node("Sigmoid", ["g2"], ["s2"]),
             helper.make_node("Mul", ["s2", "x2"], ["m2"]),
             helper.make_node("Conv", ["m2", "W2"], ["y2"], pads=[1, 1, 1, 1])]
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))
    s1 = sig(conv2d(x1.mean(axis=(2, 3), keepdims=True), wa, None))
    y1 = conv2d(x1 * s1, w1, None)
    s2 = sig(x2.astype(np.float64).mean(axis=(2, 3), keepdims=True))
    y2 = conv2d(np.pad(x2 * s2, ((0, 0), (0, 0), (1, 1), (1, 1))), w2, None)
    return (nodes, inits, {"x1": x1, "x2": x2}, {"y1": y1, "y2": y2}, [("x1", [1, 16, 24, 24]), ("x2", [2, 8, 10, 10])],
            [("y1", [1, 8, 24, 24]), ("y2", [2, 4, 10, 10])], 13, 9, 6)


@pattern
def concat_in_place():
    """Not a rewrite: the memory plan places Concat inputs inside the output (their producers write
    there, the Concat copies nothing): a Conv output read only by the Concat, a Concat output placed
    in a later Concat (a chain), an input read again afterwards (not placed), the same value twice
    (its second slab copied from the first: through a scratch copy, as source and destination are
    one block), and a Concat on an axis with a dimension above 1 before it (never placed)."""
    x, w = f32(1, 4, 16, 16), f32(8, 4, 1, 1)
    inits = [const("W", w), const("two", np.array(2.0, np.float32))]
    nodes = [helper.make_node("Conv", ["x", "W"], ["p"]),
             helper.make_node("Relu", ["x"], ["q"]),
             helper.make_node("Concat", ["p", "q", "p"], ["c1"], axis=1),
             helper.make_node("Tanh", ["q"], ["r"]),
             helper.make_node("Concat", ["c1", "r"], ["y1"], axis=-3),
             helper.make_node("Mul", ["q", "two"], ["y2"]),
             helper.make_node("Neg", ["x"], ["s"]),
             helper.make_node("Concat", ["q", "s"], ["y3"], axis=2)]
    p = conv2d(x, w, None)
    q = np.maximum(x, 0)
    y1 = np.concatenate([p, q, p, np.tanh(q)], axis=1)
    return (nodes, inits, {"x": x}, {"y1": y1, "y2": q * 2, "y3": np.concatenate([q, -x], axis=2)},
            [("x", [1, 4, 16, 16])], [("y1", [1, 24, 16, 16]), ("y2", [1, 4, 16, 16]), ("y3", [1, 4, 32, 16])], 13, 8, 8)


@pattern
def concat_prefix_views():
    """Not a rewrite: the memory plan makes a Concat whose inputs lead a later Concat's (DenseNet's
    layers within a block) a view of that Concat's leading bytes, copying nothing: features placed in
    the last Concat, earlier Concats as its prefixes, one of them read after the last Concat (its
    memory must stay alive) and one a graph output."""
    x, w1, w2, w3 = f32(1, 4, 8, 8), f32(4, 4, 1, 1), f32(4, 8, 1, 1), f32(4, 12, 1, 1)
    inits = [const("W1", w1), const("W2", w2), const("W3", w3)]
    nodes = [helper.make_node("Relu", ["x"], ["a0"]),
             helper.make_node("Conv", ["a0", "W1"], ["f1"]),
             helper.make_node("Concat", ["a0", "f1"], ["c1"], axis=1),
             helper.make_node("Conv", ["c1", "W2"], ["f2"]),
             helper.make_node("Concat", ["a0", "f1", "f2"], ["y3"], axis=1),
             helper.make_node("Conv", ["y3", "W3"], ["f3"]),
             helper.make_node("Concat", ["a0", "f1", "f2", "f3"], ["y1"], axis=1),
             helper.make_node("Neg", ["c1"], ["y2"])]
    a0 = np.maximum(x, 0)
    f1 = conv2d(a0, w1, None)
    c1 = np.concatenate([a0, f1], axis=1)
    f2 = conv2d(c1, w2, None)
    c2 = np.concatenate([a0, f1, f2], axis=1)
    f3 = conv2d(c2, w3, None)
    y1 = np.concatenate([a0, f1, f2, f3], axis=1)
    return (nodes, inits, {"x": x}, {"y1": y1, "y2": -c1, "y3": c2},
            [("x", [1, 4, 8, 8])], [("y1", [1, 16, 8, 8]), ("y2", [1, 8, 8, 8]), ("y3", [1, 12, 8, 8])], 13, 8, 8)


@pattern
def slice_views():
    """Not a rewrite: a Slice that selects one contiguous run of its input (channels of one image, a
    range of the first axis) is a view of the input, not a copy; others copy. Views of a computed
    value and of a graph input, a view fed to a Concat and to an elementwise op, and copies (rows of
    each channel, every second channel, a reversed range) side by side."""
    x = f32(1, 6, 8, 8)
    inits = [const("c2", np.array([2], np.int64)), const("c5", np.array([5], np.int64)), const("ax1", np.array([1], np.int64)),
             const("ax2", np.array([2], np.int64)), const("z", np.array([0], np.int64)), const("big", np.array([INT_MAX], np.int64)),
             const("two", np.array([2], np.int64)), const("m1", np.array([-1], np.int64)), const("r0", np.array([4], np.int64)),
             const("r1", np.array([1], np.int64))]
    nodes = [helper.make_node("Relu", ["x"], ["a"]),
             helper.make_node("Slice", ["a", "c2", "c5", "ax1"], ["v1"]),            # channels 2..4: a view
             helper.make_node("Slice", ["x", "z", "c2", "ax1"], ["v2"]),             # of the graph input
             helper.make_node("Slice", ["a", "c2", "c5", "ax2"], ["s1"]),            # rows of each channel: a copy
             helper.make_node("Slice", ["a", "z", "big", "ax1", "two"], ["s2"]),     # every second channel: a copy
             helper.make_node("Slice", ["a", "r0", "r1", "ax1", "m1"], ["s3"]),      # channels 4, 3, 2: a copy
             helper.make_node("Concat", ["v1", "v2", "s3"], ["y1"], axis=1),
             helper.make_node("Neg", ["v1"], ["y2"]),
             helper.make_node("Add", ["s1", "s1"], ["y3"]),
             helper.make_node("Identity", ["s2"], ["y4"])]
    a = np.maximum(x, 0)
    y1 = np.concatenate([a[:, 2:5], x[:, 0:2], a[:, 4:1:-1]], axis=1)
    return (nodes, inits, {"x": x}, {"y1": y1, "y2": -a[:, 2:5], "y3": 2 * a[:, :, 2:5], "y4": a[:, ::2]},
            [("x", [1, 6, 8, 8])], [("y1", [1, 8, 8, 8]), ("y2", [1, 3, 8, 8]), ("y3", [1, 6, 3, 8]), ("y4", [1, 3, 8, 8])],
            13, 10, 10)


@pattern
def affine_conv():
    """Conv followed by per-channel Mul, Add, Sub (scalar) and Div: all folded into the Conv; the
    second Conv's output is also a graph output, so its Mul stays."""
    x = f32(1, 3, 6, 6)
    w = f32(4, 3, 3, 3)
    b = f32(4)
    k1, k2, k4 = f32(4, 1, 1, lo=0.5, hi=1.5), f32(1, 4, 1, 1), f32(4, 1, 1, lo=0.5, hi=2.0)
    w2 = f32(2, 4, 1, 1)
    inits = [const("W", w), const("B", b), const("k1", k1), const("k2", k2), const("k3", np.array(0.25, np.float32)),
             const("k4", k4), const("W2", w2), const("k5", f32(2, 1, 1))]
    nodes = [
        helper.make_node("Conv", ["x", "W", "B"], ["c"]),
        helper.make_node("Mul", ["k1", "c"], ["m"]),
        helper.make_node("Add", ["m", "k2"], ["a"]),
        helper.make_node("Sub", ["a", "k3"], ["s"]),
        helper.make_node("Div", ["s", "k4"], ["d"]),
        helper.make_node("Relu", ["d"], ["r"]),
        helper.make_node("Conv", ["r", "W2"], ["c2"]),
        helper.make_node("Mul", ["c2", "k5"], ["y"]),
    ]
    c = conv2d(x, w, b)
    d = ((c * k1.astype(np.float64)) + k2 - 0.25) / k4
    c2 = conv2d(np.maximum(d, 0), w2, None)
    y = c2 * numpy_helper.to_array(inits[-1])
    return (nodes, inits, {"x": x}, {"y": y, "c2": c2}, [("x", [1, 3, 6, 6])], [("y", [1, 2, 4, 4]), ("c2", [1, 2, 4, 4])],
            13, 4, 3)


@pattern
def matmul_gemm():
    """MatMul (2-D input) + Add(bias) becomes Gemm; with a 3-D input it stays MatMul + Add in the file
    (one MatMul with the bias at run time)."""
    x = f32(3, 5)
    z = f32(2, 3, 5)
    w, b = f32(5, 6), f32(6)
    inits = [const("W", w), const("b", b)]
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"]),
        helper.make_node("Add", ["b", "m"], ["a"]),
        helper.make_node("Relu", ["a"], ["y"]),
        helper.make_node("MatMul", ["z", "W"], ["m2"]),
        helper.make_node("Add", ["m2", "b"], ["y2"]),
    ]
    y = np.maximum(x.astype(np.float64) @ w + b, 0)
    y2 = z.astype(np.float64) @ w + b
    return (nodes, inits, {"x": x, "z": z}, {"y": y, "y2": y2}, [("x", [3, 5]), ("z", [2, 3, 5])],
            [("y", [3, 6]), ("y2", [2, 3, 6])], 13, 4, 2)


@pattern
def matmul_bias_3d():
    """MatMul with a 3-D / 4-D input and a constant 2-D weight + Add(bias) (a transformer Linear): the
    bias goes into the MatMul's store at run time, with the Relu / residual Add after it; the file
    keeps MatMul + Add."""
    z = f32(2, 3, 5)
    x4 = f32(2, 2, 3, 5)
    r = f32(2, 2, 3, 6)
    w, b, b2 = f32(5, 6), f32(6), f32(1, 1, 6)
    inits = [const("W", w), const("b", b), const("b2", b2)]
    nodes = [
        helper.make_node("MatMul", ["z", "W"], ["m"]),
        helper.make_node("Add", ["m", "b"], ["a"]),
        helper.make_node("Relu", ["a"], ["y"]),
        helper.make_node("MatMul", ["x4", "W"], ["m2"]),
        helper.make_node("Add", ["b2", "m2"], ["a2"]),
        helper.make_node("Add", ["a2", "r"], ["y2"]),
    ]
    y = np.maximum(z.astype(np.float64) @ w + b, 0)
    y2 = x4.astype(np.float64) @ w + b2 + r
    return (nodes, inits, {"z": z, "x4": x4, "r": r}, {"y": y, "y2": y2},
            [("z", ["N", 3, 5]), ("x4", [2, 2, 3, 5]), ("r", [2, 2, 3, 6])], [("y", ["N", 3, 6]), ("y2", [2, 2, 3, 6])],
            13, 6, 2)


@pattern
def matmul_act_epilogue():
    """A Linear's activation in the GEMM's store: MatMul + Add(bias) + Gelu, Gemm + Sigmoid + Mul (SiLU)
    and MatMul + HardSwish each run as one node (37 columns: full 16-wide tiles and a partial one),
    the file keeps them apart."""
    import math
    x = f32(2, 13, 40, lo=-3, hi=3)
    x2 = f32(26, 40, lo=-3, hi=3)
    w, b, w2, b2, w3 = f32(40, 37), f32(37), f32(37, 40), f32(37), f32(40, 37)
    inits = [const("W", w), const("b", b), const("W2", w2), const("b2", b2), const("W3", w3)]
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"]),
        helper.make_node("Add", ["m", "b"], ["a"]),
        helper.make_node("Gelu", ["a"], ["y"]),
        helper.make_node("Gemm", ["x2", "W2", "b2"], ["g"], transB=1),
        helper.make_node("Sigmoid", ["g"], ["s"]),
        helper.make_node("Mul", ["g", "s"], ["y2"]),
        helper.make_node("MatMul", ["x", "W3"], ["m3"]),
        helper.make_node("HardSwish", ["m3"], ["y3"]),
    ]
    a = x.astype(np.float64) @ w + b
    y = 0.5 * a * (1.0 + np.vectorize(math.erf)(a / math.sqrt(2.0)))
    g = x2.astype(np.float64) @ w2.T.astype(np.float64) + b2
    y2 = g / (1.0 + np.exp(-g))
    m3 = x.astype(np.float64) @ w3
    y3 = m3 * np.clip(m3 / 6.0 + 0.5, 0.0, 1.0)
    return (nodes, inits, {"x": x, "x2": x2}, {"y": y, "y2": y2, "y3": y3}, [("x", [2, 13, 40]), ("x2", [26, 40])],
            [("y", [2, 13, 37]), ("y2", [26, 37]), ("y3", [2, 13, 37])], 20, 8, 3)


@pattern
def external_data():
    """`infer optimize --external-data`: the 8 KiB weight goes to model.onnx.data (ONNX external data),
    the small bias stays inline; infer and ONNX Runtime load the written file (OUTDIR/<name>.ext)."""
    x = f32(3, 64)
    w, b = f32(64, 32), f32(32)
    inits = [const("W", w), const("b", b)]
    nodes = [helper.make_node("MatMul", ["x", "W"], ["m"]), helper.make_node("Add", ["m", "b"], ["y"])]
    return nodes, inits, {"x": x}, {"y": x.astype(np.float64) @ w + b}, [("x", [3, 64])], [("y", [3, 32])], 13, 1, 1


external_data.external = True


def softmax_ref(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


@pattern
def attention_scale_mask():
    """MatMul(Q, K^T) -> Mul(scale) -> Add(mask) -> Softmax(-1) -> MatMul(V), batch 2 x 3 heads, S 45 (two
    blocks of rows, not a multiple of 8), T 37, mask [2, 1, 1, 37] broadcast over heads and rows: one
    SoftmaxAttention node at run time; the file keeps the five nodes."""
    q, kt, v = f32(2, 3, 45, 8, lo=-2, hi=2), f32(2, 3, 8, 37, lo=-2, hi=2), f32(2, 3, 37, 5)
    mask = np.where(RNG.uniform(size=(2, 1, 1, 37)) < 0.3, -1e4, 0).astype(np.float32)
    inits = [const("scale", np.array(0.35, np.float32))]
    nodes = [
        helper.make_node("MatMul", ["q", "kt"], ["s"]),
        helper.make_node("Mul", ["s", "scale"], ["ss"]),
        helper.make_node("Add", ["ss", "mask"], ["sm"]),
        helper.make_node("Softmax", ["sm"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["y"]),
    ]
    y = softmax_ref(q.astype(np.float64) @ kt * 0.35 + mask) @ v
    return (nodes, inits, {"q": q, "kt": kt, "v": v, "mask": mask}, {"y": y},
            [("q", [2, 3, 45, 8]), ("kt", [2, 3, 8, 37]), ("v", [2, 3, 37, 5]), ("mask", [2, 1, 1, 37])],
            [("y", [2, 3, 45, 5])], 13, 5, 1)


@pattern
def attention_torch_mha():
    """torch's nn.MultiheadAttention: Div(Q, sqrt(d)) before MatMul(Q, Transpose(K)), Softmax, MatMul(V),
    batch x heads folded into 6, symbolic sequence length: Transpose + one fused node at run time."""
    q, k, v = f32(6, 19, 16, lo=-2, hi=2), f32(6, 19, 16, lo=-2, hi=2), f32(6, 19, 16)
    inits = [const("d", np.array(4.0, np.float32))]
    nodes = [
        helper.make_node("Div", ["q", "d"], ["qs"]),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["qs", "kt"], ["s"]),
        helper.make_node("Softmax", ["s"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["y"]),
    ]
    y = softmax_ref((q.astype(np.float64) / 4) @ np.transpose(k, (0, 2, 1))) @ v
    return (nodes, inits, {"q": q, "k": k, "v": v}, {"y": y},
            [("q", [6, "S", 16]), ("k", [6, "S", 16]), ("v", [6, "S", 16])], [("y", [6, "S", 16])], 13, 5, 2)


@pattern
def attention_causal_opset11():
    """Opset 11 (Softmax axis 2 = the last of rank 3), no scale, a constant causal mask with -inf above
    the diagonal, batch 2, S = T = 21, and a single-row query (S 1) beside it: two fused nodes. A
    Softmax over another axis is left alone."""
    q, kt, v = f32(2, 21, 8, lo=-2, hi=2), f32(2, 8, 21, lo=-2, hi=2), f32(2, 21, 7)
    q1, q2 = f32(2, 1, 8, lo=-2, hi=2), f32(2, 21, 8, lo=-2, hi=2)
    causal = np.triu(np.full((21, 21), -np.inf, np.float32), 1)
    inits = [const("causal", causal)]
    nodes = [
        helper.make_node("MatMul", ["q", "kt"], ["s"]),
        helper.make_node("Add", ["causal", "s"], ["sm"]),
        helper.make_node("Softmax", ["sm"], ["p"], axis=2),
        helper.make_node("MatMul", ["p", "v"], ["y"]),
        helper.make_node("MatMul", ["q1", "kt"], ["s1"]),
        helper.make_node("Softmax", ["s1"], ["p1"], axis=2),
        helper.make_node("MatMul", ["p1", "v"], ["y1"]),
        helper.make_node("MatMul", ["q2", "kt"], ["s2"]),
        helper.make_node("Softmax", ["s2"], ["p2"], axis=1),
        helper.make_node("MatMul", ["p2", "v"], ["y2"]),
    ]
    s = q.astype(np.float64) @ kt
    y = softmax_ref(s + causal) @ v
    y1 = softmax_ref(q1.astype(np.float64) @ kt) @ v
    s2 = (q2.astype(np.float64) @ kt).reshape(2, -1)  # opset 11: axis 1 flattens the trailing dims
    y2 = softmax_ref(s2).reshape(2, 21, 21) @ v
    return (nodes, inits, {"q": q, "kt": kt, "v": v, "q1": q1, "q2": q2}, {"y": y, "y1": y1, "y2": y2},
            [("q", [2, 21, 8]), ("kt", [2, 8, 21]), ("v", [2, 21, 7]), ("q1", [2, 1, 8]), ("q2", [2, 21, 8])],
            [("y", [2, 21, 7]), ("y1", [2, 1, 7]), ("y2", [2, 21, 7])], 11, 10, 5)


def gelu_tanh_ref(x):
    x = x.astype(np.float64)
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def gelu_tanh_nodes(form):
    """GELU (tanh) as exporters write it: torch's x*(x*x) cube with (x * (1 + t)) * 0.5, or Pow(x, 3)
    with (0.5 * x) * (1 + t)."""
    inits = [const("k", np.array(0.044715, np.float32)), const("c", np.array(np.sqrt(2 / np.pi), np.float32)),
             const("one", np.array(1.0, np.float32)), const("half", np.array(0.5, np.float32)),
             const("three", np.array(3.0, np.float32))]
    if form == "torch":
        nodes = [helper.make_node("Mul", ["x", "x"], ["sq"]), helper.make_node("Mul", ["x", "sq"], ["cube"])]
    else:
        nodes = [helper.make_node("Pow", ["x", "three"], ["cube"])]
    nodes += [
        helper.make_node("Mul", ["k", "cube"], ["kc"]),
        helper.make_node("Add", ["x", "kc"], ["in"]),
        helper.make_node("Mul", ["c", "in"], ["ci"]),
        helper.make_node("Tanh", ["ci"], ["t"]),
        helper.make_node("Add", ["one", "t"], ["t1"]),
    ]
    if form == "torch":
        nodes += [helper.make_node("Mul", ["x", "t1"], ["xt"]), helper.make_node("Mul", ["half", "xt"], ["y"])]
    else:
        nodes += [helper.make_node("Mul", ["x", "half"], ["hx"]), helper.make_node("Mul", ["hx", "t1"], ["y"])]
    return nodes, inits


@pattern
def gelu_tanh_opset13():
    """GELU (tanh form, torch's export): one fused node at run time, expanded in an opset-13 file."""
    x = f32(2, 7, lo=-4, hi=4)
    nodes, inits = gelu_tanh_nodes("torch")
    return nodes, inits, {"x": x}, {"y": gelu_tanh_ref(x)}, [("x", [2, 7])], [("y", [2, 7])], 13, 9, 1


@pattern
def gelu_tanh_opset20():
    """GELU (tanh form with Pow): Gelu(approximate='tanh') in an opset-20 file and at run time."""
    x = f32(2, 7, lo=-4, hi=4)
    nodes, inits = gelu_tanh_nodes("pow")
    return nodes, inits, {"x": x}, {"y": gelu_tanh_ref(x)}, [("x", [2, 7])], [("y", [2, 7])], 20, 1, 1


def value_info(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def write_case(d, model, inputs, outputs):
    os.makedirs(os.path.join(d, "test_data_set_0"), exist_ok=True)
    onnx.save(model, os.path.join(d, "model.onnx"))
    for k, (name, arr) in enumerate(inputs):
        with open(os.path.join(d, "test_data_set_0", "input_%d.pb" % k), "wb") as f:
            f.write(numpy_helper.from_array(np.asarray(arr, np.float32), name).SerializeToString())
    for k, (name, arr) in enumerate(outputs):
        with open(os.path.join(d, "test_data_set_0", "output_%d.pb" % k), "wb") as f:
            f.write(numpy_helper.from_array(np.asarray(arr, np.float32), name).SerializeToString())


def run(args):
    p = subprocess.run([INFER] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return p.returncode, p.stdout


def check_external(d, dext):
    """optimize --external-data into dext: the file must hold EXTERNAL initializers whose bytes (in
    model.onnx.data next to it, at offset / length) are the initializer's, and pass `infer test`."""
    bad = []
    os.makedirs(dext, exist_ok=True)
    out = os.path.join(dext, "model.onnx")
    rc, txt = run(["optimize", os.path.join(d, "model.onnx"), "-o", out, "--external-data"])
    if rc or "external data" not in txt:
        return ["optimize --external-data: %s" % txt]
    link = os.path.join(dext, "test_data_set_0")
    if not os.path.islink(link):
        os.symlink(os.path.abspath(os.path.join(d, "test_data_set_0")), link)
    m = onnx.load(out, load_external_data=False)
    ext = [t for t in m.graph.initializer if t.data_location == TensorProto.EXTERNAL]
    if not ext or any(t.raw_data for t in ext):
        bad.append("no external initializers in %s" % out)
    full = onnx.load(out)  # onnx's own reader of the side file
    onnx.checker.check_model(full)
    orig = {t.name: numpy_helper.to_array(t) for t in onnx.load(os.path.join(d, "model.onnx")).graph.initializer}
    for t in full.graph.initializer:
        if t.name in orig and not np.array_equal(numpy_helper.to_array(t), orig[t.name]):
            bad.append("initializer %s differs after the round trip through external data" % t.name)
    for t in ext:
        kv = {e.key: e.value for e in t.external_data}
        if kv.get("location") != "model.onnx.data":
            bad.append("location %r" % kv.get("location"))
    rc, txt = run(["test", "--atol", "1e-5", "--rtol", "1e-4", dext])
    if rc:
        bad.append("test of the file with external data: %s" % txt.strip())
    # the size threshold: the file is ~8.5 KB with its data inline
    for over, want in ((4096, True), (65536, False)):
        o2 = os.path.join(dext, "over%d.onnx" % over)
        rc, txt = run(["optimize", os.path.join(d, "model.onnx"), "-o", o2, "--external-over", str(over)])
        if rc or ("external data" in txt) != want or os.path.exists(o2 + ".data") != want:
            bad.append("optimize --external-over %d: external data expected %s\n%s" % (over, want, txt))
    return bad


def main():
    failures = 0
    os.makedirs(OUT, exist_ok=True)
    for fn in PATTERNS:
        name = fn.__name__
        nodes, inits, ins, outs, in_dims, out_dims, opset, file_nodes, run_nodes = fn()
        graph = helper.make_graph(nodes, name, [value_info(n, d) for n, d in in_dims],
                                  [value_info(n, d) for n, d in out_dims], initializer=inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 8 if opset < 19 else 9
        d = os.path.join(OUT, name)
        write_case(d, model, [(n, ins[n]) for n, _ in in_dims], [(n, outs[n]) for n, _ in out_dims])
        bad = []
        dopt = os.path.join(OUT, name + ".opt")
        os.makedirs(dopt, exist_ok=True)
        rc, txt = run(["optimize", os.path.join(d, "model.onnx"), "-o", os.path.join(dopt, "model.onnx")])
        total = [l.split() for l in txt.splitlines() if l.startswith("total")]
        if rc or not total or int(total[0][2]) != file_nodes:
            bad.append("optimize: %s nodes in the file, expected %d\n%s" % (total[0][2] if total else "?", file_nodes, txt))
        link = os.path.join(dopt, "test_data_set_0")
        if not os.path.islink(link):
            os.symlink(os.path.abspath(os.path.join(d, "test_data_set_0")), link)
        rc, txt = run(["info", os.path.join(d, "model.onnx")])
        got = [l.split()[1] for l in txt.splitlines() if l.startswith("nodes:")]
        if rc or not got or int(got[0]) != run_nodes:
            bad.append("info: %s nodes executed, expected %d\n%s" % (got[0] if got else "?", run_nodes, txt))
        variants = [["-O", "2"], ["-O", "0"], ["-O", "1"]] + [["--no-pass", p] for p in PASSES]
        for v in variants:
            rc, txt = run(["test", "--atol", "1e-5", "--rtol", "1e-4"] + v + [d])
            if rc:
                bad.append("test %s: %s" % (" ".join(v), txt.strip()))
        rc, txt = run(["test", "--atol", "1e-5", "--rtol", "1e-4", "-O", "0", dopt])
        if rc:
            bad.append("test of the optimised file: %s" % txt.strip())
        if os.path.exists(os.path.join(dopt, "model.onnx.data")):
            bad.append("optimize wrote external data for a small model without --external-data")
        if getattr(fn, "external", False):
            bad += check_external(d, os.path.join(OUT, name + ".ext"))
        if bad:
            failures += 1
            print("FAIL %s:\n  %s" % (name, "\n  ".join(bad)))
        else:
            print("PASS %s (%d nodes -> %d written, %d executed)" % (name, len(nodes), file_nodes, run_nodes))
    print("opt_patterns: %d of %d patterns passed" % (len(PATTERNS) - failures, len(PATTERNS)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
