#!/usr/bin/python3
"""Converts a TensorFlow.js graph model (model.json + weights .bin) to ONNX, for the ops the default detector uses.

Usage: tfjs_to_onnx.py MODEL.json OUT.onnx [--output NODE]   (default output: the graph's "tower_0/detections")

Written for the CenterNet (MobileNetV3, COCO-80) graph shipped by npm @vladmandic/human (docs/detection.md
"Default model"): input [1,512,512,3] RGB 0-255, output [1,100,6] x1,y1,x2,y2 (input pixels), score, class.
Uses only Debian's python3-onnx and python3-numpy (no TensorFlow). The graph stays in TF's NHWC layout; the ops
that ONNX defines only for NCHW (Conv, MaxPool, Resize) are wrapped in Transposes, which ONNX Runtime's transpose
optimiser folds away when it loads the model. An op this script does not know stops the conversion with its name.

TF.js op -> ONNX op(s):
  Placeholder -> graph input            Const -> initializer (float16-quantised weights widened to float32)
  _FusedConv2D / Conv2D -> Conv (+Relu/Clip); weights HWIO -> OIHW; SAME -> auto_pad SAME_UPPER, as TF pads
  FusedDepthwiseConv2dNative / DepthwiseConv2dNative -> Conv with group = channels; weights HW C M -> (C*M) 1 H W
  Add, Sub, Mul -> Add, Sub, Mul        Relu -> Relu     Relu6 -> Clip(0, 6)     Sigmoid -> Sigmoid
  Mean -> ReduceMean(axes, keepdims)    ResizeBilinear -> Resize linear (align_corners / half_pixel / asymmetric)
  ConcatV2 -> Concat(axis)              MaxPool -> MaxPool    Equal -> Equal     Cast -> Cast
  Reshape -> Reshape (int64 shape)      TopKV2 -> TopK (+ Cast of the indices to int32, TF's index type)
  ExpandDims -> Unsqueeze               FloorDiv (int) -> Div (non-negative operands: truncation = floor)
  FloorMod (int) -> Mod(fmod=0)         GatherV2 -> Gather(axis)   StridedSlice -> Slice (begin/end masks)
  Identity -> Identity
"""
import argparse
import base64
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
DTYPES = {"float32": np.float32, "int32": np.int32, "DT_FLOAT": np.float32, "DT_INT32": np.int32}
ONNX_TYPES = {"DT_FLOAT": TensorProto.FLOAT, "DT_INT32": TensorProto.INT32, "DT_BOOL": TensorProto.BOOL}


def load_weights(model_dir, manifest):
    """The weights of every manifest group, decoded in order (float16 quantisation widened to float32)."""
    weights = {}
    for group in manifest:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            q = w.get("quantization")
            if q and q["dtype"] == "float16":
                arr = np.frombuffer(data, np.float16, count, offset).astype(np.float32)
                offset += count * 2
            elif q:
                sys.exit(f"tfjs_to_onnx: weight {w['name']} uses quantisation {q['dtype']}, not supported")
            else:
                dt = DTYPES[w["dtype"]]
                arr = np.frombuffer(data, dt, count, offset).copy()
                offset += count * np.dtype(dt).itemsize
            weights[w["name"]] = arr.reshape(w["shape"])
    return weights


def attr(node, key, kind, default=None):
    a = node.get("attr", {}).get(key)
    if a is None:
        return default
    if kind == "s":
        return base64.b64decode(a.get("s", "")).decode()
    if kind == "list_s":
        return [base64.b64decode(s).decode() for s in a.get("list", {}).get("s", [])]
    if kind == "list_i":
        return [int(i) for i in a.get("list", {}).get("i", [])]
    if kind == "i":
        return int(a.get("i", 0))
    if kind == "b":
        return bool(a.get("b", False))
    if kind == "type":
        return a.get("type")
    raise ValueError(kind)


class Converter:
    def __init__(self, weights):
        self.consts = weights
        self.nodes = []
        self.initializers = {}
        self.counter = 0

    def name(self, base):
        self.counter += 1
        return f"{base}__{self.counter}"

    def const(self, base, value):
        n = self.name(base)
        self.initializers[n] = numpy_helper.from_array(np.asarray(value), n)
        return n

    def ref(self, tf_input):
        """The ONNX name of a TF input ('node', 'node:1'); a TF Const becomes an initializer on first use."""
        name = tf_input.lstrip("^")
        base = name.split(":")[0]
        if base in self.consts and base not in self.initializers:
            self.initializers[base] = numpy_helper.from_array(np.asarray(self.consts[base]), base)
        return name

    def add(self, op, inputs, outputs, **attrs):
        self.nodes.append(helper.make_node(op, inputs, outputs, name=self.name(op), **attrs))
        return outputs[0]

    def nchw(self, x):
        return self.add("Transpose", [x], [self.name("to_nchw")], perm=[0, 3, 1, 2])

    def nhwc(self, x, out):
        return self.add("Transpose", [x], [out], perm=[0, 2, 3, 1])

    def conv(self, node, depthwise):
        inputs = node["input"]
        w = self.consts[inputs[1]]
        strides = attr(node, "strides", "list_i")[1:3]
        dilations = attr(node, "dilations", "list_i", [1, 1, 1, 1])[1:3]
        padding = attr(node, "padding", "s")
        if attr(node, "data_format", "s", "NHWC") != "NHWC":
            sys.exit(f"tfjs_to_onnx: {node['name']}: only NHWC convolutions are supported")
        if depthwise:
            kh, kw, c, m = w.shape
            w = w.reshape(kh, kw, c * m, 1).transpose(2, 3, 0, 1)
            group = c
        else:
            w = w.transpose(3, 2, 0, 1)
            group = 1
        conv_inputs = [self.nchw(self.ref(inputs[0])), self.const(node["name"] + "/w", w.astype(np.float32))]
        fused = attr(node, "fused_ops", "list_s", [])
        rest = [f for f in fused if f != "BiasAdd"]
        if "BiasAdd" in fused:
            conv_inputs.append(self.ref(inputs[2]))
        pad = {"SAME": "SAME_UPPER", "VALID": "VALID"}.get(padding)
        if pad is None:
            sys.exit(f"tfjs_to_onnx: {node['name']}: padding {padding} not supported")
        y = self.add("Conv", conv_inputs, [self.name("conv")], kernel_shape=list(w.shape[2:]), strides=strides,
                     dilations=dilations, group=group, auto_pad=pad)
        for f in rest:
            if f == "Relu":
                y = self.add("Relu", [y], [self.name("relu")])
            elif f == "Relu6":
                y = self.add("Clip", [y, self.const("zero", np.float32(0)), self.const("six", np.float32(6))],
                             [self.name("relu6")])
            else:
                sys.exit(f"tfjs_to_onnx: {node['name']}: fused op {f} not supported")
        self.nhwc(y, node["name"])

    def strided_slice(self, node):
        x = self.ref(node["input"][0])
        begin, end, strides = (self.consts[k].astype(np.int64) for k in node["input"][1:4])
        if attr(node, "ellipsis_mask", "i") or attr(node, "new_axis_mask", "i"):
            sys.exit(f"tfjs_to_onnx: {node['name']}: ellipsis/new-axis StridedSlice not supported")
        bm, em, sm = (attr(node, k, "i") for k in ("begin_mask", "end_mask", "shrink_axis_mask"))
        starts, ends, axes, steps, squeeze = [], [], [], [], []
        for d in range(len(begin)):
            lo = 0 if bm >> d & 1 else begin[d]
            hi = np.iinfo(np.int64).max if em >> d & 1 else end[d]
            if sm >> d & 1:
                hi, squeeze = begin[d] + 1, squeeze + [d]
            starts, ends, axes, steps = starts + [lo], ends + [hi], axes + [d], steps + [strides[d]]
        ins = [x] + [self.const(node["name"] + k, np.array(v, np.int64))
                     for k, v in (("/starts", starts), ("/ends", ends), ("/axes", axes), ("/steps", steps))]
        if squeeze:
            y = self.add("Slice", ins, [self.name("slice")])
            self.add("Squeeze", [y, self.const("axes", np.array(squeeze, np.int64))], [node["name"]])
        else:
            self.add("Slice", ins, [node["name"]])

    def resize(self, node):
        x = self.nchw(self.ref(node["input"][0]))
        hw = self.consts[node["input"][1]].astype(np.int64)
        shape = self.add("Shape", [x], [self.name("shape")])
        nc = self.add("Slice", [shape, self.const("s", np.array([0], np.int64)), self.const("e", np.array([2], np.int64))],
                      [self.name("nc")])
        sizes = self.add("Concat", [nc, self.const("hw", hw)], [self.name("sizes")], axis=0)
        if attr(node, "align_corners", "b"):
            mode = "align_corners"
        elif attr(node, "half_pixel_centers", "b"):
            mode = "half_pixel"
        else:
            mode = "asymmetric"
        y = self.add("Resize", [x, "", "", sizes], [self.name("resize")], mode="linear",
                     coordinate_transformation_mode=mode)
        self.nhwc(y, node["name"])

    def convert(self, node):
        op, name, ins = node["op"], node["name"], node.get("input", [])
        if op in ("_FusedConv2D", "Conv2D"):
            self.conv(node, depthwise=False)
        elif op in ("FusedDepthwiseConv2dNative", "DepthwiseConv2dNative"):
            self.conv(node, depthwise=True)
        elif op in ("Add", "AddV2", "Sub", "Mul", "Equal", "Relu", "Sigmoid", "Identity"):
            onnx_op = {"AddV2": "Add"}.get(op, op)
            self.add(onnx_op, [self.ref(i) for i in ins], [name])
        elif op == "Relu6":
            self.add("Clip", [self.ref(ins[0]), self.const("zero", np.float32(0)), self.const("six", np.float32(6))], [name])
        elif op == "Mean":
            axes = [int(a) for a in np.atleast_1d(self.consts[ins[1]])]
            self.add("ReduceMean", [self.ref(ins[0])], [name], axes=axes, keepdims=int(attr(node, "keep_dims", "b")))
        elif op == "ResizeBilinear":
            self.resize(node)
        elif op == "ConcatV2":
            axis = int(self.consts[ins[-1]])
            self.add("Concat", [self.ref(i) for i in ins[:-1]], [name], axis=axis)
        elif op == "MaxPool":
            k, s = attr(node, "ksize", "list_i")[1:3], attr(node, "strides", "list_i")[1:3]
            pad = {"SAME": "SAME_UPPER", "VALID": "VALID"}[attr(node, "padding", "s")]
            y = self.add("MaxPool", [self.nchw(self.ref(ins[0]))], [self.name("maxpool")], kernel_shape=k, strides=s,
                         auto_pad=pad)
            self.nhwc(y, name)
        elif op == "Cast":
            self.add("Cast", [self.ref(ins[0])], [name], to=ONNX_TYPES[attr(node, "DstT", "type")])
        elif op == "Reshape":
            shape = self.const(name + "/shape", self.consts[ins[1]].astype(np.int64))
            self.add("Reshape", [self.ref(ins[0]), shape], [name])
        elif op == "TopKV2":
            k = self.const(name + "/k", np.array([int(self.consts[ins[1]])], np.int64))
            idx = self.name("topk_indices")
            self.add("TopK", [self.ref(ins[0]), k], [name, idx], axis=-1, largest=1, sorted=1)
            self.add("Cast", [idx], [name + ":1"], to=TensorProto.INT32)
        elif op == "ExpandDims":
            axes = self.const(name + "/axes", np.atleast_1d(self.consts[ins[1]]).astype(np.int64))
            self.add("Unsqueeze", [self.ref(ins[0]), axes], [name])
        elif op == "FloorDiv":
            self.add("Div", [self.ref(i) for i in ins], [name])
        elif op == "FloorMod":
            self.add("Mod", [self.ref(i) for i in ins], [name], fmod=0)
        elif op == "GatherV2":
            if attr(node, "batch_dims", "i"):
                sys.exit(f"tfjs_to_onnx: {name}: GatherV2 with batch_dims not supported")
            self.add("Gather", [self.ref(ins[0]), self.ref(ins[1])], [name], axis=int(self.consts[ins[2]]))
        elif op == "StridedSlice":
            self.strided_slice(node)
        else:
            sys.exit(f"tfjs_to_onnx: op {op} (node {name}) is not supported by this converter")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model_json")
    p.add_argument("out_onnx")
    p.add_argument("--output", default="tower_0/detections")
    a = p.parse_args()
    model = json.load(open(a.model_json))
    weights = load_weights(os.path.dirname(os.path.abspath(a.model_json)), model["weightsManifest"])
    graph_nodes = model["modelTopology"]["node"]
    for n in graph_nodes:
        if n["op"] == "Const" and n["name"] not in weights:
            sys.exit(f"tfjs_to_onnx: constant {n['name']} has no weights in the manifest")
    conv = Converter(weights)
    inputs = []
    for n in graph_nodes:
        if n["op"] == "Const":
            continue
        if n["op"] == "Placeholder":
            dims = [int(d["size"]) for d in n["attr"]["shape"]["shape"]["dim"]]
            inputs.append(helper.make_tensor_value_info(n["name"], ONNX_TYPES[n["attr"]["dtype"]["type"]], dims))
            continue
        conv.convert(n)
    # TF.js lists nodes in topological order only by chance; sort ONNX's so that every input is produced first.
    produced = {i.name for i in inputs} | set(conv.initializers) | {""}
    ordered, pending = [], list(conv.nodes)
    while pending:
        ready = [n for n in pending if all(i in produced for i in n.input)]
        if not ready:
            sys.exit("tfjs_to_onnx: the graph has a cycle or an input no node produces: "
                     + ", ".join(sorted({i for n in pending for i in n.input if i not in produced})[:5]))
        for n in ready:
            ordered.append(n)
            produced.update(n.output)
        pending = [n for n in pending if n not in ready]
    # Friendly names at the edges: "images" in, "detections" out (what docs/detection.md and the decoders read).
    renames = {inputs[0].name: "images", a.output: "detections"}
    for n in ordered:
        n.input[:] = [renames.get(i, i) for i in n.input]
        n.output[:] = [renames.get(o, o) for o in n.output]
    inputs[0].name = "images"
    out = helper.make_tensor_value_info("detections", TensorProto.FLOAT, [1, None, 6])
    graph = helper.make_graph(ordered, "centernet", inputs, [out], list(conv.initializers.values()))
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                   producer_name="lightnvr-tfjs_to_onnx")
    onnx_model.ir_version = 8
    onnx.checker.check_model(onnx_model)
    onnx_model = onnx.shape_inference.infer_shapes(onnx_model)
    tmp = a.out_onnx + ".tmp"
    onnx.save(onnx_model, tmp)
    os.replace(tmp, a.out_onnx)
    ops = sorted({n.op_type for n in ordered})
    print(f"tfjs_to_onnx: {a.out_onnx}: {len(ordered)} nodes ({', '.join(ops)}), "
          f"{sum(v.ByteSize() for v in conv.initializers.values()) // 1024} KiB of weights")


if __name__ == "__main__":
    main()
