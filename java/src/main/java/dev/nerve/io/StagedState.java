package dev.nerve.io;

/**
 * An optimizer state that was checked and copied into new tensors but not yet installed: the
 * first half of an all-or-nothing load ({@link StatefulOptimizer#stageStateDict}). {@link
 * Checkpoint#load} stages the model and every optimizer first and commits only when all of them
 * staged, so an error in any leaves all of them as they were.
 */
public interface StagedState extends AutoCloseable {
  /**
   * Installs the staged state (tensors, step count, learning rate) and frees the one it replaces.
   * Allocates nothing and checks nothing, so it does not fail. At most once.
   *
   * @throws IllegalStateException when already committed or closed
   */
  void commit();

  /** Frees the staged tensors unless they were committed. Idempotent. */
  @Override
  void close();
}
