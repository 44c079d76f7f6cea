package dev.nerve.examples;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.data.ArrayDataset;
import dev.nerve.data.DataLoader;
import dev.nerve.data.MnistSplit;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * The evaluation loop the digit models share: over a split in batches of 500, in order, without
 * gradients, each batch's tensors freed before the next. Switching a model to evaluation mode is
 * the caller's (the MLP, which has no dropout or batch norm, is evaluated as it stands).
 */
final class SplitEvaluation {
  private SplitEvaluation() {}

  /** The sum of batchSum over the split's batches, divided by the split's size. */
  static double mean(MnistSplit split, Device device, ToDoubleFunction<DataLoader.Batch> batchSum) {
    DataLoader loader = new DataLoader(ArrayDataset.of(split), 500, false, 0, false, device);
    double total = 0;
    try (Grad g = Grad.off()) {
      for (DataLoader.Batch batch : loader) {
        try (batch; Scope s = Scope.open()) {
          total += batchSum.applyAsDouble(batch);
        }
      }
    }
    return total / split.size();
  }

  /** Fraction of the split's examples whose arg-max logit is the label; logits: of a batch's [B, 784] rows. */
  static double accuracy(MnistSplit split, Device device, UnaryOperator<Tensor> logits) {
    // Counts are whole numbers, exact in a double: the same fraction as a long count would give.
    return mean(split, device, batch -> {
      Tensor predicted = logits.apply(batch.x()).argmax(1).toType(DType.F32);
      return (long) predicted.eq(batch.y().toType(DType.F32)).sum().item();
    });
  }
}
