package dev.nerve.data;

import dev.nerve.Device;
import dev.nerve.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches of a dataset as tensors on a device: features [B, ...exampleShape] (f32) and labels
 * [B] (i32). With shuffle, each epoch draws a new permutation from (seed, epoch), so runs with
 * the same seed see the same batches. The last batch is partial unless dropLast.
 *
 * <p>Each {@link Batch} owns its two tensors: close it (or open it inside a {@code Scope}).
 *
 * <p><b>Transforms</b> ({@link #withTransform}): each example is transformed after it is read,
 * with a generator seeded from (seed, epoch, position in the epoch), so augmentation is the same
 * for a seed however the batches are prepared.
 *
 * <p><b>Background workers</b> ({@link #withWorkers}): batches are read and transformed on
 * {@code workers} daemon threads, at most {@code prefetch} batches ahead of the consumer; the
 * batches and their order are exactly those of the loader without workers (the dataset must then
 * be safe to read from several threads, as the in-memory datasets of this package are; a
 * dataset that draws from its own generator, like the examples' ShiftedImages, is not). The
 * prepared batches are plain Java arrays: the tensors are made on the consumer's thread when
 * {@link Epoch#next()} hands a batch out, so a batch is never owned by a worker or left unclosed
 * in a queue. An exception thrown on a worker is rethrown by {@link Epoch#next()}. Stopping
 * early: close the {@link Epoch} (try-with-resources on {@link #epoch()}), or the loader, or
 * start the next epoch: the workers are stopped and the prepared batches dropped; a loop that
 * only breaks out leaves at most {@code prefetch} batches to finish, after which the idle threads
 * end by themselves within a second.
 *
 * <p>A loader is used from one thread; its epochs run one at a time.
 */
public final class DataLoader implements Iterable<DataLoader.Batch>, AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final boolean dropLast;
  private final Device device;
  private final Transform transform;
  private final int workers;
  private final int prefetch;
  private int epoch;
  private Epoch open;

  /**
   * @param dataset the examples
   * @param batchSize examples per batch, at least 1
   * @param shuffle whether each epoch visits the examples in a new random order
   * @param seed the seed of the shuffles and of the transforms' draws
   * @param dropLast whether a last, smaller batch is left out
   * @param device where the batches' tensors are made
   * @throws IllegalArgumentException for a null dataset or device or a batch size below 1
   */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast, Device device) {
    this(dataset, batchSize, shuffle, seed, dropLast, device, null, 0, 0);
  }

  /** As above, on the default device, keeping a last partial batch. */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed) {
    this(dataset, batchSize, shuffle, seed, false, Device.defaultDevice());
  }

  private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast, Device device,
      Transform transform, int workers, int prefetch) {
    if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset is null");
    if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
    if (device == null) throw new IllegalArgumentException("DataLoader: device is null");
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.device = device;
    this.transform = transform;
    this.workers = workers;
    this.prefetch = prefetch;
  }

  /**
   * A loader like this one (same dataset, options and epoch count) that applies transform to each
   * example after reading it; null for none.
   */
  public DataLoader withTransform(Transform transform) {
    DataLoader d = new DataLoader(dataset, batchSize, shuffle, seed, dropLast, device, transform, workers, prefetch);
    d.epoch = epoch;
    return d;
  }

  /**
   * A loader like this one that prepares batches on background threads.
   *
   * @param workers threads, in [0, 256]; 0 prepares each batch on the consumer's thread when asked
   * @param prefetch batches prepared ahead of the consumer at most, in [1, 1024] (ignored for 0 workers)
   * @throws IllegalArgumentException for values out of range
   */
  public DataLoader withWorkers(int workers, int prefetch) {
    if (workers < 0 || workers > 256) throw new IllegalArgumentException("DataLoader: workers must be in [0, 256], got " + workers);
    if (workers > 0 && (prefetch < 1 || prefetch > 1024)) {
      throw new IllegalArgumentException("DataLoader: prefetch must be in [1, 1024], got " + prefetch);
    }
    DataLoader d = new DataLoader(dataset, batchSize, shuffle, seed, dropLast, device, transform, workers, prefetch);
    d.epoch = epoch;
    return d;
  }

  /** Number of batches per epoch. */
  public int batches() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** Examples per full batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Background threads preparing batches (0: none). */
  public int workers() {
    return workers;
  }

  /** One epoch; each call starts the next epoch's permutation (and closes an epoch still open). */
  @Override
  public Epoch iterator() {
    return epoch();
  }

  /** As {@link #iterator()}, typed for try-with-resources: {@code try (var e = loader.epoch()) { ... }}. */
  public Epoch epoch() {
    if (open != null) open.close();
    open = new Epoch(epoch++);
    return open;
  }

  /** Stops the open epoch's workers and drops its prepared batches; the loader stays usable. */
  @Override
  public void close() {
    if (open != null) open.close();
    open = null;
  }

  /** The number of values of one example: the product of shape. */
  static int exampleSize(long[] shape) {
    long size = 1;
    for (long s : shape) size *= s;
    if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("DataLoader: example shape " + Arrays.toString(shape) + " is too large");
    return (int) size;
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

  /** One batch's values, read and transformed, before it becomes tensors. */
  private record Host(float[] x, int[] y, long[] shape) {}

  private Host prepare(int[] order, int epochIndex, int batch) {
    long[] ex = dataset.exampleShape();
    int exampleSize = exampleSize(ex);
    int start = batch * batchSize;
    int b = Math.min(start + batchSize, order.length) - start;
    float[] x = new float[b * exampleSize];
    int[] y = new int[b];
    for (int i = 0; i < b; i++) {
      dataset.features(order[start + i], x, i * exampleSize);
      y[i] = dataset.label(order[start + i]);
      if (transform != null) {
        transform.apply(x, i * exampleSize, ex.clone(), new SplittableRandom(exampleSeed(epochIndex, start + i)));
      }
    }
    long[] shape = new long[ex.length + 1];
    shape[0] = b;
    System.arraycopy(ex, 0, shape, 1, ex.length);
    return new Host(x, y, shape);
  }

  /** A seed per (loader seed, epoch, position): mixed so neighbouring positions draw unrelated numbers. */
  private long exampleSeed(int epochIndex, int position) {
    long z = seed * 0xD1B54A32D192ED03L + epochIndex * 0x9E3779B97F4A7C15L + position * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * One pass over the data: an iterator of batches that, with workers, owns a thread pool; close
   * it to stop them early (it closes itself when the last batch has been handed out).
   */
  public final class Epoch implements Iterator<Batch>, AutoCloseable {
    private final int[] order;
    private final int index;
    private final int count = batches();
    private int next;
    private int submitted;
    private final ThreadPoolExecutor pool;
    private final ArrayDeque<Future<Host>> pending = new ArrayDeque<>();
    /** The pool's threads, so close() can join them: the pool's termination precedes their end. */
    private final List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    private boolean closed;

    private Epoch(int index) {
      this.index = index;
      this.order = permutation(index);
      if (workers > 0 && count > 0) {
        pool = new ThreadPoolExecutor(workers, workers, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "nerve-data-" + THREADS.incrementAndGet());
          t.setDaemon(true); // a program that forgets to close never hangs on exit because of us
          threads.add(t);
          return t;
        });
        pool.allowCoreThreadTimeOut(true);
        while (submitted < Math.min(prefetch, count)) submit();
      } else {
        pool = null;
      }
    }

    private void submit() {
      int b = submitted++;
      pending.add(pool.submit(() -> prepare(order, index, b)));
    }

    @Override
    public boolean hasNext() {
      return !closed && next < count;
    }

    /**
     * The next batch, as tensors on the loader's device; the caller owns (closes) it.
     *
     * @throws NoSuchElementException after the last batch or after close
     * @throws RuntimeException the exception a worker (or the dataset or transform) threw, as
     *     is for unchecked ones; the epoch is closed then
     */
    @Override
    public Batch next() {
      if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch is over" + (closed ? " (closed)" : ""));
      Host h;
      if (pool == null) {
        h = prepare(order, index, next);
      } else {
        Future<Host> f = pending.poll();
        if (submitted < count) submit();
        h = await(f);
      }
      next++;
      if (next == count) close();
      return new Batch(Tensor.of(device, h.x(), h.shape()), Tensor.ofInts(device, h.y(), h.y().length));
    }

    private Host await(Future<Host> f) {
      try {
        return f.get();
      } catch (InterruptedException e) {
        close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + (next + 1), e);
      } catch (ExecutionException e) {
        close();
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) throw r;
        if (cause instanceof Error err) throw err;
        throw new IllegalStateException("DataLoader: a worker failed on batch " + (next + 1) + ": " + cause, cause);
      } catch (CancellationException e) {
        close();
        throw new IllegalStateException("DataLoader: the epoch was closed", e);
      }
    }

    /** Batches handed out so far in this epoch. */
    public int position() {
      return next;
    }

    /**
     * Stops the workers (interrupting those mid-batch), drops the prepared batches and waits up to
     * 10 s for the threads to end (joined, not only the pool terminated). Idempotent; hasNext() is
     * false afterwards.
     */
    @Override
    public void close() {
      if (closed) return;
      closed = true;
      if (open == this) open = null;
      if (pool == null) return;
      for (Future<Host> f : pending) f.cancel(true);
      pending.clear();
      pool.shutdownNow();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        pool.awaitTermination(10, TimeUnit.SECONDS);
        // A terminated pool's last worker may still be finishing its exit: join each thread.
        synchronized (threads) {
          for (Thread t : threads) t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Features and labels of one batch. */
  public record Batch(Tensor x, Tensor y) implements AutoCloseable {
    /** Examples in the batch. */
    public int size() {
      return (int) y.size(0);
    }

    /** Frees both tensors. */
    @Override
    public void close() {
      x.close();
      y.close();
    }
  }
}
