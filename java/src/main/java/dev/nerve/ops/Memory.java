package dev.nerve.ops;

import dev.nerve.DType;
import dev.nerve.Tensor;
import dev.nerve.bindings.Nerve;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;

/** Host transfers, copies, fills, casts and random fills. Internal. */
public final class Memory {
  private Memory() {}

  static Context ctx(Tensor t) {
    return t.device().context();
  }

  static FloatPointer f32(Tensor t) {
    return t.storage().f32(t.offset());
  }

  static IntPointer i32(Tensor t) {
    return t.storage().i32(t.offset());
  }

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

  static void requireContiguous(String op, Tensor t) {
    if (!t.isContiguous()) throw new IllegalStateException(op + ": internal error, expected a contiguous tensor");
  }

  public static void fill(Tensor t, float value) {
    requireContiguous("fill", t);
    if (t.dtype() == DType.F32) {
      Native.check(Nerve.nv_fill_f32(ctx(t).handle, t.numel(), value, f32(t)), "nv_fill_f32");
    } else {
      Native.check(Nerve.nv_fill_i32(ctx(t).handle, t.numel(), (int) value, i32(t)), "nv_fill_i32");
    }
  }

  public static void write(Tensor t, float[] data) {
    requireContiguous("write", t);
    try (FloatPointer host = new FloatPointer(data)) {
      Native.check(Nerve.nv_write_f32(ctx(t).handle, f32(t), host, data.length), "nv_write_f32");
    }
  }

  public static void write(Tensor t, int[] data) {
    requireContiguous("write", t);
    try (IntPointer host = new IntPointer(data)) {
      Native.check(Nerve.nv_write_i32(ctx(t).handle, i32(t), host, data.length), "nv_write_i32");
    }
  }

  public static void read(Tensor t, float[] out) {
    requireContiguous("read", t);
    try (FloatPointer host = new FloatPointer(out.length)) {
      Native.check(Nerve.nv_read_f32(ctx(t).handle, f32(t), host, out.length), "nv_read_f32");
      host.get(out);
    }
  }

  public static void read(Tensor t, int[] out) {
    requireContiguous("read", t);
    try (IntPointer host = new IntPointer(out.length)) {
      Native.check(Nerve.nv_read_i32(ctx(t).handle, i32(t), host, out.length), "nv_read_i32");
      host.get(out);
    }
  }

  /** dst[...] = src[...] elementwise over their common shape, any strides. */
  public static void copy(Tensor src, Tensor dst) {
    long[] shape = src.shape();
    Native.check(
        Nerve.nv_copy_strided(ctx(src).handle, src.dtype().bytes(), shape.length, longs(0, shape),
            src.storage().raw(src.offset() * src.dtype().bytes()), longs(1, src.strides()),
            dst.storage().raw(dst.offset() * dst.dtype().bytes()), longs(2, dst.strides())),
        "nv_copy_strided");
  }

  /** dst = src broadcast to dst's shape (NumPy rules; the caller has checked they fit). */
  public static void expand(Tensor src, Tensor dst) {
    long[] shape = dst.shape();
    Native.check(
        Nerve.nv_copy_strided(ctx(src).handle, src.dtype().bytes(), shape.length, longs(0, shape),
            src.storage().raw(src.offset() * src.dtype().bytes()), longs(1, Pointwise.Broadcast.strides(src, shape)),
            dst.storage().raw(dst.offset() * dst.dtype().bytes()), longs(2, dst.strides())),
        "nv_copy_strided");
  }

  public static void randUniform(Tensor t, long seed, long offset, float lo, float hi) {
    requireContiguous("rand", t);
    Native.check(Nerve.nv_rand_uniform_f32(ctx(t).handle, t.numel(), seed, offset, lo, hi, f32(t)), "nv_rand_uniform_f32");
  }

  public static void randNormal(Tensor t, long seed, long offset, float mean, float std) {
    requireContiguous("randn", t);
    Native.check(Nerve.nv_rand_normal_f32(ctx(t).handle, t.numel(), seed, offset, mean, std, f32(t)), "nv_rand_normal_f32");
  }

  /** A new contiguous tensor a + b (same shapes). */
  public static Tensor add(Tensor a, Tensor b) {
    Tensor out = Tensor.empty(a.device(), DType.F32, a.shape());
    Pointwise.binary(Nerve.NV_BINARY_ADD, a, b, out);
    return out;
  }

  /** a += b for a contiguous a of b's shape (or b broadcast to it). */
  public static void addInPlace(Tensor a, Tensor b) {
    requireContiguous("addInPlace", a);
    Pointwise.binary(Nerve.NV_BINARY_ADD, a, b, a);
  }

  public static void cast(Tensor src, Tensor dst) {
    requireContiguous("cast", src);
    requireContiguous("cast", dst);
    if (src.dtype() == DType.I32 && dst.dtype() == DType.F32) {
      Native.check(Nerve.nv_cast_i32_f32(ctx(src).handle, src.numel(), i32(src), f32(dst)), "nv_cast_i32_f32");
    } else if (src.dtype() == DType.F32 && dst.dtype() == DType.I32) {
      Native.check(Nerve.nv_cast_f32_i32(ctx(src).handle, src.numel(), f32(src), i32(dst)), "nv_cast_f32_i32");
    } else {
      copy(src, dst);
    }
  }
}
