package dev.nerve.examples;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG files of training curves (XChart, rendered headless) and of image grids (javax.imageio).
 * Each file is written to a temporary file and renamed, so a reader never sees half a picture.
 */
public final class Plots {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /**
   * A line chart of one or more series against 1, 2, 3, ... (epochs, episodes); series with no
   * values are skipped, NaNs are left out.
   */
  public static void lines(Path png, String title, String xTitle, String yTitle, Map<String, double[]> series)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(720).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
    chart.getStyler().setLegendVisible(series.size() > 1);
    chart.getStyler().setDecimalPattern("#,##0.####");
    boolean any = false;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      double[] y = e.getValue();
      int n = 0;
      for (double v : y) if (Double.isFinite(v)) n++;
      if (n == 0) continue;
      double[] xs = new double[n];
      double[] ys = new double[n];
      for (int i = 0, j = 0; i < y.length; i++) {
        if (!Double.isFinite(y[i])) continue;
        xs[j] = i + 1;
        ys[j++] = y[i];
      }
      XYSeries s = chart.addSeries(e.getKey(), xs, ys);
      s.setMarker(n <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      any = true;
    }
    if (!any) return;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(chart, bytes, BitmapEncoder.BitmapFormat.PNG);
    write(png, bytes.toByteArray());
  }

  /**
   * A grid of grey images (values in [0, 1], row-major, each rows x cols), cols across, with a
   * one-pixel border, scaled up by scale.
   */
  public static void imageGrid(Path png, float[] pixels, int count, int rows, int cols, int across, int scale)
      throws IOException {
    int down = (count + across - 1) / across;
    int cell = 1 + cols * scale;
    int cellH = 1 + rows * scale;
    BufferedImage img = new BufferedImage(across * cell + 1, down * cellH + 1, BufferedImage.TYPE_BYTE_GRAY);
    var raster = img.getRaster();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) raster.setSample(x, y, 0, 96);
    }
    for (int k = 0; k < count; k++) {
      int ox = (k % across) * cell + 1;
      int oy = (k / across) * cellH + 1;
      for (int r = 0; r < rows * scale; r++) {
        for (int c = 0; c < cols * scale; c++) {
          float v = pixels[k * rows * cols + (r / scale) * cols + c / scale];
          int g = Math.round(255 * Math.max(0f, Math.min(1f, v)));
          raster.setSample(ox + c, oy + r, 0, g);
        }
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    write(png, bytes.toByteArray());
  }

  private static void write(Path png, byte[] bytes) throws IOException {
    Path target = png.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
