package dev.nerve.examples.rl;

import java.util.SplittableRandom;

/**
 * Experience replay (Mnih et al. 2013): a ring of the last capacity transitions
 * (s, a, r, s', terminated), sampled uniformly with replacement, so that consecutive, correlated
 * steps do not make up a whole mini-batch. Seeded; not thread-safe.
 */
public final class ReplayBuffer {
  private final int capacity;
  private final int obs;
  private final float[] states;
  private final float[] nextStates;
  private final int[] actions;
  private final float[] rewards;
  private final boolean[] terminals;
  private final SplittableRandom random;
  private int next;
  private int size;

  /** A sampled mini-batch: states and nextStates are [n, obs] row-major. */
  public record Batch(float[] states, int[] actions, float[] rewards, float[] nextStates, boolean[] terminals) {
    public int size() {
      return actions.length;
    }
  }

  public ReplayBuffer(int capacity, int observationSize, long seed) {
    if (capacity <= 0) throw new IllegalArgumentException("ReplayBuffer: capacity must be positive, got " + capacity);
    if (observationSize <= 0) throw new IllegalArgumentException("ReplayBuffer: observation size must be positive, got " + observationSize);
    this.capacity = capacity;
    this.obs = observationSize;
    this.states = new float[Math.multiplyExact(capacity, observationSize)];
    this.nextStates = new float[states.length];
    this.actions = new int[capacity];
    this.rewards = new float[capacity];
    this.terminals = new boolean[capacity];
    this.random = new SplittableRandom(seed);
  }

  /** Stores a transition, overwriting the oldest once full. */
  public void add(float[] state, int action, float reward, float[] nextState, boolean terminated) {
    if (state.length != obs || nextState.length != obs) {
      throw new IllegalArgumentException("ReplayBuffer.add: observations must have " + obs + " values, got " + state.length
          + " and " + nextState.length);
    }
    System.arraycopy(state, 0, states, next * obs, obs);
    System.arraycopy(nextState, 0, nextStates, next * obs, obs);
    actions[next] = action;
    rewards[next] = reward;
    terminals[next] = terminated;
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  /** n transitions drawn uniformly with replacement. */
  public Batch sample(int n) {
    if (size == 0) throw new IllegalStateException("ReplayBuffer.sample: the buffer is empty");
    if (n <= 0) throw new IllegalArgumentException("ReplayBuffer.sample: batch size must be positive, got " + n);
    Batch b = new Batch(new float[n * obs], new int[n], new float[n], new float[n * obs], new boolean[n]);
    for (int i = 0; i < n; i++) {
      int j = random.nextInt(size);
      System.arraycopy(states, j * obs, b.states(), i * obs, obs);
      System.arraycopy(nextStates, j * obs, b.nextStates(), i * obs, obs);
      b.actions()[i] = actions[j];
      b.rewards()[i] = rewards[j];
      b.terminals()[i] = terminals[j];
    }
    return b;
  }
}
