package dev.nerve;

/**
 * What a recurrent layer returns: output, the top layer's h at every step ([T, B, H], or
 * [B, T, H] batch-first), and the final states h and c ([layers, B, H] for {@code nn.RNN},
 * {@code nn.LSTM}, {@code nn.GRU}; [B, H] for the functional one-layer forms). c is null except
 * for the LSTM.
 */
public record RecurrentOutput(Tensor output, Tensor h, Tensor c) {
  /** The final state as an {@link LstmState} (LSTM only). */
  public LstmState state() {
    if (c == null) throw new IllegalStateException("state: only an LSTM has a cell state; use h()");
    return new LstmState(h, c);
  }
}
