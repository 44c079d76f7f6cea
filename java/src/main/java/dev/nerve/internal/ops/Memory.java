package dev.nerve.internal.ops;

import dev.nerve.bindings.Nerve;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;

/** Host transfers, strided copies, fills, casts and random fills. Internal: callers have checked shapes. */
public final class Memory {
  private Memory() {}

  // Scratch native arrays for shapes and strides: JavaCPP's overloads take all pointer
  // arguments of one kind, so with FloatPointer data the int64 arrays must be LongPointers too.
  private static final ThreadLocal<LongPointer[]> SCRATCH = ThreadLocal.withInitial(() -> {
    LongPointer[] slots = new LongPointer[3];
    for (int i = 0; i < slots.length; i++) slots[i] = new LongPointer(8);
    return slots;
  });

  /** values in native scratch slot (0..2) of this thread, valid until the next call with that slot. */
  static LongPointer longs(int slot, long[] values) {
    LongPointer p = SCRATCH.get()[slot];
    p.put(values, 0, values.length);
    return p;
  }

  public static void fillF32(Operand t, float value) {
    Operand.requireContiguous("fill", t);
    Native.check(Nerve.nv_fill_f32(t.ctx().handle, t.numel(), value, t.f32()), "nv_fill_f32");
  }

  public static void write(Operand t, float[] data) {
    Operand.requireContiguous("write", t);
    try (FloatPointer host = new FloatPointer(data)) {
      Native.check(Nerve.nv_write_f32(t.ctx().handle, t.f32(), host, data.length), "nv_write_f32");
    }
  }

  public static void write(Operand t, int[] data) {
    Operand.requireContiguous("write", t);
    try (IntPointer host = new IntPointer(data)) {
      Native.check(Nerve.nv_write_i32(t.ctx().handle, t.i32(), host, data.length), "nv_write_i32");
    }
  }

  public static void read(Operand t, float[] out) {
    Operand.requireContiguous("read", t);
    try (FloatPointer host = new FloatPointer(out.length)) {
      Native.check(Nerve.nv_read_f32(t.ctx().handle, t.f32(), host, out.length), "nv_read_f32");
      host.get(out);
    }
  }

  public static void read(Operand t, int[] out) {
    Operand.requireContiguous("read", t);
    try (IntPointer host = new IntPointer(out.length)) {
      Native.check(Nerve.nv_read_i32(t.ctx().handle, t.i32(), host, out.length), "nv_read_i32");
      host.get(out);
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
    Native.check(
        Nerve.nv_copy_strided(src.ctx().handle, src.elementBytes(), shape.length, longs(0, shape), src.raw(),
            longs(1, srcStrides), dst.raw(), longs(2, dst.strides())),
        "nv_copy_strided");
  }

  /** Uniform values in [lo, hi): element i from the counter (seed, offset + i). */
  public static void randUniform(Operand t, long seed, long offset, float lo, float hi) {
    Operand.requireContiguous("rand", t);
    Native.check(Nerve.nv_rand_uniform_f32(t.ctx().handle, t.numel(), seed, offset, lo, hi, t.f32()), "nv_rand_uniform_f32");
  }

  public static void randNormal(Operand t, long seed, long offset, float mean, float std) {
    Operand.requireContiguous("randn", t);
    Native.check(Nerve.nv_rand_normal_f32(t.ctx().handle, t.numel(), seed, offset, mean, std, t.f32()), "nv_rand_normal_f32");
  }

  /** i32 to f32, contiguous operands of one size. */
  public static void castI32ToF32(Operand src, Operand dst) {
    Operand.requireContiguous("cast", src);
    Operand.requireContiguous("cast", dst);
    Native.check(Nerve.nv_cast_i32_f32(src.ctx().handle, src.numel(), src.i32(), dst.f32()), "nv_cast_i32_f32");
  }

  /** f32 to i32 (toward zero), contiguous operands of one size. */
  public static void castF32ToI32(Operand src, Operand dst) {
    Operand.requireContiguous("cast", src);
    Operand.requireContiguous("cast", dst);
    Native.check(Nerve.nv_cast_f32_i32(src.ctx().handle, src.numel(), src.f32(), dst.i32()), "nv_cast_f32_i32");
  }
}
