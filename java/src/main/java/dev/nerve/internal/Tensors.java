package dev.nerve.internal;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Context;
import dev.nerve.internal.ops.Operand;

/**
 * The implementation's view of a tensor's and a device's non-public parts, so that the public
 * classes in {@code dev.nerve} need no public accessor for them (the JDK's SharedSecrets
 * pattern): {@link Tensor} installs the one {@link Access} when its class initialises. Internal:
 * not part of the API (the module exports no {@code dev.nerve.internal} package).
 */
public final class Tensors {
  /** What {@code dev.nerve} grants its implementation. */
  public interface Access {
    Tensor create(Device device, Operand data, DType dtype);

    Operand data(Tensor t);

    Node gradFn(Tensor t);

    void setGradFn(Tensor t, Node node);

    void setGrad(Tensor t, Tensor grad);

    void checkOpen(Tensor t, String op);

    Context context(Device device);
  }

  private static volatile Access access;

  private Tensors() {}

  /** Called once, by {@code Tensor}'s static initialiser. */
  public static void install(Access a) {
    if (access != null) throw new IllegalStateException("Tensors.install: already installed");
    access = a;
  }

  private static Access access() {
    Access a = access;
    if (a != null) return a;
    try {
      Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return access;
  }

  /** A new tensor handle on data (which holds one storage reference for it), adopted by the open scope. */
  public static Tensor create(Device device, Operand data, DType dtype) {
    Tensor t = access().create(device, data, dtype);
    OpFrame.created(t);
    return t;
  }

  /** The layout a kernel reads and writes: storage, offset, shape and strides. */
  public static Operand data(Tensor t) {
    return access().data(t);
  }

  /** The autograd node that made t, or null for a leaf. */
  public static Node gradFn(Tensor t) {
    return access().gradFn(t);
  }

  /** Records node as t's origin and marks t as requiring grad. */
  public static void setGradFn(Tensor t, Node node) {
    access().setGradFn(t, node);
  }

  public static void setGrad(Tensor t, Tensor grad) {
    access().setGrad(t, grad);
  }

  /** Throws IllegalStateException naming op when t was closed. */
  public static void checkOpen(Tensor t, String op) {
    access().checkOpen(t, op);
  }

  /** The native context of a device (benchmarks use it to force an ISA). */
  public static Context context(Device device) {
    return access().context(device);
  }
}
