package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library prints nothing itself: everything it has to say goes through System.Logger
 * (System.getLogger("dev.nerve...")), so the application decides where it goes. This reads the
 * library's sources (java/src/main, the working directory of this module's tests) and allows no
 * System.out, System.err or printStackTrace() without a stream.
 */
class NoDirectPrintingTest {
  private static final Pattern PRINT = Pattern.compile("System\\s*\\.\\s*(out|err)\\b|\\.printStackTrace\\(\\s*\\)");

  @Test
  void theLibrarySourcesNeverPrintDirectly() throws IOException {
    Path src = Path.of("src/main/java");
    assertTrue(Files.isDirectory(src.resolve("dev/nerve")), "run from the java module: " + src.toAbsolutePath());
    List<String> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String code = lines.get(i).replaceAll("//.*", "");
          if (code.strip().startsWith("*")) continue; // Javadoc and block comments
          if (PRINT.matcher(code).find()) hits.add(src.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertEquals(List.of(), hits, "print through System.Logger instead");
  }
}
