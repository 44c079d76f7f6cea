package dev.nerve.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the guide's examples and checks the values their comments state. */
class GuideTest {
  @Test
  void tensorsAndAutograd() {
    assertArrayEquals(new float[] {261, 132, 174, 216}, GuideTensors.main(), 1e-4f);
  }

  @Test
  void savingAndLoading(@TempDir Path dir) throws Exception {
    assertEquals("10", GuideCheckpoint.main(dir).get("epoch"));
  }
}
