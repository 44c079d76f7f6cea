package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.data.MnistSplit;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each augmented image must be the original moved by some (dx, dy) within the bound, zeros shifted in. */
class ShiftedImagesTest {
  static final int ROWS = 7;
  static final int COLS = 5;

  static MnistSplit randomSplit(int n) {
    SplittableRandom rnd = new SplittableRandom(1);
    float[] px = new float[n * ROWS * COLS];
    for (int i = 0; i < px.length; i++) px[i] = 0.01f + rnd.nextFloat();
    return new MnistSplit(px, new int[n], ROWS, COLS, "test");
  }

  /** The reference: the plain double loop. */
  static float[] shifted(float[] img, int dx, int dy) {
    float[] out = new float[ROWS * COLS];
    for (int r = 0; r < ROWS; r++) {
      for (int c = 0; c < COLS; c++) {
        int sr = r - dy;
        int sc = c - dx;
        out[r * COLS + c] = sr >= 0 && sr < ROWS && sc >= 0 && sc < COLS ? img[sr * COLS + sc] : 0f;
      }
    }
    return out;
  }

  @Test
  void everyReadIsAShiftWithinTheBoundAndAllShiftsOccur() {
    MnistSplit split = randomSplit(3);
    ShiftedImages data = new ShiftedImages(split, 2, 42);
    boolean[][] seen = new boolean[5][5];
    for (int k = 0; k < 300; k++) {
      int index = k % 3;
      float[] out = new float[ROWS * COLS + 2];
      data.features(index, out, 1);
      float[] img = Arrays.copyOfRange(split.images(), index * ROWS * COLS, (index + 1) * ROWS * COLS);
      float[] got = Arrays.copyOfRange(out, 1, 1 + ROWS * COLS);
      boolean matched = false;
      for (int dy = -2; dy <= 2 && !matched; dy++) {
        for (int dx = -2; dx <= 2 && !matched; dx++) {
          if (Arrays.equals(got, shifted(img, dx, dy))) {
            matched = true;
            seen[dy + 2][dx + 2] = true;
          }
        }
      }
      assertTrue(matched, "read " + k + " is no shift of image " + index + " within 2 px");
      assertTrue(out[0] == 0f && out[out.length - 1] == 0f, "wrote outside its slot");
    }
    for (boolean[] row : seen) for (boolean s : row) assertTrue(s, "some shift never drawn in 300 reads");
  }

  @Test
  void zeroShiftIsTheImage() {
    MnistSplit split = randomSplit(2);
    float[] out = new float[ROWS * COLS];
    new ShiftedImages(split, 0, 7).features(1, out, 0);
    assertArrayEquals(Arrays.copyOfRange(split.images(), ROWS * COLS, 2 * ROWS * COLS), out);
  }
}
