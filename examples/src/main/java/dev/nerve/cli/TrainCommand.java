package dev.nerve.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** {@code nerve train <model>}: one subcommand per model, each with its own defaults. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train one of the example models and report how well it learned.",
    synopsisSubcommandLabel = "<model>",
    commandListHeading = "%nModels:%n",
    footer = {"", "Run 'nerve train <model> --help' for a model's options and their defaults."},
    subcommands = {PerceptronCommand.class, XorCommand.class, MnistMlpCommand.class, DqnCommand.class, GanCommand.class,
        CharLstmCommand.class, AddingProblemCommand.class, Seq2SeqCommand.class, MnistCnnCommand.class, ResNetCommand.class, AutoencoderCommand.class})
final class TrainCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing model; choose one of: " + Main.commandNames(spec.commandLine()));
  }
}
