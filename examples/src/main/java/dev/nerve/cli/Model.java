package dev.nerve.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One row of {@code nerve train}'s table ({@link Models}): a model's name and help text, its
 * defaults, the shared options it refuses, its own options with their checks, and how it trains.
 * The row is filled fluently once, when {@link Models} loads, and only read afterwards; a fresh
 * picocli command is made from it on every run ({@link ModelCommand#commandLine}), since picocli's
 * option specs hold the parsed values.
 */
final class Model {
  /** A check of option values; it throws through {@link ModelCommand#check} (exit code 2). */
  interface Check {
    void check(ModelCommand c);
  }

  /** Trains and reports; returns the exit code. */
  interface Trainer {
    int train(ModelCommand c, ModelCommand.Job job) throws Exception;
  }

  /** Trains and reports; the exit code is 0 (the model's own report says how well it learned). */
  interface Runner {
    void run(ModelCommand c, ModelCommand.Job job) throws Exception;
  }

  /** An option of this model alone (--hidden, --text, ...), listed in help after the shared ones. */
  record Option(String name, String label, Class<?> type, String description) {
    OptionSpec spec() {
      return OptionSpec.builder(name).paramLabel(label).type(type).description(description).build();
    }
  }

  final String name;
  final String[] description;
  /** Default values by option name ("--epochs" -> "20"); --device, --out, --seed, --threads have common ones. */
  final Map<String, String> defaults = new HashMap<>();
  /** Shared options this model has no use for, with the reason; refused in this order. */
  final Map<String, String> notUsed = new LinkedHashMap<>();
  final List<Option> options = new ArrayList<>();
  /** Run after the shared options' checks, in the order the row lists them. */
  final List<Check> checks = new ArrayList<>();
  private Trainer trainer;

  /** description: the first line is the one {@code nerve train --help} lists. */
  Model(String name, String... description) {
    this.name = name;
    this.description = description;
  }

  /** Pairs of option name and default value. */
  Model defaults(String... nameValue) {
    for (int i = 0; i < nameValue.length; i += 2) defaults.put(nameValue[i], nameValue[i + 1]);
    return this;
  }

  /** Pairs of option name and the reason this model refuses it. */
  Model notUsed(String... nameReason) {
    for (int i = 0; i < nameReason.length; i += 2) notUsed.put(nameReason[i], nameReason[i + 1]);
    return this;
  }

  Model option(String optionName, String label, Class<?> type, String optionDescription) {
    options.add(new Option(optionName, label, type, optionDescription));
    return this;
  }

  /** An int option whose help shows its default and whose value must lie in [min, max]. */
  Model intOption(String optionName, String label, String optionDescription, int min, int max) {
    option(optionName, label, int.class, optionDescription + " (default: ${DEFAULT-VALUE}).");
    return check(c -> {
      int v = c.intValue(optionName);
      c.check(v >= min && v <= max, optionName + " must be in [" + min + ", " + max + "], got " + v);
    });
  }

  Model check(Check check) {
    checks.add(check);
    return this;
  }

  Model trains(Trainer t) {
    trainer = t;
    return this;
  }

  Model runs(Runner r) {
    return trains((c, job) -> {
      r.run(c, job);
      return 0;
    });
  }

  int train(ModelCommand c, ModelCommand.Job job) throws Exception {
    return trainer.train(c, job);
  }
}
