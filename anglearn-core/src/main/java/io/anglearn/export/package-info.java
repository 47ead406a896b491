/**
 * Exporting a trained network to ONNX, so it runs without anglearn: in ONNX Runtime, DJL's ONNX
 * Runtime engine or any other ONNX consumer. {@link io.anglearn.export.OnnxExporter} writes the
 * graph from image to embedding (optionally with the normalised embedding, the class cosines, the
 * loss's logits and the preprocessing) from a {@link io.anglearn.run.TrainedRun}'s parameters, with
 * protobuf, and the metadata a consumer needs.
 */
package io.anglearn.export;
