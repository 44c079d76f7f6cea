package dev.nerve.nn;

import dev.nerve.Tensor;
import java.util.function.UnaryOperator;

/**
 * A module without parameters that applies one function to its input (ReLU, Sigmoid, Tanh,
 * LeakyReLU, Softmax, Flatten, the pooling layers, AdaptiveAvgPool2d): forward is the function,
 * toString the name. Neither is final, so that javac gives each public subclass public bridges
 * to them (reflection finds forward on ReLU itself).
 */
abstract class FunctionModule extends Module {
  private final String name;
  private final UnaryOperator<Tensor> function;

  FunctionModule(String name, UnaryOperator<Tensor> function) {
    this.name = name;
    this.function = function;
  }

  @Override
  public Tensor forward(Tensor x) {
    return function.apply(x);
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * The pooling layers' check of their geometry and the start of their name,
   * "MaxPool2d(3x3, stride 2, padding 1" (the caller closes it).
   */
  static String poolName(String name, int kernel, int stride, int padding) {
    if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
      throw new IllegalArgumentException(name + ": invalid kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
          + " (padding at most kernel / 2)");
    }
    return name + "(" + kernel + "x" + kernel + ", stride " + stride + (padding != 0 ? ", padding " + padding : "");
  }
}
