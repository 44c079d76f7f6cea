package dev.nerve;

/**
 * The state of an LSTM cell: hidden state h and cell state c, both [B, H] (or [layers, B, H] for
 * a multi-layer {@code nn.LSTM}). Closing it closes both tensors.
 */
public record LstmState(Tensor h, Tensor c) implements AutoCloseable {
  /** The same state with the graph cut (truncated BPTT): views that record no history. */
  public LstmState detach() {
    return new LstmState(h.detach(), c.detach());
  }

  @Override
  public void close() {
    h.close();
    c.close();
  }
}
