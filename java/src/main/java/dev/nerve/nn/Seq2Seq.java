package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.LstmState;
import dev.nerve.RecurrentOutput;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder–decoder with additive attention (Bahdanau et al. 2015), for token sequences.
 *
 * <pre>
 * encoder:  e = Embedding_src(src) [B, S, E];  enc, (h, c) = LSTM(e, mask)        enc [B, S, H]
 * decoder step t (state (h, c), previous token y):
 *   context, w_t = BahdanauAttention(query h, keys enc, values enc, mask)
 *   gates = W_y Embedding_tgt(y) + W_c context + W_hh h + b;  (h, c) = lstmGates(gates, c)
 *   logits_t = W_o h + W_oc context                                                [B, V]
 * </pre>
 *
 * {@link #forward(Tensor, Tensor, Tensor)} runs the decoder with teacher forcing (the true previous
 * token at every step); {@link #greedy} feeds back its own argmax. src and target tokens are i32;
 * mask [B, S] is 1 on real source tokens, 0 on padding (or null).
 */
public final class Seq2Seq extends Module {
  private final long hidden;
  private final Embedding srcEmb;
  private final Embedding tgtEmb;
  private final LSTM encoder;
  private final BahdanauAttention attention;
  private final Linear inY;
  private final Linear inC;
  private final Linear inH;
  private final Linear outH;
  private final Linear outC;

  /** Teacher-forced logits [B, T, V] and attention weights [B, T, S]. */
  public record Output(Tensor logits, Tensor weights) {}

  /** Greedy decoding: tokens [B][T] and attention weights [B][T][S] on the host. */
  public record Decoded(int[][] tokens, float[][][] weights) {}

  /**
   * @param srcVocab source token count
   * @param tgtVocab target token count V
   * @param embDim E, the embedding size of both vocabularies
   * @param hidden H, the LSTM state size of encoder and decoder
   * @param attnDim the attention's hidden size
   */
  public Seq2Seq(long srcVocab, long tgtVocab, long embDim, long hidden, long attnDim, Device device, Generator gen) {
    this.hidden = hidden;
    try {
      srcEmb = registerModule("src_embedding", new Embedding(srcVocab, embDim, device, gen));
      tgtEmb = registerModule("tgt_embedding", new Embedding(tgtVocab, embDim, device, gen));
      encoder = registerModule("encoder", new LSTM(embDim, hidden, 1, true, device, gen));
      attention = registerModule("attention", new BahdanauAttention(hidden, hidden, attnDim, device, gen));
      inY = registerModule("dec_in_y", new Linear(embDim, 4 * hidden, true, device, gen));
      inC = registerModule("dec_in_context", new Linear(hidden, 4 * hidden, false, device, gen));
      inH = registerModule("dec_hh", new Linear(hidden, 4 * hidden, true, device, gen));
      outH = registerModule("out_h", new Linear(hidden, tgtVocab, true, device, gen));
      outC = registerModule("out_context", new Linear(hidden, tgtVocab, false, device, gen));
    } catch (RuntimeException | Error e) {
      close();  // frees the sub-layers made before the failure
      throw e;
    }
  }

  private final class Encoded {
    final Tensor enc;
    final Tensor keys;
    LstmState state;

    Encoded(Tensor src, Tensor mask) {
      if (src == null || src.dim() != 2) {
        throw new IllegalArgumentException("Seq2Seq: src must be [B, S] i32 tokens but is "
            + (src == null ? "null" : java.util.Arrays.toString(src.shape())));
      }
      RecurrentOutput o = encoder.forward(srcEmb.forward(src), null, mask);
      long b = src.size(0);
      enc = o.output();
      keys = attention.projectKeys(enc);
      state = new LstmState(o.h().reshape(b, hidden), o.c().reshape(b, hidden));
    }

    /** One decoder step from token embeddings y [B, E]: updates the state, returns logits. */
    Tensor step(Tensor yProj, Tensor mask, List<Tensor> weights) {
      AttentionOutput a = attention.forwardProjected(state.h(), keys, enc, mask);
      weights.add(a.weights());
      Tensor gx = yProj.add(inC.forward(a.context()));
      state = F.lstmGates(gx, inH.forward(state.h()), state.c());
      return outH.forward(state.h()).add(outC.forward(a.context()));
    }
  }

  /** Teacher forcing: tgtIn [B, T] holds the previous true token of each step (BOS first). */
  public Output forward(Tensor src, Tensor mask, Tensor tgtIn) {
    Encoded e = new Encoded(src, mask);
    if (tgtIn == null || tgtIn.dim() != 2 || tgtIn.size(0) != src.size(0)) {
      throw new IllegalArgumentException("Seq2Seq: target input must be [B, T] with B = " + src.size(0) + " but is "
          + (tgtIn == null ? "null" : java.util.Arrays.toString(tgtIn.shape())));
    }
    long b = tgtIn.size(0);
    long t = tgtIn.size(1);
    Tensor yProj = inY.forward(tgtEmb.forward(tgtIn));  // [B, T, 4H]: one GEMM for all steps
    List<Tensor> logits = new ArrayList<>();
    List<Tensor> weights = new ArrayList<>();
    for (long s = 0; s < t; s++) {
      logits.add(e.step(yProj.slice(1, s, s + 1).reshape(b, 4 * hidden), mask, weights));
    }
    return new Output(F.stack(logits, 1), F.stack(weights, 1));
  }

  /** Greedy decoding of maxLen tokens, starting from token bos. No gradient. */
  public Decoded greedy(Tensor src, Tensor mask, int bos, int maxLen) {
    try (Grad g = Grad.off(); Scope scope = Scope.open()) {
      Encoded e = new Encoded(src, mask);
      int b = (int) src.size(0);
      int[][] tokens = new int[b][maxLen];
      float[][][] w = new float[b][maxLen][];
      int[] prev = new int[b];
      java.util.Arrays.fill(prev, bos);
      for (int s = 0; s < maxLen; s++) {
        List<Tensor> weights = new ArrayList<>();
        Tensor y = inY.forward(tgtEmb.forward(Tensor.ofInts(src.device(), prev, b)));
        Tensor logits = e.step(y, mask, weights);
        int[] next = logits.argmax(1).toIntArray();
        float[] ws = weights.get(0).toArray();
        int len = (int) src.size(1);
        for (int i = 0; i < b; i++) {
          tokens[i][s] = next[i];
          w[i][s] = java.util.Arrays.copyOfRange(ws, i * len, (i + 1) * len);
        }
        prev = next;
      }
      return new Decoded(tokens, w);
    }
  }

  @Override
  public Tensor forward(Tensor input) {
    throw new UnsupportedOperationException("Seq2Seq: call forward(src, mask, tgtIn) or greedy(...)");
  }

}
