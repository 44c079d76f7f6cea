package dev.nerve;

/** Element types: 32-bit float (values, gradients) and 32-bit int (labels, indices). */
public enum DType {
  /** 32-bit IEEE float: values, weights, gradients. */
  F32(4, "f32"),
  /** 32-bit signed int: class labels and indices. */
  I32(4, "i32");

  private final int bytes;
  private final String label;

  DType(int bytes, String label) {
    this.bytes = bytes;
    this.label = label;
  }

  /** The size of one element in bytes (4 for both). */
  public int bytes() {
    return bytes;
  }

  @Override
  public String toString() {
    return label;
  }
}
