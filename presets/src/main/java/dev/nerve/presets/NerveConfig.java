package dev.nerve.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * The JavaCPP preset of Nerve's native core: JavaCPP parses {@code native/include/nerve.h}
 * and generates {@code dev.nerve.bindings.Nerve}. Only {@code dev.nerve.internal.ops} calls it.
 */
@Properties(
    target = "dev.nerve.bindings.Nerve",
    value = @Platform(
        value = "linux-x86_64",
        include = "nerve.h",
        link = "nerve",
        compiler = "cpp17"))
public class NerveConfig implements InfoMapper {
  @Override
  public void map(InfoMap infoMap) {
    // Include guard and export helpers are not API.
    infoMap.put(new Info("NERVE_H").skip());
  }
}
