package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/**
 * Average pooling to a fixed output size: [N, C, H, W] to [N, C, outH, outW]. H and W must be
 * multiples of the output size (then every window is H/outH x W/outW); (1, 1) is global average
 * pooling, the head of a ResNet.
 */
public final class AdaptiveAvgPool2d extends Module {
  private final int outH;
  private final int outW;

  public AdaptiveAvgPool2d(int outH, int outW) {
    if (outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outH + "x" + outW);
    }
    this.outH = outH;
    this.outW = outW;
  }

  @Override
  public Tensor forward(Tensor x) {
    return F.adaptiveAvgPool2d(x, outH, outW);
  }

  @Override
  public String toString() {
    return "AdaptiveAvgPool2d(" + outH + "x" + outW + ")";
  }
}
