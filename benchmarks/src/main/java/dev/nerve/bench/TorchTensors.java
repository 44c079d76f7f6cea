package dev.nerve.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Moving numbers into the PyTorch side of the benchmarks (JavaCPP API). */
final class TorchTensors {
  private TorchTensors() {}

  /** A float tensor of the given shape holding a copy of data (row-major). */
  static Tensor fromFloats(float[] data, long... shape) {
    try (FloatPointer fp = new FloatPointer(data)) {
      return torch.from_blob(fp, shape, new TensorOptions(torch.ScalarType.Float)).clone();
    }
  }

  /** Overwrites params[i] with values[i] (of shapes[i]), without recording gradients. */
  static void load(TensorVector params, float[][] values, long[][] shapes) {
    try (PointerScope scope = new PointerScope(); AutoGradMode noGrad = new AutoGradMode(false)) {
      Tensor[] p = params.get();
      if (p.length != values.length) throw new IllegalStateException(p.length + " parameters, " + values.length + " given");
      for (int i = 0; i < p.length; i++) p[i].copy_(fromFloats(values[i], shapes[i]));
    }
  }
}
