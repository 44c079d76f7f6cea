package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** Mean cross-entropy from logits [N, C] and i32 labels [N] (softmax and loss fused). */
public final class CrossEntropyLoss {
  public Tensor forward(Tensor logits, Tensor labels) {
    return F.crossEntropy(logits, labels);
  }
}
