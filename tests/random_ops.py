#!/usr/bin/python3
"""Random generators (RandomNormal, RandomUniform, their *Like forms, Bernoulli, Multinomial) through
the CLI: exact output shape and element type per the ONNX spec, and the distribution of the values
(no other runtime can give the same values, so they are checked statistically instead).

Every statistical bound is about 5 standard errors (or a chi-square tail of ~1e-6), so a correct
generator passes with overwhelming probability, while a wrong mean, scale, range, probability or
class weight (or a shape that is not normal) fails. Also checked: a seed gives the same values on
every run, different seeds give different values, and two unseeded generators in one graph are
independent (the spec: "if not specified we will auto generate one").

usage: tests/random_ops.py [path/to/infer]      (prints one line per check; exit 1 on any failure)
"""
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INFER = sys.argv[1] if len(sys.argv) > 1 else "build/infer"
TMP = tempfile.mkdtemp(prefix="infer_random_")
FAILED = []
COUNT = [0]
Z = 5.0  # standard errors allowed


def check(name, ok, detail=""):
    COUNT[0] += 1
    print("%s  %s%s" % ("ok  " if ok else "FAIL", name, ("  (" + detail + ")") if detail else ""))
    if not ok:
        FAILED.append(name)
    return ok


def model(nodes, inputs, outputs, opset=15):
    g = helper.make_graph(nodes, "g", inputs, outputs)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="random_ops")
    m.ir_version = 8
    return m


def out_vi(name):
    """Output declared without a type so that the element type comes from the kernel alone."""
    vi = onnx.ValueInfoProto()
    vi.name = name
    return vi


def run(name, m, inputs=(), opt=None):
    """Runs model m with numpy inputs; returns the list of outputs, or None (and a FAIL) on error."""
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    onnx.save(m, path)
    cmd = [INFER, "run", path]
    if opt is not None:
        cmd += ["-O", str(opt)]
    for k, a in enumerate(inputs):
        p = os.path.join(d, "input_%d.pb" % k)
        with open(p, "wb") as f:
            f.write(numpy_helper.from_array(a, m.graph.input[k].name).SerializeToString())
        cmd += ["-i", p]
    od = os.path.join(d, "out")
    shutil.rmtree(od, ignore_errors=True)
    os.makedirs(od)
    r = subprocess.run(cmd + ["-o", od], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if r.returncode != 0:
        check(name + ": runs", False, "rc %d: %s" % (r.returncode, r.stdout.strip()[-400:]))
        return None
    outs = []
    for k in range(len(m.graph.output)):
        t = TensorProto()
        with open(os.path.join(od, "output_%d.pb" % k), "rb") as f:
            t.ParseFromString(f.read())
        outs.append(numpy_helper.to_array(t))
    return outs


def check_type(name, y, shape, dtype):
    ok = tuple(y.shape) == tuple(shape) and y.dtype == np.dtype(dtype)
    return check(name + ": shape %s dtype %s" % (list(shape), np.dtype(dtype).name), ok,
                 "got %s %s" % (list(y.shape), y.dtype.name))


def within(name, got, want, se):
    return check(name, abs(got - want) <= Z * se, "%.6g vs %.6g, bound %.3g" % (got, want, Z * se))


def check_normal(name, y, mean, scale):
    x = y.astype(np.float64).ravel()
    n = x.size
    check(name + ": finite", bool(np.all(np.isfinite(x))))
    within(name + ": mean", x.mean(), mean, scale / math.sqrt(n))
    within(name + ": std", x.std(), scale, scale / math.sqrt(2.0 * n))
    # the shape of the distribution: P(|x - mean| < k scale) for k = 1, 2, 3 (a uniform or other law
    # with the same mean and variance fails the first)
    for k in (1, 2, 3):
        p = math.erf(k / math.sqrt(2.0))
        f = float(np.mean(np.abs(x - mean) < k * scale))
        within(name + ": P(|x-mean| < %d scale)" % k, f, p, math.sqrt(p * (1 - p) / n))


def check_uniform(name, y, low, high, strict_high=True):
    x = y.astype(np.float64).ravel()
    n = x.size
    w = high - low
    # float16/float32 outputs may round a value just below high up to high; double ones must stay below
    check(name + ": min >= low", x.min() >= low, "min %.9g" % x.min())
    check(name + ": max %s high" % ("<" if strict_high else "<="), x.max() < high if strict_high else x.max() <= high,
          "max %.9g" % x.max())
    within(name + ": mean", x.mean(), (low + high) / 2.0, w / math.sqrt(12.0 * n))
    within(name + ": variance", x.var(), w * w / 12.0, w * w / math.sqrt(180.0 * n))
    # 10 equal bins, each 1/10 of the samples
    h = np.histogram(x, bins=10, range=(low, high))[0] / float(n)
    se = math.sqrt(0.1 * 0.9 / n)
    worst = float(np.max(np.abs(h - 0.1)))
    check(name + ": 10 bins each 0.1", worst <= Z * se, "worst deviation %.4g, bound %.3g" % (worst, Z * se))


def check_independent(name, a, b):
    a = a.astype(np.float64).ravel()
    b = b.astype(np.float64).ravel()
    r = float(np.corrcoef(a, b)[0, 1])
    return check(name, abs(r) <= Z / math.sqrt(a.size), "correlation %.4g, bound %.3g" % (r, Z / math.sqrt(a.size)))


F, D, H = TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.FLOAT16
NP = {F: np.float32, D: np.float64, H: np.float16, TensorProto.INT32: np.int32, TensorProto.INT64: np.int64,
      TensorProto.BOOL: np.bool_, TensorProto.UINT8: np.uint8}


def seeded(kw, seed):
    if seed is not None:
        kw = dict(kw, seed=float(seed))
    return kw


# ---- RandomNormal ---------------------------------------------------------------------------------
def test_random_normal():
    for dt, shape, mean, scale, seed in ((None, [400, 500], 3.0, 2.0, 7), (D, [2, 3, 40000], -1.5, 0.25, None),
                                         (H, [200000], 0.5, 3.0, 11)):
        kw = dict(shape=shape, mean=mean, scale=scale)
        if dt is not None:
            kw["dtype"] = dt
        name = "RandomNormal %s seed=%s" % (np.dtype(NP[dt or F]).name, seed)
        ys = run(name.replace(" ", "_"), model([helper.make_node("RandomNormal", [], ["y"], **seeded(kw, seed))],
                                                [], [out_vi("y")]))
        if ys and check_type(name, ys[0], shape, NP[dt or F]):
            check_normal(name, ys[0], mean, scale)
    # defaults: mean 0, scale 1, float; small shapes of other ranks
    for shape in ([7], [2, 3, 5, 7], [1, 1]):
        ys = run("RandomNormal_rank%d" % len(shape),
                 model([helper.make_node("RandomNormal", [], ["y"], shape=shape)], [], [out_vi("y")]))
        if ys:
            check_type("RandomNormal defaults rank %d" % len(shape), ys[0], shape, np.float32)
    ys = run("RandomNormal_defaults", model([helper.make_node("RandomNormal", [], ["y"], shape=[500, 400])],
                                            [], [out_vi("y")]))
    if ys:
        check_normal("RandomNormal defaults", ys[0], 0.0, 1.0)


# ---- RandomUniform --------------------------------------------------------------------------------
def test_random_uniform():
    for dt, shape, low, high, seed in ((None, [500, 400], -2.0, 5.0, 3), (D, [200000], 10.0, 10.5, None),
                                       (H, [4, 50000], -1.0, 1.0, 5)):
        kw = dict(shape=shape, low=low, high=high)
        if dt is not None:
            kw["dtype"] = dt
        name = "RandomUniform %s seed=%s" % (np.dtype(NP[dt or F]).name, seed)
        ys = run(name.replace(" ", "_"), model([helper.make_node("RandomUniform", [], ["y"], **seeded(kw, seed))],
                                                [], [out_vi("y")]))
        if ys and check_type(name, ys[0], shape, NP[dt or F]):
            check_uniform(name, ys[0], low, high, strict_high=(dt == D))
    ys = run("RandomUniform_defaults", model([helper.make_node("RandomUniform", [], ["y"], shape=[200, 1000])],
                                             [], [out_vi("y")]))
    if ys and check_type("RandomUniform defaults", ys[0], [200, 1000], np.float32):
        check_uniform("RandomUniform defaults", ys[0], 0.0, 1.0, strict_high=False)


# ---- RandomNormalLike / RandomUniformLike --------------------------------------------------------------
def test_like():
    # (input dtype, dtype attr or None, expected output dtype)
    cases = ((F, None, F), (D, None, D), (TensorProto.INT32, F, F), (F, D, D), (TensorProto.INT64, H, H))
    shape = [300, 2, 350]
    for op in ("RandomNormalLike", "RandomUniformLike"):
        for i, (tin, dt, tout) in enumerate(cases):
            kw = dict(mean=2.0, scale=0.5) if op == "RandomNormalLike" else dict(low=-3.0, high=-1.0)
            if dt is not None:
                kw["dtype"] = dt
            seed = 21 if i % 2 else None
            name = "%s in %s dtype=%s seed=%s" % (op, np.dtype(NP[tin]).name,
                                                  np.dtype(NP[dt]).name if dt else "-", seed)
            x = (np.arange(np.prod(shape)) % 5).reshape(shape).astype(NP[tin])
            ys = run(name.replace(" ", "_"),
                     model([helper.make_node(op, ["x"], ["y"], **seeded(kw, seed))],
                           [helper.make_tensor_value_info("x", tin, shape)], [out_vi("y")]), [x])
            if ys and check_type(name, ys[0], shape, NP[tout]):
                if op == "RandomNormalLike":
                    check_normal(name, ys[0], 2.0, 0.5)
                else:
                    check_uniform(name, ys[0], -3.0, -1.0, strict_high=(tout == D))
    # the input's values do not matter, only its shape: a 0-d input gives a 0-d output
    ys = run("RandomUniformLike_scalar", model([helper.make_node("RandomUniformLike", ["x"], ["y"])],
                                               [helper.make_tensor_value_info("x", F, [])], [out_vi("y")]),
             [np.array(4.0, np.float32)])
    if ys:
        check_type("RandomUniformLike 0-d input", ys[0], [], np.float32)


# ---- Bernoulli ------------------------------------------------------------------------------------
def test_bernoulli():
    probs = np.array([0.0, 0.02, 0.3, 0.5, 0.77, 0.99, 1.0])
    per = 40000
    # (input dtype, dtype attr or None, expected output dtype, seed)
    for tin, dt, tout, seed in ((F, None, F, None), (D, None, D, 13), (F, TensorProto.INT32, TensorProto.INT32, 13),
                                (D, TensorProto.BOOL, TensorProto.BOOL, None), (H, TensorProto.UINT8, TensorProto.UINT8, 2),
                                (F, TensorProto.INT64, TensorProto.INT64, None)):
        x = np.repeat(probs[:, None], per, axis=1).reshape(len(probs), 200, per // 200).astype(NP[tin])
        kw = {} if dt is None else dict(dtype=dt)
        name = "Bernoulli in %s dtype=%s seed=%s" % (np.dtype(NP[tin]).name, np.dtype(NP[dt]).name if dt else "-", seed)
        ys = run(name.replace(" ", "_"), model([helper.make_node("Bernoulli", ["x"], ["y"], **seeded(kw, seed))],
                                                [helper.make_tensor_value_info("x", tin, list(x.shape))],
                                                [out_vi("y")]), [x])
        if not ys or not check_type(name, ys[0], x.shape, NP[tout]):
            continue
        y = ys[0].astype(np.float64).reshape(len(probs), per)
        check(name + ": values in {0, 1}", bool(np.all((y == 0) | (y == 1))))
        for j, p in enumerate(probs):
            p = float(x.reshape(len(probs), per)[j, 0])  # the probability as the input type holds it
            f = float(y[j].mean())
            if p == 0.0 or p == 1.0:
                check(name + ": p=%g gives all %d" % (p, int(p)), f == p, "frequency %.6g" % f)
            else:
                within(name + ": frequency at p=%.4g" % p, f, p, math.sqrt(p * (1 - p) / per))


# ---- Multinomial ----------------------------------------------------------------------------------
def check_multinomial(name, y, logits, ns):
    B, K = logits.shape
    check(name + ": classes in [0, %d)" % K, bool(np.all((y >= 0) & (y < K))), "min %d max %d" % (y.min(), y.max()))
    for b in range(B):
        z = logits[b].astype(np.float64)
        p = np.exp(z - z.max())
        p /= p.sum()
        cnt = np.bincount(y[b].astype(np.int64).clip(0, K - 1), minlength=K).astype(np.float64)
        worst, chi2, df = 0.0, 0.0, -1
        for k in range(K):
            if p[k] < 1e-12:
                check(name + ": batch %d class %d (p=%.2g) never drawn" % (b, k, p[k]), cnt[k] == 0, "%d draws" % cnt[k])
                continue
            se = math.sqrt(p[k] * (1 - p[k]) / ns)
            worst = max(worst, abs(cnt[k] / ns - p[k]) / se)
            chi2 += (cnt[k] - ns * p[k]) ** 2 / (ns * p[k])
            df += 1
        check(name + ": batch %d class frequencies vs softmax" % b, worst <= Z, "worst %.2f standard errors" % worst)
        # chi-square upper tail ~1e-6: df + 5 sqrt(2 df) + 12 is beyond it for df <= 10
        lim = df + Z * math.sqrt(2.0 * df) + 12.0
        check(name + ": batch %d chi-square" % b, chi2 <= lim, "%.2f with %d df, bound %.1f" % (chi2, df, lim))


def test_multinomial():
    logits = np.array([[0.0, 1.0, 2.0, -1.0, 0.5],
                       [math.log(0.5), math.log(0.3), math.log(0.2), -200.0, -1e30],
                       [3.0, 3.0, 3.0, 3.0, 3.0]])
    ns = 50000
    for tin, dt, tout, seed in ((F, None, TensorProto.INT32, None), (D, TensorProto.INT64, TensorProto.INT64, 17),
                                (H, TensorProto.INT32, TensorProto.INT32, 17)):
        with np.errstate(over="ignore"):  # -1e30 becomes -inf in float16: also a class never drawn
            x = logits.astype(NP[tin])
        kw = dict(sample_size=ns)
        if dt is not None:
            kw["dtype"] = dt
        name = "Multinomial in %s dtype=%s seed=%s" % (np.dtype(NP[tin]).name, np.dtype(NP[dt]).name if dt else "-", seed)
        ys = run(name.replace(" ", "_"), model([helper.make_node("Multinomial", ["x"], ["y"], **seeded(kw, seed))],
                                                [helper.make_tensor_value_info("x", tin, list(x.shape))],
                                                [out_vi("y")]), [x])
        if ys and check_type(name, ys[0], [x.shape[0], ns], NP[tout]):
            check_multinomial(name, ys[0], x, ns)
    # sample_size defaults to 1
    ys = run("Multinomial_default_size", model([helper.make_node("Multinomial", ["x"], ["y"])],
                                               [helper.make_tensor_value_info("x", F, [3, 5])], [out_vi("y")]),
             [logits.astype(np.float32)])
    if ys:
        check_type("Multinomial default sample_size", ys[0], [3, 1], np.int32)


# ---- seeds and independence ------------------------------------------------------------------------
def test_seeds():
    def gen(seed, tag):
        kw = seeded(dict(shape=[1000]), seed)
        nodes = [helper.make_node("RandomNormal", [], ["a"], **kw),
                 helper.make_node("RandomUniformLike", ["a"], ["b"], **seeded({}, seed)),
                 helper.make_node("Bernoulli", ["b"], ["c"], **seeded({}, seed))]
        return run("seed_%s_%s" % (seed, tag), model(nodes, [], [out_vi("a"), out_vi("b"), out_vi("c")]))

    a1, a2, b = gen(42, "r1"), gen(42, "r2"), gen(43, "r1")
    if a1 and a2 and b:
        check("seed=42: two runs give identical values", all(np.array_equal(u, v) for u, v in zip(a1, a2)))
        check("seed=42 vs seed=43: different values", not np.array_equal(a1[0], b[0]) and not np.array_equal(a1[1], b[1]))
    # two generators without a seed in one graph must not produce the same (or correlated) values;
    # with the optimiser on (CSE must not merge them) and off
    n = 100000
    nodes = [helper.make_node("RandomNormal", [], ["a"], shape=[n]), helper.make_node("RandomNormal", [], ["b"], shape=[n]),
             helper.make_node("RandomUniform", [], ["c"], shape=[n]), helper.make_node("RandomUniform", [], ["d"], shape=[n])]
    for opt in (None, 0):
        ys = run("unseeded_pair_O%s" % opt, model(nodes, [], [out_vi(s) for s in "abcd"]), opt=opt)
        if ys:
            tag = "" if opt is None else " (-O 0)"
            check_independent("two unseeded RandomNormal in one graph are independent" + tag, ys[0], ys[1])
            check_independent("two unseeded RandomUniform in one graph are independent" + tag, ys[2], ys[3])
    # the same for Bernoulli on one probability tensor (dropout-style masks)
    p = np.full([n], 0.5, np.float32)
    ys = run("unseeded_bernoulli_pair", model([helper.make_node("Bernoulli", ["p"], ["a"]),
                                               helper.make_node("Bernoulli", ["p"], ["b"])],
                                              [helper.make_tensor_value_info("p", F, [n])], [out_vi("a"), out_vi("b")]), [p])
    if ys:
        check_independent("two unseeded Bernoulli in one graph are independent", ys[0], ys[1])


def main():
    if not os.path.exists(INFER):
        print("FAIL  %s not found" % INFER)
        return 1
    try:
        for t in (test_random_normal, test_random_uniform, test_like, test_bernoulli, test_multinomial, test_seeds):
            t()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("random ops: %d checks, %d failed%s" % (COUNT[0], len(FAILED), (": " + "; ".join(FAILED)) if FAILED else ""))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
