package dev.nerve.data;

/** Labelled examples of a fixed feature shape, addressed by index. */
public interface Dataset {
  /** The number of examples. */
  int size();

  /** The shape of one example's features (e.g. [784] or [1, 28, 28]). */
  long[] exampleShape();

  /** Copies example index's features into dst starting at offset. */
  void features(int index, float[] dst, int offset);

  /** The class label of example index (for classification, in [0, classes)). */
  int label(int index);
}
