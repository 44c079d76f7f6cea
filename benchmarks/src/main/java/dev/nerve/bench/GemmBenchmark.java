package dev.nerve.bench;

import dev.nerve.Device;
import dev.nerve.Tensor;
import dev.nerve.internal.Tensors;
import dev.nerve.internal.ops.Gemm;
import dev.nerve.internal.ops.Operand;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-precision GEMM, Nerve's {@code nv_gemm_f32} beside OpenBLAS {@code cblas_sgemm}, 2 threads
 * each, on the shapes of issue 4. C = A B (alpha 1, beta 0), row-major, contiguous.
 *
 * <p>A shape is {@code MxNxK} with an optional transpose suffix ({@code _NT}, {@code _TN},
 * {@code _TT}: op(A), op(B)) or a batch prefix ({@code b64_64x64x64}: 64 strided products, Nerve's
 * {@code nv_gemm_strided_batched_f32}, OpenBLAS a loop of {@code cblas_sgemm} since the Java
 * preset does not map {@code cblas_sgemm_batch_strided}). The score is time per call;
 * {@link GemmReport} turns it into GFLOP/s. {@code isa=avx2} forces Nerve's AVX2 kernels; for
 * OpenBLAS the ISA is an environment variable ({@code OPENBLAS_CORETYPE}), which {@code
 * ci/bench-gemm} sets per run. Each side runs in its own fork, so only one library does work in a JVM.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class GemmBenchmark {
  public static final String[] SHAPES = {
    "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
    "128x512x784", "128x256x512", "128x10x256", "512x1024x4096", "32x1024x256", "3136x64x576",
    "1024x1024x1024_NT", "1024x1024x1024_TN", "1024x1024x1024_TT", "b64_64x64x64",
  };

  @Param({
    "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
    "128x512x784", "128x256x512", "128x10x256", "512x1024x4096", "32x1024x256", "3136x64x576",
    "1024x1024x1024_NT", "1024x1024x1024_TN", "1024x1024x1024_TT", "b64_64x64x64",
  })
  public String shape;

  /** native: the best ISA the CPU has; avx2: Nerve forced to its AVX2 kernels. */
  @Param({"native"})
  public String isa;

  public static final int THREADS = 2;

  /** A parsed shape: batch count, sizes, transposes. */
  public record Shape(int batch, int m, int n, int k, boolean ta, boolean tb) {
    public static Shape parse(String s) {
      // No commas: JMH's -p splits its values on them.
      int batch = 1;
      if (s.startsWith("b")) {
        int u = s.indexOf('_');
        batch = Integer.parseInt(s.substring(1, u));
        s = s.substring(u + 1);
      }
      boolean ta = false, tb = false;
      int u = s.indexOf('_');
      if (u >= 0) {
        ta = s.charAt(u + 1) == 'T';
        tb = s.charAt(u + 2) == 'T';
        s = s.substring(0, u);
      }
      String[] p = s.split("x");
      return new Shape(batch, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), ta, tb);
    }

    public double flops() {
      return 2.0 * batch * m * n * k;
    }

    int lda() {
      return ta ? m : k;
    }

    int ldb() {
      return tb ? k : n;
    }
  }

  private Shape s;
  // Nerve
  private Device device;
  private Tensor a, b, c;
  private Operand oa, ob, oc;  // their layouts, for the kernel calls
  // OpenBLAS
  private FloatPointer pa, pb, pc;
  private FloatPointer[] batchA, batchB, batchC;  // the matrices of a batch, made once

  private static float[] values(int n, int period, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (i % period) * scale - 0.5f;
    return v;
  }

  @Setup(Level.Trial)
  public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
    s = Shape.parse(shape);
    float[] av = values(s.batch * s.m * s.k, 7, 0.25f);
    float[] bv = values(s.batch * s.k * s.n, 5, 0.5f);
    if (params.getBenchmark().endsWith(".nerve")) {
      device = Device.cpu(THREADS);
      if (isa.equals("avx2")) Tensors.context(device).setIsa(1);  // NV_ISA_AVX2
      a = Tensor.of(device, av, av.length);
      b = Tensor.of(device, bv, bv.length);
      c = Tensor.zeros(device, s.batch * s.m * s.n);
      oa = Tensors.data(a);
      ob = Tensors.data(b);
      oc = Tensors.data(c);
    } else {
      String core = System.getenv("OPENBLAS_CORETYPE");
      if (isa.equals("avx2") && !"Haswell".equalsIgnoreCase(core))
        throw new IllegalStateException("isa=avx2 compares with OpenBLAS under OPENBLAS_CORETYPE=Haswell");
      openblas.blas_set_num_threads(THREADS);
      pa = new FloatPointer(av);
      pb = new FloatPointer(bv);
      pc = new FloatPointer(new float[s.batch * s.m * s.n]);
      batchA = new FloatPointer[s.batch];
      batchB = new FloatPointer[s.batch];
      batchC = new FloatPointer[s.batch];
      for (int i = 0; i < s.batch; i++) {
        batchA[i] = pa.getPointer((long) i * s.m * s.k);
        batchB[i] = pb.getPointer((long) i * s.k * s.n);
        batchC[i] = pc.getPointer((long) i * s.m * s.n);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (device != null) {
      a.close();
      b.close();
      c.close();
    } else {
      pa.close();
      pb.close();
      pc.close();
    }
  }

  @Benchmark
  public Tensor nerve() {
    if (s.batch == 1) {
      Gemm.gemm(s.m, s.n, s.k, 1f, oa, s.ta, s.lda(), ob, s.tb, s.ldb(), 0f, oc, s.n);
    } else {
      Gemm.gemmBatched(s.batch, s.m, s.n, s.k, 1f, oa, s.ta, s.lda(), (long) s.m * s.k, ob, s.tb, s.ldb(),
          (long) s.k * s.n, 0f, oc, s.n, (long) s.m * s.n);
    }
    return c;
  }

  @Benchmark
  public FloatPointer openblas() {
    int ta = s.ta ? openblas.CblasTrans : openblas.CblasNoTrans;
    int tb = s.tb ? openblas.CblasTrans : openblas.CblasNoTrans;
    if (s.batch == 1) {
      openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, s.m, s.n, s.k, 1f, pa, s.lda(), pb, s.ldb(), 0f, pc, s.n);
    } else {
      for (int i = 0; i < s.batch; i++) {
        openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, s.m, s.n, s.k, 1f, batchA[i], s.lda(), batchB[i],
            s.ldb(), 0f, batchC[i], s.n);
      }
    }
    return pc;
  }
}
