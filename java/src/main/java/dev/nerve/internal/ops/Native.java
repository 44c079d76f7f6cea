package dev.nerve.internal.ops;

import dev.nerve.NerveException;
import dev.nerve.bindings.Nerve;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the native core and turns its status codes into Java exceptions. Internal: only
 * {@code dev.nerve.internal.ops} calls the bindings.
 */
public final class Native {
  private static final Throwable LOAD_FAILURE;

  static {
    Throwable failure = null;
    try {
      Loader.load(Nerve.class);
    } catch (Throwable t) {
      failure = t;
    }
    LOAD_FAILURE = failure;
  }

  private Native() {}

  /** Throws a clear exception when the native library could not be loaded. */
  public static void ensureLoaded() {
    if (LOAD_FAILURE != null) {
      throw new NerveException(
          "Nerve's native library could not be loaded for platform "
              + Loader.getPlatform()
              + " (is the nerve-presets "
              + Loader.getPlatform()
              + " jar on the class path?): "
              + LOAD_FAILURE,
          LOAD_FAILURE);
    }
  }

  /** Throws unless status is NV_OK; the message is the native one (which names the function fn). */
  public static void check(int status, String fn) {
    if (status == Nerve.NV_OK) return;
    String detail = string(Nerve.nv_last_error());
    throwFor(status, detail.isEmpty() ? fn + ": native status " + status : detail);
  }

  /**
   * Throws unless status is NV_OK, naming the public op instead of the native function: a
   * failure only the kernel can see (a label or an index out of range in the data) reaches the
   * user as "crossEntropy: label 10 at row 3 is outside [0, 10)", not as "nv_softmax_xent_f32:
   * ...". context (may be empty) is appended in parentheses: the shapes involved.
   */
  static void check(int status, String fn, String op, String context) {
    if (status == Nerve.NV_OK) return;
    String detail = string(Nerve.nv_last_error());
    if (detail.startsWith(fn + ": ")) detail = detail.substring(fn.length() + 2);
    else if (detail.isEmpty()) detail = "native status " + status;
    throwFor(status, op + ": " + detail + (context.isEmpty() ? "" : " (" + context + ")"));
  }

  private static void throwFor(int status, String message) {
    switch (status) {
      case Nerve.NV_ERR_INVALID_ARGUMENT:
        throw new IllegalArgumentException(message);
      case Nerve.NV_ERR_OUT_OF_MEMORY:
        throw new NerveException("out of device memory: " + message);
      case Nerve.NV_ERR_UNSUPPORTED:
      case Nerve.NV_ERR_BACKEND_UNAVAILABLE:
        throw new UnsupportedOperationException(message);
      default:
        throw new NerveException(message);
    }
  }

  static String string(BytePointer p) {
    return p == null || p.isNull() ? "" : p.getString();
  }

  public static String version() {
    ensureLoaded();
    return string(Nerve.nv_version());
  }

  public static boolean backendAvailable(Backend backend) {
    ensureLoaded();
    return Nerve.nv_backend_available(backend.code) != 0;
  }

  /** One line per device of a backend: "NAME (sm_MAJ.MIN, X.Y GiB)". Empty when none. */
  public static java.util.List<String> devices(Backend backend) {
    ensureLoaded();
    int[] count = new int[1];
    check(Nerve.nv_device_count(backend.code, count), "nv_device_count");
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < count[0]; i++) {
      byte[] name = new byte[256];
      int[] major = new int[1];
      int[] minor = new int[1];
      long[] bytes = new long[1];
      check(Nerve.nv_device_info(backend.code, i, name, name.length, major, minor, bytes), "nv_device_info");
      int len = 0;
      while (len < name.length && name[len] != 0) len++;
      out.add(String.format("%s (sm_%d%d, %.1f GiB)", new String(name, 0, len, java.nio.charset.StandardCharsets.UTF_8),
          major[0], minor[0], bytes[0] / (1024.0 * 1024 * 1024)));
    }
    return out;
  }

  public static int cpuIsa() {
    ensureLoaded();
    return Nerve.nv_cpu_isa();
  }

  public static String isaName(int isa) {
    ensureLoaded();
    return string(Nerve.nv_isa_name(isa));
  }
}
