package dev.nerve.nn;

import dev.nerve.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The up-front size check of a layer's constructor: it adds up the parameter tensors a layer is
 * about to allocate and refuses, before anything is allocated, a configuration that cannot exist.
 *
 * <p>The rule: an {@link IllegalArgumentException} naming the layer and its configuration when
 * the element count of a tensor or of all of them overflows a {@code long}, when their Java
 * objects ({@link #JAVA_BYTES_PER_TENSOR} per tensor) exceed the heap's maximum, or when their bytes
 * (4 per element plus {@link #TENSOR_OVERHEAD} per tensor for the allocator's block and the Java
 * objects) exceed the memory of the machine for a CPU or cuda-sim device (MemTotal of
 * /proc/meminfo). A CUDA device is bounded by its allocator, which throws a
 * {@link dev.nerve.NerveException}; the constructors free what they allocated on any failure.
 */
final class ParameterSizes {
  /** Bytes per tensor beyond its elements: the allocator's smallest block and the Java objects. */
  static final long TENSOR_OVERHEAD = 512;
  /** Heap bytes of one parameter tensor's Java objects (Tensor, its operand, storage, cleaner), rounded up. */
  static final long JAVA_BYTES_PER_TENSOR = 256;
  private static volatile long hostMemory;

  private final String layer;
  private final String configuration;
  private long elements;
  private long tensors;
  private boolean overflow;

  ParameterSizes(String layer, String configuration) {
    this.layer = layer;
    this.configuration = configuration;
  }

  /** One tensor of the given shape. */
  ParameterSizes tensor(long... dims) {
    return tensors(1, dims);
  }

  /** count tensors of the given shape. */
  ParameterSizes tensors(long count, long... dims) {
    try {
      long n = count;
      for (long d : dims) n = Math.multiplyExact(n, d);
      elements = Math.addExact(elements, n);
      tensors = Math.addExact(tensors, count);
    } catch (ArithmeticException e) {
      overflow = true;
    }
    return this;
  }

  /** Throws when the parameters cannot exist on device (see the class comment); device must not be null. */
  void check(Device device) {
    if (device == null) throw new IllegalArgumentException(layer + ": device is null");
    if (overflow) {
      throw new IllegalArgumentException(layer + ": the parameter count of " + configuration + " overflows a long");
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (tensors * (double) JAVA_BYTES_PER_TENSOR > heap) {
      throw new IllegalArgumentException(String.format("%s: %s needs %,d parameter tensors, more than a Java heap of"
          + " %.1f GiB (-Xmx) holds at about %d bytes of Java objects each", layer, configuration, tensors,
          heap / (double) (1L << 30), JAVA_BYTES_PER_TENSOR));
    }
    double bytes = elements * 4.0 + tensors * (double) TENSOR_OVERHEAD;
    long limit = device.name().startsWith("cuda:") ? Long.MAX_VALUE : hostMemory();
    if (bytes > limit) {
      throw new IllegalArgumentException(String.format("%s: %s needs %,d parameters in %,d tensors (%.1f GiB), more than "
          + "the %.1f GiB of memory of device %s", layer, configuration, elements, tensors, bytes / (1L << 30),
          limit / (double) (1L << 30), device));
    }
  }

  /** The generator a constructor draws its initial values from must exist. */
  static void requireGenerator(String layer, dev.nerve.Generator gen) {
    if (gen == null) throw new IllegalArgumentException(layer + ": generator is null");
  }

  /** MemTotal of /proc/meminfo in bytes, or Long.MAX_VALUE where it cannot be read. */
  static long hostMemory() {
    long m = hostMemory;
    if (m == 0) {
      m = Long.MAX_VALUE;
      try {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (line.startsWith("MemTotal:")) {
            m = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // no /proc (not Linux): the allocator is the only bound
      }
      hostMemory = m;
    }
    return m;
  }
}
