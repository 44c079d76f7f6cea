package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * Additive attention (Bahdanau, Cho and Bengio 2015):
 * score(q, k_s) = v^T tanh(W_q q + b + W_k k_s), weights = softmax_s(score), context = Σ_s weights_s value_s.
 *
 * <p>Shapes: query [B, Dq] (the decoder state), keys [B, S, Dk], values [B, S, Dv] (usually the
 * encoder outputs, keys == values), mask [B, S] or null (0 marks padding, which gets no weight);
 * context [B, Dv], weights [B, S]. The keys' projection W_k k can be computed once per sequence
 * with {@link #projectKeys} and passed to {@link #forwardProjected}. Initialisation: uniform in
 * ±1/sqrt(fan in), as torch.nn.Linear.
 */
public final class BahdanauAttention extends Module {
  private final long queryDim;
  private final long keyDim;
  private final Linear wq;
  private final Linear wk;
  private final Tensor v;

  /**
   * @param queryDim Dq, the size of the query (the decoder state)
   * @param keyDim Dk, the size of each key
   * @param attnDim the size of the hidden layer of the score (W_q, W_k: [attnDim, D], v: [attnDim])
   */
  public BahdanauAttention(long queryDim, long keyDim, long attnDim, Device device, Generator gen) {
    this.queryDim = queryDim;
    this.keyDim = keyDim;
    try {
      wq = registerModule("query", new Linear(queryDim, attnDim, true, device, gen));
      wk = registerModule("key", new Linear(keyDim, attnDim, false, device, gen));
      v = registerParameter("v", Tensor.empty(device, DType.F32, attnDim, 1));
      float k = (float) (1.0 / Math.sqrt(attnDim));
      try (Grad g = Grad.off()) {
        v.fillUniform(gen, -k, k);
      }
    } catch (RuntimeException | Error e) {
      close();  // frees the projections made before the failure
      throw e;
    }
  }

  /** W_k keys [B, S, attnDim], reusable for every decoder step over the same keys. */
  public Tensor projectKeys(Tensor keys) {
    return wk.forward(keys);
  }

  /** Context [B, Dv] and weights [B, S] for one query per batch row; mask may be null. */
  public AttentionOutput forward(Tensor query, Tensor keys, Tensor values, Tensor mask) {
    Attention.check("BahdanauAttention", query, queryDim, keys, keyDim, values, mask);
    return forwardProjected(query, projectKeys(keys), values, mask);
  }

  /** As {@link #forward} with the keys already projected by {@link #projectKeys}. */
  public AttentionOutput forwardProjected(Tensor query, Tensor projectedKeys, Tensor values, Tensor mask) {
    long b = query.size(0);
    long s = projectedKeys.size(1);
    Tensor e = projectedKeys.add(wq.forward(query).unsqueeze(1)).tanh();  // [B, S, A]
    Tensor scores = e.matmul(v).reshape(b, s);
    return Attention.finish(scores, values, mask);
  }

  /** Not used alone: attention needs a query, keys and values. */
  @Override
  public Tensor forward(Tensor input) {
    throw new UnsupportedOperationException("BahdanauAttention: call forward(query, keys, values, mask)");
  }
}
