/**
 * The JavaCPP bindings of {@code native/include/nerve.h} ({@code dev.nerve.bindings.Nerve},
 * generated at build time from the preset {@code dev.nerve.presets.NerveConfig}). Only the
 * library's internal ops layer calls them. The native libraries come in the platform jar
 * ({@code nerve-presets-VERSION-linux-x86_64.jar}, automatic module
 * {@code dev.nerve.presets.linux.x86_64}).
 */
module dev.nerve.presets {
  requires transitive org.bytedeco.javacpp;

  exports dev.nerve.bindings;
  exports dev.nerve.presets;
}
