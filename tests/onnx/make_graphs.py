#!/usr/bin/python3
"""Builds the ONNX graphs the object-detector tests and the benchmark run through ONNX Runtime (docs/detection.md).

Usage: /usr/bin/python3 tests/onnx/make_graphs.py OUT_DIR
Needs Debian's python3-onnx and python3-numpy (scripts/install-deps.sh test). Writes:
  yolo_v8.onnx        input images [1,3,64,64] float, output [1,84,100] (cx,cy,w,h + 80 class scores, attributes first)
  yolo_v5.onnx        input images [1,3,64,64] float, output [1,100,85] (cx,cy,w,h, objectness, 80 scores, anchors first)
  ssd.onnx            input [1,60,80,3] uint8, outputs detection_boxes [1,10,4] (ymin,xmin,ymax,xmax 0-1),
                      detection_classes [1,10] (TF ids), detection_scores [1,10], num_detections [1]
  flat.onnx           input [1,64,64,3] float, output [1,10,6] (x1,y1,x2,y2 0-1, score, class)
  broken.onnx         not a model (bytes), for the load-error path
  bench_yolo.onnx     input [1,3,640,640], real 3x3 convolutions (about 6.7 GFLOPs, YOLOv8n is 8.7), output [1,84,400]
The detection outputs are constants (their boxes are written in the tests) added to 0 x mean(input), so ONNX Runtime
must read the input; the runtime does the run, the project's decoders read what it returns.
"""
import sys, os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

OPSET = [helper.make_opsetid("", 13)]


def const_outputs(name, input_info, outputs, cast_input=False):
    """outputs: list of (name, np.ndarray float32)."""
    nodes, inits = [], []
    src = input_info.name
    if cast_input:
        nodes.append(helper.make_node("Cast", [src], ["x_f"], to=TensorProto.FLOAT))
        src = "x_f"
    nodes.append(helper.make_node("ReduceMean", [src], ["mean"], axes=[1, 2, 3], keepdims=0))
    inits.append(numpy_helper.from_array(np.array([0.0], dtype=np.float32), "zero"))
    nodes.append(helper.make_node("Mul", ["mean", "zero"], ["nothing"]))
    outs = []
    for out_name, value in outputs:
        inits.append(numpy_helper.from_array(value.astype(np.float32), out_name + "_c"))
        nodes.append(helper.make_node("Add", [out_name + "_c", "nothing"], [out_name]))
        outs.append(helper.make_tensor_value_info(out_name, TensorProto.FLOAT, list(value.shape)))
    graph = helper.make_graph(nodes, name, [input_info], outs, inits)
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="lightnvr-tests")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def yolo_v8():
    a = np.zeros((1, 84, 100), dtype=np.float32)  # more anchors than attributes, as every real export
    # anchor 0: person (class 0) at cx=20, cy=30, w=10, h=20, score 0.9
    a[0, 0:4, 0] = [20, 30, 10, 20]; a[0, 4 + 0, 0] = 0.9
    # anchor 1: same person, shifted by 1 px, score 0.8 -> removed by NMS
    a[0, 0:4, 1] = [21, 30, 10, 20]; a[0, 4 + 0, 1] = 0.8
    # anchor 2: car (class 2) at cx=48, cy=48, w=16, h=8, score 0.7
    a[0, 0:4, 2] = [48, 48, 16, 8]; a[0, 4 + 2, 2] = 0.7
    # anchor 3: dog (class 16) score 0.02 -> under the floor
    a[0, 0:4, 3] = [10, 10, 4, 4]; a[0, 4 + 16, 3] = 0.02
    inp = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 64, 64])
    return const_outputs("yolo_v8", inp, [("output0", a)])


def yolo_v5():
    a = np.zeros((1, 100, 85), dtype=np.float32)
    # anchor 0: person, objectness 0.9 x class 1.0, cx=20 cy=30 w=10 h=20
    a[0, 0, 0:5] = [20, 30, 10, 20, 0.9]; a[0, 0, 5 + 0] = 1.0
    # anchor 1: bicycle (class 1) objectness 0.5 x 0.8 = 0.4, at cx=40 cy=40 w=20 h=20
    a[0, 1, 0:5] = [40, 40, 20, 20, 0.5]; a[0, 1, 5 + 1] = 0.8
    # anchor 2: objectness 0.01 -> dropped whatever its class score
    a[0, 2, 0:5] = [10, 10, 4, 4, 0.01]; a[0, 2, 5 + 3] = 1.0
    inp = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 64, 64])
    return const_outputs("yolo_v5", inp, [("output0", a)])


def ssd():
    boxes = np.zeros((1, 10, 4), dtype=np.float32)
    classes = np.zeros((1, 10), dtype=np.float32)
    scores = np.zeros((1, 10), dtype=np.float32)
    boxes[0, 0] = [0.1, 0.2, 0.5, 0.4]; classes[0, 0] = 1; scores[0, 0] = 0.85   # person (TF id 1)
    boxes[0, 1] = [0.6, 0.5, 0.9, 0.9]; classes[0, 1] = 18; scores[0, 1] = 0.6   # dog (TF id 18)
    boxes[0, 2] = [0.0, 0.0, 0.2, 0.2]; classes[0, 2] = 3; scores[0, 2] = 0.7    # car, but beyond num_detections
    num = np.array([2], dtype=np.float32)
    inp = helper.make_tensor_value_info("image_tensor", TensorProto.UINT8, [1, 60, 80, 3])
    return const_outputs("ssd", inp, [("detection_boxes", boxes), ("detection_classes", classes),
                                      ("detection_scores", scores), ("num_detections", num)], cast_input=True)


def flat():
    rows = np.zeros((1, 10, 6), dtype=np.float32)
    rows[0, 0] = [0.25, 0.25, 0.75, 0.5, 0.95, 2]  # car
    rows[0, 1] = [0.0, 0.5, 0.25, 1.0, 0.6, 0]     # person
    inp = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 64, 64, 3])
    return const_outputs("flat", inp, [("detections", rows)])


def bench_yolo():
    rng = np.random.default_rng(14)
    nodes, inits = [], []
    x = "images"
    chans = 3
    layer = 0
    def conv(x, cin, cout, stride, k=3):
        nonlocal layer
        layer += 1
        w = (rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / (cin * k * k))).astype(np.float32)
        b = np.zeros((cout,), dtype=np.float32)
        inits.append(numpy_helper.from_array(w, f"w{layer}"))
        inits.append(numpy_helper.from_array(b, f"b{layer}"))
        nodes.append(helper.make_node("Conv", [x, f"w{layer}", f"b{layer}"], [f"c{layer}"], strides=[stride, stride],
                                      pads=[k // 2] * 4, kernel_shape=[k, k]))
        nodes.append(helper.make_node("Relu", [f"c{layer}"], [f"r{layer}"]))
        return f"r{layer}"
    for cout in (16, 32, 64, 128, 256):
        x = conv(x, chans, cout, 2); chans = cout
        if cout > 16:
            for _ in range(3):
                x = conv(x, chans, chans, 1)
    layer += 1
    w = (rng.standard_normal((84, chans, 1, 1)) * 0.01).astype(np.float32)
    inits.append(numpy_helper.from_array(w, "head_w"))
    inits.append(numpy_helper.from_array(np.zeros((84,), dtype=np.float32), "head_b"))
    nodes.append(helper.make_node("Conv", [x, "head_w", "head_b"], ["head"], kernel_shape=[1, 1]))
    nodes.append(helper.make_node("Sigmoid", ["head"], ["head_s"]))
    inits.append(numpy_helper.from_array(np.array([1, 84, 400], dtype=np.int64), "shape"))
    nodes.append(helper.make_node("Reshape", ["head_s", "shape"], ["output0"]))
    inp = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, 640, 640])
    out = helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 84, 400])
    model = helper.make_model(helper.make_graph(nodes, "bench_yolo", [inp], [out], inits), opset_imports=OPSET)
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, build in [("yolo_v8", yolo_v8), ("yolo_v5", yolo_v5), ("ssd", ssd), ("flat", flat)]:
        onnx.save(build(), os.path.join(out, name + ".onnx"))
    if "--bench" in sys.argv:
        onnx.save(bench_yolo(), os.path.join(out, "bench_yolo.onnx"))
    with open(os.path.join(out, "broken.onnx"), "wb") as f:
        f.write(b"this is not an ONNX model\n")
    print("OK")


if __name__ == "__main__":
    main()
