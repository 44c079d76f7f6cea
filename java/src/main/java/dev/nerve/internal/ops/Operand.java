package dev.nerve.internal.ops;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * What a kernel reads or writes: a strided window on a {@link Storage}: the first element's index
 * in the storage ({@code offset}), the sizes, the strides in elements, and the element size. A
 * tensor's layout; the ops layer sees only this, never a tensor. The arrays are not copied:
 * nobody may modify them after construction.
 */
public record Operand(Storage storage, long offset, long[] shape, long[] strides, int elementBytes) {
  /** The number of elements (1 for a 0-d operand). */
  public long numel() {
    long n = 1;
    for (long s : shape) n *= s;
    return n;
  }

  public int dim() {
    return shape.length;
  }

  /** The size of dimension d (d >= 0). */
  public long size(int d) {
    return shape[d];
  }

  /** Row-major without gaps (a tensor of at most one element always is). */
  public boolean isContiguous() {
    if (numel() <= 1) return true;
    long expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (strides[i] != expected) return false;
      expected *= Math.max(shape[i], 1);
    }
    return true;
  }

  Context ctx() {
    return storage.context();
  }

  FloatPointer f32() {
    return storage.f32(offset);
  }

  IntPointer i32() {
    return storage.i32(offset);
  }

  Pointer raw() {
    return storage.raw(offset * elementBytes);
  }

  /** f32() of an optional operand: null passes NULL to nerve.h. */
  static FloatPointer f32(Operand o) {
    return o == null ? null : o.f32();
  }

  static void requireContiguous(String op, Operand o) {
    if (!o.isContiguous()) throw new IllegalStateException(op + ": internal error, expected a contiguous tensor");
  }
}
