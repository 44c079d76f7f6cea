package dev.nerve.nn;

import dev.nerve.Generator;
import dev.nerve.Tensor;

/**
 * Weight initialisation, as torch.nn.init. fan_in and fan_out are the last and first dimensions
 * of a 2-D weight [out, in] (times the receptive field for higher ranks).
 */
public final class Init {
  private Init() {}

  static long fanIn(Tensor w) {
    long[] s = w.shape();
    if (s.length < 2) throw new IllegalArgumentException("Init: fan in needs a tensor of at least 2 dimensions, got " + s.length);
    long receptive = 1;
    for (int i = 2; i < s.length; i++) receptive *= s[i];
    return s[1] * receptive;
  }

  static long fanOut(Tensor w) {
    long[] s = w.shape();
    long receptive = 1;
    for (int i = 2; i < s.length; i++) receptive *= s[i];
    return s[0] * receptive;
  }

  /** Glorot/Xavier uniform: U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out)). */
  public static Tensor xavierUniform(Tensor w, float gain, Generator gen) {
    float b = (float) (gain * Math.sqrt(6.0 / (fanIn(w) + fanOut(w))));
    return w.fillUniform(gen, -b, b);
  }

  /** Glorot/Xavier normal: N(0, gain * sqrt(2 / (fan_in + fan_out))). */
  public static Tensor xavierNormal(Tensor w, float gain, Generator gen) {
    float std = (float) (gain * Math.sqrt(2.0 / (fanIn(w) + fanOut(w))));
    return w.fillNormal(gen, 0f, std);
  }

  /** He/Kaiming uniform for ReLU: U(-b, b), b = sqrt(6 / fan_in). */
  public static Tensor kaimingUniform(Tensor w, Generator gen) {
    float b = (float) Math.sqrt(6.0 / fanIn(w));
    return w.fillUniform(gen, -b, b);
  }

  /** He/Kaiming normal for ReLU: N(0, sqrt(2 / fan_in)). */
  public static Tensor kaimingNormal(Tensor w, Generator gen) {
    float std = (float) Math.sqrt(2.0 / fanIn(w));
    return w.fillNormal(gen, 0f, std);
  }

  /** Fills w uniform in [lo, hi) from gen; returns w. */
  public static Tensor uniform(Tensor w, float lo, float hi, Generator gen) {
    return w.fillUniform(gen, lo, hi);
  }

  /** Fills w with zeros; returns w. */
  public static Tensor zeros(Tensor w) {
    return w.fill(0f);
  }
}
