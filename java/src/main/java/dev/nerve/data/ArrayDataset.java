package dev.nerve.data;

import java.util.Arrays;

/** A dataset over one flat float array of features and an int array of labels (not copied). */
public final class ArrayDataset implements Dataset {
  private final float[] features;
  private final int[] labels;
  private final long[] exampleShape;
  private final int exampleSize;

  /**
   * Example i is features[i * n, (i + 1) * n) with n the product of exampleShape, and labels[i].
   *
   * @throws IllegalArgumentException when features.length is not labels.length * n or a size is
   *     not positive
   */
  public ArrayDataset(float[] features, int[] labels, long... exampleShape) {
    if (features == null || labels == null) throw new IllegalArgumentException("ArrayDataset: features or labels is null");
    long size = 1;
    for (long s : exampleShape) {
      if (s <= 0) throw new IllegalArgumentException("ArrayDataset: bad example shape " + Arrays.toString(exampleShape));
      size *= s;
    }
    if (size * labels.length != features.length) {
      throw new IllegalArgumentException("ArrayDataset: " + features.length + " feature values are not " + labels.length
          + " examples of shape " + Arrays.toString(exampleShape));
    }
    this.features = features;
    this.labels = labels;
    this.exampleShape = exampleShape.clone();
    this.exampleSize = (int) size;
  }

  /** The MNIST split as a dataset of [784] vectors (or pass the shape, e.g. 1, 28, 28). */
  public static ArrayDataset of(MnistSplit split, long... exampleShape) {
    long[] shape = exampleShape.length == 0 ? new long[] {split.pixelsPerImage()} : exampleShape;
    return new ArrayDataset(split.images(), split.labels(), shape);
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public long[] exampleShape() {
    return exampleShape.clone();
  }

  @Override
  public void features(int index, float[] dst, int offset) {
    System.arraycopy(features, index * exampleSize, dst, offset, exampleSize);
  }

  @Override
  public int label(int index) {
    return labels[index];
  }
}
