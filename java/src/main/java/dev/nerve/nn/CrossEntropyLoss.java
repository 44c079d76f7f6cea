package dev.nerve.nn;

import dev.nerve.F;
import dev.nerve.Tensor;

/** Mean cross-entropy from logits [N, C] and i32 labels [N] (softmax and loss fused). */
public final class CrossEntropyLoss {
  /**
   * mean over rows n of -log softmax(logits[n])[labels[n]]: logits [N, C] f32, labels [N] i32 in [0, C).
   *
   * @throws IllegalArgumentException naming the row of a label outside [0, C) or shapes that disagree
   */
  public Tensor forward(Tensor logits, Tensor labels) {
    return F.crossEntropy(logits, labels);
  }
}
