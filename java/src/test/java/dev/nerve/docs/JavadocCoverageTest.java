package dev.nerve.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type, constructor, method and field of the published packages has a Javadoc
 * comment, except an {@code @Override} (it inherits its comment). doclint's "missing" group
 * cannot be switched on in the build (it also wants an {@code @param} for every obvious
 * argument), so this keeps the rule that matters: no public member without a comment.
 */
class JavadocCoverageTest {
  static final List<String> PACKAGES = List.of("dev/nerve", "dev/nerve/nn", "dev/nerve/optim", "dev/nerve/data",
      "dev/nerve/io", "dev/nerve/cuda");
  static final Pattern PUBLIC = Pattern.compile("^\\s*public\\s.*");

  /** "File.java:line: declaration" for each public declaration without a comment in source. */
  static List<String> undocumented(String file, List<String> lines) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!PUBLIC.matcher(lines.get(i)).matches()) continue;
      int j = i;
      boolean override = false;
      while (j > 0 && lines.get(j - 1).strip().startsWith("@")) {
        override |= lines.get(j - 1).strip().equals("@Override");
        j--;
      }
      boolean documented = j > 0 && lines.get(j - 1).strip().endsWith("*/");
      if (!documented && !override) out.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
    }
    return out;
  }

  @Test
  void everyPublicMemberHasAComment() throws IOException {
    Path src = Path.of("src/main/java");
    List<String> missing = new ArrayList<>();
    for (String p : PACKAGES) {
      try (Stream<Path> files = Files.list(src.resolve(p))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).sorted().toList()) {
          missing.addAll(undocumented(src.relativize(f).toString(), Files.readAllLines(f)));
        }
      }
    }
    assertEquals(List.of(), missing, missing.size() + " public declarations have no Javadoc comment");
  }

  @Test
  void aMemberWithoutCommentIsFound() {
    List<String> lines = List.of("/** Documented. */", "public int a() {", "}", "@Override", "public String toString() {",
        "}", "public int b() {");
    assertEquals(List.of("X.java:7: public int b() {"), undocumented("X.java", lines));
  }
}
