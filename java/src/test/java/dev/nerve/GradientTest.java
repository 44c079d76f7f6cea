package dev.nerve;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every differentiable op's backward against finite differences (see GradCheck). */
class GradientTest {
  private final Device cpu = Device.cpu();
  private final Generator gen = new Generator(42);

  private Tensor param(float lo, float hi, long... shape) {
    return Tensor.rand(cpu, gen, lo, hi, shape).keep().requiresGrad(true);
  }

  private void unary(String name, Function<Tensor, Tensor> f, float lo, float hi) {
    Tensor x = param(lo, hi, 3, 7);
    GradCheck.check(name, in -> f.apply(in[0]), x);
    x.close();
  }

  @Test
  void unaryOps() {
    unary("neg", Tensor::neg, -2, 2);
    unary("exp", Tensor::exp, -2, 2);
    unary("log", Tensor::log, 0.5f, 3);
    unary("sqrt", Tensor::sqrt, 0.5f, 3);
    unary("relu", Tensor::relu, -2, 2);
    unary("sigmoid", Tensor::sigmoid, -4, 4);
    unary("tanh", Tensor::tanh, -3, 3);
    unary("abs", Tensor::abs, -2, 2);
    unary("softplus", Tensor::softplus, -5, 5);
    unary("square", Tensor::square, -2, 2);
    unary("reciprocal", F::reciprocal, 0.5f, 2);
    unary("pow", x -> x.pow(2.5f), 0.5f, 2);
    unary("leakyRelu", x -> F.leakyRelu(x, 0.1f), -2, 2);
    unary("scaleShift", x -> x.mul(3f).add(1f), -2, 2);
  }

  @Test
  void binaryOpsWithBroadcasting() {
    Tensor a = param(-2, 2, 4, 5);
    Tensor row = param(-2, 2, 5);
    Tensor col = param(0.5f, 2, 4, 1);
    GradCheck.check("add[4,5]+[5]", in -> in[0].add(in[1]), a, row);
    GradCheck.check("sub[4,5]-[4,1]", in -> in[0].sub(in[1]), a, col);
    GradCheck.check("mul[4,5]*[5]", in -> in[0].mul(in[1]), a, row);
    GradCheck.check("div[4,5]/[4,1]", in -> in[0].div(in[1]), a, col);
    GradCheck.check("maximum", in -> in[0].maximum(in[1]), a, row);
    GradCheck.check("minimum", in -> in[0].minimum(in[1]), a, row);
    GradCheck.check("x*x (same input twice)", in -> in[0].mul(in[0]), a);
  }

  @Test
  void matmulAndLinear() {
    Tensor a = param(-1, 1, 5, 3);
    Tensor b = param(-1, 1, 3, 4);
    GradCheck.check("matmul", in -> in[0].matmul(in[1]), a, b);
    Tensor bt = param(-1, 1, 4, 3);
    GradCheck.check("matmul with transposed view", in -> in[0].matmul(in[1].t()), a, bt);
    Tensor at = param(-1, 1, 3, 5);
    GradCheck.check("matmul A^T B", in -> in[0].t().matmul(in[1]), at, b);
    Tensor x3 = param(-1, 1, 2, 5, 3);
    Tensor y3 = param(-1, 1, 2, 3, 4);
    GradCheck.check("bmm", in -> in[0].matmul(in[1]), x3, y3);
    GradCheck.check("[..,K]x[K,N]", in -> in[0].matmul(in[1]), x3, b);
    Tensor w = param(-1, 1, 4, 3);
    Tensor bias = param(-1, 1, 4);
    GradCheck.check("linear", in -> F.linear(in[0], in[1], in[2]), a, w, bias);
    GradCheck.check("linear no bias", in -> F.linear(in[0], in[1], null), a, w);
  }

  @Test
  void reductions() {
    Tensor x = param(-2, 2, 3, 4, 5);
    GradCheck.check("sum", in -> in[0].sum(), x);
    GradCheck.check("mean", in -> in[0].mean(), x);
    GradCheck.check("sum dim 1", in -> in[0].sum(1, false), x);
    GradCheck.check("mean dim -1 keep", in -> in[0].mean(-1, true), x);
    GradCheck.check("max dim 0", in -> in[0].max(0, false), x);
  }

  @Test
  void softmaxAndLosses() {
    Tensor x = param(-3, 3, 4, 6);
    GradCheck.check("softmax", in -> in[0].softmax(-1), x);
    GradCheck.check("logSoftmax", in -> in[0].logSoftmax(1), x);
    GradCheck.check("softmax dim 0", in -> in[0].softmax(0), x);
    Tensor labels = Tensor.ofInts(cpu, new int[] {0, 5, 2, 3}, 4).keep();
    GradCheck.check("crossEntropy", in -> F.crossEntropy(in[0], labels), x);
    Tensor target = Tensor.rand(cpu, gen, 0, 1, 4, 6).keep();
    GradCheck.check("mseLoss", in -> F.mseLoss(in[0], target), x);
    GradCheck.check("bceWithLogits", in -> F.bceWithLogits(in[0], target), x);
  }

  @Test
  void views() {
    Tensor x = param(-2, 2, 3, 4);
    GradCheck.check("reshape", in -> in[0].reshape(2, 6).mul(in[0].reshape(2, 6)), x);
    GradCheck.check("transpose", in -> in[0].t().exp(), x);
    GradCheck.check("slice", in -> in[0].slice(1, 1, 3).square(), x);
    GradCheck.check("permute", in -> in[0].reshape(3, 2, 2).permute(2, 0, 1).tanh(), x);
    GradCheck.check("unsqueeze", in -> in[0].unsqueeze(1).mul(in[0].unsqueeze(0)), x);
    GradCheck.check("contiguous of a view", in -> in[0].t().contiguous().sigmoid(), x);
  }

  @Test
  void composedNetwork() {
    Tensor x = param(-1, 1, 6, 5);
    Tensor w1 = param(-1, 1, 8, 5);
    Tensor b1 = param(-1, 1, 8);
    Tensor w2 = param(-1, 1, 3, 8);
    Tensor labels = Tensor.ofInts(cpu, new int[] {0, 1, 2, 0, 1, 2}, 6).keep();
    GradCheck.check("mlp loss", in -> F.crossEntropy(F.linear(F.linear(in[0], in[1], in[2]).tanh(), in[3], null), labels),
        x, w1, b1, w2);
  }
}
