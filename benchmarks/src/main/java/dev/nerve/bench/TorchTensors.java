package dev.nerve.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.Module;
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

  /** A 1-D Long tensor holding a copy of the labels (what cross_entropy takes as targets). */
  static Tensor fromInts(int[] labels) {
    long[] l = new long[labels.length];
    for (int i = 0; i < l.length; i++) l[i] = labels[i];
    try (LongPointer lp = new LongPointer(l)) {
      return torch.from_blob(lp, new long[] {l.length}, new TensorOptions(torch.ScalarType.Long)).clone();
    }
  }

  /** The modules' parameters, in order (as an optimizer takes them). */
  static TensorVector parameters(Module... modules) {
    TensorVector params = new TensorVector();
    for (Module m : modules) {
      for (Tensor p : m.parameters().get()) params.push_back(p);
    }
    return params;
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
