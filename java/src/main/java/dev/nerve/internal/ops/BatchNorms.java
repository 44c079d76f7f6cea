package dev.nerve.internal.ops;

import static dev.nerve.internal.ops.Operand.f32;

import dev.nerve.bindings.Nerve;

/** Batch normalisation over contiguous [N, C, HW] operands. Internal: every optional operand may be null. */
public final class BatchNorms {
  private BatchNorms() {}

  public static void forward(Operand x, long n, long c, long hw, Operand gamma, Operand beta, Operand runningMean,
      Operand runningVar, float momentum, float eps, boolean training, Operand y, Operand saveMean, Operand saveInvstd) {
    try (Pin p = Pin.of("batchNorm", x, gamma, beta, runningMean, runningVar, y, saveMean, saveInvstd)) {
      Native.check(Nerve.nv_batch_norm_forward_f32(x.ctx().handle, n, c, hw, x.f32(), f32(gamma), f32(beta),
          f32(runningMean), f32(runningVar), momentum, eps, training ? 1 : 0, y.f32(), f32(saveMean), f32(saveInvstd)),
          "nv_batch_norm_forward_f32", "batchNorm", "");
    }
  }

  public static void backward(Operand x, Operand dy, long n, long c, long hw, Operand gamma, Operand saveMean,
      Operand saveInvstd, boolean training, Operand dx, Operand dgamma, Operand dbeta) {
    try (Pin p = Pin.of("batchNorm (backward)", x, dy, gamma, saveMean, saveInvstd, dx, dgamma, dbeta)) {
      Native.check(Nerve.nv_batch_norm_backward_f32(x.ctx().handle, n, c, hw, x.f32(), dy.f32(), f32(gamma),
          saveMean.f32(), saveInvstd.f32(), training ? 1 : 0, dx.f32(), f32(dgamma), f32(dbeta)),
          "nv_batch_norm_backward_f32", "batchNorm (backward)", "");
    }
  }
}
