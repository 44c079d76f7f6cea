package dev.nerve.cuda;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A reference path through the JavaCPP CUDA presets ({@code org.bytedeco:cuda}): cuBLAS GEMM and
 * cuDNN softmax on a Nerve CUDA device's own stream, to check Nerve's kernels against.
 *
 * <p>Loaded only on demand: nothing here touches the presets until a method is called, and
 * {@code org.bytedeco:cuda} is an optional dependency of Nerve (add it to use this class).
 * cuBLAS and cuDNN themselves come from the system ({@code LD_LIBRARY_PATH}).
 *
 * <p>Handles are created once per device and cached; calls are serialized.
 */
public final class CudaReference {
  private CudaReference() {}

  private static final Map<Integer, cublasContext> CUBLAS = new HashMap<>();
  private static final Map<Integer, cudnnContext> CUDNN = new HashMap<>();
  /** The presets loaded so far (each is loaded once, on first use). */
  private static final Set<Class<?>> LOADED = new HashSet<>();

  /** A FloatPointer at a given (device) address; never read or written from Java. */
  private static final class DevicePointer extends FloatPointer {
    DevicePointer(long address, long elements) {
      super((Pointer) null);
      this.address = address;
      this.limit = elements;
      this.capacity = elements;
    }
  }

  /** A bare pointer carrying an address (for cudaStream_t). */
  private static final class RawPointer extends Pointer {
    RawPointer(long address) {
      super((Pointer) null);
      this.address = address;
    }
  }

  /** C = A·B for contiguous row-major f32 tensors A [M, K], B [K, N], C [M, N] on one CUDA device. */
  public static synchronized void gemm(Tensor a, Tensor b, Tensor c) {
    String op = "CudaReference.gemm";
    int dev = checkCommon(op, a, b, c);
    if (a.dim() != 2 || b.dim() != 2 || c.dim() != 2) {
      throw new IllegalArgumentException(op + ": expects 2-D tensors, got a" + shape(a) + ", b" + shape(b) + ", c" + shape(c));
    }
    long m = a.size(0), k = a.size(1), n = b.size(1);
    if (b.size(0) != k || c.size(0) != m || c.size(1) != n) {
      throw new IllegalArgumentException(op + ": shapes do not fit: a" + shape(a) + " · b" + shape(b)
          + " needs c [" + m + ", " + n + "], got c" + shape(c));
    }
    checkInt(op, m, k, n);
    if (m == 0 || n == 0) return;
    cublasContext handle = cublasHandle(dev);
    check(cublas.cublasSetStream_v2(handle, stream(c.device())), "cublasSetStream_v2");
    try (FloatPointer alpha = new FloatPointer(1f);
        FloatPointer beta = new FloatPointer(0f)) {
      // Row-major C = A·B is column-major C^T = B^T·A^T: sgemm(N, M, K, B, A). With K = 0 and
      // beta = 0 cuBLAS writes zeros.
      int status = cublas.cublasSgemm_v2(handle, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N,
          (int) n, (int) m, (int) k, alpha,
          new DevicePointer(b.dataAddress(), k * n), (int) Math.max(1, n),
          new DevicePointer(a.dataAddress(), m * k), (int) Math.max(1, k), beta,
          new DevicePointer(c.dataAddress(), m * n), (int) Math.max(1, n));
      check(status, "cublasSgemm_v2");
    }
  }

  /** Row-wise softmax of x [rows, cols] into y [rows, cols] (contiguous f32, one CUDA device). */
  public static synchronized void softmax(Tensor x, Tensor y) {
    String op = "CudaReference.softmax";
    int dev = checkCommon(op, x, y);
    if (x.dim() != 2 || !Arrays.equals(x.shape(), y.shape())) {
      throw new IllegalArgumentException(op + ": expects 2-D x and y of one shape, got x" + shape(x) + ", y" + shape(y));
    }
    long rows = x.size(0), cols = x.size(1);
    checkInt(op, rows, cols);
    if (rows == 0 || cols == 0) return;
    cudnnContext handle = cudnnHandle(dev);
    checkDnn(cudnn.cudnnSetStream(handle, stream(x.device())), "cudnnSetStream");
    cudnnTensorStruct desc = new cudnnTensorStruct();
    checkDnn(cudnn.cudnnCreateTensorDescriptor(desc), "cudnnCreateTensorDescriptor");
    try (FloatPointer alpha = new FloatPointer(1f);
        FloatPointer beta = new FloatPointer(0f)) {
      checkDnn(cudnn.cudnnSetTensor4dDescriptor(desc, cudnn.CUDNN_TENSOR_NCHW, cudnn.CUDNN_DATA_FLOAT,
          (int) rows, (int) cols, 1, 1), "cudnnSetTensor4dDescriptor");
      checkDnn(cudnn.cudnnSoftmaxForward(handle, cudnn.CUDNN_SOFTMAX_ACCURATE, cudnn.CUDNN_SOFTMAX_MODE_INSTANCE,
          alpha, desc, new DevicePointer(x.dataAddress(), rows * cols),
          beta, desc, new DevicePointer(y.dataAddress(), rows * cols)), "cudnnSoftmaxForward");
    } finally {
      cudnn.cudnnDestroyTensorDescriptor(desc);
    }
  }

  // ------------------------------------------------------------------ handles and loading

  private static cublasContext cublasHandle(int dev) {
    return handle(CUBLAS, dev, cublas.class, "cuBLAS (libcublas.so) not found: install the CUDA toolkit or PyTorch's"
        + " nvidia-cublas wheel and put its lib folder on LD_LIBRARY_PATH",
        cublasContext::new, h -> check(cublas.cublasCreate_v2(h), "cublasCreate_v2"));
  }

  private static cudnnContext cudnnHandle(int dev) {
    return handle(CUDNN, dev, cudnn.class, "cuDNN (libcudnn.so) not found: install cuDNN or PyTorch's nvidia-cudnn"
        + " wheel and put its lib folder on LD_LIBRARY_PATH",
        cudnnContext::new, h -> checkDnn(cudnn.cudnnCreate(h), "cudnnCreate"));
  }

  /**
   * The device's handle from handles, made on first use: the device made current, the library's
   * presets loaded (missing: what to say when it is not installed), then the handle allocated
   * (only once the presets are, since allocating loads them too) and created. A failure caches
   * nothing.
   */
  private static <H> H handle(Map<Integer, H> handles, int dev, Class<?> presets, String missing, Supplier<H> alloc,
      Consumer<H> create) {
    return handles.computeIfAbsent(dev, d -> {
      setDevice(d);
      load(presets, missing);
      H h = alloc.get();
      create.accept(h);
      return h;
    });
  }

  /** Makes the device current on this thread (handles belong to the device current at creation). */
  private static void setDevice(int dev) {
    load(cudart.class, "the CUDA runtime (libcudart.so.13, and the driver's libcuda.so.1) not found: install"
        + " the NVIDIA driver and the CUDA toolkit or PyTorch's nvidia-cuda-runtime wheel, and put its lib folder"
        + " on LD_LIBRARY_PATH");
    int status = cudart.cudaSetDevice(dev);
    if (status != 0) {
      throw new IllegalStateException("CudaReference: cudaSetDevice(" + dev + ") failed: "
          + cudart.cudaGetErrorString(status).getString());
    }
  }

  /** Loads the presets' native library, once; missing: what to say when it is not installed. */
  private static void load(Class<?> presets, String missing) {
    if (LOADED.contains(presets)) return;
    try {
      org.bytedeco.javacpp.Loader.load(presets);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      throw new UnsupportedOperationException("CudaReference: " + missing + " (" + e + ")", e);
    }
    LOADED.add(presets);
  }

  private static CUstream_st stream(Device device) {
    return new CUstream_st(new RawPointer(device.streamHandle()));
  }

  private static void check(int status, String call) {
    if (status != cublas.CUBLAS_STATUS_SUCCESS) {
      throw new IllegalStateException("CudaReference: " + call + " failed: "
          + cublas.cublasGetStatusName(status).getString() + " (" + status + ")");
    }
  }

  private static void checkDnn(int status, String call) {
    if (status != cudnn.CUDNN_STATUS_SUCCESS) {
      throw new IllegalStateException("CudaReference: " + call + " failed: "
          + cudnn.cudnnGetErrorString(status).getString() + " (" + status + ")");
    }
  }

  // ------------------------------------------------------------------ argument checks

  /** Checks open, same CUDA device, f32, contiguous; returns the device index. */
  private static int checkCommon(String op, Tensor... ts) {
    for (Tensor t : ts) {
      if (t == null) throw new IllegalArgumentException(op + ": a tensor is null");
      if (t.isClosed()) throw new IllegalArgumentException(op + ": a tensor is closed");
    }
    Device d = ts[0].device();
    String name = d.name();
    if (!name.startsWith("cuda:")) {
      throw new IllegalArgumentException(op + ": needs tensors on a CUDA device (Device.cuda(i)), got " + name);
    }
    for (Tensor t : ts) {
      if (t.device() != d) {
        throw new IllegalArgumentException(op + ": tensors on different devices: " + name + " and " + t.device());
      }
      if (t.dtype() != DType.F32) {
        throw new IllegalArgumentException(op + ": needs f32 tensors, got " + t.dtype() + " of shape " + shape(t));
      }
      if (!t.isContiguous()) {
        throw new IllegalArgumentException(op + ": needs contiguous tensors, got a strided view of shape " + shape(t)
            + "; call contiguous() first");
      }
    }
    return Integer.parseInt(name.substring(5));
  }

  private static void checkInt(String op, long... dims) {
    for (long v : dims) {
      if (v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(op + ": dimension " + v + " exceeds the 32-bit sizes cuBLAS/cuDNN take here");
      }
    }
  }

  private static String shape(Tensor t) {
    return Arrays.toString(t.shape());
  }
}
