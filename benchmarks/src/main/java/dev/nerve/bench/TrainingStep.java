package dev.nerve.bench;

/** One side of a step benchmark, Nerve's or PyTorch's: a model that trains on one fixed batch. */
interface TrainingStep extends AutoCloseable {
  /** One training step: zero grads, forward, loss, backward, update. Returns the loss. */
  float step();

  @Override
  void close();
}
