package dev.nerve.data;

import dev.nerve.Device;
import dev.nerve.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Batches of a dataset as tensors on a device: features [B, ...exampleShape] (f32) and labels
 * [B] (i32). With shuffle, each epoch draws a new permutation from (seed, epoch), so runs with
 * the same seed see the same batches. The last batch is partial unless dropLast.
 *
 * <p>Each {@link Batch} owns its two tensors: close it (or open it inside a {@code Scope}).
 *
 * <p>Threads: a loader is not synchronised; iterate it from one thread at a time (each
 * {@link #iterator()} starts the next epoch). The batches are built on the iterating thread.
 */
public final class DataLoader implements Iterable<DataLoader.Batch> {
  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final boolean dropLast;
  private final Device device;
  private int epoch;

  /**
   * @param batchSize examples per batch (&gt; 0)
   * @param shuffle draws a new order each epoch from (seed, epoch); else the dataset's order
   * @param seed the shuffling seed
   * @param dropLast leaves out the last batch when it is partial
   * @param device where the batch tensors are made
   * @throws IllegalArgumentException for a null dataset or device or a batch size that is not positive
   */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast, Device device) {
    if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset is null");
    if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
    if (device == null) throw new IllegalArgumentException("DataLoader: device is null");
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.device = device;
  }

  /** Keeps the partial last batch; batches on the default device. */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed) {
    this(dataset, batchSize, shuffle, seed, false, Device.defaultDevice());
  }

  /** Number of batches per epoch. */
  public int batches() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The number of examples per batch (the last may have fewer). */
  public int batchSize() {
    return batchSize;
  }

  /** One epoch; each call starts the next epoch's permutation. */
  @Override
  public Iterator<Batch> iterator() {
    int[] order = permutation(epoch++);
    return new Iterator<>() {
      private int next;
      private final int count = batches();

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        int start = next * batchSize;
        int end = Math.min(start + batchSize, order.length);
        next++;
        return load(order, start, end);
      }
    };
  }

  private int[] permutation(int epochIndex) {
    int n = dataset.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    if (shuffle) {
      SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epochIndex);
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  private Batch load(int[] order, int start, int end) {
    long[] ex = dataset.exampleShape();
    int exampleSize = 1;
    for (long s : ex) exampleSize *= (int) s;
    int b = end - start;
    float[] x = new float[b * exampleSize];
    int[] y = new int[b];
    for (int i = 0; i < b; i++) {
      dataset.features(order[start + i], x, i * exampleSize);
      y[i] = dataset.label(order[start + i]);
    }
    long[] shape = new long[ex.length + 1];
    shape[0] = b;
    System.arraycopy(ex, 0, shape, 1, ex.length);
    return new Batch(Tensor.of(device, x, shape), Tensor.ofInts(device, y, b));
  }

  /** Features and labels of one batch. */
  public record Batch(Tensor x, Tensor y) implements AutoCloseable {
    /** The number of examples in this batch. */
    public int size() {
      return (int) y.size(0);
    }

    @Override
    public void close() {
      x.close();
      y.close();
    }
  }
}
