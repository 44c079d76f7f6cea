package dev.nerve.docs;

import dev.nerve.*;

public class GuideTensors {
  public static float[] main() {
    Device cpu = Device.cpu();
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.of(cpu, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // shape [2, 3], f32
      Tensor w = Tensor.ones(cpu, 3, 1).requiresGrad(true);            // a leaf that records
      Tensor y = x.matmul(w).square().sum();                            // sum((x w)^2) = 6^2 + 15^2
      y.backward();                                                     // dy/dw = 2 x^T (x w)
      float loss = y.item();                                            // 261
      float[] grad = w.grad().toArray();                                // [132, 174, 216]
      try (Grad g = Grad.off()) {                                       // no graph is recorded here
        Tensor z = x.mul(2f).add(1f);                                   // z.requiresGrad() is false
      }
      return new float[] {loss, grad[0], grad[1], grad[2]};
    }
  }
}
