"""Shared by the kernel test scripts (conv_kernels.py, rnn_kernels.py): a generated model and its inputs
written to a directory, run through `infer run`, and its outputs read back."""
import os
import shutil
import subprocess

import onnx
from onnx import TensorProto, numpy_helper


def save(tmp, name, model, feeds):
    """Writes model and its inputs (feeds: (name, array) pairs) under tmp/name; returns the directory
    and the CLI's -i arguments."""
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    onnx.save(model, os.path.join(d, "model.onnx"))
    args = []
    for i, (n, a) in enumerate(feeds):
        p = os.path.join(d, "input_%d.pb" % i)
        with open(p, "wb") as f:
            f.write(numpy_helper.from_array(a, n).SerializeToString())
        args += ["-i", p]
    return d, args


def run(infer, d, args, label, extra):
    """`infer run` on d/model.onnx with the input arguments and extra ones, outputs into d/out<label>.
    Returns (None, the output directory), or (the error text, None)."""
    od = os.path.join(d, "out" + label)
    os.makedirs(od, exist_ok=True)
    r = subprocess.run([infer, "run", os.path.join(d, "model.onnx")] + args + extra + ["-o", od],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if r.returncode != 0:
        return "rc %d %s" % (r.returncode, r.stdout.strip()[-300:]), None
    return None, od


def output(od, k):
    """Output k of a run, as a numpy array."""
    t = TensorProto()
    with open(os.path.join(od, "output_%d.pb" % k), "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def finish(tmp, ok):
    """Removes the cases' directory when every case passed (the deep GEMM inputs alone are tens of MB);
    keeps it, and says where, for a failure to be looked at."""
    if ok:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("cases kept in %s" % tmp)
