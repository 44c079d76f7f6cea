package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.AdaptiveAvgPool2d;
import dev.nerve.nn.AvgPool2d;
import dev.nerve.nn.BatchNorm2d;
import dev.nerve.nn.Conv2d;
import dev.nerve.nn.Dropout;
import dev.nerve.nn.Flatten;
import dev.nerve.nn.MaxPool2d;
import dev.nerve.nn.Module;
import dev.nerve.nn.ResidualBlock;
import org.junit.jupiter.api.Test;

/**
 * Convolution, pooling, batch norm, dropout and the modules built on them: backward against
 * finite differences (GradCheck), forward against small hand-computed values, and the bad-input
 * messages.
 */
class ConvGradientTest {
  private final Device cpu = Device.cpu();
  private final Generator gen = new Generator(7);

  private Tensor param(float lo, float hi, long... shape) {
    return Tensor.rand(cpu, gen, lo, hi, shape).keep().requiresGrad(true);
  }

  @Test
  void conv2dGradients() {
    Tensor x = param(-1, 1, 2, 3, 6, 5);
    Tensor w = param(-1, 1, 4, 3, 3, 3);
    Tensor b = param(-1, 1, 4);
    GradCheck.check("conv2d 3x3 pad 1", in -> F.conv2d(in[0], in[1], in[2], 1, 1), x, w, b);
    GradCheck.check("conv2d stride 2, no bias", in -> F.conv2d(in[0], in[1], null, 2, 0), x, w);
    GradCheck.check("conv2d 2x3 stride 1x2 pad 1 dilation 2x1", in -> F.conv2d(in[0], in[1], null, new int[] {1, 2}, new int[] {1, 1},
        new int[] {2, 1}, 1), x, param(-1, 1, 4, 3, 2, 3));
    Tensor x4 = param(-1, 1, 2, 4, 5, 5);
    GradCheck.check("conv2d groups 2 dilation", in -> F.conv2d(in[0], in[1], in[2], new int[] {1, 1}, new int[] {2, 2},
        new int[] {2, 2}, 2), x4, param(-1, 1, 4, 2, 3, 3), b);
    Tensor w1 = param(-1, 1, 5, 3, 1, 1);
    GradCheck.check("conv2d 1x1", in -> F.conv2d(in[0], in[1], null, 1, 0), x, w1);
  }

  @Test
  void convTranspose2dGradientsAndAdjoint() {
    Tensor x = param(-1, 1, 2, 3, 4, 3);
    Tensor w = param(-1, 1, 3, 2, 4, 4);
    Tensor b = param(-1, 1, 2);
    GradCheck.check("convTranspose2d s2 p1", in -> F.convTranspose2d(in[0], in[1], in[2], 2, 1, 0), x, w, b);
    GradCheck.check("convTranspose2d s3 out-pad 1", in -> F.convTranspose2d(in[0], in[1], null, 3, 0, 1), x, w);
    assertArrayEquals(new long[] {2, 2, 8, 6}, F.convTranspose2d(x, w, b, 2, 1, 0).shape());
    // <conv(u, w), v> == <u, convTranspose(v, w)>
    try (Grad g = Grad.off()) {
      Tensor u = Tensor.rand(cpu, gen, -1, 1, 2, 2, 8, 6);
      Tensor v = F.conv2d(u, w, null, 2, 1);
      Tensor t = F.convTranspose2d(v, w, null, 2, 1, 0);
      assertEquals(v.mul(v).sum().item(), u.mul(t).sum().item(), 1e-3);
    }
  }

  @Test
  void conv2dForwardByHand() {
    // 3x3 input, 2x2 all-ones filter: sums of each 2x2 window, plus the bias.
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    Tensor w = Tensor.of(new float[] {1, 1, 1, 1}, 1, 1, 2, 2);
    Tensor b = Tensor.of(new float[] {0.5f}, 1);
    assertArrayEquals(new float[] {12.5f, 16.5f, 24.5f, 28.5f}, F.conv2d(x, w, b, 1, 0).toArray());
    assertArrayEquals(new long[] {1, 1, 4, 4}, F.conv2d(x, w, null, 1, 1).shape());
  }

  @Test
  void poolingGradients() {
    // Distinct values, so the max of each window is unique and finite differences are smooth.
    float[] v = new float[2 * 3 * 7 * 7];
    for (int i = 0; i < v.length; i++) v[i] = ((i * 37) % v.length) * 0.01f;
    Tensor x = Tensor.of(cpu, v, 2, 3, 7, 7).keep().requiresGrad(true);
    GradCheck.check("maxPool2d 2x2", in -> F.maxPool2d(in[0], 2), x);
    GradCheck.check("maxPool2d 3x3 s2 p1 ceil", in -> F.maxPool2d(in[0], 3, 2, 1, true), x);
    GradCheck.check("avgPool2d 2x2", in -> F.avgPool2d(in[0], 2), x);
    GradCheck.check("avgPool2d 3 s2 p1 ceil excl", in -> F.avgPool2d(in[0], 3, 2, 1, true, false), x);
    GradCheck.check("adaptiveAvgPool2d 1x1", in -> F.adaptiveAvgPool2d(in[0], 1, 1), x);
  }

  @Test
  void poolingByHand() {
    Tensor x = Tensor.of(new float[] {1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 2}, 1, 1, 4, 4);
    assertArrayEquals(new float[] {5, 8, 9, 7}, F.maxPool2d(x, 2).toArray());
    assertArrayEquals(new float[] {3.25f, 2.75f, 3f, 4.5f}, F.avgPool2d(x, 2).toArray());
    assertArrayEquals(new float[] {54f / 16}, F.adaptiveAvgPool2d(x, 1, 1).toArray());
    // Ceil mode on 5x5 with a 2x2 kernel: 3x3 outputs, the last windows cut short.
    assertArrayEquals(new long[] {1, 1, 3, 3}, F.maxPool2d(Tensor.zeros(cpu, 1, 1, 5, 5), 2, 2, 0, true).shape());
  }

  @Test
  void batchNormGradientsAndStatistics() {
    Tensor x = param(-2, 3, 4, 3, 3, 2);
    Tensor w = param(0.5f, 2, 3);
    Tensor b = param(-1, 1, 3);
    GradCheck.check("batchNorm train", in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1f, 1e-5f), x, w, b);
    Tensor rm = Tensor.of(cpu, new float[] {0.1f, -0.2f, 0.3f}, 3).keep();
    Tensor rv = Tensor.of(cpu, new float[] {1.5f, 0.5f, 2f}, 3).keep();
    GradCheck.check("batchNorm eval", in -> F.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1f, 1e-5f), x, w, b);
    Tensor x2 = param(-2, 3, 6, 4);
    GradCheck.check("batchNorm [N, C], no affine", in -> F.batchNorm(in[0], null, null, null, null, true, 0.1f, 1e-5f), x2);

    // Training output: zero mean, unit variance per channel; running stats moved by momentum.
    BatchNorm2d bn = new BatchNorm2d(3);
    Tensor y;
    try (Grad g = Grad.off()) {
      y = bn.forward(x);
    }
    float[] yv = y.toArray();
    for (int c = 0; c < 3; c++) {
      double s = 0;
      double s2 = 0;
      for (int n = 0; n < 4; n++) {
        for (int i = 0; i < 6; i++) {
          double e = yv[(n * 3 + c) * 6 + i];
          s += e;
          s2 += e * e;
        }
      }
      assertEquals(0, s / 24, 1e-5);
      assertEquals(1, s2 / 24, 1e-3);
    }
    float[] xv = x.toArray();
    double mean0 = 0;
    for (int n = 0; n < 4; n++) for (int i = 0; i < 6; i++) mean0 += xv[(n * 3) * 6 + i];
    mean0 /= 24;
    assertEquals(0.1 * mean0, bn.runningMean().toArray()[0], 1e-5);
    assertTrue(bn.stateDict().containsKey("runningVar"));
    assertEquals(2, bn.parameters().size());
    bn.close();
  }

  @Test
  void dropoutMasksAndGradient() {
    Tensor x = param(0.5f, 1.5f, 1000);
    Tensor y = F.dropout(x, 0.25f, true, new Generator(3));
    float[] xv = x.toArray();
    float[] yv = y.toArray();
    int zeros = 0;
    for (int i = 0; i < yv.length; i++) {
      if (yv[i] == 0) zeros++;
      else assertEquals(xv[i] / 0.75f, yv[i], 1e-5f);
    }
    assertTrue(zeros > 200 && zeros < 300, "dropped " + zeros + " of 1000 with p = 0.25");
    // Same generator state, same mask: the gradient check sees a fixed function.
    GradCheck.check("dropout", in -> F.dropout(in[0], 0.5f, true, new Generator(11)), param(-1, 1, 3, 7));
    assertSame(x, F.dropout(x, 0.5f, false, gen));
    Dropout d = new Dropout(0.5f);
    d.eval();
    assertSame(x, d.forward(x));
    d.train();
    assertNotEquals(x, d.forward(x));
  }

  @Test
  void modulesGradients() {
    Generator g = new Generator(5);
    Conv2d conv = new Conv2d(2, 3, 3, 1, 1, 1, 1, true, cpu, g);
    Tensor x = param(-1, 1, 2, 2, 5, 5);
    GradCheck.check("Conv2d module", in -> conv.forward(in[0]), x);
    ResidualBlock identity = new ResidualBlock(2, 2, 1, cpu, g);
    ResidualBlock projected = new ResidualBlock(2, 4, 2, cpu, g);
    assertTrue(projected.hasProjection());
    assertArrayEquals(new long[] {2, 4, 3, 3}, projected.forward(x).shape());
    GradCheck.check("ResidualBlock identity", 1e-3f, 5e-3, 5e-2, in -> identity.forward(in[0]), x);
    GradCheck.check("ResidualBlock projection", 1e-3f, 5e-3, 5e-2, in -> projected.forward(in[0]), x);
    Module head = new dev.nerve.nn.Sequential(new MaxPool2d(2), new AvgPool2d(1), new AdaptiveAvgPool2d(1, 1), new Flatten());
    assertArrayEquals(new long[] {2, 2}, head.forward(x).shape());
    assertEquals(identity.parameters().size(), 6);
    assertEquals(projected.parameters().size(), 9);
    assertEquals(projected.stateDict().size(), 9 + 6);
    conv.close();
    identity.close();
    projected.close();
  }

  @Test
  void badInput() {
    Tensor x = Tensor.zeros(cpu, 64, 3, 28, 28);
    Tensor w = Tensor.zeros(cpu, 32, 1, 5, 5);
    var e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(x, w, null, 1, 0));
    assertEquals("conv2d: input has 3 channels but weight expects 1 (input [64, 3, 28, 28], weight [32, 1, 5, 5])", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(cpu, 1, 1, 3, 3), w, null, 1, 0));
    assertTrue(e.getMessage().contains("the 5x5 kernel (dilation 1x1) does not fit the 3x3 input with padding 0x0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(cpu, 1, 1, 9, 9), w, null, 0, 0));
    assertEquals("conv2d: stride must be >= 1, got 0x0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(cpu, 3, 28, 28), w, null, 1, 0));
    assertTrue(e.getMessage().startsWith("conv2d: input must be 4-D [N, C, H, W], got [3, 28, 28]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(cpu, 1, 1, 9, 9), w, Tensor.zeros(cpu, 3), 1, 0));
    assertTrue(e.getMessage().startsWith("conv2d: bias must be [32], got [3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(Tensor.zeros(cpu, 1, 1, 2, 2), 3));
    assertTrue(e.getMessage().contains("the 3x3 kernel does not fit the 2x2 input"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(Tensor.zeros(cpu, 1, 1, 8, 8), 2, 2, 2, false));
    assertTrue(e.getMessage().contains("padding 2x2 must be at most half the kernel 2x2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> F.adaptiveAvgPool2d(Tensor.zeros(cpu, 1, 1, 7, 7), 2, 2));
    assertTrue(e.getMessage().contains("the input 7x7 must be a multiple of the output 2x2"), e.getMessage());
    BatchNorm2d bn = new BatchNorm2d(4);
    e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(cpu, 2, 3, 4, 4)));
    assertEquals("BatchNorm2d: input has 3 channels but the layer has 4 (input [2, 3, 4, 4])", e.getMessage());
    var s = assertThrows(IllegalStateException.class, () -> bn.forward(Tensor.zeros(cpu, 1, 4, 1, 1)));
    assertTrue(s.getMessage().contains("call eval()"), s.getMessage());
    bn.eval();
    assertArrayEquals(new long[] {1, 4, 1, 1}, bn.forward(Tensor.zeros(cpu, 1, 4, 1, 1)).shape());
    bn.close();
    e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f));
    assertEquals("Dropout: p must be in [0, 1), got 1.5", e.getMessage());
    Tensor closed = Tensor.zeros(cpu, 1, 1, 4, 4);
    closed.close();
    assertThrows(IllegalStateException.class, () -> F.maxPool2d(closed, 2));
  }
}
