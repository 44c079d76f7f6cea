package dev.nerve.examples.rl;

/**
 * A reinforcement-learning environment with a vector observation and a few discrete actions,
 * in the style of Gymnasium: {@link #reset()} starts an episode, {@link #step(int)} applies an
 * action. An episode ends when the task fails or succeeds ({@code terminated}) or when it hits a
 * time limit ({@code truncated}); only termination should stop the bootstrapped value of the next
 * state. Implement it to plug your own task into {@code nerve}'s DQN.
 *
 * <p>Implementations are seeded at construction, so a run is reproducible, and need not be
 * thread-safe.
 */
public interface Environment {
  /** The length of every observation vector. */
  int observationSize();

  /** The number of actions; actions are 0 .. actionCount() - 1. */
  int actionCount();

  /** Starts a new episode and returns its first observation. */
  float[] reset();

  /**
   * Applies action and returns what followed.
   *
   * @throws IllegalArgumentException for an action outside [0, actionCount())
   * @throws IllegalStateException when called before reset() or after the episode ended
   */
  Step step(int action);

  /** The outcome of one step. */
  record Step(float[] observation, float reward, boolean terminated, boolean truncated) {
    /** True when the episode is over, for either reason. */
    public boolean done() {
      return terminated || truncated;
    }
  }
}
