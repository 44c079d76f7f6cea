package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformTest {
  private static final long[] SHAPE = {2, 2, 3};

  /** Two channels of 2x3: 1..6 and 11..16. */
  private static float[] image() {
    return new float[] {1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16};
  }

  @Test
  void normalizeUsesEachChannelsMeanAndStd() {
    float[] x = image();
    new Normalize(new float[] {1, 11}, new float[] {2, 5}).apply(x, 0, SHAPE, new SplittableRandom(0));
    assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f, 0, 0.2f, 0.4f, 0.6f, 0.8f, 1}, x, 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    assertEquals("Normalize: 1 channel means for images of shape [2, 2, 3]", assertThrows(IllegalArgumentException.class,
        () -> new Normalize(new float[] {0}, new float[] {1}).apply(image(), 0, SHAPE, new SplittableRandom(0))).getMessage());
    assertEquals("RandomShift: expects images of shape [C, H, W], got [12]", assertThrows(IllegalArgumentException.class,
        () -> new RandomShift(1).apply(image(), 0, new long[] {12}, new SplittableRandom(0))).getMessage());
  }

  @Test
  void flipMirrorsEveryRowOfEveryChannel() {
    float[] x = image();
    new HorizontalFlip(1).apply(x, 0, SHAPE, new SplittableRandom(0));
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 13, 12, 11, 16, 15, 14}, x);
    float[] y = image();
    new HorizontalFlip(0).apply(y, 0, SHAPE, new SplittableRandom(0));
    assertArrayEquals(image(), y);
  }

  @Test
  void shiftAndCropMoveTheImageAndFillTheBorder() {
    // one shift of (dy, dx) = (1, -1), checked against its definition
    float[] x = image();
    Transform.shift(x, 0, 2, 2, 3, 1, -1, -9);
    assertArrayEquals(new float[] {-9, -9, -9, 2, 3, -9, -9, -9, -9, 12, 13, -9}, x);
    // over many draws the shifts stay within the bound and every one of the 9 (dy, dx) occurs
    java.util.Set<String> seen = new java.util.HashSet<>();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 400; i++) {
      float[] one = new float[25];
      one[12] = 1; // the centre pixel of a 5x5 image
      new RandomCrop(1, 0f).apply(one, 0, new long[] {1, 5, 5}, r);
      int at = -1;
      for (int j = 0; j < 25; j++) if (one[j] == 1) at = j;
      int dy = at / 5 - 2;
      int dx = at % 5 - 2;
      assertTrue(Math.abs(dy) <= 1 && Math.abs(dx) <= 1, "moved by " + dy + "," + dx);
      seen.add(dy + "," + dx);
    }
    assertEquals(9, seen.size());
  }

  @Test
  void composeAppliesLeftToRightAndTheSameGeneratorSeedGivesTheSameResult() {
    Transform t = Transform.compose(new RandomShift(1), new HorizontalFlip(0.5), new Normalize(new float[] {1, 1}, new float[] {2, 2}));
    float[] a = image();
    float[] b = image();
    t.apply(a, 0, SHAPE, new SplittableRandom(7));
    t.apply(b, 0, SHAPE, new SplittableRandom(7));
    assertArrayEquals(a, b);
    float[] flipThenNorm = image();
    new HorizontalFlip(1).then(new Normalize(new float[] {1, 1}, new float[] {2, 2})).apply(flipThenNorm, 0, SHAPE, new SplittableRandom(0));
    assertEquals(1f, flipThenNorm[0]); // (3 - 1) / 2: flipped first
  }
}
