package dev.nerve.cli;

import dev.nerve.examples.DqnCartPole;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code nerve train dqn-cartpole}. */
@Command(name = "dqn-cartpole", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Deep Q-learning balances a pole on a cart (CartPole-v1).")
final class DqnCommand extends ModelCommand {
  @Override
  Map<String, String> defaults() {
    return Map.of("--epochs", "40", "--lr", "0.0005", "--batch-size", "64", "--threads", "1");
  }

  @Override
  Map<String, String> notUsed() {
    return Map.of("--data", "the agent collects its own experience from the cart-pole simulation");
  }

  @Override
  int train(Job job) throws Exception {
    DqnCartPole.Result r = DqnCartPole.train(DqnCartPole.Config.defaults(epochs, batchSize, lr, seed, job.device()),
        job.out(), job.output(), job.resume());
    return 0;
  }
}
