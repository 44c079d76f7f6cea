package dev.nerve;

/** Element types: 32-bit float (values, gradients) and 32-bit int (labels, indices). */
public enum DType {
  F32(4, "f32"),
  I32(4, "i32");

  private final int bytes;
  private final String label;

  DType(int bytes, String label) {
    this.bytes = bytes;
    this.label = label;
  }

  public int bytes() {
    return bytes;
  }

  @Override
  public String toString() {
    return label;
  }
}
