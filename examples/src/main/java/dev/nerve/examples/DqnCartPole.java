package dev.nerve.examples;

import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.HuberLoss;
import dev.nerve.nn.Linear;
import dev.nerve.nn.ReLU;
import dev.nerve.nn.Sequential;
import dev.nerve.optim.Adam;
import dev.nerve.optim.Clipping;
import dev.nerve.optim.Optimizer;
import dev.nerve.examples.rl.CartPole;
import dev.nerve.examples.rl.Environment;
import dev.nerve.examples.rl.ReplayBuffer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * Deep Q-learning (Mnih et al. 2013/2015) on cart-pole.
 *
 * <pre>
 * Q(s) = MLP 4-128-128-2 (ReLU)            one value per action
 * act:    a = random with probability eps (1 -> epsEnd over the first epsSteps steps), else argmax Q(s)
 * store:  (s, a, r, s', terminated) in a replay buffer
 * learn:  every step, a batch of B transitions from the buffer:
 *         y    = r + gamma * (1 - terminated) * max_a' Qtarget(s', a')     (no gradient)
 *         loss = Huber(Q(s)[a], y)     Q(s)[a] = sum(Q(s) * onehot(a), 1)
 *         clip the gradient's norm to 10, Adam step
 * every C steps: Qtarget = Q
 * </pre>
 *
 * An "epoch" is 1,000 environment steps. After each, 10 greedy episodes score the network; the
 * best-scoring weights are kept and judged at the end on 100 fresh greedy episodes.
 */
public final class DqnCartPole {
  /** Hyper-parameters. */
  public record Config(int epochs, int batchSize, float lr, long seed, Device device, int stepsPerEpoch, float gamma,
      int bufferSize, int warmup, int targetSync, float epsEnd, int epsSteps, float clipNorm, int hidden) {
    public static Config defaults(int epochs, int batchSize, float lr, long seed, Device device) {
      return new Config(epochs, batchSize, lr, seed, device, 1000, 0.99f, 50_000, 1000, 500, 0.05f, 10_000, 10f, 128);
    }
  }

  /** Average greedy return over the final evaluation episodes, and the training episodes' returns. */
  public record Result(double evalReturn, int evalEpisodes, double bestEpochScore, List<Double> episodeReturns,
      double lastLoss) {}

  /** The classic mark: CartPole-v0 counted as solved at an average return of 195 over 100 episodes. */
  public static final double TARGET = 195;

  private DqnCartPole() {}

  public static Sequential qNetwork(int obs, int actions, int hidden, Device device, Generator gen) {
    return new Sequential(new Linear(obs, hidden, true, device, gen), new ReLU(),
        new Linear(hidden, hidden, true, device, gen), new ReLU(), new Linear(hidden, actions, true, device, gen));
  }

  public static Result train(Config c, PrintWriter out, RunOutput output, Path resume) throws IOException {
    return train(c, CartPole::new, out, output, resume);
  }

  /** Trains on environments made by envs (from a seed): any {@link Environment} with a vector observation. */
  public static Result train(Config c, LongFunction<Environment> envs, PrintWriter out, RunOutput output, Path resume)
      throws IOException {
    Device device = c.device();
    Environment env = envs.apply(c.seed());
    int obs = env.observationSize();
    int nActions = env.actionCount();
    Generator gen = new Generator(c.seed());
    try (Sequential q = qNetwork(obs, nActions, c.hidden(), device, gen);
        Sequential target = qNetwork(obs, nActions, c.hidden(), device, gen);
        Sequential best = qNetwork(obs, nActions, c.hidden(), device, gen);
        Adam optimizer = new Adam(q.parameters(), c.lr())) {
      out.printf(Locale.ROOT, "DQN on %s: Q = MLP %d-%d-%d-%d (ReLU), %,d parameters%n", env.getClass().getSimpleName(), obs,
          c.hidden(), c.hidden(), nActions, q.parameterCount());
      out.printf(Locale.ROOT, "Adam lr %s, batch %d, gamma %s, replay %,d, target sync every %d steps, eps 1 -> %s over %,d"
          + " steps, Huber loss, grad norm clip %s, %d epochs x %,d steps, seed %d, %s%n", c.lr(), c.batchSize(), c.gamma(),
          c.bufferSize(), c.targetSync(), c.epsEnd(), c.epsSteps(), c.clipNorm(), c.epochs(), c.stepsPerEpoch(), c.seed(),
          device);
      Map<String, Optimizer> optimizers = Map.of(Checkpoint.OPTIMIZER, optimizer);
      int startEpoch = 1;
      if (resume != null) {
        startEpoch = RunOutput.epochOf(output.resume(resume, q, optimizers)) + 1;
        out.printf(Locale.ROOT, "resumed from %s after epoch %d (the replay buffer starts empty)%n", resume, startEpoch - 1);
      }
      copy(q, target);
      copy(q, best);
      double bestScore = Double.NEGATIVE_INFINITY;
      ReplayBuffer buffer = new ReplayBuffer(c.bufferSize(), obs, c.seed() + 1);
      SplittableRandom explore = new SplittableRandom(c.seed() + 2 + 1_000_003L * startEpoch);
      long step = (long) (startEpoch - 1) * c.stepsPerEpoch();
      long warmupUntil = step + c.warmup();
      float[] state = env.reset();
      double episodeReturn = 0;
      List<Double> returns = new ArrayList<>();
      double lastLoss = Double.NaN;
      float[] onehot = new float[c.batchSize() * nActions];
      float[] y = new float[c.batchSize()];
      for (int epoch = startEpoch; epoch <= c.epochs(); epoch++) {
        long t0 = System.nanoTime();
        double lossSum = 0;
        int lossCount = 0;
        int episodesBefore = returns.size();
        for (int k = 0; k < c.stepsPerEpoch(); k++, step++) {
          float eps = epsilon(c, step);
          int action = explore.nextDouble() < eps ? explore.nextInt(nActions) : greedy(q, state, device);
          Environment.Step st = env.step(action);
          buffer.add(state, action, st.reward(), st.observation(), st.terminated());
          episodeReturn += st.reward();
          state = st.observation();
          if (st.done()) {
            returns.add(episodeReturn);
            output.record("episode return", episodeReturn);
            episodeReturn = 0;
            state = env.reset();
          }
          if (step >= warmupUntil) {
            ReplayBuffer.Batch b = buffer.sample(c.batchSize());
            lossSum += learn(c, q, target, optimizer, b, onehot, y, nActions, obs);
            lossCount++;
          }
          if ((step + 1) % c.targetSync() == 0) copy(q, target);
        }
        double score = evaluate(q, envs, 10, 7_000_000L + epoch, device);
        double loss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
        if (lossCount > 0) lastLoss = loss;
        List<Double> recent = returns.subList(episodesBefore, returns.size());
        double meanReturn = recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        output.record("loss", loss);
        output.record("greedy return", score);
        boolean isBest = score > bestScore;
        if (isBest) {
          bestScore = score;
          copy(q, best);
        }
        output.checkpoint(q, optimizers, epoch, score, Map.of("seed", Long.toString(c.seed())));
        out.printf(Locale.ROOT, "epoch %d/%d  steps %,d  eps %.3f  episodes %d (mean return %.1f)  loss %.4f  greedy return"
            + " %.1f%s  %.2f s%n", epoch, c.epochs(), step, epsilon(c, step), recent.size(), meanReturn, loss, score,
            isBest ? " *" : "", (System.nanoTime() - t0) / 1e9);
        out.flush();
      }
      if (bestScore == Double.NEGATIVE_INFINITY) copy(q, best);
      int n = 100;
      double evalReturn = evaluate(best, envs, n, 99_000_000L + c.seed(), device);
      out.printf(Locale.ROOT, "average return over %d greedy evaluation episodes: %.1f (best network, greedy score %.1f"
          + " in training)%s%n", n, evalReturn, bestScore,
          evalReturn >= TARGET ? String.format(Locale.ROOT, "; reaches the %.0f mark", TARGET)
              : String.format(Locale.ROOT, "; BELOW the %.0f mark", TARGET));
      Path png = output.plot("returns.png", "DQN on cart-pole: return of each training episode", "episode", "return",
          "episode return");
      output.plot("loss.png", "DQN on cart-pole: Huber loss per epoch (1,000 steps)", "epoch", "loss", "loss");
      output.plot("greedy-return.png", "DQN on cart-pole: mean return of 10 greedy episodes after each epoch", "epoch",
          "return", "greedy return");
      if (png != null) out.println("wrote " + png + ", loss.png, greedy-return.png and the checkpoints in " + output.dir());
      out.flush();
      return new Result(evalReturn, n, bestScore, returns, lastLoss);
    }
  }

  static float epsilon(Config c, long step) {
    double f = Math.min(1.0, (double) step / c.epsSteps());
    return (float) (1.0 + f * (c.epsEnd() - 1.0));
  }

  /** One gradient step on a replayed batch; returns its loss. */
  private static double learn(Config c, Sequential q, Sequential target, Adam optimizer, ReplayBuffer.Batch b,
      float[] onehot, float[] y, int nActions, int obs) {
    Device device = c.device();
    int n = b.size();
    try (Scope s = Scope.open()) {
      float[] next;
      try (Grad g = Grad.off()) {
        next = target.forward(Tensor.of(device, b.nextStates(), n, obs)).toArray();
      }
      java.util.Arrays.fill(onehot, 0f);
      for (int i = 0; i < n; i++) {
        float max = Float.NEGATIVE_INFINITY;
        for (int a = 0; a < nActions; a++) max = Math.max(max, next[i * nActions + a]);
        y[i] = b.rewards()[i] + (b.terminals()[i] ? 0f : c.gamma() * max);
        onehot[i * nActions + b.actions()[i]] = 1f;
      }
      optimizer.zeroGrad();
      Tensor qs = q.forward(Tensor.of(device, b.states(), n, obs));
      Tensor taken = F.sum(F.mul(qs, Tensor.of(device, onehot, n, nActions)), 1, false);
      Tensor loss = HuberLoss.huber(taken, Tensor.of(device, y, n), 1f);
      loss.backward();
      Clipping.clipGradNorm(q.parameters(), c.clipNorm());
      optimizer.step();
      return loss.item();
    }
  }

  private static int greedy(Sequential q, float[] state, Device device) {
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      float[] v = q.forward(Tensor.of(device, state, 1, state.length)).toArray();
      int best = 0;
      for (int a = 1; a < v.length; a++) if (v[a] > v[best]) best = a;
      return best;
    }
  }

  /** Mean return of episodes greedy episodes, all run side by side (one batched forward per step). */
  public static double evaluate(Sequential q, LongFunction<Environment> envs, int episodes, long seed, Device device) {
    Environment[] e = new Environment[episodes];
    float[][] states = new float[episodes][];
    boolean[] done = new boolean[episodes];
    double total = 0;
    int obs = 0;
    for (int i = 0; i < episodes; i++) {
      e[i] = envs.apply(seed * 1_000L + i);
      states[i] = e[i].reset();
      obs = states[i].length;
    }
    int running = episodes;
    while (running > 0) {
      float[] x = new float[running * obs];
      int[] index = new int[running];
      for (int i = 0, j = 0; i < episodes; i++) {
        if (done[i]) continue;
        System.arraycopy(states[i], 0, x, j * obs, obs);
        index[j++] = i;
      }
      float[] v;
      int nActions;
      try (Scope s = Scope.open(); Grad g = Grad.off()) {
        Tensor out = q.forward(Tensor.of(device, x, running, obs));
        nActions = (int) out.size(1);
        v = out.toArray();
      }
      for (int j = 0; j < index.length; j++) {
        int best = 0;
        for (int a = 1; a < nActions; a++) if (v[j * nActions + a] > v[j * nActions + best]) best = a;
        Environment.Step st = e[index[j]].step(best);
        total += st.reward();
        states[index[j]] = st.observation();
        if (st.done()) {
          done[index[j]] = true;
          running--;
        }
      }
    }
    return total / episodes;
  }

  private static void copy(Sequential from, Sequential to) {
    try (Grad g = Grad.off()) {
      List<Tensor> a = from.parameters();
      List<Tensor> b = to.parameters();
      for (int i = 0; i < a.size(); i++) b.get(i).copyFrom(a.get(i));
    }
  }
}
