package dev.nerve.internal;

import dev.nerve.DType;
import dev.nerve.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * The argument checks of every op: one-line preconditions. The message is a
 * {@link String#format} template (use %s) formatted only when the check fails; long[] and int[]
 * arguments print as lists ("[3, 4]"), so a shape can be passed as is ({@link #shape} gives a
 * tensor's without copying it). Up to four arguments go without a varargs array; numbers are
 * boxed, which costs nothing measurable next to a kernel call.
 */
final class Checks {
  private Checks() {}

  static void check(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }

  static void check(boolean ok, String format, Object a) {
    if (!ok) throw fail(format, a);
  }

  static void check(boolean ok, String format, Object a, Object b) {
    if (!ok) throw fail(format, a, b);
  }

  static void check(boolean ok, String format, Object a, Object b, Object c) {
    if (!ok) throw fail(format, a, b, c);
  }

  static void check(boolean ok, String format, Object a, Object b, Object c, Object d) {
    if (!ok) throw fail(format, a, b, c, d);
  }

  static void check(boolean ok, String format, Object... args) {
    if (!ok) throw fail(format, args);
  }

  /** As check, for a call in the wrong state: IllegalStateException. */
  static void checkState(boolean ok, String format, Object... args) {
    if (!ok) throw new IllegalStateException(format(format, args));
  }

  /** The exception a failed check throws, for a throw in expression position. */
  static IllegalArgumentException fail(String format, Object... args) {
    return new IllegalArgumentException(format(format, args));
  }

  private static String format(String format, Object... args) {
    Object[] shown = args.clone();
    for (int i = 0; i < shown.length; i++) {
      if (shown[i] instanceof long[] l) shown[i] = Arrays.toString(l);
      else if (shown[i] instanceof int[] n) shown[i] = Arrays.toString(n);
    }
    return String.format(Locale.ROOT, format, shown);
  }

  /** t's shape without a copy, for a message argument. */
  static long[] shape(Tensor t) {
    return Tensors.data(t).shape();
  }

  /** t is given, open and f32. */
  static void checkF32(String op, String arg, Tensor t) {
    check(t != null, "%s: %s is null", op, arg);
    Tensors.checkOpen(t, op);
    if (t.dtype() != DType.F32) throw fail("%s: %s must be f32 but is %s (shape %s)", op, arg, t.dtype(), shape(t));
  }

  /** t is given, open and i32 ("labels must be i32 class indices but are f32 (shape [3])"). */
  static void checkI32(String op, String arg, String what, Tensor t) {
    check(t != null, "%s: %s is null", op, arg);
    Tensors.checkOpen(t, op);
    if (t.dtype() != DType.I32) throw fail("%s: %s must be i32%s but are %s (shape %s)", op, arg, what, t.dtype(), shape(t));
  }

  static void checkSameDevice(String op, Tensor a, Tensor b) {
    if (a.device() != b.device()) {
      throw fail("%s: tensors are on different devices (%s %s and %s %s)", op, a.device(), shape(a), b.device(), shape(b));
    }
  }

  static void checkSameShape(String op, Tensor a, Tensor b) {
    check(Arrays.equals(shape(a), shape(b)), "%s: shape mismatch %s vs %s", op, shape(a), shape(b));
  }
}
