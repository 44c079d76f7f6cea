/*
 * xor_mlp.c - trains a two-layer network through nerve.h alone (docs/c-api.md).
 *
 * The task: points (x, y) drawn uniformly from [-1, 1]^2, class 1 where x * y > 0 (the first
 * and third quadrants), else class 0. No straight line separates the classes, so the hidden
 * layer has to learn. The network:
 *
 *   h = X W1 + b1          X [N, 2], W1 [2, H], b1 [H]        nv_gemm_f32, nv_binary_f32 (add)
 *   a = relu(h)                                               nv_unary_f32
 *   z = a W2 + b2          W2 [H, 2], b2 [2]                  nv_gemm_f32, nv_binary_f32 (add)
 *   loss = mean cross-entropy of softmax(z) and the labels    nv_softmax_xent_f32 (+ dz)
 *
 * then the backward by hand (three GEMMs, two column sums, the relu derivative) and an SGD step
 * with momentum over the four parameters. It prints the loss as it falls and the accuracy on a
 * held-out set, and exits 1 when that accuracy is below MARK (2 for a bad or missing backend,
 * 3 when a call fails).
 *
 *   usage: xor_mlp [cpu|cuda|cuda-sim]        (default cpu)
 */
#include <nerve.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 512        /* points in the training set and in the held-out set */
#define HIDDEN 32
#define CLASSES 2
#define STEPS 600
#define LR 0.1f
#define MOMENTUM 0.9f
#define MARK 0.95    /* the held-out accuracy the program must reach */

/* Every nerve.h call returns a status; on failure nv_last_error() says why (this thread's
 * message of its last failed call). */
#define CHECK(call)                                                                          \
  do {                                                                                       \
    nv_status s_ = (call);                                                                   \
    if (s_ != NV_OK) {                                                                       \
      fprintf(stderr, "%s:%d: %s failed (status %d): %s\n", __FILE__, __LINE__, #call,       \
              (int)s_, nv_last_error());                                                     \
      exit(3);                                                                               \
    }                                                                                        \
  } while (0)

/* Device memory for n floats (host memory on the CPU backend; never dereference it here). */
static float* alloc_f32(nv_ctx* ctx, int64_t n) {
  void* p = NULL;
  CHECK(nv_alloc(ctx, n * (int64_t)sizeof(float), &p));
  return (float*)p;
}

/* The points, made on the host with a small LCG so that the program needs nothing but nerve.h
 * and the C library. */
static uint64_t lcg_state = 12345;
static float uniform_pm1(void) {
  lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (float)((lcg_state >> 40) & 0xFFFFFF) / (float)0x800000 - 1.0f; /* [-1, 1) */
}
static void make_points(float* x, int32_t* label) {
  for (int i = 0; i < N; i++) {
    x[2 * i] = uniform_pm1();
    x[2 * i + 1] = uniform_pm1();
    label[i] = x[2 * i] * x[2 * i + 1] > 0.0f ? 1 : 0;
  }
}

typedef struct {
  float *w1, *b1, *w2, *b2;     /* parameters */
  float *dw1, *db1, *dw2, *db2; /* their gradients */
  float *m1, *mb1, *m2, *mb2;   /* SGD momentum buffers */
  float *h, *a, *z, *dz, *da;   /* activations and their gradients, N rows each */
} net;

/* out[r, c] += bias[c] over a contiguous [rows, cols] matrix: bias broadcast with stride 0. */
static void add_bias(nv_ctx* ctx, int64_t rows, int64_t cols, float* out, const float* bias) {
  const int64_t shape[2] = {rows, cols};
  const int64_t out_strides[2] = {cols, 1};
  const int64_t bias_strides[2] = {0, 1};
  CHECK(nv_binary_f32(ctx, NV_BINARY_ADD, 2, shape, out, out_strides, bias, bias_strides, out));
}

/* z = relu(X W1 + b1) W2 + b2, keeping h and a for the backward. */
static void forward(nv_ctx* ctx, net* n, const float* x) {
  CHECK(nv_gemm_f32(ctx, 0, 0, N, HIDDEN, 2, 1.0f, x, 2, n->w1, HIDDEN, 0.0f, n->h, HIDDEN));
  add_bias(ctx, N, HIDDEN, n->h, n->b1);
  CHECK(nv_unary_f32(ctx, NV_UNARY_RELU, (int64_t)N * HIDDEN, n->h, n->a, 0.0f, 0.0f));
  CHECK(nv_gemm_f32(ctx, 0, 0, N, CLASSES, HIDDEN, 1.0f, n->a, HIDDEN, n->w2, CLASSES, 0.0f,
                    n->z, CLASSES));
  add_bias(ctx, N, CLASSES, n->z, n->b2);
}

/* Gradients of the mean loss from dz (written by nv_softmax_xent_f32). */
static void backward(nv_ctx* ctx, net* n, const float* x) {
  /* dW2 = a^T dz, db2 = column sums of dz, da = dz W2^T */
  CHECK(nv_gemm_f32(ctx, 1, 0, HIDDEN, CLASSES, N, 1.0f, n->a, HIDDEN, n->dz, CLASSES, 0.0f,
                    n->dw2, CLASSES));
  CHECK(nv_reduce_f32(ctx, NV_REDUCE_SUM, 1, N, CLASSES, n->dz, n->db2));
  CHECK(nv_gemm_f32(ctx, 0, 1, N, HIDDEN, CLASSES, 1.0f, n->dz, CLASSES, n->w2, CLASSES, 0.0f,
                    n->da, HIDDEN));
  /* dh = da * relu'(h), in place */
  CHECK(nv_unary_backward_f32(ctx, NV_UNARY_RELU, (int64_t)N * HIDDEN, n->h, n->a, n->da, n->da,
                              0.0f, 0.0f));
  /* dW1 = X^T dh, db1 = column sums of dh */
  CHECK(nv_gemm_f32(ctx, 1, 0, 2, HIDDEN, N, 1.0f, x, 2, n->da, HIDDEN, 0.0f, n->dw1, HIDDEN));
  CHECK(nv_reduce_f32(ctx, NV_REDUCE_SUM, 1, N, HIDDEN, n->da, n->db1));
}

/* Fraction of the rows of z whose largest logit is the label. */
static double accuracy(nv_ctx* ctx, const float* z, const int32_t* labels) {
  int32_t* pred_d = NULL;
  int32_t pred[N];
  CHECK(nv_alloc(ctx, N * (int64_t)sizeof(int32_t), (void**)&pred_d));
  CHECK(nv_argmax_f32(ctx, N, CLASSES, 1, z, pred_d));
  CHECK(nv_read_i32(ctx, pred_d, pred, N)); /* waits for the work before it */
  CHECK(nv_free(ctx, pred_d));
  int right = 0;
  for (int i = 0; i < N; i++) right += pred[i] == labels[i];
  return (double)right / N;
}

static int backend_named(const char* name) {
  if (strcmp(name, "cpu") == 0) return NV_BACKEND_CPU;
  if (strcmp(name, "cuda") == 0) return NV_BACKEND_CUDA;
  if (strcmp(name, "cuda-sim") == 0) return NV_BACKEND_CUDA_SIM;
  return -1;
}

int main(int argc, char** argv) {
  const char* backend_name = argc > 1 ? argv[1] : "cpu";
  int backend = backend_named(backend_name);
  if (backend < 0) {
    fprintf(stderr, "usage: %s [cpu|cuda|cuda-sim]\n", argv[0]);
    return 2;
  }
  if (!nv_backend_available(backend)) {
    fprintf(stderr, "backend %s is not available in this build or on this machine\n", backend_name);
    return 2;
  }
  nv_ctx* ctx = NULL;
  CHECK(nv_ctx_create(backend, 0, 0, &ctx)); /* device 0, one thread per core */
  printf("nerve %s, backend %s\n", nv_version(), backend_name);

  /* Data: host arrays copied into the context's memory. */
  static float x_host[2 * N], xt_host[2 * N];
  static int32_t y_host[N], yt_host[N];
  make_points(x_host, y_host);
  make_points(xt_host, yt_host);
  float* x = alloc_f32(ctx, 2 * N);
  float* xt = alloc_f32(ctx, 2 * N);
  int32_t* y = NULL;
  CHECK(nv_alloc(ctx, N * (int64_t)sizeof(int32_t), (void**)&y));
  CHECK(nv_write_f32(ctx, x, x_host, 2 * N));
  CHECK(nv_write_f32(ctx, xt, xt_host, 2 * N));
  CHECK(nv_write_i32(ctx, y, y_host, N));

  /* Parameters: He-normal weights (stddev sqrt(2 / fan_in): 1 for W1, 0.25 for W2), zero
   * biases. The random numbers are counter-based: the same on every backend. */
  net n;
  n.w1 = alloc_f32(ctx, 2 * HIDDEN);
  n.b1 = alloc_f32(ctx, HIDDEN);
  n.w2 = alloc_f32(ctx, HIDDEN * CLASSES);
  n.b2 = alloc_f32(ctx, CLASSES);
  CHECK(nv_rand_normal_f32(ctx, 2 * HIDDEN, 42, 0, 0.0f, 1.0f, n.w1));
  CHECK(nv_rand_normal_f32(ctx, HIDDEN * CLASSES, 42, 2 * HIDDEN, 0.0f, 0.25f, n.w2));
  CHECK(nv_fill_f32(ctx, HIDDEN, 0.0f, n.b1));
  CHECK(nv_fill_f32(ctx, CLASSES, 0.0f, n.b2));
  n.dw1 = alloc_f32(ctx, 2 * HIDDEN);
  n.db1 = alloc_f32(ctx, HIDDEN);
  n.dw2 = alloc_f32(ctx, HIDDEN * CLASSES);
  n.db2 = alloc_f32(ctx, CLASSES);
  n.m1 = alloc_f32(ctx, 2 * HIDDEN);
  n.mb1 = alloc_f32(ctx, HIDDEN);
  n.m2 = alloc_f32(ctx, HIDDEN * CLASSES);
  n.mb2 = alloc_f32(ctx, CLASSES);
  n.h = alloc_f32(ctx, (int64_t)N * HIDDEN);
  n.a = alloc_f32(ctx, (int64_t)N * HIDDEN);
  n.da = alloc_f32(ctx, (int64_t)N * HIDDEN);
  n.z = alloc_f32(ctx, N * CLASSES);
  n.dz = alloc_f32(ctx, N * CLASSES);
  float* loss_d = alloc_f32(ctx, 1);

  /* One SGD call updates the whole parameter group: host arrays of device pointers. */
  const int64_t sizes[4] = {2 * HIDDEN, HIDDEN, HIDDEN * CLASSES, CLASSES};
  float* params[4] = {n.w1, n.b1, n.w2, n.b2};
  float* grads[4] = {n.dw1, n.db1, n.dw2, n.db2};
  float* bufs[4] = {n.m1, n.mb1, n.m2, n.mb2};

  float first_loss = 0.0f, loss = 0.0f;
  for (int step = 0; step < STEPS; step++) {
    forward(ctx, &n, x);
    CHECK(nv_softmax_xent_f32(ctx, N, CLASSES, n.z, y, loss_d, n.dz));
    backward(ctx, &n, x);
    CHECK(nv_sgd_step_f32(ctx, 4, sizes, params, grads, bufs, LR, MOMENTUM, 0.0f, 0.0f, 0,
                          step == 0));
    if (step % 50 == 0 || step == STEPS - 1) {
      CHECK(nv_read_f32(ctx, loss_d, &loss, 1));
      if (step == 0) first_loss = loss;
      printf("step %4d  loss %.4f  train accuracy %.3f\n", step, loss,
             accuracy(ctx, n.z, y_host));
    }
  }

  forward(ctx, &n, xt);
  double test_accuracy = accuracy(ctx, n.z, yt_host);
  printf("loss %.4f -> %.4f, held-out accuracy %.3f (mark %.2f)\n", first_loss, loss,
         test_accuracy, MARK);

  /* Everything nv_alloc returned goes back with nv_free before the context is destroyed. */
  float* all[] = {x, xt, (float*)y, n.w1, n.b1, n.w2, n.b2, n.dw1, n.db1, n.dw2, n.db2, n.m1,
                  n.mb1, n.m2, n.mb2, n.h, n.a, n.da, n.z, n.dz, loss_d};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) CHECK(nv_free(ctx, all[i]));
  int64_t stats[4];
  CHECK(nv_memory_stats(ctx, stats));
  printf("after nv_free: %lld live allocations, %lld bytes cached by the allocator\n",
         (long long)stats[3], (long long)stats[2]);
  CHECK(nv_ctx_destroy(ctx));

  if (test_accuracy < MARK || !(loss < first_loss)) {
    fprintf(stderr, "FAILED: the network did not learn (accuracy %.3f < %.2f)\n", test_accuracy,
            MARK);
    return 1;
  }
  return 0;
}
