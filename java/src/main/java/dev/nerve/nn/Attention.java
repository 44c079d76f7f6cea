package dev.nerve.nn;

import dev.nerve.Tensor;
import java.util.Arrays;

/** The shared checks and the softmax-and-weighted-sum half of the attention modules. */
final class Attention {
  private Attention() {}

  static void check(String op, Tensor query, long dq, Tensor keys, long dk, Tensor values, Tensor mask) {
    if (query == null || keys == null || values == null) throw new IllegalArgumentException(op + ": query, keys and values must be given");
    if (query.dim() != 2 || query.size(1) != dq) {
      throw new IllegalArgumentException(op + ": query must be [B, " + dq + "] but is " + Arrays.toString(query.shape()));
    }
    long b = query.size(0);
    if (keys.dim() != 3 || keys.size(0) != b || keys.size(2) != dk) {
      throw new IllegalArgumentException(op + ": keys must be [B, S, " + dk + "] with B = " + b + " but are "
          + Arrays.toString(keys.shape()));
    }
    if (values.dim() != 3 || values.size(0) != b || values.size(1) != keys.size(1)) {
      throw new IllegalArgumentException(op + ": values must be [B, S, Dv] = [" + b + ", " + keys.size(1) + ", Dv] but are "
          + Arrays.toString(values.shape()));
    }
    if (mask != null && (mask.dim() != 2 || mask.size(0) != b || mask.size(1) != keys.size(1))) {
      throw new IllegalArgumentException(op + ": mask must be [B, S] = [" + b + ", " + keys.size(1) + "] but is "
          + Arrays.toString(mask.shape()));
    }
  }

  /** weights = softmax(scores [B, S], masked), context = weights values. */
  static AttentionOutput finish(Tensor scores, Tensor values, Tensor mask) {
    if (mask != null) {
      // Padding gets -1e9 (exp underflows to 0): scores + (mask - 1) 1e9.
      scores = scores.add(mask.sub(1f).mul(1e9f));
    }
    Tensor weights = scores.softmax(1);
    long b = values.size(0);
    Tensor context = weights.unsqueeze(1).matmul(values).reshape(b, values.size(2));
    return new AttentionOutput(context, weights);
  }
}
