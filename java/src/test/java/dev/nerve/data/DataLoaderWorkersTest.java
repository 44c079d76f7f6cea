package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Background workers give the same batches as none, stop cleanly mid-epoch, and report failures. */
class DataLoaderWorkersTest {
  private static final Device CPU = Device.cpu(1);

  /** 37 images of [1, 6, 6] whose pixels say which image they are, labels i % 3. */
  private static ArrayDataset images() {
    int n = 37;
    float[] x = new float[n * 36];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < 36; j++) x[i * 36 + j] = i + j / 100f;
    }
    return new ArrayDataset(x, y, 1, 6, 6);
  }

  private static final Transform AUGMENT = Transform.compose(new RandomShift(2), new HorizontalFlip(0.5),
      new RandomCrop(1, -1f), new Normalize(new float[] {0.5f}, new float[] {2f}));

  /** Every batch of `epochs` epochs as (features, labels) arrays. */
  private static List<float[]> run(DataLoader loader, int epochs) {
    List<float[]> all = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      for (DataLoader.Batch b : loader) {
        try (b) {
          all.add(b.x().toArray());
          all.add(toFloats(b.y().toIntArray()));
        }
      }
    }
    return all;
  }

  private static float[] toFloats(int[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = v[i];
    return f;
  }

  @Test
  void workersGiveTheSameAugmentedBatchesInTheSameOrderAsNone() {
    DataLoader plain = new DataLoader(images(), 5, true, 42, false, CPU).withTransform(AUGMENT);
    List<float[]> expected = run(plain, 3);
    for (int workers : new int[] {1, 3}) {
      for (int prefetch : new int[] {1, 4}) {
        DataLoader w = new DataLoader(images(), 5, true, 42, false, CPU).withTransform(AUGMENT).withWorkers(workers, prefetch);
        List<float[]> got = run(w, 3);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
          assertArrayEquals(expected.get(i), got.get(i), "batch " + i + " with " + workers + " workers, prefetch " + prefetch);
        }
      }
    }
    // the augmentation really draws: another seed gives other batches, and epochs differ
    List<float[]> other = run(new DataLoader(images(), 5, true, 43, false, CPU).withTransform(AUGMENT), 1);
    assertFalse(Arrays.equals(expected.get(0), other.get(0)));
    List<float[]> unshuffled = run(new DataLoader(images(), 37, false, 42, false, CPU).withTransform(AUGMENT), 2);
    assertFalse(Arrays.equals(unshuffled.get(0), unshuffled.get(2)), "two epochs drew the same augmentation");
  }

  /**
   * The thread counts below are of every loader in this JVM, so each test starts when the threads
   * of earlier tests' loaders are gone: an abandoned epoch's idle workers end by themselves within
   * a second (a CI run saw 2 of them still alive when the next test counted).
   */
  @BeforeEach
  void earlierLoadersThreadsHaveEnded() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (dataThreads() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(0, dataThreads(), "worker threads of an earlier test did not end within 10 s");
  }

  private static long dataThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("nerve-data-") && t.isAlive()).count();
  }

  @Test
  void closingAnEpochMidwayStopsItsThreadsAndLeavesNoLiveBytes() {
    long before = CPU.memoryStats().liveBytes();
    DataLoader loader = new DataLoader(images(), 4, true, 1, false, CPU).withTransform(AUGMENT).withWorkers(3, 2);
    try (DataLoader.Epoch epoch = loader.epoch()) {
      for (int i = 0; i < 3; i++) {
        try (DataLoader.Batch b = epoch.next()) {
          assertEquals(4, b.size());
        }
      }
      assertTrue(dataThreads() > 0, "the workers should be running mid-epoch");
    }
    assertEquals(0, dataThreads(), "worker threads left after closing the epoch");
    assertEquals(before, CPU.memoryStats().liveBytes(), "live bytes after stopping mid-epoch");

    // a plain for-each that breaks out: the next epoch (or close()) stops the abandoned one
    for (DataLoader.Batch b : loader) {
      b.close();
      break;
    }
    assertTrue(dataThreads() > 0);
    int batches = 0;
    for (DataLoader.Batch b : loader) {
      try (b) {
        batches++;
      }
    }
    assertEquals(10, batches);
    assertEquals(0, dataThreads(), "threads left after an epoch ran to the end");
    for (DataLoader.Batch b : loader) {
      b.close();
      break;
    }
    loader.close();
    assertEquals(0, dataThreads(), "threads left after closing the loader");
    assertEquals(before, CPU.memoryStats().liveBytes());
  }

  @Test
  void anExceptionOnAWorkerSurfacesInTheConsumerAndStopsTheEpoch() {
    RuntimeException boom = new IllegalStateException("example 20 is broken");
    AtomicInteger reads = new AtomicInteger();
    Dataset base = images();
    Dataset failing = new Dataset() {
      @Override
      public int size() {
        return base.size();
      }

      @Override
      public long[] exampleShape() {
        return base.exampleShape();
      }

      @Override
      public void features(int index, float[] dst, int offset) {
        reads.incrementAndGet();
        if (index == 20) throw boom;
        base.features(index, dst, offset);
      }

      @Override
      public int label(int index) {
        return base.label(index);
      }
    };
    long live = CPU.memoryStats().liveBytes();
    DataLoader loader = new DataLoader(failing, 4, false, 0, false, CPU).withWorkers(2, 3);
    DataLoader.Epoch epoch = loader.epoch();
    int handed = 0;
    RuntimeException e = null;
    while (epoch.hasNext()) {
      try (DataLoader.Batch b = epoch.next()) {
        handed++;
      } catch (RuntimeException x) {
        e = x;
        break;
      }
    }
    assertSame(boom, e);
    assertEquals(5, handed, "batches 1-5 (examples 0-19) come before the failing one");
    assertFalse(epoch.hasNext());
    assertEquals(0, dataThreads());
    assertEquals(live, CPU.memoryStats().liveBytes());
    assertThrows(java.util.NoSuchElementException.class, epoch::next);
  }

  @Test
  void badSettingsAreRefused() {
    DataLoader l = new DataLoader(images(), 4, false, 0, false, CPU);
    assertThrows(IllegalArgumentException.class, () -> l.withWorkers(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> l.withWorkers(2, 0));
    assertNotEquals(0, l.withWorkers(2, 1).workers());
  }
}
