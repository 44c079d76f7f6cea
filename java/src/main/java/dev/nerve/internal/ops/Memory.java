package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/** Host transfers, strided copies, fills, casts and random fills. Internal: callers have checked shapes. */
public final class Memory {
  private Memory() {}

  /**
   * Elements per host staging chunk of a transfer: the staging memory of one call stays at
   * 16 MiB whatever the tensor's size (a gigabyte tensor is not staged in a second gigabyte).
   */
  static final int CHUNK = 1 << 22;

  /** values in native scratch slot (0..2) of this thread, valid until the next call with that slot. */
  static LongPointer longs(int slot, long[] values) {
    return HostMemory.longs(slot, values);
  }

  public static void fillF32(Operand t, float value) {
    Operand.requireContiguous("fill", t);
    try (Pin p = Pin.of("fill", t)) {
      Native.check(Nerve.nv_fill_f32(t.ctx().handle, t.numel(), value, t.f32()), "nv_fill_f32", "fill", "");
    }
  }

  public static void write(Operand t, float[] data) {
    staged("Tensor.of", t, data.length, (staging, at, n) -> {
      FloatPointer host = new FloatPointer(staging).put(data, at, n);
      Native.check(Nerve.nv_write_f32(t.ctx().handle, t.storage().f32(t.offset() + at), host, n), "nv_write_f32", "Tensor.of", "");
    });
  }

  public static void write(Operand t, int[] data) {
    staged("Tensor.ofInts", t, data.length, (staging, at, n) -> {
      IntPointer host = new IntPointer(staging).put(data, at, n);
      Native.check(Nerve.nv_write_i32(t.ctx().handle, t.storage().i32(t.offset() + at), host, n), "nv_write_i32", "Tensor.ofInts", "");
    });
  }

  public static void read(Operand t, float[] out) {
    staged("toArray", t, out.length, (staging, at, n) -> {
      FloatPointer host = new FloatPointer(staging);
      Native.check(Nerve.nv_read_f32(t.ctx().handle, t.storage().f32(t.offset() + at), host, n), "nv_read_f32", "toArray", "");
      host.get(out, at, n);
    });
  }

  public static void read(Operand t, int[] out) {
    staged("toIntArray", t, out.length, (staging, at, n) -> {
      IntPointer host = new IntPointer(staging);
      Native.check(Nerve.nv_read_i32(t.ctx().handle, t.storage().i32(t.offset() + at), host, n), "nv_read_i32", "toIntArray", "");
      host.get(out, at, n);
    });
  }

  /** One chunk of a staged transfer: elements at..at+n of the Java array through staging. */
  private interface Chunk {
    void move(Pointer staging, int at, int n);
  }

  /**
   * Moves count 4-byte elements between a Java array and contiguous t through a malloc'd staging
   * buffer of at most CHUNK elements, chunk by chunk (see HostMemory: not counted by JavaCPP, and
   * a huge transfer needs no second full-size copy), with t pinned for the whole transfer.
   */
  private static void staged(String op, Operand t, int count, Chunk chunk) {
    Operand.requireContiguous(op, t);
    try (Pin p = Pin.of(op, t)) {
      Pointer staging = HostMemory.allocate(4L * Math.min(count, CHUNK));
      try {
        for (int at = 0; at < count; at += CHUNK) chunk.move(staging, at, Math.min(CHUNK, count - at));
      } finally {
        HostMemory.free(staging);
      }
    }
  }

  /** dst[...] = src[...] elementwise over their common shape, any strides. */
  public static void copy(Operand src, Operand dst) {
    copyStrided(src, src.strides(), dst, src.shape());
  }

  /** dst = src broadcast to dst's shape (NumPy rules; the caller has checked they fit). */
  public static void expand(Operand src, Operand dst) {
    copyStrided(src, Pointwise.broadcastStrides(src, dst.shape()), dst, dst.shape());
  }

  private static void copyStrided(Operand src, long[] srcStrides, Operand dst, long[] shape) {
    // The long[] overload: JavaCPP passes Java arrays without counting them as its memory.
    try (Pin p = Pin.of("copy", src, dst)) {
      Native.check(
          Nerve.nv_copy_strided(src.ctx().handle, src.elementBytes(), shape.length, shape, src.raw(), srcStrides,
              dst.raw(), dst.strides()),
          "nv_copy_strided", "copy", "");
    }
  }

  /** Uniform values in [lo, hi): element i from the counter (seed, offset + i). */
  public static void randUniform(Operand t, long seed, long offset, float lo, float hi) {
    Operand.requireContiguous("rand", t);
    try (Pin p = Pin.of("rand", t)) {
      Native.check(Nerve.nv_rand_uniform_f32(t.ctx().handle, t.numel(), seed, offset, lo, hi, t.f32()),
          "nv_rand_uniform_f32", "rand", "");
    }
  }

  public static void randNormal(Operand t, long seed, long offset, float mean, float std) {
    Operand.requireContiguous("randn", t);
    try (Pin p = Pin.of("randn", t)) {
      Native.check(Nerve.nv_rand_normal_f32(t.ctx().handle, t.numel(), seed, offset, mean, std, t.f32()),
          "nv_rand_normal_f32", "randn", "");
    }
  }

  /** i32 to f32, contiguous operands of one size. */
  public static void castI32ToF32(Operand src, Operand dst) {
    Operand.requireContiguous("cast", src);
    Operand.requireContiguous("cast", dst);
    try (Pin p = Pin.of("cast", src, dst)) {
      Native.check(Nerve.nv_cast_i32_f32(src.ctx().handle, src.numel(), src.i32(), dst.f32()), "nv_cast_i32_f32", "cast", "");
    }
  }

  /** f32 to i32 (toward zero), contiguous operands of one size. */
  public static void castF32ToI32(Operand src, Operand dst) {
    Operand.requireContiguous("cast", src);
    Operand.requireContiguous("cast", dst);
    try (Pin p = Pin.of("cast", src, dst)) {
      Native.check(Nerve.nv_cast_f32_i32(src.ctx().handle, src.numel(), src.f32(), dst.i32()), "nv_cast_f32_i32", "cast", "");
    }
  }
}
