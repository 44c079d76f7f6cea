package dev.nerve.nn;

import dev.nerve.Tensor;

/**
 * Dot-product attention (Luong, Pham and Manning 2015), optionally scaled:
 * score(q, k_s) = q · k_s (times 1/sqrt(D) when scaled), weights = softmax_s(score),
 * context = Σ_s weights_s value_s. No parameters.
 *
 * <p>Shapes: query [B, D], keys [B, S, D], values [B, S, Dv], mask [B, S] or null; context [B, Dv],
 * weights [B, S].
 */
public final class LuongAttention extends Module {
  private final long dim;
  private final boolean scaled;

  /**
   * @param dim D, the size of query and keys
   * @param scaled multiplies the scores by 1/sqrt(D)
   */
  public LuongAttention(long dim, boolean scaled) {
    this.dim = dim;
    this.scaled = scaled;
  }

  /** Context [B, Dv] and weights [B, S] for one query per batch row; mask may be null. */
  public AttentionOutput forward(Tensor query, Tensor keys, Tensor values, Tensor mask) {
    Attention.check("LuongAttention", query, dim, keys, dim, values, mask);
    long b = query.size(0);
    long s = keys.size(1);
    Tensor scores = keys.matmul(query.unsqueeze(2)).reshape(b, s);  // [B, S, D] x [B, D, 1]
    if (scaled) scores = scores.mul((float) (1.0 / Math.sqrt(dim)));
    return Attention.finish(scores, values, mask);
  }

  @Override
  public Tensor forward(Tensor input) {
    throw new UnsupportedOperationException("LuongAttention: call forward(query, keys, values, mask)");
  }
}
