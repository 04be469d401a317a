package dev.joule.engine.train;

import dev.joule.engine.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the training curves as a PNG: train and dev loss per frame (top) and dev phone error
 * rate (bottom) against the epoch, with java.awt off screen (headless, no display needed).
 */
public final class TrainingPlot {
  private static final int WIDTH = 720;
  private static final int PANEL = 260;
  private static final int MARGIN = 60;
  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color DEV = new Color(0xd62728);
  private static final Color PER = new Color(0x2ca02c);

  private TrainingPlot() {}

  /** Writes the plot of {@code history} to {@code file} (replaced atomically). */
  public static void write(List<EpochStats> history, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, 2 * PANEL + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int n = history.size();
      double[] epochs = new double[n];
      double[] train = new double[n];
      double[] dev = new double[n];
      double[] per = new double[n];
      for (int i = 0; i < n; i++) {
        EpochStats s = history.get(i);
        epochs[i] = s.epoch();
        train[i] = s.trainLoss();
        dev[i] = s.devLoss();
        per[i] = 100 * s.devPer();
      }
      panel(g, MARGIN / 2, "loss per frame (blue: train, red: dev)", epochs, new double[][] {train, dev}, new Color[] {TRAIN, DEV});
      panel(g, PANEL + MARGIN + MARGIN / 2, "dev phone error rate (%)", epochs, new double[][] {per}, new Color[] {PER});
    } finally {
      g.dispose();
    }
    AtomicFiles.write(file, tmp -> {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
    });
  }

  private static void panel(Graphics2D g, int top, String title, double[] x, double[][] series, Color[] colors) {
    int left = MARGIN;
    int right = WIDTH - MARGIN / 2;
    int bottom = top + PANEL;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] s : series) {
      for (double v : s) {
        if (Double.isFinite(v)) {
          minY = Math.min(minY, v);
          maxY = Math.max(maxY, v);
        }
      }
    }
    if (!(minY <= maxY)) {
      minY = 0;
      maxY = 1;
    }
    if (maxY - minY < 1e-9) {
      maxY = minY + 1;
    }
    double maxX = Math.max(1, x.length == 0 ? 1 : x[x.length - 1]);
    g.setColor(Color.BLACK);
    g.drawString(title, left, top - 6);
    g.drawRect(left, top, right - left, PANEL);
    for (int k = 0; k <= 4; k++) {
      double v = minY + (maxY - minY) * k / 4;
      int y = bottom - (int) Math.round(PANEL * k / 4.0);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left + 1, y, right - 1, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.3g", v), 4, y + 4);
    }
    g.drawString("epoch " + (int) maxX, right - 60, bottom + 16);
    g.drawString("1", left, bottom + 16);
    g.setStroke(new BasicStroke(2f));
    for (int s = 0; s < series.length; s++) {
      g.setColor(colors[s]);
      int px = -1;
      int py = -1;
      for (int i = 0; i < x.length; i++) {
        if (!Double.isFinite(series[s][i])) {
          continue;
        }
        int cx = left + (int) Math.round((right - left) * (maxX <= 1 ? 0.5 : (x[i] - 1) / (maxX - 1)));
        int cy = bottom - (int) Math.round(PANEL * (series[s][i] - minY) / (maxY - minY));
        g.fillOval(cx - 3, cy - 3, 6, 6);
        if (px >= 0) {
          g.drawLine(px, py, cx, cy);
        }
        px = cx;
        py = cy;
      }
    }
    g.setStroke(new BasicStroke(1f));
  }
}
