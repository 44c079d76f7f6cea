package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/**
 * Average pooling: y[n, c, p, q] = mean over the kernel x kernel window (padding counted as zeros
 * when countIncludePad). Shapes as {@link MaxPool2d}.
 */
public final class AvgPool2d extends Module {
  private final int kernel;
  private final int stride;
  private final int padding;
  private final boolean ceilMode;
  private final boolean countIncludePad;

  /** stride = kernel, no padding. */
  public AvgPool2d(int kernel) {
    this(kernel, kernel, 0, false, true);
  }

  public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
    if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
      throw new IllegalArgumentException("AvgPool2d: invalid kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
          + " (padding at most kernel / 2)");
    }
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
  }

  @Override
  public Tensor forward(Tensor x) {
    return F.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
  }

  @Override
  public String toString() {
    return "AvgPool2d(" + kernel + "x" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "") + ")";
  }
}
