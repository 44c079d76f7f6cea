package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/**
 * Max pooling: y[n, c, p, q] = max over the kernel x kernel window at (p stride - padding, q stride - padding).
 * Shapes: [N, C, H, W] to [N, C, P, Q], P = floor((H + 2 padding - kernel) / stride) + 1 (ceil in ceil mode).
 * The backward sends each gradient to the position of its window's maximum.
 */
public final class MaxPool2d extends Module {
  private final int kernel;
  private final int stride;
  private final int padding;
  private final boolean ceilMode;

  /** stride = kernel, no padding. */
  public MaxPool2d(int kernel) {
    this(kernel, kernel, 0, false);
  }

  public MaxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
    if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
      throw new IllegalArgumentException("MaxPool2d: invalid kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
          + " (padding at most kernel / 2)");
    }
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.ceilMode = ceilMode;
  }

  @Override
  public Tensor forward(Tensor x) {
    return F.maxPool2d(x, kernel, stride, padding, ceilMode);
  }

  @Override
  public String toString() {
    return "MaxPool2d(" + kernel + "x" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "")
        + (ceilMode ? ", ceil" : "") + ")";
  }
}
