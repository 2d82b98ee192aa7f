// Runs a TF.js graph model with TensorFlow.js itself (tfjs-core + the CPU backend + the converter's GraphModel) on
// one raw input and writes the named output, so a test can compare the project's ONNX conversion against it.
//   node reference.mjs MODEL.json INPUT.f32 HEIGHT WIDTH OUTPUT_NODE OUT.json
// INPUT.f32: float32 little-endian NHWC [1,HEIGHT,WIDTH,3]. OUT.json: {"shape":[...],"data":[...]}.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

const [modelJson, inputPath, height, width, outputNode, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node reference.mjs MODEL.json INPUT.f32 HEIGHT WIDTH OUTPUT_NODE OUT.json');
  process.exit(2);
}
await tf.setBackend('cpu');
const model = JSON.parse(readFileSync(modelJson, 'utf8'));
const weightSpecs = model.weightsManifest.flatMap((g) => g.weights);
const weightData = Buffer.concat(model.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dirname(modelJson), p)))));
const graph = await loadGraphModel(tf.io.fromMemory({
  modelTopology: model.modelTopology,
  weightSpecs,
  weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
}));
const raw = readFileSync(inputPath);
const pixels = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const input = tf.tensor4d(pixels, [1, Number(height), Number(width), 3]);
const output = graph.execute(input, outputNode);
writeFileSync(outPath, JSON.stringify({ shape: output.shape, data: Array.from(await output.data()) }));
