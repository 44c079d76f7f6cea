// nv_sgd_step_f32, nv_rmsprop_step_f32, nv_adam_step_f32: checks, then the backend.
// Hyper-parameters follow PyTorch's constructor checks (lr >= 0, betas in [0, 1), ...).
#include "api/check.h"

namespace {

// Checks the count, the sizes and that every listed pointer array has a non-NULL entry for
// each non-empty tensor. arrays[i] may be nullptr to mean "not used by this call".
nv_status check_group(const char* fn, int32_t count, const int64_t* sizes,
                      float** const* arrays, const char* const* names, int narrays) {
  using nv::fail;
  if (count < 0)
    return fail(NV_ERR_INVALID_ARGUMENT, "%s: count=%d is negative", fn, count);
  if (count == 0) return NV_OK;
  if (sizes == nullptr) return fail(NV_ERR_INVALID_ARGUMENT, "%s: sizes is NULL", fn);
  for (int a = 0; a < narrays; ++a)
    if (arrays[a] == nullptr)
      return fail(NV_ERR_INVALID_ARGUMENT, "%s: the pointer array %s is NULL", fn, names[a]);
  for (int32_t t = 0; t < count; ++t) {
    if (sizes[t] < 0)
      return fail(NV_ERR_INVALID_ARGUMENT, "%s: sizes[%d]=%lld is negative", fn, t,
                  (long long)sizes[t]);
    if (sizes[t] == 0) continue;
    for (int a = 0; a < narrays; ++a)
      if (arrays[a][t] == nullptr)
        return fail(NV_ERR_INVALID_ARGUMENT, "%s: %s[%d] is NULL (sizes[%d]=%lld)", fn, names[a],
                    t, t, (long long)sizes[t]);
  }
  return NV_OK;
}

}  // namespace

extern "C" {

nv_status nv_sgd_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                          float** buf, float lr, float momentum, float dampening,
                          float weight_decay, int32_t nesterov, int32_t first_step) {
  constexpr const char* fn = "nv_sgd_step_f32";
  NV_CHECK_CTX(ctx, "nv_sgd_step_f32");
  NV_CHECK_FINITE(lr, "nv_sgd_step_f32");
  NV_CHECK_FINITE(momentum, "nv_sgd_step_f32");
  NV_CHECK_FINITE(dampening, "nv_sgd_step_f32");
  NV_CHECK_FINITE(weight_decay, "nv_sgd_step_f32");
  NV_CHECK(lr >= 0, "nv_sgd_step_f32: lr=%g is negative", (double)lr);
  NV_CHECK(momentum >= 0, "nv_sgd_step_f32: momentum=%g is negative", (double)momentum);
  NV_CHECK(weight_decay >= 0, "nv_sgd_step_f32: weight_decay=%g is negative", (double)weight_decay);
  NV_CHECK(!nesterov || (momentum > 0 && dampening == 0),
           "nv_sgd_step_f32: nesterov needs momentum > 0 and dampening == 0 (momentum=%g, "
           "dampening=%g)", (double)momentum, (double)dampening);
  float** const arrays[] = {w, g, buf};
  const char* const names[] = {"w", "g", "buf"};
  NV_TRY(check_group(fn, count, sizes, arrays, names, momentum != 0 ? 3 : 2));
  if (count == 0) return NV_OK;
  return ctx->backend->sgd_step_f32(ctx, count, sizes, w, g, buf, lr, momentum, dampening,
                                    weight_decay, nesterov != 0, first_step != 0);
}

nv_status nv_rmsprop_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w,
                              float** g, float** sq, float** buf, float lr, float alpha,
                              float eps, float weight_decay, float momentum) {
  constexpr const char* fn = "nv_rmsprop_step_f32";
  NV_CHECK_CTX(ctx, "nv_rmsprop_step_f32");
  NV_CHECK_FINITE(lr, "nv_rmsprop_step_f32");
  NV_CHECK_FINITE(alpha, "nv_rmsprop_step_f32");
  NV_CHECK_FINITE(eps, "nv_rmsprop_step_f32");
  NV_CHECK_FINITE(weight_decay, "nv_rmsprop_step_f32");
  NV_CHECK_FINITE(momentum, "nv_rmsprop_step_f32");
  NV_CHECK(lr >= 0, "nv_rmsprop_step_f32: lr=%g is negative", (double)lr);
  NV_CHECK(alpha >= 0 && alpha <= 1, "nv_rmsprop_step_f32: alpha=%g is outside [0, 1]", (double)alpha);
  NV_CHECK(eps >= 0, "nv_rmsprop_step_f32: eps=%g is negative", (double)eps);
  NV_CHECK(weight_decay >= 0, "nv_rmsprop_step_f32: weight_decay=%g is negative", (double)weight_decay);
  NV_CHECK(momentum >= 0, "nv_rmsprop_step_f32: momentum=%g is negative", (double)momentum);
  float** const arrays[] = {w, g, sq, buf};
  const char* const names[] = {"w", "g", "sq", "buf"};
  NV_TRY(check_group(fn, count, sizes, arrays, names, momentum != 0 ? 4 : 3));
  if (count == 0) return NV_OK;
  return ctx->backend->rmsprop_step_f32(ctx, count, sizes, w, g, sq, buf, lr, alpha, eps,
                                        weight_decay, momentum);
}

nv_status nv_adam_step_f32(nv_ctx* ctx, int32_t count, const int64_t* sizes, float** w, float** g,
                           float** m, float** v, float lr, float beta1, float beta2, float eps,
                           float weight_decay, int32_t decoupled, int64_t step) {
  constexpr const char* fn = "nv_adam_step_f32";
  NV_CHECK_CTX(ctx, "nv_adam_step_f32");
  NV_CHECK_FINITE(lr, "nv_adam_step_f32");
  NV_CHECK_FINITE(beta1, "nv_adam_step_f32");
  NV_CHECK_FINITE(beta2, "nv_adam_step_f32");
  NV_CHECK_FINITE(eps, "nv_adam_step_f32");
  NV_CHECK_FINITE(weight_decay, "nv_adam_step_f32");
  NV_CHECK(lr >= 0, "nv_adam_step_f32: lr=%g is negative", (double)lr);
  NV_CHECK(beta1 >= 0 && beta1 < 1, "nv_adam_step_f32: beta1=%g is outside [0, 1)", (double)beta1);
  NV_CHECK(beta2 >= 0 && beta2 < 1, "nv_adam_step_f32: beta2=%g is outside [0, 1)", (double)beta2);
  NV_CHECK(eps >= 0, "nv_adam_step_f32: eps=%g is negative", (double)eps);
  NV_CHECK(weight_decay >= 0, "nv_adam_step_f32: weight_decay=%g is negative", (double)weight_decay);
  NV_CHECK(step >= 1, "nv_adam_step_f32: step=%lld must be at least 1", (long long)step);
  float** const arrays[] = {w, g, m, v};
  const char* const names[] = {"w", "g", "m", "v"};
  NV_TRY(check_group(fn, count, sizes, arrays, names, 4));
  if (count == 0) return NV_OK;
  return ctx->backend->adam_step_f32(ctx, count, sizes, w, g, m, v, lr, beta1, beta2, eps,
                                     weight_decay, decoupled != 0, step);
}

}  // extern "C"
