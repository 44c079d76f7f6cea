package dev.nerve.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java code block in README.md and docs/ is a compiled test class: the line before the block
 * is {@code <!-- snippet: PATH -->}, and the block must equal that file without its package line.
 * So an example cannot drift from code that compiles; {@link ReadmeExampleTest} and the guide's
 * tests run them.
 */
class DocSnippetsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();  // surefire runs in java/

  record Snippet(Path doc, int line, String marker, String code) {}

  static List<Snippet> snippets(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc);
    List<Snippet> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) continue;
      String marker = i > 0 ? lines.get(i - 1).strip() : "";
      StringBuilder code = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals("```")) code.append(lines.get(j++)).append('\n');
      out.add(new Snippet(doc, i + 1, marker, code.toString()));
      i = j;
    }
    return out;
  }

  static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.walk(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everyJavaBlockEqualsItsTestedSource() throws IOException {
    int checked = 0;
    for (Path doc : docs()) {
      for (Snippet s : snippets(doc)) {
        String where = ROOT.relativize(doc) + ":" + s.line();
        assertTrue(s.marker().startsWith("<!-- snippet: ") && s.marker().endsWith(" -->"),
            where + ": a ```java block needs <!-- snippet: PATH --> on the line before it");
        String path = s.marker().substring("<!-- snippet: ".length(), s.marker().length() - " -->".length());
        String source = Files.readString(ROOT.resolve(path));
        String body = source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).stripLeading();
        assertEquals(body, s.code(), where + " differs from " + path);
        checked++;
      }
    }
    assertTrue(checked >= 1, "README.md has its example");
  }

  @Test
  void aBlockWithoutMarkerIsCaught() throws IOException {
    Path tmp = Files.createTempFile("doc", ".md");
    try {
      Files.writeString(tmp, "text\n```java\nint x = 1;\n```\n");
      List<Snippet> s = snippets(tmp);
      assertEquals(1, s.size());
      assertEquals("int x = 1;\n", s.get(0).code());
      assertFalse(s.get(0).marker().startsWith("<!-- snippet:"));
    } finally {
      Files.delete(tmp);
    }
  }
}
