package dev.nerve.nn;

import dev.nerve.F;

/**
 * Average pooling: y[n, c, p, q] = mean over the kernel x kernel window (padding counted as zeros
 * when countIncludePad). Shapes as {@link MaxPool2d}.
 */
public final class AvgPool2d extends FunctionModule {
  /** stride = kernel, no padding. */
  public AvgPool2d(int kernel) {
    this(kernel, kernel, 0, false, true);
  }

  /**
   * @param ceilMode rounds the output size up instead of down
   * @param countIncludePad divides by kernel^2 also where the window covers padding (else by the
   *     number of real elements)
   */
  public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
    super(poolName("AvgPool2d", kernel, stride, padding) + ")",
        x -> F.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad));
  }
}
