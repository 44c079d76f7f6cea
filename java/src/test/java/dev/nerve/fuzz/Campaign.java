package dev.nerve.fuzz;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Info;
import dev.nerve.Scope;
import dev.nerve.Tensor;
import dev.nerve.nn.Module;
import dev.nerve.optim.Optimizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One seeded fuzz campaign in this JVM: random public-API calls on a pool of live tensors,
 * modules, optimizers and scopes (the actions are in {@link Actions}), each call judged by the
 * {@link Oracle}; a background thread allocates tensors it never closes and calls System.gc()
 * (the Cleaner safety net running concurrently); at the end everything is closed and the
 * devices' live bytes are compared with the start.
 *
 * <p>The call sequence depends only on the seed (the background thread's timing does not steer
 * it), so a failure is reproduced by running its seed again.
 */
final class Campaign {
  /** Calls per block; the background GC thread runs in even blocks and pauses in odd ones, when error-path leaks are measured. */
  static final int BLOCK = 500;
  static final int POOL = 48;
  /** -Dfuzz.profile=true: the time spent per op, printed as FUZZ-TIME lines (where a slow campaign spends it). */
  static final boolean PROFILE = Boolean.getBoolean("fuzz.profile");
  /** The runner's own test: -Dfuzz.crashAt=N halts the JVM at call N, -Dfuzz.hangAt=N makes call N sleep for ever. */
  private static final long CRASH_AT = Long.getLong("fuzz.crashAt", -1);
  private static final long HANG_AT = Long.getLong("fuzz.hangAt", -1);

  final Random r;
  final Oracle oracle;
  final Device cpu;
  final Device sim;
  final double simFraction;
  final Generator gen;
  final List<Tensor> pool = new ArrayList<>();
  final List<Module> modules = new ArrayList<>();
  final List<Optimizer> optimizers = new ArrayList<>();
  final List<Scope> scopes = new ArrayList<>();
  final GcThread gc;
  private final Actions actions;
  volatile long callStartNanos;
  volatile String currentCall = "";

  Campaign(long seed, double simFraction, PrintStream out, boolean log) {
    this.r = new Random(seed);
    this.oracle = new Oracle(seed, out, log);
    this.cpu = Device.cpu();
    this.sim = simFraction > 0 && Info.cudaSimAvailable() ? Device.cudaSim() : null;
    this.simFraction = sim == null ? 0 : simFraction;
    this.gen = new Generator(seed);
    this.gc = new GcThread(cpu, seed);
    this.actions = new Actions(this);
  }

  // ------------------------------------------------------------------ the run

  /** Runs until `calls` calls were made, then closes everything and measures the residue. */
  Residue run(long calls) throws InterruptedException {
    warmUp(cpu);
    if (sim != null) warmUp(sim);
    long[] start = {cpu.memoryStats().liveBytes(), sim == null ? 0 : sim.memoryStats().liveBytes(),
        cpu.memoryStats().liveAllocations(), sim == null ? 0 : sim.memoryStats().liveAllocations()};
    gc.start();
    long block = -1;
    while (oracle.calls < calls) {
      long b = oracle.calls / BLOCK;
      if (b != block) {
        block = b;
        gc.setPaused(b % 2 == 1);
      }
      try {
        actions.next();
      } catch (RuntimeException | Error e) {
        // a library call the fuzzer made outside call(): judged all the same
        if (Oracle.documented(e)) oracle.expected("(unguarded)", e);
        else oracle.fail("undocumented", "(unguarded)", "an action threw " + e, e);
      }
    }
    gc.finish();
    closeEverything();
    return new Residue(settle(cpu) - start[0], cpu.memoryStats().liveAllocations() - start[2],
        sim == null ? 0 : settle(sim) - start[1], sim == null ? 0 : sim.memoryStats().liveAllocations() - start[3]);
  }

  /**
   * A GPU context keeps a scratch block once an op needed one (cuda-sim's crossEntropy takes
   * 4 KiB): allocate it before the start is measured, so it does not count as a leak.
   */
  private void warmUp(Device d) {
    try (Scope s = Scope.open()) {
      dev.nerve.F.crossEntropy(Tensor.zeros(d, 2, 3), Tensor.ofInts(d, new int[] {0, 2}, 2)).item();
    }
  }

  record Residue(long cpuBytes, long cpuAllocations, long simBytes, long simAllocations) {}

  private void closeEverything() {
    for (Optimizer o : optimizers) runQuietly(o::close);
    for (Module m : modules) runQuietly(m::close);
    if (!scopes.isEmpty()) runQuietly(scopes.get(0)::close); // closes the inner ones too
    for (Tensor t : pool) runQuietly(t::close);
    optimizers.clear();
    modules.clear();
    scopes.clear();
    pool.clear();
  }

  private void runQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      oracle.expected("cleanup", e);
    }
  }

  /** Live bytes once the Cleaner has freed what became unreachable (stable over two readings). */
  static long settle(Device d) throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 40; i++) {
      System.gc();
      Thread.sleep(25);
      long now = d.memoryStats().liveBytes();
      if (now == last) return now;
      last = now;
    }
    return last;
  }

  // ------------------------------------------------------------------ one judged call

  interface Body<T> {
    T run() throws Throwable;
  }

  /**
   * Makes one API call: invalid, when not null, says why the fuzzer made it invalid on purpose
   * (it must throw); measure asks for the error-path leak check (a single op, no scope open,
   * the GC thread paused). Returns the result, or null when it threw.
   */
  <T> T call(String op, String args, String invalid, boolean measure, Body<T> body) {
    String description = op + "(" + args + ")" + (invalid == null ? "" : "  [invalid: " + invalid + "]");
    oracle.begin(description);
    currentCall = description;
    callStartNanos = System.nanoTime();
    boolean leakCheck = measure && scopes.isEmpty() && gc.isPaused();
    if (leakCheck) oracle.measured++;
    long before = leakCheck ? live() : 0;
    if (oracle.calls == CRASH_AT) Runtime.getRuntime().halt(134);
    if (oracle.calls == HANG_AT) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      T result = body.run();
      if (invalid != null) oracle.fail("accepted-invalid", op, description + " returned normally", null);
      return result;
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) throw (VirtualMachineError) t;
      if (Oracle.documented(t)) {
        oracle.expected(op, t);
        if (leakCheck) {
          long grown = live() - before;
          if (grown > 0) oracle.leak(op, description, grown);
        }
      } else {
        oracle.fail("undocumented", op, description + " threw " + t.getClass().getName(), t);
      }
      return null;
    } finally {
      if (PROFILE) oracle.time(op, System.nanoTime() - callStartNanos);
      callStartNanos = 0;
    }
  }

  /** A side computation disagrees with the library's result. */
  void wrong(String op, String detail) {
    oracle.fail("wrong-result", op, detail, null);
  }

  private long live() {
    return cpu.memoryStats().liveBytes() + (sim == null ? 0 : sim.memoryStats().liveBytes());
  }

  // ------------------------------------------------------------------ the pool

  Device device() {
    return sim != null && r.nextDouble() < simFraction ? sim : cpu;
  }

  /** Adds a result to the pool; a full pool drops one: closed, or left to the garbage collector. */
  void add(Tensor t) {
    if (t == null) return;
    pool.add(t);
    if (pool.size() > POOL) {
      Tensor old = pool.remove(r.nextInt(pool.size()));
      if (r.nextBoolean()) old.close();
    }
  }

  /** A pool tensor (perhaps closed), or a fresh small one when the pool is empty. */
  Tensor pick() {
    if (pool.isEmpty() || r.nextInt(20) == 0) {
      Tensor t = Tensor.rand(device(), gen, -2, 2, smallShape());
      add(t);
      return t;
    }
    return pool.get(r.nextInt(pool.size()));
  }

  /** A small shape: rank 0..4, some zero-size, at most 4096 elements. */
  long[] smallShape() {
    int rank = r.nextInt(5);
    long[] s = new long[rank];
    long n = 1;
    for (int i = 0; i < rank; i++) {
      long[] choices = {1, 1, 2, 2, 3, 3, 4, 5, 7, 8, 16, 0};
      s[i] = choices[r.nextInt(r.nextInt(40) == 0 ? choices.length : choices.length - 1)];
      n *= Math.max(1, s[i]);
      if (n > 4096) s[i] = 1;
    }
    return s;
  }

  /** Mostly a small shape; sometimes one with a negative size, one too large to allocate, or one whose element count overflows. */
  long[] anyShape() {
    int k = r.nextInt(100);
    long[] s = smallShape();
    if (k < 3 && s.length > 0) s[r.nextInt(s.length)] = -1 - r.nextInt(3);
    else if (k < 5) s = new long[] {1L << 21, 1L << 21};          // 16 TiB: no allocator has it
    else if (k < 7) s = new long[] {1L << 40, 1L << 40, 1L << 40}; // the element count overflows a long
    return s;
  }

  static String invalidShape(long[] s) {
    long n = 1;
    for (long d : s) {
      if (d < 0) return "negative size in " + Arrays.toString(s);
    }
    try {
      for (long d : s) n = Math.multiplyExact(n, d);
    } catch (ArithmeticException e) {
      return "element count of " + Arrays.toString(s) + " overflows";
    }
    if (n > (1L << 40)) return "shape " + Arrays.toString(s) + " cannot be allocated";
    return null;
  }

  float value() {
    switch (r.nextInt(12)) {
      case 0: return Float.NaN;
      case 1: return r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
      case 2: return r.nextBoolean() ? 3e38f : -3e38f;
      case 3: return r.nextBoolean() ? 0f : -0f;
      case 4: return Float.MIN_VALUE;
      case 5: return 1e7f;
      default: return (float) (r.nextGaussian() * 3);
    }
  }

  static String d(Tensor t) {
    if (t == null) return "null";
    return Arrays.toString(t.shape()) + " " + t.dtype() + (t.device().name().equals("cpu") ? "" : " " + t.device())
        + (t.isClosed() ? " CLOSED" : "");
  }

  /** Why an op on these tensors is invalid regardless of shapes: a closed one, or two devices. */
  static String closedOrMixed(Tensor... ts) {
    Device dev = null;
    for (Tensor t : ts) {
      if (t == null) continue;
      if (t.isClosed()) return "closed tensor";
      if (dev != null && !dev.equals(t.device())) return "tensors on two devices";
      dev = t.device();
    }
    return null;
  }

  static String notF32(Tensor... ts) {
    for (Tensor t : ts) {
      if (t != null && t.dtype() != DType.F32) return "i32 tensor where f32 is required";
    }
    return null;
  }

  static String first(String... reasons) {
    for (String s : reasons) {
      if (s != null) return s;
    }
    return null;
  }

  static String dimOutOfRange(int dim, int ndim) {
    if (ndim == 0 && (dim == 0 || dim == -1)) return null; // PyTorch accepts these on a 0-D tensor: not flagged
    return dim < -ndim || dim >= ndim ? "dimension " + dim + " of a " + ndim + "-D tensor" : null;
  }
}
