#!/usr/bin/python3
"""Regenerate the operator table of README.md with a "types (tested)" column.

Reads the registry table that `build/infer ops` prints (stdin or --ops FILE) and, for every
(domain, op) in it, lists the element types that conformance tests which pass exercise: every test
in tests/expected_pass_onnx112.txt and tests/expected_pass_onnx123.txt is loaded with onnx (without
external data) and each node of the graph (and of If/Loop/Scan bodies) contributes the element types
of its inputs and outputs whose type the model states (graph inputs/outputs, initializers,
value_info; for models onnx 1.12 knows the opset of, also what its type inference adds). These are
the types exercised by passing tests, not every type a kernel accepts.

Writes the table between the markers in README.md (--readme) or to stdout; the run's counts go to
stderr. Needs onnx (1.12 is enough) and the Python standard library.

    build/infer ops | /usr/bin/python3 tools/op_types.py --readme README.md
"""
import argparse
import os
import re
import sys

import onnx

BEGIN = "<!-- ops-table begin (make readme-ops) -->"
END = "<!-- ops-table end -->"
GROUPS = 3  # op groups per table row, as the README has always laid it out

# TensorProto.DataType numbers -> short names, in the order the column lists them. Numbers newer
# than onnx 1.12 are spelt out so that the 1.23 suite's types are named too.
TYPES = [
    (1, "f32"), (11, "f64"), (10, "f16"), (16, "bf16"),
    (3, "i8"), (5, "i16"), (6, "i32"), (7, "i64"),
    (2, "u8"), (4, "u16"), (12, "u32"), (13, "u64"),
    (9, "bool"), (8, "str"),
    (17, "f8e4m3fn"), (18, "f8e4m3fnuz"), (19, "f8e5m2"), (20, "f8e5m2fnuz"), (24, "f8e8m0"),
    (23, "f4e2m1"), (22, "i4"), (21, "u4"), (26, "i2"), (25, "u2"),
    (14, "c64"), (15, "c128"),
]
TYPE_NAME = dict(TYPES)
TYPE_RANK = {code: i for i, (code, _) in enumerate(TYPES)}
ONNX_MAX_OPSET = onnx.defs.onnx_opset_version()  # highest ai.onnx opset this onnx can type-infer


def parse_ops(text):
    """Rows of the `build/infer ops` Markdown table -> list of (domain, op, opsets)."""
    ops = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("op", "") or cells[0].startswith("---"):
            continue
        ops.append((cells[1], cells[0], cells[2]))
    if not ops:
        sys.exit("op_types.py: no operator rows in the `infer ops` output")
    return ops


def elem_types(tp):
    """Element type numbers a TypeProto holds (tensor, or tensors in a sequence/optional/map)."""
    kind = tp.WhichOneof("value")
    if kind in ("tensor_type", "sparse_tensor_type"):
        t = getattr(tp, kind).elem_type
        return [t] if t else []
    if kind == "sequence_type":
        return elem_types(tp.sequence_type.elem_type)
    if kind == "optional_type":
        return elem_types(tp.optional_type.elem_type)
    if kind == "map_type":
        return ([tp.map_type.key_type] if tp.map_type.key_type else []) + \
            elem_types(tp.map_type.value_type)
    return []


def graph_types(g, outer):
    """Known element types of the values a graph can name (outer scope first, then its own)."""
    known = dict(outer)
    for vi in list(g.input) + list(g.output) + list(g.value_info):
        ts = elem_types(vi.type)
        if ts:
            known[vi.name] = ts
    for init in g.initializer:
        known[init.name] = [init.data_type]
    for init in g.sparse_initializer:
        known[init.values.name] = [init.values.data_type]
    return known


def walk(g, outer, record):
    """record(domain, op, types) for every node of g and of the graphs in its attributes."""
    known = graph_types(g, outer)
    for node in g.node:
        types = set()
        for name in list(node.input) + list(node.output):
            if name in known:
                types.update(known[name])
        if node.op_type == "Constant":  # its value attribute types its output
            for a in node.attribute:
                if a.name == "value" and a.t.data_type:
                    types.add(a.t.data_type)
        record(node.domain or "ai.onnx", node.op_type, types)
        for a in node.attribute:
            subs = [a.g] if a.type == onnx.AttributeProto.GRAPH else \
                list(a.graphs) if a.type == onnx.AttributeProto.GRAPHS else []
            for sub in subs:
                walk(sub, known, record)


def main_opset(model):
    for imp in model.opset_import:
        if imp.domain in ("", "ai.onnx"):
            return imp.version
    return 0


def collect(tests, stats, record):
    """Loads each passing test's model.onnx and records its nodes' types."""
    for path in tests:
        model_path = os.path.join(path, "model.onnx")
        if not os.path.isfile(model_path):
            stats["missing"] += 1
            continue
        try:
            model = onnx.load(model_path, load_external_data=False)
        except Exception:  # a model this onnx cannot parse: counted, skipped
            stats["parse_failures"] += 1
            stats["failed"].append(path)
            continue
        stats["models"] += 1
        if main_opset(model) <= ONNX_MAX_OPSET:  # types of intermediate values, where onnx can
            try:
                model = onnx.shape_inference.infer_shapes(model)
                stats["inferred"] += 1
            except Exception:
                pass
        walk(model.graph, {}, record)


def test_dirs(listfile, root):
    with open(listfile) as f:
        names = sorted(set(line.strip() for line in f if line.strip() and not line.startswith("#")))
    return [os.path.join(root, n) for n in names]


def first_dir(*cands):
    for c in cands:
        if c and os.path.isdir(c):
            return c
    return cands[0]


def short(types):
    return " ".join(TYPE_NAME.get(t, "t%d" % t)
                    for t in sorted(types, key=lambda t: (TYPE_RANK.get(t, 1000 + t), t))) or "—"


def table(ops, found):
    rows = sorted(ops)
    cells = ["%s | %s | %s | %s" % (op, dom, opsets, short(found.get((dom, op), ())))
             for dom, op, opsets in rows]
    out = ["| " + " | ".join(["op | domain | opsets | types (tested)"] * GROUPS) + " |",
           "|" + "---|" * (4 * GROUPS)]
    for i in range(0, len(cells), GROUPS):
        chunk = cells[i:i + GROUPS]
        chunk += [" |  |  | "] * (GROUPS - len(chunk))
        out.append("| " + " | ".join(chunk) + " |")
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ops", help="output of `build/infer ops` (default: stdin)")
    ap.add_argument("--readme", help="README.md to rewrite between its markers (default: print)")
    ap.add_argument("--onnx112", default="/usr/share/libonnx-testdata/data",
                    help="ONNX 1.12 test data (holds node/, pytorch-converted/, ...)")
    ap.add_argument("--onnx123", default=None,
                    help="ONNX 1.23 tests (holds node/); default build/onnx-1.23, else "
                         "~/.cache/infer-reference/onnx-node-1.23")
    args = ap.parse_args()

    ops_text = open(args.ops).read() if args.ops else sys.stdin.read()
    ops = parse_ops(ops_text)
    registry = set((d, o) for d, o, _ in ops)
    onnx123 = args.onnx123 or first_dir(
        os.path.join(repo, "build", "onnx-1.23"),
        os.path.expanduser("~/.cache/infer-reference/onnx-node-1.23"))

    found = {}

    def record(dom, op, types):
        if (dom, op) in registry:
            found.setdefault((dom, op), set()).update(types)

    stats = {"models": 0, "missing": 0, "parse_failures": 0, "inferred": 0, "failed": []}
    tests = test_dirs(os.path.join(repo, "tests", "expected_pass_onnx112.txt"), args.onnx112) + \
        test_dirs(os.path.join(repo, "tests", "expected_pass_onnx123.txt"), onnx123)
    collect(tests, stats, record)

    lines = table(ops, found)
    typed = sum(1 for d, o, _ in ops if found.get((d, o)))
    note = ("The types column lists the element types of the inputs and outputs of the op's nodes in "
            "the conformance tests that pass (tests/expected_pass_onnx*.txt, read by "
            "`tools/op_types.py`; `make readme-ops` regenerates this table): the types verified "
            "against a reference, not every type the kernel accepts; \"—\" means no passing test "
            "states a type for the op.")
    block = [BEGIN] + lines + ["", note, END]

    if args.readme:
        text = open(args.readme).read()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
        else:  # first run: the table after "## Operators" becomes the marked block
            sec = text.find("\n## Operators\n")
            start = text.find("\n|", sec) + 1 if sec >= 0 else 0
            if sec < 0 or start == 0:
                sys.exit("op_types.py: no markers and no table under '## Operators' in " + args.readme)
            end = start
            while text.startswith("|", end):
                end = text.index("\n", end) + 1
            head, tail = text[:start], "\n" + text[end:]
        # the kernel count in the section's prose
        sec = head.rfind("## Operators")
        if sec >= 0:
            head = head[:sec] + re.sub(r"\(\d+ kernels;", "(%d kernels;" % len(ops), head[sec:], 1)
        new = head + "\n".join(block) + tail
        if new != text:
            with open(args.readme, "w") as f:
                f.write(new)
    else:
        print("\n".join(block))

    sys.stderr.write(
        "op_types.py: %d kernels, %d with tested types, %d without; %d passing tests, %d models "
        "read (%d type-inferred), %d not parsed by onnx %s, %d missing\n"
        % (len(ops), typed, len(ops) - typed, len(tests), stats["models"], stats["inferred"],
           stats["parse_failures"], onnx.__version__, stats["missing"]))
    for p in stats["failed"]:
        sys.stderr.write("  not parsed: %s\n" % p)
    untyped = [o for d, o, _ in sorted(ops) if not found.get((d, o))]
    if untyped:
        sys.stderr.write("  no tested types: %s\n" % " ".join(untyped))


if __name__ == "__main__":
    main()
