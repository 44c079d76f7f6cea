package dev.nerve.nn;

import dev.nerve.F;

/**
 * Max pooling: y[n, c, p, q] = max over the kernel x kernel window at (p stride - padding, q stride - padding).
 * Shapes: [N, C, H, W] to [N, C, P, Q], P = floor((H + 2 padding - kernel) / stride) + 1 (ceil in ceil mode).
 * The backward sends each gradient to the position of its window's maximum.
 */
public final class MaxPool2d extends FunctionModule {
  /** stride = kernel, no padding. */
  public MaxPool2d(int kernel) {
    this(kernel, kernel, 0, false);
  }

  /** @param ceilMode rounds the output size up instead of down */
  public MaxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
    super(poolName("MaxPool2d", kernel, stride, padding) + (ceilMode ? ", ceil" : "") + ")",
        x -> F.maxPool2d(x, kernel, stride, padding, ceilMode));
  }
}
