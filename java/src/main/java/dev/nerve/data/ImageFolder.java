package dev.nerve.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Labelled images from a folder with one subfolder per class ({@code shapes/circle/*.png},
 * {@code shapes/square/*.jpg}, ...), decoded with {@code javax.imageio}, resized to one size and
 * held in memory as {@code [C, H, W]} floats in {@code [0, 1]} (C = 1 for {@link Color#GREY},
 * 3 for {@link Color#RGB}, channel-major, rows top to bottom).
 *
 * <p>Classes are the subfolders' names in sorted order (class {@code i} is
 * {@code classes().get(i)}); files ending in .png, .jpg or .jpeg (any case) are read, other files
 * and hidden ones are skipped. Images are resized with bilinear filtering, ignoring their aspect
 * ratio; transparent pixels are composed over black; grey is {@code 0.299 R + 0.587 G + 0.114 B}.
 *
 * <p>Immutable and thread-safe once loaded. Needs the java.desktop module (javax.imageio): on
 * the class path it is always there; on the module path add {@code --add-modules java.desktop}.
 */
public final class ImageFolder implements Dataset {
  /** The number of channels images are converted to. */
  public enum Color {
    /** One channel: luminance. */
    GREY(1),
    /** Three channels: red, green, blue. */
    RGB(3);

    private final int channels;

    Color(int channels) {
      this.channels = channels;
    }

    /** 1 or 3. */
    public int channels() {
      return channels;
    }
  }

  private final Path root;
  private final List<String> classes;
  private final List<Path> files;
  private final int[] labels;
  private final float[] pixels;
  private final int channels;
  private final int height;
  private final int width;

  private ImageFolder(Path root, List<String> classes, List<Path> files, int[] labels, float[] pixels, int channels,
      int height, int width) {
    this.root = root;
    this.classes = classes;
    this.files = files;
    this.labels = labels;
    this.pixels = pixels;
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  /**
   * Reads every image under root's class subfolders.
   *
   * @param root the folder holding one subfolder per class
   * @param height rows of every image after resizing, in [1, 4096]
   * @param width columns of every image after resizing, in [1, 4096]
   * @param color grey (1 channel) or RGB (3)
   * @throws FileNotFoundException if root does not exist or is not a folder
   * @throws DataFormatException naming the file or folder: no class subfolders, a class with no
   *     images, or a file that is not a readable PNG or JPEG image
   * @throws IOException on other read failures, or when the decoded images would not fit the Java heap
   */
  public static ImageFolder load(Path root, int height, int width, Color color) throws IOException {
    if (root == null || color == null) throw new IllegalArgumentException("ImageFolder.load: root or color is null");
    if (height < 1 || height > 4096 || width < 1 || width > 4096) {
      throw new IllegalArgumentException("ImageFolder.load: size must be in [1, 4096], got " + height + "x" + width);
    }
    if (!Files.exists(root)) throw new FileNotFoundException(root + ": no such folder");
    if (!Files.isDirectory(root)) throw new FileNotFoundException(root + " is a file; give the folder holding one subfolder per class");
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(root)) {
      classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
    if (classDirs.isEmpty()) {
      throw new DataFormatException(root, root + ": no class subfolders; put each class's images in a subfolder"
          + " named after the class (" + root + "/cat/1.png, " + root + "/dog/1.jpg, ...)");
    }
    List<String> classes = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path dir : classDirs) {
      List<Path> images;
      try (Stream<Path> s = Files.list(dir)) {
        images = s.filter(Files::isRegularFile).filter(p -> !hidden(p) && isImageName(p))
            .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
      }
      if (images.isEmpty()) throw new DataFormatException(dir, dir + ": no .png, .jpg or .jpeg images in this class folder");
      for (Path p : images) {
        files.add(p);
        labels.add(classes.size());
      }
      classes.add(dir.getFileName().toString());
    }
    int c = color.channels();
    long values = (long) files.size() * c * height * width;
    if (values > Integer.MAX_VALUE - 8) {
      throw new IOException(String.format(Locale.ROOT, "%s: %,d images of %dx%dx%d are more than one float array holds;"
          + " choose a smaller size", root, files.size(), c, height, width));
    }
    HeapRoom.require(root, String.format(Locale.ROOT, "%,d images of %dx%dx%d", files.size(), c, height, width), values * 4);
    float[] pixels = new float[(int) values];
    int size = c * height * width;
    for (int i = 0; i < files.size(); i++) {
      decode(files.get(i), height, width, color, pixels, i * size);
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    return new ImageFolder(root, List.copyOf(classes), List.copyOf(files), y, pixels, c, height, width);
  }

  private static boolean hidden(Path p) {
    return p.getFileName().toString().startsWith(".");
  }

  private static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }

  /**
   * Decodes file, resizes it and writes its [C, H, W] values in [0, 1] at dst[offset...].
   *
   * @throws DataFormatException naming the file when it is not a readable PNG or JPEG image
   */
  public static void decode(Path file, int height, int width, Color color, float[] dst, int offset) throws IOException {
    BufferedImage src;
    try {
      src = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) { // ImageIO throws IIOException, and runtime exceptions for some corrupt files
      throw new DataFormatException(file, file + ": cannot decode the image (" + e.getMessage() + ")", e);
    }
    if (src == null) {
      throw new DataFormatException(file, file + ": not a readable PNG or JPEG image");
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    int plane = height * width;
    for (int yy = 0; yy < height; yy++) {
      for (int xx = 0; xx < width; xx++) {
        int rgb = img.getRGB(xx, yy);
        float r = ((rgb >> 16) & 0xFF) / 255f;
        float gr = ((rgb >> 8) & 0xFF) / 255f;
        float b = (rgb & 0xFF) / 255f;
        int at = offset + yy * width + xx;
        if (color == Color.GREY) {
          dst[at] = 0.299f * r + 0.587f * gr + 0.114f * b;
        } else {
          dst[at] = r;
          dst[at + plane] = gr;
          dst[at + 2 * plane] = b;
        }
      }
    }
  }

  /** The folder read. */
  public Path root() {
    return root;
  }

  /** The class names (the subfolders, sorted); class {@code i} is {@code classes().get(i)}. */
  public List<String> classes() {
    return classes;
  }

  /** The image files, in example order (class by class, each sorted by name). */
  public List<Path> files() {
    return files;
  }

  @Override
  public int size() {
    return labels.length;
  }

  /** {@code [C, H, W]}. */
  @Override
  public long[] exampleShape() {
    return new long[] {channels, height, width};
  }

  @Override
  public void features(int index, float[] dst, int offset) {
    int size = channels * height * width;
    System.arraycopy(pixels, index * size, dst, offset, size);
  }

  @Override
  public int label(int index) {
    return labels[index];
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ImageFolder[%s: %,d images of %dx%dx%d, classes %s]", root, size(), channels,
        height, width, classes);
  }
}
