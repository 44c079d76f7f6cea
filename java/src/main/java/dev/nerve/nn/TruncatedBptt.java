package dev.nerve.nn;

import dev.nerve.LstmState;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import java.util.function.Function;

/**
 * Truncated backpropagation through time: runs a long sequence in chunks of k steps, carries the
 * recurrent state from one chunk to the next, and cuts the graph between chunks, so memory and
 * the cost of a backward stay those of k steps however long the sequence is.
 *
 * <pre>{@code
 * LstmState last = TruncatedBptt.run(length, 64, null, (start, end, state) -> {
 *   RecurrentOutput o = lstm.forward(inputs.slice(0, start, end), state);
 *   Tensor loss = ...; opt.zeroGrad(); loss.backward(); opt.step();
 *   return o.state();                        // detached and kept for the next chunk
 * });
 * }</pre>
 *
 * Each chunk runs inside its own {@link Scope}: every tensor it makes is freed at its end except
 * the returned state, which is detached (no history) and kept until the next chunk has used it.
 */
public final class TruncatedBptt {
  private TruncatedBptt() {}

  /** One chunk: steps [start, end), the state carried in (null at the start). */
  @FunctionalInterface
  public interface Chunk<S> {
    /** Runs steps [start, end) from state (null for the first chunk) and returns the state at end. */
    S run(long start, long end, S state);
  }

  /** With an LSTM's state. Returns the final state (kept: the caller closes it). */
  public static LstmState run(long length, int k, LstmState initial, Chunk<LstmState> chunk) {
    return loop(length, k, initial, chunk, s -> new LstmState(s.h().detach().keep(), s.c().detach().keep()));
  }

  /** With one state tensor (RNN, GRU). Returns the final state (kept: the caller closes it). */
  public static Tensor runTensor(long length, int k, Tensor initial, Chunk<Tensor> chunk) {
    return loop(length, k, initial, chunk, s -> s.detach().keep());
  }

  private static <S extends Object> S loop(long length, int k, S initial, Chunk<S> chunk, Function<S, S> detachKeep) {
    if (k <= 0) throw new IllegalArgumentException("TruncatedBptt: chunk length k must be positive, got " + k);
    if (length < 0) throw new IllegalArgumentException("TruncatedBptt: length must be non-negative, got " + length);
    S state = initial;
    for (long start = 0; start < length; start += k) {
      long end = Math.min(length, start + k);
      S next;
      try (Scope scope = Scope.open()) {
        S out = chunk.run(start, end, state);
        next = out == null ? null : detachKeep.apply(out);
      }
      if (state != initial) close(state);
      state = next;
    }
    return state;
  }

  private static void close(Object state) {
    if (state instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
