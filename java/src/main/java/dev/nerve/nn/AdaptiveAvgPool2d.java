package dev.nerve.nn;

import dev.nerve.F;

/**
 * Average pooling to a fixed output size: [N, C, H, W] to [N, C, outH, outW]. H and W must be
 * multiples of the output size (then every window is H/outH x W/outW); (1, 1) is global average
 * pooling, the head of a ResNet.
 */
public final class AdaptiveAvgPool2d extends FunctionModule {
  /** Pools [N, C, H, W] to [N, C, outH, outW]; H and W must be multiples of outH and outW. */
  public AdaptiveAvgPool2d(int outH, int outW) {
    super(name(outH, outW), x -> F.adaptiveAvgPool2d(x, outH, outW));
  }

  /** Checks the output size and names the layer (called in super()'s arguments: Java 17 allows no statement before it). */
  private static String name(int outH, int outW) {
    if (outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outH + "x" + outW);
    }
    return "AdaptiveAvgPool2d(" + outH + "x" + outW + ")";
  }
}
