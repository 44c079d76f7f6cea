package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir
  Path dir;

  /** A w x h image of one colour, written as format (png or jpg). */
  private static Path solid(Path file, int w, int h, int rgb, String format) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
    assertTrue(ImageIO.write(img, format, file.toFile()));
    return file;
  }

  @Test
  void classesAreSubfoldersAndImagesAreResizedToCHWInZeroOne() throws IOException {
    solid(dir.resolve("red/a.png"), 10, 7, 0xFF0000, "png");
    solid(dir.resolve("red/b.JPG"), 3, 3, 0xFF0000, "jpg");
    solid(dir.resolve("blue/x.png"), 4, 4, 0x0000FF, "png");
    Files.writeString(dir.resolve("blue/notes.txt"), "skipped");
    Files.writeString(dir.resolve("README"), "not a class");
    ImageFolder rgb = ImageFolder.load(dir, 5, 6, ImageFolder.Color.RGB);
    assertEquals(List.of("blue", "red"), rgb.classes());
    assertEquals(3, rgb.size());
    assertArrayEquals(new long[] {3, 5, 6}, rgb.exampleShape());
    assertEquals(0, rgb.label(0));
    assertEquals(1, rgb.label(2));
    float[] x = new float[90];
    rgb.features(1, x, 0); // red/a.png
    assertEquals(1f, x[0]);
    assertEquals(0f, x[30]);
    assertEquals(0f, x[89]);
    rgb.features(2, x, 0); // red/b.JPG: JPEG is lossy, so nearly red
    assertEquals(1f, x[7], 0.05f);
    assertEquals(0f, x[37], 0.05f);
    ImageFolder grey = ImageFolder.load(dir, 2, 2, ImageFolder.Color.GREY);
    float[] g = new float[4];
    grey.features(0, g, 0); // blue
    assertEquals(0.114f, g[3], 1e-3f);
  }

  @Test
  void unreadableImagesAndEmptyFoldersAreErrorsNamingThem() throws IOException {
    solid(dir.resolve("a/ok.png"), 4, 4, 0x808080, "png");
    Path broken = Files.write(Files.createDirectories(dir.resolve("b")).resolve("broken.png"), new byte[] {1, 2, 3, 4});
    DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.load(dir, 4, 4, ImageFolder.Color.GREY));
    assertEquals(broken, e.file());
    assertTrue(e.getMessage().startsWith(broken.toString() + ":"), e.getMessage());
    Files.delete(broken);
    DataFormatException empty = assertThrows(DataFormatException.class, () -> ImageFolder.load(dir, 4, 4, ImageFolder.Color.GREY));
    assertEquals(dir.resolve("b") + ": no .png, .jpg or .jpeg images in this class folder", empty.getMessage());
    Path flat = Files.createDirectories(dir.resolve("flat"));
    solid(flat.resolve("x.png"), 2, 2, 0, "png").toFile();
    Files.delete(flat.resolve("x.png"));
    assertTrue(assertThrows(DataFormatException.class, () -> ImageFolder.load(flat, 4, 4, ImageFolder.Color.RGB))
        .getMessage().contains("no class subfolders"));
    assertThrows(FileNotFoundException.class, () -> ImageFolder.load(dir.resolve("none"), 4, 4, ImageFolder.Color.RGB));
  }
}
