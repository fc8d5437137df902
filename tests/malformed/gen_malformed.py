#!/usr/bin/python3
"""gen_malformed.py - writes the malformed-model suite of issue 5 (hostile inputs) into OUTDIR.

usage: /usr/bin/python3 tests/malformed/gen_malformed.py OUTDIR [--seed N]

Needs only the standard library, numpy and onnx (Debian's python3-onnx, 1.12 or newer). Every case is
a directory OUTDIR/<name>/ holding model.onnx, optionally data/input_<k>.pb (bound by
`infer run -d`) and other files the model refers to (external data). OUTDIR/cases.tsv lists one case
a line:  name <TAB> expect <TAB> description
  expect = fail  the runtime must refuse it: a non-zero exit with a message, no signal, no hang
  expect = any   the input may happen to be valid: a clean error or a successful run are both fine
tests/malformed/run.sh runs build/infer on each case and judges the outcome.

The cases are built from a few small valid models made here (no files from elsewhere), plus
hand-assembled protobuf bytes for what the onnx package refuses to write. Random choices come from a
seeded generator, so a given seed always gives the same suite.
"""
import os
import random
import shutil
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR = 7

# ------------------------------------------------------------------------------------------------
# protobuf bytes by hand
# ------------------------------------------------------------------------------------------------
VARINT, I64, LEN, I32 = 0, 1, 2, 5


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint((field << 3) | wire)


def f_varint(field, n):
    return key(field, VARINT) + varint(n)


def f_bytes(field, data):
    if isinstance(data, str):
        data = data.encode()
    return key(field, LEN) + varint(len(data)) + data


def f_len_only(field, claimed, data=b""):
    """A length-delimited field whose length says `claimed` but only `data` follows."""
    return key(field, LEN) + varint(claimed) + data


def nest(inner, levels):
    """Wraps `inner` in messages, innermost first: each level (pre, field, post) makes
    pre + key(field, LEN) + len + child + post. Linear time, for nesting thousands deep."""
    heads, tails = [], []
    size = len(inner)
    for pre, field, post in levels:
        head = pre + key(field, LEN) + varint(size)
        heads.append(head)
        tails.append(post)
        size += len(head) + len(post)
    return b"".join(reversed(heads)) + inner + b"".join(tails)


def top_level_boundaries(buf):
    """Offsets where a top-level field of a message starts or the message ends (valid cut points)."""
    out = [0]
    p = 0
    n = len(buf)
    while p < n:
        # key
        v, p = read_varint(buf, p)
        if p is None:
            break
        w = v & 7
        if w == VARINT:
            _, p = read_varint(buf, p)
        elif w == I64:
            p += 8
        elif w == I32:
            p += 4
        elif w == LEN:
            ln, p = read_varint(buf, p)
            if p is None:
                break
            p += ln
        else:
            break
        if p is None or p > n:
            break
        out.append(p)
    return set(out)


def read_varint(buf, p):
    v = 0
    s = 0
    while p < len(buf) and s < 70:
        b = buf[p]
        p += 1
        v |= (b & 0x7F) << s
        s += 7
        if not b & 0x80:
            return v, p
    return 0, None


# ------------------------------------------------------------------------------------------------
# small valid models (the bases)
# ------------------------------------------------------------------------------------------------
def vi(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def model(nodes, inputs, outputs, inits=(), opset=OPSET, name="g", functions=None, opsets=None, value_info=()):
    g = helper.make_graph(list(nodes), name, list(inputs), list(outputs), list(inits), value_info=list(value_info))
    ops = opsets if opsets is not None else [helper.make_opsetid("", opset)]
    kw = {}
    if functions:
        kw["functions"] = functions
    m = helper.make_model(g, opset_imports=ops, producer_name="gen_malformed", **kw)
    m.ir_version = IR if not functions else 8
    return m


def pb(arr, name=None):
    return numpy_helper.from_array(np.asarray(arr), name).SerializeToString()


def base_conv():
    """x[1,2,5,5] -> Conv(pads 1) -> Relu -> Reshape [1,50] -> MatMul [50,4] -> Softmax."""
    rng = np.random.RandomState(1)
    W = rng.randn(2, 2, 3, 3).astype(np.float32)
    B = rng.randn(2).astype(np.float32)
    M = rng.randn(50, 4).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "W", "B"], ["c"], name="conv", pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Reshape", ["r", "shape"], ["f"], name="reshape"),
        helper.make_node("MatMul", ["f", "M"], ["mm"], name="matmul"),
        helper.make_node("Softmax", ["mm"], ["y"], name="softmax", axis=1),
    ]
    m = model(nodes, [vi("x", TensorProto.FLOAT, [1, 2, 5, 5])], [vi("y", TensorProto.FLOAT, [1, 4])],
              [init("W", W), init("B", B), init("shape", np.array([1, 50], np.int64)), init("M", M)])
    data = [pb(rng.randn(1, 2, 5, 5).astype(np.float32), "x")]
    return m, data


def base_gather():
    """data[5,4], idx[3] -> Gather -> Transpose -> Concat with itself -> ReduceSum -> Add."""
    nodes = [
        helper.make_node("Gather", ["data", "idx"], ["g"], name="gather", axis=0),
        helper.make_node("Transpose", ["g"], ["t"], name="transpose", perm=[1, 0]),
        helper.make_node("Concat", ["t", "t"], ["c"], name="concat", axis=1),
        helper.make_node("ReduceSum", ["c"], ["s"], name="rsum", keepdims=1),
        helper.make_node("Add", ["s", "bias"], ["y"], name="add"),
    ]
    m = model(nodes, [vi("data", TensorProto.FLOAT, [5, 4]), vi("idx", TensorProto.INT64, [3])],
              [vi("y", TensorProto.FLOAT, [1, 1])], [init("bias", np.array([[0.5]], np.float32))])
    data = [pb(np.arange(20, dtype=np.float32).reshape(5, 4), "data"), pb(np.array([4, 0, 2], np.int64), "idx")]
    return m, data


def base_if():
    """cond, x[3] -> If(then: x*2 via outer scope, else: Neg x) -> Loop 3 times adding 1."""
    then_g = helper.make_graph([helper.make_node("Add", ["x", "x"], ["t_out"], name="then_add")], "then", [],
                               [vi("t_out", TensorProto.FLOAT, [3])])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["e_out"], name="else_neg")], "else", [],
                               [vi("e_out", TensorProto.FLOAT, [3])])
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"], name="b_id"),
         helper.make_node("Add", ["v_in", "one"], ["v_out"], name="b_add")],
        "body",
        [vi("iter", TensorProto.INT64, []), vi("cond_in", TensorProto.BOOL, []), vi("v_in", TensorProto.FLOAT, [3])],
        [vi("cond_out", TensorProto.BOOL, []), vi("v_out", TensorProto.FLOAT, [3])])
    nodes = [
        helper.make_node("If", ["cond"], ["i"], name="if", then_branch=then_g, else_branch=else_g),
        helper.make_node("Loop", ["trip", "true", "i"], ["y"], name="loop", body=body),
    ]
    m = model(nodes, [vi("cond", TensorProto.BOOL, []), vi("x", TensorProto.FLOAT, [3])],
              [vi("y", TensorProto.FLOAT, [3])],
              [init("trip", np.array(3, np.int64)), init("true", np.array(True)), init("one", np.array([1.0], np.float32))])
    data = [pb(np.array(True), "cond"), pb(np.array([1, 2, 3], np.float32), "x")]
    return m, data


# ------------------------------------------------------------------------------------------------
# the suite
# ------------------------------------------------------------------------------------------------
class Suite:
    def __init__(self, out):
        self.out = out
        self.rows = []
        self.names = set()

    def add(self, name, expect, blob, data=(), files=None, desc=""):
        assert expect in ("fail", "any"), expect
        assert name not in self.names, name
        self.names.add(name)
        d = os.path.join(self.out, name)
        os.makedirs(d)
        if not isinstance(blob, (bytes, bytearray)):
            blob = blob.SerializeToString()
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(blob)
        if data:
            os.makedirs(os.path.join(d, "data"))
            for k, b in enumerate(data):
                with open(os.path.join(d, "data", "input_%d.pb" % k), "wb") as f:
                    f.write(b)
        for fname, content in (files or {}).items():
            p = os.path.join(d, fname)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(content)
        self.rows.append((name, expect, desc.replace("\t", " ").replace("\n", " ")))

    def write_index(self):
        with open(os.path.join(self.out, "cases.tsv"), "w") as f:
            for r in self.rows:
                f.write("%s\t%s\t%s\n" % r)


def gen_byte_level(S, rng, bases):
    """Truncations, byte flips, random bytes, empty files."""
    for bname, (m, data) in bases.items():
        buf = m.SerializeToString()
        n = len(buf)
        S.add("valid_%s" % bname, "any", buf, data, desc="the unmodified base model (must run)")
        cuts = top_level_boundaries(buf)
        offsets = sorted(set([1, 2, 3, n - 1, n - 2] + [int(n * k / 40) for k in range(1, 40)] + list(cuts)))
        for off in offsets:
            if off <= 0 or off >= n:
                continue
            S.add("trunc_%s_%05d" % (bname, off), "any" if off in cuts else "fail", buf[:off], data,
                  desc="truncated to %d of %d bytes" % (off, n))
        for k in range(25):
            b = bytearray(buf)
            nflip = rng.choice([1, 1, 2, 4, 16])
            for _ in range(nflip):
                p = rng.randrange(n)
                b[p] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(1, 256)
            S.add("flip_%s_%02d" % (bname, k), "any", bytes(b), data, desc="%d random byte flips" % nflip)
        for k in range(6):
            b = bytearray(buf)
            p = rng.randrange(n)
            b[p:p] = bytes([0xFF] * rng.randrange(1, 12))  # inserts a run of continuation bytes
            S.add("insert_ff_%s_%d" % (bname, k), "any", bytes(b), data, desc="0xff run inserted at %d" % p)
    S.add("empty_file", "fail", b"", desc="zero bytes")
    S.add("one_byte_key", "fail", b"\x08", desc="a key without its varint")
    S.add("zero_bytes_64", "fail", bytes(64), desc="64 zero bytes (field number 0)")
    S.add("ff_bytes_64", "fail", b"\xff" * 64, desc="64 bytes 0xff (a varint that never ends)")
    S.add("text_file", "fail", b"this is not an onnx model\n" * 4, desc="ascii text")
    for k, size in enumerate([1, 2, 7, 31, 100, 1000, 4096, 20000]):
        S.add("random_%d_%d" % (k, size), "any", bytes(rng.randrange(256) for _ in range(size)),
              desc="%d random bytes" % size)


def model_bytes(graph_bytes, opset=OPSET, ir=IR, extra=b""):
    return (f_varint(1, ir) + f_bytes(8, f_varint(2, opset)) + f_bytes(7, graph_bytes) + extra)


def vi_bytes(name, elem=1, dims=()):
    shape = b"".join(f_bytes(1, f_varint(1, d)) for d in dims)
    tt = f_varint(1, elem) + f_bytes(2, shape)
    return f_bytes(1, name) + f_bytes(2, f_bytes(1, tt))


def node_bytes(op, ins, outs, name="n", attrs=b"", domain=None):
    b = b"".join(f_bytes(1, i) for i in ins) + b"".join(f_bytes(2, o) for o in outs)
    b += f_bytes(3, name) + f_bytes(4, op) + attrs
    if domain is not None:
        b += f_bytes(7, domain)
    return b


def relu_graph(extra_graph=b"", node_extra=b""):
    """Graph bytes: x[2] -> Relu -> y, with room for more fields."""
    return (f_bytes(1, node_bytes("Relu", ["x"], ["y"], attrs=node_extra)) + f_bytes(2, "g") +
            f_bytes(11, vi_bytes("x", 1, [2])) + f_bytes(12, vi_bytes("y", 1, [2])) + extra_graph)


def gen_protobuf(S):
    x2 = [pb(np.array([1.0, -1.0], np.float32), "x")]
    S.add("pb_relu_valid", "any", model_bytes(relu_graph()), x2, desc="hand-encoded valid model (must run)")
    # overlong varints
    over11 = b"\x81" + b"\x80" * 9 + b"\x00"  # 11 bytes
    S.add("varint_11_bytes_ir", "fail", key(1, VARINT) + over11 + f_bytes(8, f_varint(2, OPSET)) +
          f_bytes(7, relu_graph()), x2, desc="ir_version as an 11-byte varint")
    S.add("varint_overlong_10_ok", "any", key(1, VARINT) + b"\x87" + b"\x80" * 8 + b"\x00" +
          f_bytes(8, f_varint(2, OPSET)) + f_bytes(7, relu_graph()), x2,
          desc="ir_version 7 in a legal but overlong 10-byte varint")
    S.add("varint_10th_byte_big", "fail", key(1, VARINT) + b"\xff" * 9 + b"\x7f" + f_bytes(8, f_varint(2, OPSET)) +
          f_bytes(7, relu_graph()), x2, desc="10-byte varint whose last byte overflows 64 bits")
    S.add("varint_unterminated_len", "fail", f_varint(1, IR) + key(7, LEN) + b"\xff" * 20, x2,
          desc="graph length varint never ends")
    S.add("varint_dims_huge", "fail", model_bytes(relu_graph(f_bytes(5, key(1, VARINT) + b"\xff" * 9 + b"\x01" +
                                                                    f_varint(2, 1) + f_bytes(8, "w") + f_bytes(9, b"\0" * 4)))), x2,
          desc="initializer dim 2^64-1 (varint of ten 0xff-ish bytes)")
    # lengths past the end
    g = relu_graph()
    S.add("len_graph_past_end", "fail", f_varint(1, IR) + f_bytes(8, f_varint(2, OPSET)) + f_len_only(7, len(g) + 1, g),
          x2, desc="graph length one byte past the end")
    S.add("len_graph_2_31", "fail", f_varint(1, IR) + f_bytes(8, f_varint(2, OPSET)) + f_len_only(7, 1 << 31, g), x2,
          desc="graph length 2^31")
    S.add("len_graph_2_63", "fail", f_varint(1, IR) + f_bytes(8, f_varint(2, OPSET)) + f_len_only(7, (1 << 63) + 5, g),
          x2, desc="graph length 2^63+5 (wraps a signed size)")
    S.add("len_graph_2_64m1", "fail", f_varint(1, IR) + f_bytes(8, f_varint(2, OPSET)) + f_len_only(7, (1 << 64) - 1, g),
          x2, desc="graph length 2^64-1 (wraps a pointer)")
    nb = node_bytes("Relu", ["x"], ["y"])
    S.add("len_node_past_graph", "fail",
          model_bytes(f_len_only(1, len(nb) + 40, nb) + f_bytes(11, vi_bytes("x", 1, [2])) + f_bytes(12, vi_bytes("y", 1, [2]))),
          x2, desc="node length runs past the end of the graph")
    # huge string lengths
    for nm, claimed in (("2_31", 1 << 31), ("2_32", 1 << 32), ("2_40", 1 << 40), ("2_62", 1 << 62)):
        S.add("strlen_node_name_%s" % nm, "fail",
              model_bytes(f_bytes(1, f_bytes(1, "x") + f_bytes(2, "y") + f_bytes(4, "Relu") + f_len_only(3, claimed, b"abc")) +
                          f_bytes(11, vi_bytes("x", 1, [2])) + f_bytes(12, vi_bytes("y", 1, [2]))), x2,
              desc="node name length claims %d bytes" % claimed)
    S.add("strlen_string_data_2_40", "fail",
          model_bytes(relu_graph(f_bytes(5, f_varint(1, 1) + f_varint(2, 8) + f_bytes(8, "s") + f_len_only(6, 1 << 40, b"ab")))),
          x2, desc="string_data element length 2^40")
    S.add("strlen_docstring_2_33", "fail", model_bytes(relu_graph()) + f_len_only(6, 1 << 33, b"doc"), x2,
          desc="model doc_string length 2^33 at the end of the file")
    # wire types
    S.add("wire_type_group", "fail", f_varint(1, IR) + key(8, 3) + f_varint(2, OPSET) + key(8, 4) + f_bytes(7, relu_graph()),
          x2, desc="deprecated group wire types (3 and 4)")
    S.add("wire_type_7", "fail", model_bytes(relu_graph()) + key(20, 7) + b"\0" * 8, x2, desc="wire type 7")
    S.add("wire_type_mismatch_graph", "fail", f_varint(1, IR) + f_bytes(8, f_varint(2, OPSET)) + f_varint(7, 5), x2,
          desc="graph field as a varint")
    S.add("field_zero", "fail", b"\x00\x00" + model_bytes(relu_graph()), x2, desc="field number 0")
    S.add("fixed64_truncated", "fail", model_bytes(relu_graph()) + key(30, I64) + b"\1\2\3", x2,
          desc="fixed64 unknown field cut short")
    S.add("unknown_fields_ok", "any", model_bytes(relu_graph(f_bytes(99, b"zzz") + f_varint(98, 5))) + key(1000, I32) + b"abcd",
          x2, desc="unknown fields of every wire type (skipped)")
    # packed fields with bad lengths
    S.add("packed_dims_odd", "fail",
          model_bytes(relu_graph(f_bytes(5, f_bytes(1, b"\x02\x80") + f_varint(2, 1) + f_bytes(8, "w") + f_bytes(9, b"\0" * 8)))),
          x2, desc="packed dims ending inside a varint")
    S.add("packed_floats_odd", "fail",
          model_bytes(relu_graph(f_bytes(5, f_varint(1, 2) + f_varint(2, 1) + f_bytes(8, "w") + f_bytes(4, b"\0" * 7)))),
          x2, desc="packed float_data of 7 bytes")
    # graph-less models
    S.add("no_graph", "fail", f_varint(1, IR) + f_bytes(8, f_varint(2, OPSET)), desc="ModelProto without a graph")
    S.add("empty_graph", "any", model_bytes(b""), desc="graph with nothing in it")
    S.add("no_opset_import", "any", f_varint(1, IR) + f_bytes(7, relu_graph()), x2, desc="no opset_import")
    S.add("opset_negative", "any", f_varint(1, IR) + f_bytes(8, f_varint(2, -5)) + f_bytes(7, relu_graph()), x2,
          desc="opset version -5")
    S.add("ir_version_huge", "any", f_varint(1, 1 << 62) + f_bytes(8, f_varint(2, OPSET)) + f_bytes(7, relu_graph()), x2,
          desc="ir_version 2^62")


def gen_deep(S):
    """Subgraphs nested thousands deep, deep type nesting, recursive functions."""
    const = node_bytes("Identity", ["v0"], ["out"], name="leaf")
    leaf = f_bytes(1, const) + f_bytes(2, "leaf") + f_bytes(12, vi_bytes("out", 1, [1]))
    small_else = f_bytes(1, "else_branch") + f_varint(20, 5) + f_bytes(6, leaf)
    for depth in (65, 1000, 5000):
        levels = []
        for lvl in range(depth):
            levels.append((f_bytes(1, "then_branch") + f_varint(20, 5), 6, b""))  # AttributeProto.g
            levels.append((f_bytes(1, "c") + f_bytes(2, "out") + f_bytes(3, "if%d" % lvl) + f_bytes(4, "If"), 5,
                           f_bytes(5, small_else)))  # NodeProto.attribute
            levels.append((b"", 1, f_bytes(2, "g%d" % lvl) + f_bytes(12, vi_bytes("out", 1, [1]))))  # GraphProto.node
        top = nest(leaf, levels[:-1])  # the outermost If node
        top = key(1, LEN) + varint(len(top)) + top + f_bytes(2, "top")
        top += f_bytes(11, vi_bytes("c", 9, [])) + f_bytes(11, vi_bytes("v0", 1, [1])) + f_bytes(12, vi_bytes("out", 1, [1]))
        S.add("nested_if_%d" % depth, "fail", model_bytes(top),
              [pb(np.array(True), "c"), pb(np.array([1.0], np.float32), "v0")],
              desc="If inside If %d levels deep" % depth)
    # Loop bodies nested 2000 deep
    body_io = f_bytes(11, vi_bytes("it", 7, [])) + f_bytes(11, vi_bytes("ci", 9, [])) + f_bytes(12, vi_bytes("co", 9, []))
    g = f_bytes(1, node_bytes("Identity", ["ci"], ["co"], name="id")) + f_bytes(2, "b") + body_io
    levels = []
    for lvl in range(2000):
        levels.append((f_bytes(1, "body") + f_varint(20, 5), 6, b""))
        levels.append((f_bytes(1, "") + f_bytes(1, "ci") + f_bytes(3, "l%d" % lvl) + f_bytes(4, "Loop"), 5, b""))
        levels.append((b"", 1, f_bytes(1, node_bytes("Identity", ["ci"], ["co"], name="id%d" % lvl)) + f_bytes(2, "b") + body_io))
    top = nest(g, levels[:-1])
    top = key(1, LEN) + varint(len(top)) + top
    top += f_bytes(1, node_bytes("Identity", ["c"], ["y"], name="out")) + f_bytes(11, vi_bytes("c", 9, [])) + f_bytes(12, vi_bytes("y", 9, []))
    S.add("nested_loop_2000", "fail", model_bytes(top), [pb(np.array(False), "c")], desc="Loop bodies 2000 deep")
    # TypeProto nested 100000 deep (sequence of sequence of ...)
    t = nest(f_bytes(1, f_varint(1, 1)), [(b"", 1, b""), (b"", 4, b"")] * 100000)
    vinfo = f_bytes(1, "x") + f_bytes(2, t)
    S.add("nested_type_100000", "fail",
          model_bytes(f_bytes(1, node_bytes("Identity", ["x"], ["y"])) + f_bytes(11, vinfo) + f_bytes(12, vi_bytes("y", 1, [1]))),
          desc="input type: sequence of sequence ... 100000 deep")
    # attribute -> graph -> node -> attribute ... 20000 deep
    pre = f_bytes(1, "a") + f_varint(20, 5)
    g = nest(pre + f_bytes(6, b""), [(f_bytes(4, "Identity"), 5, b""), (b"", 1, b""), (pre, 6, b"")] * 20000 + [(b"", 5, b"")])
    S.add("nested_attr_graph_20000", "fail",
          model_bytes(f_bytes(1, node_bytes("Relu", ["x"], ["y"], attrs=g)) + f_bytes(11, vi_bytes("x", 1, [2])) +
                      f_bytes(12, vi_bytes("y", 1, [2]))), x2_data(), desc="node attribute graph / node / attribute ... 20000 deep")
    # recursive model-local functions
    fself = helper.make_function("local", "F", ["a"], ["b"], [helper.make_node("F", ["a"], ["b"], domain="local")],
                                 [helper.make_opsetid("", OPSET), helper.make_opsetid("local", 1)])
    m = model([helper.make_node("F", ["x"], ["y"], domain="local")], [vi("x", TensorProto.FLOAT, [2])],
              [vi("y", TensorProto.FLOAT, [2])], functions=[fself],
              opsets=[helper.make_opsetid("", OPSET), helper.make_opsetid("local", 1)])
    S.add("function_self_recursive", "fail", m, x2_data(), desc="model-local function F calls F")
    fa = helper.make_function("local", "A", ["a"], ["b"], [helper.make_node("B", ["a"], ["b"], domain="local")],
                              [helper.make_opsetid("", OPSET), helper.make_opsetid("local", 1)])
    fb = helper.make_function("local", "B", ["a"], ["b"], [helper.make_node("A", ["a"], ["b"], domain="local")],
                              [helper.make_opsetid("", OPSET), helper.make_opsetid("local", 1)])
    m = model([helper.make_node("A", ["x"], ["y"], domain="local")], [vi("x", TensorProto.FLOAT, [2])],
              [vi("y", TensorProto.FLOAT, [2])], functions=[fa, fb],
              opsets=[helper.make_opsetid("", OPSET), helper.make_opsetid("local", 1)])
    S.add("function_mutual_recursive", "fail", m, x2_data(), desc="functions A -> B -> A")
    # a function that doubles its calls each level: 2^40 inlined nodes if expanded blindly
    funcs = [helper.make_function("local", "L0", ["a"], ["b"], [helper.make_node("Relu", ["a"], ["b"])],
                                  [helper.make_opsetid("", OPSET)])]
    for lvl in range(1, 41):
        funcs.append(helper.make_function(
            "local", "L%d" % lvl, ["a"], ["b"],
            [helper.make_node("L%d" % (lvl - 1), ["a"], ["m"], domain="local"),
             helper.make_node("L%d" % (lvl - 1), ["m"], ["b"], domain="local")],
            [helper.make_opsetid("", OPSET), helper.make_opsetid("local", 1)]))
    m = model([helper.make_node("L40", ["x"], ["y"], domain="local")], [vi("x", TensorProto.FLOAT, [2])],
              [vi("y", TensorProto.FLOAT, [2])], functions=funcs,
              opsets=[helper.make_opsetid("", OPSET), helper.make_opsetid("local", 1)])
    S.add("function_exponential_inline", "fail", m, x2_data(), desc="functions doubling per level: 2^40 nodes once inlined")


def x2_data():
    return [pb(np.array([1.0, -1.0], np.float32), "x")]


def gen_tensors(S):
    """Dims, data sizes, data types of initializers and inputs."""
    def relu_with_init(t, extra_nodes=(), outs=None):
        nodes = [helper.make_node("Relu", ["x"], ["y"])] + list(extra_nodes)
        return model(nodes, [vi("x", TensorProto.FLOAT, [2])], outs or [vi("y", TensorProto.FLOAT, [2])], [t])

    def use_init(t, dtype=TensorProto.FLOAT):
        """Identity of the initializer is the output (so it must be decoded)."""
        return model([helper.make_node("Identity", ["w"], ["y"])], [], [vi("y", dtype, None)], [t])

    big = 1 << 40
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[big, big])
    S.add("dims_2_40_sq_nodata", "fail", use_init(t), desc="initializer dims 2^40 x 2^40, no data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[big, big], raw_data=b"\0" * 16)
    S.add("dims_2_40_sq_raw16", "fail", use_init(t), desc="initializer dims 2^40 x 2^40, 16 bytes raw_data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 31, 1 << 31, 1 << 31, 1 << 31], raw_data=b"\0" * 4)
    S.add("dims_product_wraps_2_124", "fail", use_init(t), desc="dims whose product wraps 64 bits to 0")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 32, 1 << 32], raw_data=b"")
    S.add("dims_product_wraps_2_64", "fail", use_init(t), desc="dims 2^32 x 2^32: product 2^64 wraps to 0")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 33], raw_data=b"\0" * 4)
    S.add("dims_2_33_raw4", "fail", use_init(t), desc="initializer [2^33] float (32 GB) with 4 bytes of raw_data")
    t = TensorProto(name="w", data_type=TensorProto.INT64, dims=[1 << 33], int64_data=[1, 2])
    S.add("dims_2_33_typed2", "fail", use_init(t, TensorProto.INT64), desc="initializer [2^33] int64 with 2 int64_data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[-1, 4], raw_data=b"\0" * 16)
    S.add("dims_negative_init", "fail", use_init(t), desc="initializer dims [-1, 4]")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[-4, -4], raw_data=b"\0" * 64)
    S.add("dims_negative_pair", "fail", use_init(t), desc="initializer dims [-4, -4] (product positive)")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1] * 40, raw_data=b"\0" * 4)
    S.add("rank_40_init", "fail", use_init(t), desc="initializer of rank 40")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3], raw_data=b"\0" * 5)
    S.add("raw_short", "fail", use_init(t), desc="[2,3] float with 5 bytes raw_data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3], raw_data=b"\0" * 100)
    S.add("raw_long", "fail", use_init(t), desc="[2,3] float with 100 bytes raw_data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3], float_data=[1.0] * 5)
    S.add("float_data_short", "fail", use_init(t), desc="[2,3] float with 5 float_data")
    t = TensorProto(name="w", data_type=TensorProto.INT64, dims=[4], int64_data=[1] * 9)
    S.add("int64_data_long", "fail", use_init(t, TensorProto.INT64), desc="[4] int64 with 9 int64_data")
    t = TensorProto(name="w", data_type=TensorProto.STRING, dims=[3], string_data=[b"a"])
    S.add("string_data_short", "fail", use_init(t, TensorProto.STRING), desc="[3] string with 1 string_data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2], string_data=[b"a", b"b"])
    S.add("float_in_string_data", "fail", use_init(t), desc="float tensor with its 2 values as string_data (F5)")
    t = TensorProto(name="w", data_type=TensorProto.INT64, dims=[3], string_data=[b"1", b"2"], int64_data=[7])
    S.add("int64_string_and_typed", "fail", use_init(t, TensorProto.INT64), desc="[3] int64: 2 string_data + 1 int64_data (F5)")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2], raw_data=b"\0" * 8, float_data=[1.0, 2.0])
    S.add("raw_and_typed", "any", use_init(t), desc="both raw_data and float_data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2], int64_data=[1, 2])
    S.add("float_in_int64_data", "any", use_init(t), desc="float tensor with its values in int64_data")
    t = TensorProto(name="w", data_type=TensorProto.FLOAT16, dims=[3], int32_data=[1 << 20, 5, 7])
    S.add("f16_int32_data_big", "any", use_init(t, TensorProto.FLOAT16), desc="float16 int32_data holding values above 16 bits")
    t = TensorProto(name="w", data_type=TensorProto.BOOL, dims=[2], raw_data=b"\x07\xff")
    S.add("bool_raw_not_01", "any", use_init(t, TensorProto.BOOL), desc="bool raw bytes 7 and 255")
    t = TensorProto(name="w", data_type=22, dims=[5], raw_data=b"\0")
    S.add("int4_raw_short", "fail", use_init(t, 22), desc="5 int4 in 1 byte (needs 3)")
    for dt in (0, 99, 1000, -3, 1 << 40):
        t = TensorProto(name="w", dims=[2], raw_data=b"\0" * 8)
        t.data_type = dt if dt >= -(1 << 31) and dt < (1 << 31) else 5
        blob = use_init(t).SerializeToString()
        if dt >= (1 << 31):  # patch a 64-bit varint in by hand
            blob = blob.replace(f_varint(2, 5) + f_bytes(9, b"\0" * 8), f_varint(2, dt) + f_bytes(9, b"\0" * 8))
        S.add("dtype_init_%s" % str(dt).replace("-", "m"), "fail", blob, desc="initializer data_type %d" % dt)
    # input with an unknown element type
    m = model([helper.make_node("Identity", ["x"], ["y"])], [vi("x", 77, [2])], [vi("y", 77, [2])])
    S.add("dtype_input_77", "fail", m, x2_data(), desc="graph input of element type 77 bound with a float tensor")
    m = model([helper.make_node("Cast", ["x"], ["y"], to=99)], [vi("x", TensorProto.FLOAT, [2])], [vi("y", 1, [2])])
    S.add("cast_to_99", "fail", m, x2_data(), desc="Cast to data type 99")
    m = model([helper.make_node("Cast", ["x"], ["y"], to=-1)], [vi("x", TensorProto.FLOAT, [2])], [vi("y", 1, [2])])
    S.add("cast_to_m1", "fail", m, x2_data(), desc="Cast to data type -1")
    cst = helper.make_node("Constant", [], ["y"], value=TensorProto(name="v", data_type=55, dims=[1], raw_data=b"\0" * 4))
    S.add("constant_dtype_55", "fail", model([cst], [], [vi("y", 1, [1])]), desc="Constant tensor of type 55")
    m = model([helper.make_node("ConstantOfShape", ["s"], ["y"], value=TensorProto(name="v", data_type=1, dims=[1], raw_data=b"\0"))],
              [], [vi("y", 1, None)], [init("s", np.array([2], np.int64))])
    S.add("constantofshape_value_short", "fail", m, desc="ConstantOfShape value with 1 byte of float")
    # sizes that cannot be allocated
    def cos(shape, name, desc, expect="fail"):
        m = model([helper.make_node("ConstantOfShape", ["s"], ["y"])], [], [vi("y", 1, None)],
                  [init("s", np.array(shape, np.int64))])
        S.add(name, expect, m, desc=desc)
    cos([big, big], "cos_2_40_sq", "ConstantOfShape [2^40, 2^40]")
    cos([1 << 62, 4], "cos_2_62x4", "ConstantOfShape [2^62, 4] (bytes overflow)")
    cos([40000, 40000], "cos_6gb", "ConstantOfShape [40000, 40000]: 6.4 GB of float")
    cos([-3, 4], "cos_negative", "ConstantOfShape [-3, 4]")
    cos([0, big], "cos_zero_times_huge", "ConstantOfShape [0, 2^40] (empty: fine)", "any")
    m = model([helper.make_node("Range", ["a", "b", "c"], ["y"])], [], [vi("y", 1, None)],
              [init("a", np.array(0, np.float32)), init("b", np.array(1e30, np.float32)), init("c", np.array(1, np.float32))])
    S.add("range_1e30", "fail", m, desc="Range 0 .. 1e30 step 1")
    m = model([helper.make_node("Range", ["a", "b", "c"], ["y"])], [], [vi("y", 7, None)],
              [init("a", np.array(0, np.int64)), init("b", np.array(10, np.int64)), init("c", np.array(0, np.int64))])
    S.add("range_step_0", "fail", m, desc="Range with delta 0")
    m = model([helper.make_node("Range", ["a", "b", "c"], ["y"])], [], [vi("y", 1, None)],
              [init("a", np.array(0, np.float32)), init("b", np.array(np.inf, np.float32)), init("c", np.array(1, np.float32))])
    S.add("range_inf", "fail", m, desc="Range 0 .. inf")
    m = model([helper.make_node("Range", ["a", "b", "c"], ["y"])], [], [vi("y", 1, None)],
              [init("a", np.array(0, np.float32)), init("b", np.array(np.nan, np.float32)), init("c", np.array(1, np.float32))])
    S.add("range_nan", "any", m, desc="Range 0 .. NaN")
    m = model([helper.make_node("Range", ["a", "b", "c"], ["y"])], [], [vi("y", 7, None)],
              [init("a", np.array(-(1 << 63), np.int64)), init("b", np.array((1 << 63) - 1, np.int64)),
               init("c", np.array(1, np.int64))])
    S.add("range_int64_full", "fail", m, desc="Range over all of int64 (count overflows)")
    m = model([helper.make_node("Expand", ["x", "s"], ["y"])], [vi("x", 1, [2])], [vi("y", 1, None)],
              [init("s", np.array([big, big, 2], np.int64))])
    S.add("expand_2_40_sq", "fail", m, x2_data(), desc="Expand to [2^40, 2^40, 2]")
    m = model([helper.make_node("Tile", ["x", "r"], ["y"])], [vi("x", 1, [2])], [vi("y", 1, None)],
              [init("r", np.array([1 << 62], np.int64))])
    S.add("tile_2_62", "fail", m, x2_data(), desc="Tile repeats 2^62")
    m = model([helper.make_node("Tile", ["x", "r"], ["y"])], [vi("x", 1, [2])], [vi("y", 1, None)],
              [init("r", np.array([-2], np.int64))])
    S.add("tile_negative", "fail", m, x2_data(), desc="Tile repeats -2")
    m = model([helper.make_node("Resize", ["x", "", "sc"], ["y"], mode="nearest")], [vi("x", 1, [1, 1, 2, 2])],
              [vi("y", 1, None)], [init("sc", np.array([1, 1, 1e9, 1e9], np.float32))])
    S.add("resize_scale_1e9", "fail", m, [pb(np.ones((1, 1, 2, 2), np.float32), "x")], desc="Resize scales 1e9")
    m = model([helper.make_node("Resize", ["x", "", "sc"], ["y"], mode="linear")], [vi("x", 1, [1, 1, 2, 2])],
              [vi("y", 1, None)], [init("sc", np.array([1, 1, np.nan, np.inf], np.float32))])
    S.add("resize_scale_nan_inf", "fail", m, [pb(np.ones((1, 1, 2, 2), np.float32), "x")], desc="Resize scales NaN, inf")
    m = model([helper.make_node("OneHot", ["i", "d", "v"], ["y"])], [], [vi("y", 1, None)],
              [init("i", np.array([1], np.int64)), init("d", np.array(1 << 50, np.int64)), init("v", np.array([0, 1], np.float32))])
    S.add("onehot_depth_2_50", "fail", m, desc="OneHot depth 2^50")
    m = model([helper.make_node("EyeLike", ["x"], ["y"], k=1 << 40)], [vi("x", 1, [2, 2])], [vi("y", 1, None)])
    S.add("eyelike_k_2_40", "any", m, [pb(np.ones((2, 2), np.float32), "x")], desc="EyeLike k = 2^40 (all zeros)")
    m = model([helper.make_node("Pad", ["x", "p"], ["y"])], [vi("x", 1, [2])], [vi("y", 1, None)],
              [init("p", np.array([1 << 40, 1 << 40], np.int64))])
    S.add("pad_2_40", "fail", m, x2_data(), desc="Pad by 2^40 on both sides")
    m = model([helper.make_node("Pad", ["x", "p"], ["y"])], [vi("x", 1, [2])], [vi("y", 1, None)],
              [init("p", np.array([-5, 0], np.int64))])
    S.add("pad_negative_past", "fail", m, x2_data(), desc="Pad -5 on a dim of 2")
    # .pb input files that are themselves malformed
    xin = vi("x", TensorProto.FLOAT, [2, 3])
    relu = model([helper.make_node("Relu", ["x"], ["y"])], [xin], [vi("y", 1, [2, 3])])
    bad = TensorProto(name="x", data_type=1, dims=[2, 3], raw_data=b"\0" * 7)
    S.add("input_pb_raw_short", "fail", relu, [bad.SerializeToString()], desc="input .pb [2,3] float with 7 raw bytes")
    bad = TensorProto(name="x", data_type=1, dims=[big, big], raw_data=b"\0" * 24)
    S.add("input_pb_dims_2_40", "fail", relu, [bad.SerializeToString()], desc="input .pb dims 2^40 x 2^40")
    bad = TensorProto(name="x", data_type=1, dims=[1 << 33, 1], raw_data=b"\0" * 24)
    S.add("input_pb_dims_2_33", "fail", relu, [bad.SerializeToString()], desc="input .pb [2^33,1] float with 24 bytes")
    bad = TensorProto(name="x", data_type=1, dims=[-2, -3], raw_data=b"\0" * 24)
    S.add("input_pb_dims_negative", "fail", relu, [bad.SerializeToString()], desc="input .pb dims [-2,-3]")
    bad = TensorProto(name="x", data_type=123, dims=[2, 3], raw_data=b"\0" * 24)
    S.add("input_pb_dtype_123", "fail", relu, [bad.SerializeToString()], desc="input .pb of data type 123")
    S.add("input_pb_truncated", "fail", relu, [pb(np.zeros((2, 3), np.float32))[:-5]], desc="input .pb cut short")
    S.add("input_pb_wrong_shape", "fail", relu, [pb(np.zeros((3, 2), np.float32))], desc="input [3,2] for a declared [2,3]")
    S.add("input_pb_wrong_type", "fail", relu, [pb(np.zeros((2, 3), np.int32))], desc="int32 input for a float input")
    m = model([helper.make_node("Identity", ["x"], ["y"])], [vi("x", 1, [big, big])], [vi("y", 1, None)])
    S.add("input_decl_2_40_sq", "fail", m, [pb(np.zeros((2, 3), np.float32))], desc="input declared [2^40, 2^40]")
    m = model([helper.make_node("Identity", ["x"], ["y"])], [vi("x", 1, [-7, 3])], [vi("y", 1, None)])
    S.add("input_decl_negative", "any", m, [pb(np.zeros((2, 3), np.float32))], desc="input declared [-7, 3]")


def gen_graph(S):
    """Names, cycles, unknown ops, opsets, attributes."""
    x = [vi("x", TensorProto.FLOAT, [2])]
    y = [vi("y", TensorProto.FLOAT, [2])]
    d = x2_data()
    R = lambda i, o, n="n": helper.make_node("Relu", [i], [o], name=n)
    S.add("cycle_two", "fail", model([R("a", "b", "n1"), R("b", "a", "n2"), helper.make_node("Add", ["x", "a"], ["y"])], x, y), d,
          desc="two nodes feeding each other")
    S.add("cycle_self", "fail", model([helper.make_node("Add", ["x", "y"], ["y"])], x, y), d, desc="node reads its own output")
    S.add("cycle_three", "fail",
          model([R("c", "a", "n1"), R("a", "b", "n2"), helper.make_node("Add", ["b", "x"], ["c"]), R("c", "y", "n4")], x, y), d,
          desc="three-node cycle")
    S.add("missing_input_name", "fail", model([R("nope", "y")], x, y), d, desc="node input never defined")
    S.add("missing_output_name", "fail", model([R("x", "z")], x, y), d, desc="graph output never produced")
    S.add("duplicate_producer", "fail", model([R("x", "y", "n1"), helper.make_node("Neg", ["x"], ["y"], name="n2")], x, y), d,
          desc="two nodes write y")
    S.add("output_overwrites_input", "fail", model([R("x", "x", "n1"), R("x", "y", "n2")], x, y), d,
          desc="node writes the graph input x")
    S.add("duplicate_input_names", "fail",
          model([R("x", "y")], [vi("x", 1, [2]), vi("x", 1, [2])], y), [d[0], d[0]], desc="graph input x listed twice")
    S.add("duplicate_initializers", "fail",
          model([helper.make_node("Add", ["x", "w"], ["y"])], x, y,
                [init("w", np.ones(2, np.float32)), init("w", np.zeros(2, np.float32))]), d, desc="initializer w twice")
    S.add("initializer_writes_node_output", "fail",
          model([R("x", "y")], x, y, [init("y", np.ones(2, np.float32))]), d, desc="initializer named like a node output")
    S.add("empty_op_type", "fail", model([helper.make_node("", ["x"], ["y"])], x, y), d, desc="node with an empty op_type")
    S.add("empty_output_name_used", "fail", model([helper.make_node("Relu", ["x"], [""]), R("", "y")], x, y), d,
          desc="a node reads the empty name")
    S.add("no_outputs", "any", model([R("x", "y")], x, []), d, desc="graph without outputs")
    S.add("output_is_input", "any", model([], x, [vi("x", 1, [2])]), d, desc="graph output is its input")
    S.add("unknown_op", "fail", model([helper.make_node("NoSuchOp", ["x"], ["y"])], x, y), d, desc="op NoSuchOp")
    S.add("unknown_ops_many", "fail",
          model([helper.make_node("Foo%d" % k, ["x" if k == 0 else "t%d" % (k - 1)], ["t%d" % k if k < 9 else "y"]) for k in range(10)],
                x, y), d, desc="ten unknown ops (all listed)")
    S.add("unknown_domain", "fail",
          model([helper.make_node("Relu", ["x"], ["y"], domain="com.evil")], x, y,
                opsets=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.evil", 1)]), d, desc="Relu in domain com.evil")
    S.add("domain_not_imported", "fail", model([helper.make_node("Relu", ["x"], ["y"], domain="com.evil")], x, y), d,
          desc="node domain without an opset_import")
    S.add("opset_999", "any", model([R("x", "y")], x, y, opset=999), d, desc="default-domain opset 999")
    S.add("opset_0", "any", model([R("x", "y")], x, y, opset=0), d, desc="default-domain opset 0")
    S.add("op_before_its_opset", "any", model([helper.make_node("Gelu", ["x"], ["y"])], x, y, opset=7), d,
          desc="Gelu (opset 20) in an opset-7 model")
    S.add("too_many_inputs", "any", model([helper.make_node("Relu", ["x", "x", "x"], ["y"])], x, y), d, desc="Relu with 3 inputs")
    S.add("too_few_inputs", "fail", model([helper.make_node("Add", ["x"], ["y"])], x, y), d, desc="Add with 1 input")
    S.add("too_many_outputs", "fail", model([helper.make_node("Relu", ["x"], ["y", "z", "w"])], x, y), d, desc="Relu with 3 outputs")
    S.add("missing_required_input", "fail", model([helper.make_node("Add", ["x", ""], ["y"])], x, y), d,
          desc="Add with its second input omitted")
    # attributes of the wrong kind
    S.add("attr_wrong_type", "any",
          model([helper.make_node("Softmax", ["x"], ["y"], axis=1.5)], x, y), d, desc="Softmax axis as a float")
    S.add("attr_axis_out_of_range", "fail", model([helper.make_node("Softmax", ["x"], ["y"], axis=7)], x, y), d, desc="Softmax axis 7")
    S.add("attr_axis_2_62", "fail", model([helper.make_node("Softmax", ["x"], ["y"], axis=1 << 62)], x, y), d,
          desc="Softmax axis 2^62")
    S.add("attr_axis_min_int64", "fail", model([helper.make_node("Concat", ["x", "x"], ["y"], axis=-(1 << 63))], x, y), d,
          desc="Concat axis INT64_MIN")
    S.add("transpose_perm_dup", "fail", model([helper.make_node("Transpose", ["x"], ["y"], perm=[0, 0])],
                                            [vi("x", 1, [2, 2])], [vi("y", 1, None)]), [pb(np.ones((2, 2), np.float32))],
          desc="Transpose perm [0,0]")
    S.add("transpose_perm_range", "fail", model([helper.make_node("Transpose", ["x"], ["y"], perm=[0, 5])],
                                              [vi("x", 1, [2, 2])], [vi("y", 1, None)]), [pb(np.ones((2, 2), np.float32))],
          desc="Transpose perm [0,5]")
    S.add("transpose_perm_short", "fail", model([helper.make_node("Transpose", ["x"], ["y"], perm=[0])],
                                               [vi("x", 1, [2, 2])], [vi("y", 1, None)]), [pb(np.ones((2, 2), np.float32))],
          desc="Transpose perm of length 1 on rank 2")
    # graph attribute declared but absent; subgraph that reads an unknown outer name
    ifn = helper.make_node("If", ["c"], ["y"])
    a = ifn.attribute.add()
    a.name = "then_branch"
    a.type = onnx.AttributeProto.GRAPH
    a = ifn.attribute.add()
    a.name = "else_branch"
    a.type = onnx.AttributeProto.GRAPH
    S.add("if_graph_attr_empty", "fail", model([ifn], [vi("c", 9, [])], [vi("y", 1, None)]), [pb(np.array(True))],
          desc="If with GRAPH attributes that hold no graph")
    br = helper.make_graph([helper.make_node("Relu", ["ghost"], ["o"])], "b", [], [vi("o", 1, None)])
    S.add("if_outer_name_missing", "fail",
          model([helper.make_node("If", ["c"], ["y"], then_branch=br, else_branch=br)], [vi("c", 9, [])], [vi("y", 1, None)]),
          [pb(np.array(True))], desc="If branch reads an undefined outer name")
    b1 = helper.make_graph([helper.make_node("Constant", [], ["o"], value=init("v", np.ones(2, np.float32)))], "b1", [],
                           [vi("o", 1, None)])
    b2 = helper.make_graph([helper.make_node("Constant", [], ["o"], value=init("v", np.ones(2, np.float32))),
                            helper.make_node("Constant", [], ["p"], value=init("v", np.ones(2, np.float32)))], "b2", [],
                           [vi("o", 1, None), vi("p", 1, None)])
    S.add("if_branch_output_count", "fail",
          model([helper.make_node("If", ["c"], ["y"], then_branch=b1, else_branch=b2)], [vi("c", 9, [])], [vi("y", 1, None)]),
          [pb(np.array(False))], desc="If branches with 1 and 2 outputs")
    S.add("if_cond_empty", "fail",
          model([helper.make_node("If", ["c"], ["y"], then_branch=b1, else_branch=b1)], [vi("c", 9, [0])], [vi("y", 1, None)]),
          [pb(np.zeros((0,), bool))], desc="If on an empty condition tensor")
    S.add("if_cond_float", "any",
          model([helper.make_node("If", ["c"], ["y"], then_branch=b1, else_branch=b1)], [vi("c", 1, [])], [vi("y", 1, None)]),
          [pb(np.array(1.0, np.float32))], desc="If on a float condition")
    body = helper.make_graph([helper.make_node("Identity", ["ci"], ["co"])], "body",
                             [vi("it", 7, []), vi("ci", 9, [])], [vi("co", 9, [])])
    S.add("loop_body_inputs_wrong", "fail",
          model([helper.make_node("Loop", ["m", "", "x"], ["y"], body=body)], x, y, [init("m", np.array(2, np.int64))]), d,
          desc="Loop carrying 1 value with a body that takes none")
    body = helper.make_graph([helper.make_node("Identity", ["ci"], ["co"]), helper.make_node("Identity", ["v"], ["vo"])], "body",
                             [vi("it", 7, []), vi("ci", 9, []), vi("v", 1, None)], [vi("co", 9, []), vi("vo", 1, None)])
    S.add("loop_trip_2_62", "any",
          model([helper.make_node("Loop", ["m", "", "x"], ["y"], body=body)], x, y, [init("m", np.array(1 << 62, np.int64))]), d,
          desc="Loop of 2^62 iterations with an empty body (a hang unless iterations are capped)")
    S.add("loop_trip_negative", "any",
          model([helper.make_node("Loop", ["m", "", "x"], ["y"], body=body)], x, y, [init("m", np.array(-5, np.int64))]), d,
          desc="Loop trip count -5 (zero iterations)")


def gen_shapes(S):
    """Impossible Reshapes, Conv / pools with bad attributes, index ops out of range at run time."""
    x23 = [vi("x", TensorProto.FLOAT, [2, 3])]
    d23 = [pb(np.arange(6, dtype=np.float32).reshape(2, 3), "x")]
    any_out = [vi("y", TensorProto.FLOAT, None)]

    def reshape(shape, name, desc, expect="fail", allowzero=None):
        kw = {} if allowzero is None else {"allowzero": allowzero}
        m = model([helper.make_node("Reshape", ["x", "s"], ["y"], **kw)], x23, any_out, [init("s", np.array(shape, np.int64))],
                  opset=14)
        S.add(name, expect, m, d23, desc=desc)

    reshape([4, 5], "reshape_count_mismatch", "Reshape [2,3] -> [4,5]")
    reshape([-1, -1], "reshape_two_minus1", "Reshape with two -1")
    reshape([-2, 3], "reshape_minus2", "Reshape with -2")
    reshape([0, 7], "reshape_zero_copy_mismatch", "Reshape [0,7]: copies 2 -> 14 elements")
    reshape([0, 0, 0], "reshape_zero_past_rank", "Reshape [0,0,0]: copies a dim the input lacks")
    reshape([1 << 40, 1 << 40], "reshape_2_40_sq", "Reshape to [2^40, 2^40]")
    reshape([1 << 62, -1], "reshape_2_62_infer", "Reshape [2^62, -1]")
    reshape([-1, 0], "reshape_minus1_zero_allowzero", "Reshape [-1,0] with allowzero (6 elements into 0)", "fail", 1)
    reshape([1] * 20, "reshape_rank_20", "Reshape to rank 20")
    reshape([3, 2], "reshape_ok", "Reshape [2,3] -> [3,2]", "any")
    # run-time shape input
    m = model([helper.make_node("Reshape", ["x", "s"], ["y"])], x23 + [vi("s", 7, [2])], any_out)
    S.add("reshape_runtime_bad", "fail", m, d23 + [pb(np.array([5, 5], np.int64))], desc="Reshape to a run-time shape [5,5]")
    m = model([helper.make_node("Expand", ["x", "s"], ["y"])], x23 + [vi("s", 7, [2])], any_out)
    S.add("expand_runtime_2_40", "fail", m, d23 + [pb(np.array([1 << 40, 3], np.int64))], desc="Expand to a run-time [2^40, 3]")
    S.add("expand_runtime_bad_bcast", "fail", m, d23 + [pb(np.array([2, 4], np.int64))], desc="Expand [2,3] to [2,4]")
    m = model([helper.make_node("MatMul", ["x", "w"], ["y"])], x23, any_out, [init("w", np.ones((4, 5), np.float32))])
    S.add("matmul_inner_mismatch", "fail", m, d23, desc="MatMul [2,3] x [4,5]")
    m = model([helper.make_node("Add", ["x", "w"], ["y"])], x23, any_out, [init("w", np.ones(4, np.float32))])
    S.add("add_bcast_mismatch", "fail", m, d23, desc="Add [2,3] + [4]")
    m = model([helper.make_node("Concat", ["x", "w"], ["y"], axis=0)], x23, any_out, [init("w", np.ones(4, np.float32))])
    S.add("concat_rank_mismatch", "fail", m, d23, desc="Concat rank 2 with rank 1")
    m = model([helper.make_node("Split", ["x", "s"], ["a", "b"], axis=1)], x23, [vi("a", 1, None), vi("b", 1, None)],
              [init("s", np.array([2, 5], np.int64))])
    S.add("split_sizes_mismatch", "fail", m, d23, desc="Split 3 into [2,5]")
    m = model([helper.make_node("Split", ["x", "s"], ["a", "b"], axis=1)], x23, [vi("a", 1, None), vi("b", 1, None)],
              [init("s", np.array([4, -1], np.int64))])
    S.add("split_sizes_negative", "fail", m, d23, desc="Split 3 into [4,-1]")
    m = model([helper.make_node("Squeeze", ["x", "a"], ["y"])], x23, any_out, [init("a", np.array([1], np.int64))])
    S.add("squeeze_non_one", "fail", m, d23, desc="Squeeze a dim of 3")
    m = model([helper.make_node("Unsqueeze", ["x", "a"], ["y"])], x23, any_out, [init("a", np.array([0, 0], np.int64))])
    S.add("unsqueeze_dup_axes", "fail", m, d23, desc="Unsqueeze axes [0,0]")
    m = model([helper.make_node("Unsqueeze", ["x", "a"], ["y"])], x23, any_out, [init("a", np.arange(10, dtype=np.int64))])
    S.add("unsqueeze_rank_12", "fail", m, d23, desc="Unsqueeze to rank 12 (above INFER_MAX_RANK)")
    m = model([helper.make_node("Slice", ["x", "st", "en", "ax", "sp"], ["y"])], x23, any_out,
              [init("st", np.array([0], np.int64)), init("en", np.array([3], np.int64)), init("ax", np.array([1], np.int64)),
               init("sp", np.array([0], np.int64))])
    S.add("slice_step_0", "fail", m, d23, desc="Slice step 0")
    m = model([helper.make_node("Slice", ["x", "st", "en", "ax"], ["y"])], x23, any_out,
              [init("st", np.array([0, 0], np.int64)), init("en", np.array([1, 1], np.int64)), init("ax", np.array([1, 1], np.int64))])
    S.add("slice_dup_axes", "fail", m, d23, desc="Slice axes [1,1]")
    m = model([helper.make_node("Slice", ["x", "st", "en", "ax", "sp"], ["y"])], x23, any_out,
              [init("st", np.array([-(1 << 63)], np.int64)), init("en", np.array([(1 << 63) - 1], np.int64)),
               init("ax", np.array([1], np.int64)), init("sp", np.array([-(1 << 63)], np.int64))])
    S.add("slice_int64_extremes", "any", m, d23, desc="Slice with INT64_MIN / INT64_MAX starts, ends, steps")
    # Conv
    xc = [vi("x", TensorProto.FLOAT, [1, 2, 4, 4])]
    dc = [pb(np.ones((1, 2, 4, 4), np.float32), "x")]

    def conv(name, desc, W, expect="fail", op="Conv", **attrs):
        m = model([helper.make_node(op, ["x", "W"], ["y"], **attrs)], xc, any_out, [init("W", W)])
        S.add(name, expect, m, dc, desc=desc)

    W = np.ones((2, 2, 3, 3), np.float32)
    conv("conv_ok", "valid Conv", W, "any")
    conv("conv_stride_0", "Conv strides [0,0]", W, strides=[0, 0])
    conv("conv_stride_negative", "Conv strides [-1,-1]", W, strides=[-1, -1])
    conv("conv_stride_2_62", "Conv strides 2^62", W, "any", strides=[1 << 62, 1 << 62])
    conv("conv_kernel_too_big", "Conv 7x7 kernel on 4x4, no padding", np.ones((2, 2, 7, 7), np.float32))
    conv("conv_kernel_attr_mismatch", "Conv kernel_shape [5,5] with a 3x3 W", W, kernel_shape=[5, 5])
    conv("conv_group_3", "Conv group 3 with 2 channels", W, group=3)
    conv("conv_group_0", "Conv group 0", W, group=0)
    conv("conv_group_negative", "Conv group -2", W, group=-2)
    conv("conv_group_2_wrong_w", "Conv group 2 with W for group 1", np.ones((3, 2, 3, 3), np.float32), group=2)
    conv("conv_w_channels", "Conv W with 3 input channels for x with 2", np.ones((2, 3, 3, 3), np.float32))
    conv("conv_w_rank3", "Conv W of rank 3", np.ones((2, 2, 3), np.float32))
    conv("conv_dilation_0", "Conv dilations [0,0]", W, dilations=[0, 0])
    conv("conv_dilation_huge", "Conv dilations 2^40", W, dilations=[1 << 40, 1 << 40])
    conv("conv_pads_negative", "Conv pads [-1,-1,-1,-1]", W, "any", pads=[-1, -1, -1, -1])
    conv("conv_pads_huge", "Conv pads 2^40", W, pads=[1 << 40, 1 << 40, 1 << 40, 1 << 40])
    conv("conv_pads_short", "Conv pads of length 1", W, pads=[1])
    conv("conv_strides_long", "Conv strides of length 5", W, strides=[1, 1, 1, 1, 1])
    conv("conv_autopad_bad", "Conv auto_pad 'WHATEVER'", W, auto_pad="WHATEVER")
    conv("convtr_stride_0", "ConvTranspose strides [0,0]", W, op="ConvTranspose", strides=[0, 0])
    conv("convtr_stride_2_40", "ConvTranspose strides 2^40 (huge output)", W, op="ConvTranspose", strides=[1 << 40, 1 << 40])
    conv("convtr_output_shape_huge", "ConvTranspose output_shape 2^40", W, op="ConvTranspose", output_shape=[1 << 40, 1 << 40])
    conv("convtr_outpad_big", "ConvTranspose output_padding 5 with stride 1", W, "any", op="ConvTranspose", output_padding=[5, 5])
    conv("convtr_group_3", "ConvTranspose group 3", W, op="ConvTranspose", group=3)
    for op in ("MaxPool", "AveragePool", "LpPool"):
        m = model([helper.make_node(op, ["x"], ["y"], kernel_shape=[2, 2], strides=[0, 0])], xc, any_out)
        S.add("%s_stride_0" % op.lower(), "fail", m, dc, desc="%s strides [0,0]" % op)
        m = model([helper.make_node(op, ["x"], ["y"], kernel_shape=[9, 9])], xc, any_out)
        S.add("%s_kernel_too_big" % op.lower(), "fail", m, dc, desc="%s 9x9 kernel on 4x4" % op)
        m = model([helper.make_node(op, ["x"], ["y"], kernel_shape=[0, -1])], xc, any_out)
        S.add("%s_kernel_0" % op.lower(), "fail", m, dc, desc="%s kernel_shape [0,-1]" % op)
    m = model([helper.make_node("MaxPool", ["x"], ["y"])], xc, any_out)
    S.add("maxpool_no_kernel", "fail", m, dc, desc="MaxPool without kernel_shape")
    m = model([helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"])], xc, any_out,
              [init(n, np.ones(3, np.float32)) for n in "sbmv"])
    S.add("batchnorm_channels", "fail", m, dc, desc="BatchNormalization parameters of 3 for 2 channels")
    # index ops out of range at run time (indices from an input file)
    data = vi("data", TensorProto.FLOAT, [3, 4])
    ddata = pb(np.arange(12, dtype=np.float32).reshape(3, 4), "data")

    def idx_case(name, desc, node, idx, extra_in=(), extra_data=(), inits=(), expect="fail"):
        idxa = np.asarray(idx, np.int64)
        m = model([node], [data, vi("idx", TensorProto.INT64, list(idxa.shape))] + list(extra_in), any_out, list(inits))
        S.add(name, expect, m, [ddata, pb(idxa, "idx")] + list(extra_data), desc=desc)

    g = helper.make_node("Gather", ["data", "idx"], ["y"], axis=0)
    idx_case("gather_idx_high", "Gather index 7 of 3 (run time)", g, [0, 7])
    idx_case("gather_idx_low", "Gather index -4 of 3 (run time)", g, [0, -4])
    idx_case("gather_idx_int64_min", "Gather index INT64_MIN", g, [-(1 << 63)])
    idx_case("gather_idx_ok", "Gather index -3 (valid)", g, [-3, 2], expect="any")
    g = helper.make_node("Gather", ["data", "idx"], ["y"], axis=5)
    idx_case("gather_axis_5", "Gather axis 5 on rank 2", g, [0])
    g = helper.make_node("GatherElements", ["data", "idx"], ["y"], axis=1)
    idx_case("gatherelements_idx_high", "GatherElements index 4 of 4", g, [[0, 4], [1, 1]])
    idx_case("gatherelements_idx_low", "GatherElements index -5", g, [[0, -5], [1, 1]])
    g = helper.make_node("GatherND", ["data", "idx"], ["y"])
    idx_case("gathernd_idx_high", "GatherND index [3,0]", g, [[3, 0]])
    idx_case("gathernd_idx_too_long", "GatherND index tuple of 3 on rank 2", g, [[0, 0, 0]])
    upd = vi("upd", TensorProto.FLOAT, None)
    g = helper.make_node("ScatterElements", ["data", "idx", "upd"], ["y"], axis=1)
    idx_case("scatterelements_idx_high", "ScatterElements index 9", g, [[0, 9]], [upd], [pb(np.ones((1, 2), np.float32), "upd")])
    idx_case("scatterelements_idx_low", "ScatterElements index -9", g, [[0, -9]], [upd], [pb(np.ones((1, 2), np.float32), "upd")])
    idx_case("scatterelements_upd_shape", "ScatterElements updates of another shape", g, [[0, 1]], [upd],
             [pb(np.ones((2, 2), np.float32), "upd")])
    g = helper.make_node("ScatterND", ["data", "idx", "upd"], ["y"])
    idx_case("scatternd_idx_high", "ScatterND index [5]", g, [[5]], [upd], [pb(np.ones((1, 4), np.float32), "upd")])
    idx_case("scatternd_idx_low", "ScatterND index [-9]", g, [[-9]], [upd], [pb(np.ones((1, 4), np.float32), "upd")])
    idx_case("scatternd_upd_shape", "ScatterND updates of the wrong shape", g, [[1]], [upd], [pb(np.ones((1, 7), np.float32), "upd")])
    g = helper.make_node("Scatter", ["data", "idx", "upd"], ["y"], axis=0)
    m = model([g], [data, vi("idx", 7, [1, 2]), upd], any_out, opset=10)
    S.add("scatter_v9_idx_high", "fail", m, [ddata, pb(np.array([[3, 0]], np.int64)), pb(np.ones((1, 2), np.float32))],
          desc="Scatter (opset 10) index 3 of 3")
    g = helper.make_node("Compress", ["data", "idx"], ["y"], axis=0)
    m = model([g], [data, vi("idx", 9, [5])], any_out)
    S.add("compress_cond_long", "any", m, [ddata, pb(np.ones(5, bool))], desc="Compress condition longer than the axis")
    m = model([helper.make_node("TopK", ["data", "k"], ["v", "i"], axis=1)], [data, vi("k", 7, [1])],
              [vi("v", 1, None), vi("i", 7, None)])
    S.add("topk_k_too_big", "fail", m, [ddata, pb(np.array([9], np.int64))], desc="TopK k 9 of 4")
    S.add("topk_k_negative", "fail", m, [ddata, pb(np.array([-1], np.int64))], desc="TopK k -1")
    m = model([helper.make_node("Tile", ["data", "r"], ["y"])], [data, vi("r", 7, [2])], any_out)
    S.add("tile_runtime_huge", "fail", m, [ddata, pb(np.array([1 << 31, 1 << 31], np.int64))], desc="Tile by run-time 2^31 x 2^31")
    m = model([helper.make_node("ConstantOfShape", ["s"], ["y"])], [vi("s", 7, [2])], any_out)
    S.add("cos_runtime_negative", "fail", m, [pb(np.array([-1, 5], np.int64))], desc="ConstantOfShape of run-time [-1,5]")
    S.add("cos_runtime_2_40_sq", "fail", m, [pb(np.array([1 << 40, 1 << 40], np.int64))], desc="ConstantOfShape of run-time [2^40,2^40]")
    m = model([helper.make_node("NonMaxSuppression", ["b", "s", "m"], ["y"])],
              [vi("b", 1, [1, 2, 4]), vi("s", 1, [1, 3, 2]), vi("m", 7, [1])], [vi("y", 7, None)])
    S.add("nms_score_classes_mismatch", "any", m,
          [pb(np.zeros((1, 2, 4), np.float32)), pb(np.zeros((1, 3, 2), np.float32)), pb(np.array([1 << 40], np.int64))],
          desc="NonMaxSuppression with max_output 2^40")
    m = model([helper.make_node("ReverseSequence", ["data", "l"], ["y"], batch_axis=0, time_axis=1)], [data, vi("l", 7, [3])], any_out)
    S.add("reversesequence_len_high", "fail", m, [ddata, pb(np.array([1, 9, 2], np.int64))], desc="ReverseSequence length 9 of 4")
    m = model([helper.make_node("SequenceAt", ["sq", "i"], ["y"]), ], [vi("i", 7, [])], any_out, [], opset=13)
    sc = helper.make_node("SequenceConstruct", ["data"], ["sq"])
    m = model([sc, helper.make_node("SequenceAt", ["sq", "i"], ["y"])], [data, vi("i", 7, [])], any_out)
    S.add("sequenceat_out_of_range", "fail", m, [ddata, pb(np.array(5, np.int64))], desc="SequenceAt 5 of a 1-item sequence")
    m = model([helper.make_node("Einsum", ["data"], ["y"], equation="ij->ijk")], [data], any_out, opset=12)
    S.add("einsum_bad_equation", "fail", m, [ddata], desc="Einsum 'ij->ijk'")
    m = model([helper.make_node("Einsum", ["data"], ["y"], equation="i" * 300 + "->")], [data], any_out, opset=12)
    S.add("einsum_long_equation", "fail", m, [ddata], desc="Einsum with 300 subscripts")


def gen_external(S):
    """External data: absolute paths, '..', offsets past the end of the file."""
    x = [vi("x", TensorProto.FLOAT, [4])]
    y = [vi("y", TensorProto.FLOAT, [4])]
    d = [pb(np.ones(4, np.float32), "x")]
    weights = struct.pack("<4f", 1, 2, 3, 4)

    def ext(name, expect, desc, kv, files=None, dtype=TensorProto.FLOAT, dims=(4,)):
        t = TensorProto(name="w", data_type=dtype, dims=list(dims))
        t.data_location = TensorProto.EXTERNAL
        for k, v in kv:
            e = t.external_data.add()
            e.key = k
            e.value = v
        m = model([helper.make_node("Add", ["x", "w"], ["y"])], x, y, [t])
        S.add(name, expect, m, d, files=files if files is not None else {"weights.bin": weights}, desc=desc)

    ext("ext_ok", "any", "valid external data (must run)", [("location", "weights.bin")])
    ext("ext_ok_offset", "any", "valid external data at an offset", [("location", "w2.bin"), ("offset", "4"), ("length", "16")],
        {"w2.bin": b"\0" * 4 + weights})
    ext("ext_absolute", "fail", "location /etc/passwd", [("location", "/etc/passwd")])
    ext("ext_absolute_dev_zero", "fail", "location /dev/zero", [("location", "/dev/zero")])
    ext("ext_dotdot", "fail", "location ../../../../../../etc/passwd", [("location", "../../../../../../etc/passwd")])
    ext("ext_dotdot_inner", "fail", "location sub/../../weights.bin", [("location", "sub/../../weights.bin")],
        {"weights.bin": weights, "sub/x": b""})
    ext("ext_dotdot_dir", "fail", "location '..'", [("location", "..")])
    ext("ext_directory", "fail", "location is a directory", [("location", "sub")], {"sub/x": b""})
    ext("ext_missing_file", "fail", "location does not exist", [("location", "nope.bin")])
    ext("ext_empty_location", "fail", "empty location", [("location", "")])
    ext("ext_no_location", "fail", "no location key", [("offset", "0")])
    ext("ext_offset_past_eof", "fail", "offset 1000 in a 16-byte file", [("location", "weights.bin"), ("offset", "1000")])
    ext("ext_length_past_eof", "fail", "length 64 in a 16-byte file", [("location", "weights.bin"), ("length", "64")])
    ext("ext_length_short", "fail", "length 8 for 16 bytes of tensor", [("location", "weights.bin"), ("length", "8")])
    ext("ext_offset_negative", "fail", "offset -4", [("location", "weights.bin"), ("offset", "-4")])
    ext("ext_offset_2_63", "fail", "offset 2^63", [("location", "weights.bin"), ("offset", str(1 << 63))])
    ext("ext_offset_garbage", "fail", "offset '12abc'", [("location", "weights.bin"), ("offset", "12abc")])
    ext("ext_length_2_64", "fail", "length 2^64", [("location", "weights.bin"), ("length", str(1 << 64))])
    ext("ext_huge_dims", "fail", "dims 2^40 x 2^40 in external data", [("location", "weights.bin")], dims=(1 << 40, 1 << 40))
    ext("ext_string_tensor", "fail", "string tensor in external data", [("location", "weights.bin")], dtype=TensorProto.STRING)
    ext("ext_file_empty", "fail", "external file of 0 bytes", [("location", "weights.bin")], {"weights.bin": b""})
    ext("ext_nul_in_location", "fail", "location with a NUL byte", [("location", "weights.bin\0/../../etc/passwd")])
    ext("ext_long_location", "fail", "location of 100000 characters", [("location", "a" * 100000)])


def main():
    args = sys.argv[1:]
    seed = 20260601
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    out = args[0]
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    rng = random.Random(seed)
    S = Suite(out)
    bases = {"conv": base_conv(), "gather": base_gather(), "if": base_if()}
    gen_byte_level(S, rng, bases)
    gen_protobuf(S)
    gen_deep(S)
    gen_tensors(S)
    gen_graph(S)
    gen_shapes(S)
    gen_external(S)
    S.write_index()
    nfail = sum(1 for r in S.rows if r[1] == "fail")
    print("gen_malformed: %d cases (%d must fail) in %s" % (len(S.rows), nfail, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
