package dev.nerve.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** {@code nerve train <model>}: one subcommand per model, each with its own defaults ({@link #addModels}). */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train one of the example models and report how well it learned.",
    synopsisSubcommandLabel = "<model>",
    commandListHeading = "%nModels:%n",
    footer = {"", "Run 'nerve train <model> --help' for a model's options and their defaults."})
final class TrainCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Adds a subcommand per row of {@link Models}. Picocli's annotations take only classes, and the
   * models are rows of one class; call it before the settings (streams, handlers, defaults) that
   * picocli copies to the subcommands present.
   */
  static void addModels(CommandLine train) {
    for (Model m : Models.ALL) train.addSubcommand(ModelCommand.commandLine(m));
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing model; choose one of: " + Main.commandNames(spec.commandLine()));
  }
}
