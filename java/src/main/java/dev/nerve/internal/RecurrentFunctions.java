package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkF32;
import static dev.nerve.internal.Checks.checkSameDevice;
import static dev.nerve.internal.Checks.shape;
import static dev.nerve.internal.MemoryFunctions.dense;
import static dev.nerve.internal.Views.row;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.LstmState;
import dev.nerve.RecurrentOutput;
import dev.nerve.Tensor;
import dev.nerve.internal.ops.Gemm;
import dev.nerve.internal.ops.Memory;
import dev.nerve.internal.ops.Operand;
import dev.nerve.internal.ops.Pointwise;
import dev.nerve.internal.ops.Pointwise.Binary;
import dev.nerve.internal.ops.Pointwise.Unary;
import dev.nerve.internal.ops.Recurrent;
import dev.nerve.internal.ops.Reductions;
import dev.nerve.internal.ops.Reductions.Reduction;

/**
 * Recurrent ops with their gradients, on the {@link Recurrent} cell kernels: the fused LSTM and
 * GRU cells for one step, and whole-sequence layers (RNN, LSTM, GRU) as one autograd node each.
 *
 * <p>A sequence layer takes the input projection of every step at once, xproj = x W_ih^T + b_ih
 * [T, B, G H] (one GEMM, outside), and runs only the recurrent product h W_hh^T + b_hh and the
 * cell in its loop. Its output packs every state in one tensor [planes, T + 1, B, H]: plane 0
 * holds h_0 (the initial state) and then h_1..h_T; for the LSTM plane 1 holds the c's. The
 * caller takes views of it (outputs, final states), and autograd adds up their gradients.
 */
public final class RecurrentFunctions {
  private RecurrentFunctions() {}

  /** The cell of a sequence layer, and its number of gates G (the projections are [G H, ...]). */
  public enum Cell {
    RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

    final int gates;

    Cell(int gates) {
      this.gates = gates;
    }
  }

  /** The operand of an optional tensor (null stays null). */
  private static Operand d(Tensor t) {
    return t == null ? null : Tensors.data(t);
  }

  // ---------------------------------------------------------------- one step

  /** A state [b, h] (null passes: zeros) on like's device. */
  private static void checkStateShape(String op, String arg, Tensor t, long b, long h, Tensor like) {
    if (t == null) return;
    checkF32(op, arg, t);
    checkSameDevice(op, like, t);
    check(t.dim() == 2 && t.size(0) == b && t.size(1) == h, "%s: %s must be [%s, %s] but is %s", op, arg, b, h, shape(t));
  }

  /** Gate pre-activations [B, gates H] on like's device (like may be null). */
  private static void checkGates(String op, String arg, Tensor t, int gates, Tensor like) {
    checkF32(op, arg, t);
    if (like != null) checkSameDevice(op, like, t);
    check(t.dim() == 2 && t.size(1) % gates == 0 && t.size(1) != 0, "%s: %s must be [B, %sH] but is %s", op, arg, gates,
        shape(t));
  }

  /** The fused LSTM cell on gate pre-activations gx (+ gh); see {@code F.lstmGates}. */
  public static LstmState lstmGates(Tensor gx, Tensor gh, Tensor cPrev) {
    return OpFrame.run(() -> lstmGatesUnguarded(gx, gh, cPrev));
  }

  /** lstmGates itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static LstmState lstmGatesUnguarded(Tensor gx, Tensor gh, Tensor cPrev) {
    String op = "lstmGates";
    checkGates(op, "gx", gx, 4, null);
    long b = gx.size(0);
    long h = gx.size(1) / 4;
    if (gh != null) {
      checkGates(op, "gh", gh, 4, gx);
      check(gh.size(0) == b && gh.size(1) == 4 * h, "lstmGates: gh %s and gx %s differ", shape(gh), shape(gx));
    }
    checkStateShape(op, "cPrev", cPrev, b, h, gx);
    Tensor gxc = dense(gx);
    Tensor ghc = gh == null ? null : dense(gh);
    Tensor cc = cPrev == null ? null : dense(cPrev);
    boolean grad = Autograd.needsGrad(gx, gh, cPrev);
    Tensor packed = Tensor.empty(gx.device(), DType.F32, 2, b, h);
    Tensor saved = grad ? Tensor.empty(gx.device(), DType.F32, b, 4 * h) : null;
    Tensor hv = row(packed, 0);
    Tensor cv = row(packed, 1);
    Recurrent.lstmForward(b, h, d(gxc), d(ghc), d(cc), d(hv), d(cv), d(saved));
    if (gxc != gx) gxc.close();
    if (ghc != null && ghc != gh) ghc.close();
    if (!grad) {
      if (cc != null && cc != cPrev) cc.close();
      packed.close();
      return new LstmState(hv, cv);
    }
    hv.close();
    cv.close();
    Autograd.record(packed, "lstmCell", Autograd.saves("cPrev", cc, "output", packed, "buffer gates", saved), g -> {
      Tensor gd = dense(g);
      Tensor dgates = Tensor.empty(g.device(), DType.F32, b, 4 * h);
      Tensor dcPrev = cPrev != null && cPrev.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, h) : null;
      try (Tensor dh = row(gd, 0); Tensor dc = row(gd, 1); Tensor c = row(packed, 1)) {
        Recurrent.lstmBackward(b, h, d(saved), d(cc), d(c), d(dh), d(dc), d(dgates), d(dcPrev));
      }
      if (gd != g) gd.close();
      return new Tensor[] {dgates, gh == null ? null : dgates.detach(), dcPrev};
    }, gx, gh, cPrev);
    Tensor hOut = packed.slice(0, 0, 1).reshape(b, h);
    Tensor cOut = packed.slice(0, 1, 2).reshape(b, h);
    return new LstmState(hOut, cOut);
  }

  /** The fused GRU cell; see {@code F.gruGates}. */
  public static Tensor gruGates(Tensor gi, Tensor gh, Tensor hPrev) {
    return OpFrame.run(() -> gruGatesUnguarded(gi, gh, hPrev));
  }

  /** gruGates itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static Tensor gruGatesUnguarded(Tensor gi, Tensor gh, Tensor hPrev) {
    String op = "gruGates";
    checkGates(op, "gi", gi, 3, null);
    checkGates(op, "gh", gh, 3, gi);
    long b = gi.size(0);
    long h = gi.size(1) / 3;
    check(gh.size(0) == b && gh.size(1) == 3 * h, "gruGates: gh %s and gi %s differ", shape(gh), shape(gi));
    checkStateShape(op, "hPrev", hPrev, b, h, gi);
    Tensor gic = dense(gi);
    Tensor ghc = dense(gh);
    Tensor hc = hPrev == null ? null : dense(hPrev);
    boolean grad = Autograd.needsGrad(gi, gh, hPrev);
    Tensor out = Tensor.empty(gi.device(), DType.F32, b, h);
    Tensor saved = grad ? Tensor.empty(gi.device(), DType.F32, b, 4 * h) : null;
    Recurrent.gruForward(b, h, d(gic), d(ghc), d(hc), d(out), d(saved));
    if (gic != gi) gic.close();
    if (ghc != gh) ghc.close();
    if (!grad) {
      if (hc != null && hc != hPrev) hc.close();
      return out;
    }
    return Autograd.record(out, "gruCell", Autograd.saves("hPrev", hc, "buffer gates", saved), g -> {
      Tensor gd = dense(g);
      Tensor dgi = gi.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, 3 * h) : null;
      Tensor dgh = gh.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, 3 * h) : null;
      Tensor dhp = hPrev != null && hPrev.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, h) : null;
      Recurrent.gruBackward(b, h, d(saved), d(hc), d(gd), d(dgi), d(dgh), d(dhp));
      if (gd != g) gd.close();
      return new Tensor[] {dgi, dgh, dhp};
    }, gi, gh, hPrev);
  }

  // ---------------------------------------------------------------- whole sequences

  /**
   * One recurrent layer over a whole sequence, one autograd node. xproj [T, B, G H] (x W_ih^T +
   * b_ih for every step), wHh [G H, H], bHh [G H] or null, h0 / c0 [B, H] or null (zeros), mask
   * [T, B] or null (1 where the step is real, 0 where it is padding: the state is carried
   * through unchanged). Returns the packed states [planes, T + 1, B, H].
   */
  private static Tensor sequence(String op, Cell mode, Tensor xproj, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0,
      Tensor mask) {
    int gn = mode.gates;
    long t = xproj.size(0);
    long b = xproj.size(1);
    long h = wHh.size(1);
    long gh = gn * h;
    int planes = mode == Cell.LSTM ? 2 : 1;
    Device dev = xproj.device();
    boolean grad = Autograd.needsGrad(xproj, wHh, bHh, h0, c0);
    Tensor xp = dense(xproj);
    Tensor packed = Tensor.empty(dev, DType.F32, planes, t + 1, b, h);
    Tensor hs = row(packed, 0);
    Tensor cs = planes == 2 ? row(packed, 1) : null;
    initState(hs, h0);
    if (cs != null) initState(cs, c0);
    Tensor m = mask == null ? null : maskSteps(mask, t, b);
    // Pre-mask values the backward needs: the RNN's h (for act'), the LSTM's c (for tanh(c)).
    Tensor raw = mask == null || mode == Cell.GRU ? null : Tensor.empty(dev, DType.F32, t, b, h);
    Tensor saved = grad && (mode == Cell.LSTM || mode == Cell.GRU) ? Tensor.empty(dev, DType.F32, t, b, 4 * h) : null;
    Tensor ghBuf = mode == Cell.LSTM || mode == Cell.GRU ? Tensor.empty(dev, DType.F32, b, gh) : null;
    Tensor hNew = mask != null && (mode == Cell.LSTM || mode == Cell.GRU) ? Tensor.empty(dev, DType.F32, b, h) : null;
    Tensor wc = dense(wHh);
    for (long s = 0; s < t; s++) {
      try (Tensor xs = row(xp, s); Tensor hPrev = row(hs, s); Tensor hNext = row(hs, s + 1);
          Tensor ms = m == null ? null : row(m, s)) {
        if (mode == Cell.RNN_TANH || mode == Cell.RNN_RELU) {
          try (Tensor target = raw != null ? row(raw, s) : row(hs, s + 1)) {
            if (bHh != null) Pointwise.binary(Binary.ADD, d(xs), d(bHh), d(target));
            else Memory.copy(d(xs), d(target));
            Gemm.gemm(b, h, h, 1f, d(hPrev), false, h, d(wc), true, h, 1f, d(target), h);
            Pointwise.unary(activation(mode), d(target), d(target), 0, 0);
            if (ms != null) blend(hPrev, target, ms, hNext);
          }
          continue;
        }
        if (bHh != null) Memory.expand(d(bHh), d(ghBuf));
        Gemm.gemm(b, gh, h, 1f, d(hPrev), false, h, d(wc), true, h, bHh != null ? 1f : 0f, d(ghBuf), gh);
        try (Tensor sv = saved == null ? null : row(saved, s)) {
          if (mode == Cell.LSTM) {
            try (Tensor cPrev = row(cs, s); Tensor cNext = row(cs, s + 1); Tensor cTarget = raw != null ? row(raw, s) : null) {
              Recurrent.lstmForward(b, h, d(xs), d(ghBuf), d(cPrev), d(ms != null ? hNew : hNext),
                  d(cTarget != null ? cTarget : cNext), d(sv));
              if (ms != null) {
                blend(hPrev, hNew, ms, hNext);
                blend(cPrev, cTarget, ms, cNext);
              }
            }
          } else {
            Recurrent.gruForward(b, h, d(xs), d(ghBuf), d(hPrev), d(ms != null ? hNew : hNext), d(sv));
            if (ms != null) blend(hPrev, hNew, ms, hNext);
          }
        }
      }
    }
    hs.close();
    if (cs != null) cs.close();
    if (ghBuf != null) ghBuf.close();
    if (hNew != null) hNew.close();
    if (xp != xproj) xp.close();
    if (!grad) {
      if (raw != null) raw.close();
      if (m != null) m.close();
      if (wc != wHh) wc.close();
      return packed;
    }
    return Autograd.record(packed, op, Autograd.saves("output", packed, "wHh", wc, "mask", m,
        "buffer pre-mask states", raw, "buffer gates", saved), g -> backward(mode, g, packed, raw, saved, m, xproj, wc, wHh, bHh, h0, c0, t, b, h),
        xproj, wHh, bHh, h0, c0);
  }

  /**
   * A one-layer recurrent net over x [T, B, I]: checks the shapes, computes the input projection
   * of every step in one GEMM and runs {@link #sequence}.
   */
  public static RecurrentOutput layer(String op, Cell mode, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh,
      Tensor bIh, Tensor bHh, Tensor mask) {
    return OpFrame.run(() -> layerUnguarded(op, mode, x, h0, c0, wIh, wHh, bIh, bHh, mask));
  }

  /** layer itself; callers go through the wrapper, which frees what it allocated if it throws. */
  private static RecurrentOutput layerUnguarded(String op, Cell mode, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh,
      Tensor bIh, Tensor bHh, Tensor mask) {
    int gn = mode.gates;
    checkF32(op, "input", x);
    checkF32(op, "wIh", wIh);
    checkF32(op, "wHh", wHh);
    checkSameDevice(op, x, wIh);
    checkSameDevice(op, x, wHh);
    check(x.dim() == 3, "%s: input must be 3-D [T, B, features] but is %s", op, shape(x));
    check(wHh.dim() == 2 && wHh.size(0) == gn * wHh.size(1) && wHh.size(1) != 0, "%s: wHh must be [%sH, H] but is %s", op,
        gn, shape(wHh));
    long h = wHh.size(1);
    check(wIh.dim() == 2 && wIh.size(0) == gn * h, "%s: wIh must be [%s, features] (hidden size %s) but is %s", op,
        gn * h, h, shape(wIh));
    check(x.size(2) == wIh.size(1), "%s: input has %s features but wIh expects %s (input %s, wIh %s)", op, x.size(2),
        wIh.size(1), shape(x), shape(wIh));
    for (Tensor bias : new Tensor[] {bIh, bHh}) {
      if (bias == null) continue;
      checkF32(op, "bias", bias);
      checkSameDevice(op, x, bias);
      check(bias.dim() == 1 && bias.size(0) == gn * h, "%s: biases must be [%s] but one is %s", op, gn * h, shape(bias));
    }
    long t = x.size(0);
    long b = x.size(1);
    check(t != 0 && b != 0, "%s: input %s has no steps or no batch rows", op, shape(x));
    checkStateShape(op, "h0", h0, b, h, x);
    checkStateShape(op, "c0", c0, b, h, x);
    if (mask != null) {
      checkF32(op, "mask", mask);
      checkSameDevice(op, x, mask);
      check(mask.dim() == 2 && mask.size(0) == t && mask.size(1) == b, "%s: mask must be [%s, %s] (steps, batch) but is %s",
          op, t, b, shape(mask));
    }
    Tensor xproj = MatrixFunctions.linear(x, wIh, bIh);
    Tensor maskData = mask == null ? null : mask.detach();
    Tensor packed = sequence(op, mode, xproj, wHh, bHh, h0, c0, maskData);
    Tensor hsAll = packed.slice(0, 0, 1).reshape(t + 1, b, h);
    Tensor out = hsAll.slice(0, 1, t + 1);
    Tensor hLast = hsAll.slice(0, t, t + 1).reshape(b, h);
    Tensor cLast = null;
    if (mode == Cell.LSTM) {
      cLast = packed.slice(0, 1, 2).slice(1, t, t + 1).reshape(b, h);
    }
    if (Tensors.gradFn(packed) == null) {
      hsAll.close();
      packed.close();
      xproj.close();
      if (maskData != null) maskData.close();
    }
    return new RecurrentOutput(out, hLast, cLast);
  }

  /** mask [T, B] as [T, B, 1] (a view, or a view of a contiguous copy, whose handle is closed: the view holds it). */
  private static Tensor maskSteps(Tensor mask, long t, long b) {
    Tensor md = dense(mask);
    Tensor m = md.reshape(t, b, 1);
    if (md != mask) md.close();
    return m;
  }

  private static void initState(Tensor states, Tensor init) {
    try (Tensor first = row(states, 0)) {
      if (init == null) Memory.fillF32(d(first), 0f);
      else Memory.copy(d(init), d(first));
    }
  }

  /** out = prev + m (next - prev): next where the step is real, prev where it is padding. */
  private static void blend(Tensor prev, Tensor next, Tensor m, Tensor out) {
    try (Tensor diff = Tensor.empty(prev.device(), DType.F32, prev.shape())) {
      Pointwise.binary(Binary.SUB, d(next), d(prev), d(diff));
      Pointwise.binary(Binary.MUL, d(diff), d(m), d(diff));
      Pointwise.binary(Binary.ADD, d(prev), d(diff), d(out));
    }
  }

  private static Tensor[] backward(Cell mode, Tensor g, Tensor packed, Tensor raw, Tensor saved, Tensor m, Tensor xproj,
      Tensor wc, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0, long t, long b, long h) {
    Device dev = g.device();
    long gh = mode.gates * h;
    Tensor gd = dense(g);
    Tensor dx = Tensor.empty(dev, DType.F32, t, b, gh);  // gradient of the gates: of xproj, and of gh
    Tensor dghAll = mode == Cell.GRU ? Tensor.empty(dev, DType.F32, t, b, gh) : null;  // GRU: gh's own
    Tensor hs = row(packed, 0);
    Tensor cs = mode == Cell.LSTM ? row(packed, 1) : null;
    Tensor dhs = row(gd, 0);
    Tensor dcs = mode == Cell.LSTM ? row(gd, 1) : null;
    Tensor dhCarry = Tensor.zeros(dev, b, h);
    Tensor dcCarry = mode == Cell.LSTM ? Tensor.zeros(dev, b, h) : null;
    for (long s = t - 1; s >= 0; s--) {
      Tensor dH;
      Tensor dC = null;
      try (Tensor gOut = row(dhs, s + 1)) {
        dH = PointwiseFunctions.sum(gOut, dhCarry);
      }
      dhCarry.close();
      if (dcs != null) {
        try (Tensor gOut = row(dcs, s + 1)) {
          dC = PointwiseFunctions.sum(gOut, dcCarry);
        }
        dcCarry.close();
      }
      try (Tensor ms = m == null ? null : row(m, s); Tensor dxs = row(dx, s); Tensor hPrev = row(hs, s)) {
        Tensor dHr = ms == null ? dH : masked(dH, ms);
        Tensor dCr = ms == null || dC == null ? dC : masked(dC, ms);
        Tensor next = Tensor.empty(dev, DType.F32, b, h);
        if (mode == Cell.RNN_TANH || mode == Cell.RNN_RELU) {
          try (Tensor y = raw != null ? row(raw, s) : row(hs, s + 1)) {
            Pointwise.unaryBackward(activation(mode), d(y), d(y), d(dHr), d(dxs), 0, 0);
          }
          Gemm.gemm(b, h, h, 1f, d(dxs), false, h, d(wc), false, h, 0f, d(next), h);
        } else if (mode == Cell.LSTM) {
          Tensor dcPrev = Tensor.empty(dev, DType.F32, b, h);
          try (Tensor sv = row(saved, s); Tensor cPrev = row(cs, s); Tensor c = raw != null ? row(raw, s) : row(cs, s + 1)) {
            Recurrent.lstmBackward(b, h, d(sv), d(cPrev), d(c), d(dHr), d(dCr), d(dxs), d(dcPrev));
          }
          Gemm.gemm(b, h, gh, 1f, d(dxs), false, gh, d(wc), false, h, 0f, d(next), h);
          if (ms != null) addDifference(dcPrev, dC, dCr);
          dcCarry = dcPrev;
        } else {
          try (Tensor sv = row(saved, s); Tensor dghs = row(dghAll, s)) {
            Recurrent.gruBackward(b, h, d(sv), d(hPrev), d(dHr), d(dxs), d(dghs), d(next));
            Gemm.gemm(b, h, gh, 1f, d(dghs), false, gh, d(wc), false, h, 1f, d(next), h);
          }
        }
        if (ms != null) addDifference(next, dH, dHr);  // padding: the gradient passes straight through
        dhCarry = next;
        if (dHr != dH) dHr.close();
        if (dCr != null && dCr != dC) dCr.close();
      }
      dH.close();
      if (dC != null) dC.close();
    }
    Tensor dG = mode == Cell.GRU ? dghAll : dx;
    Tensor dW = null;
    if (wHh.requiresGrad()) {
      dW = Tensor.empty(dev, DType.F32, gh, h);
      // dW_hh = sum over steps of dgates_s^T h_{s-1}: one GEMM over all T B rows.
      Gemm.gemm(gh, h, t * b, 1f, d(dG), true, gh, d(hs), false, h, 0f, d(dW), h);
    }
    Tensor db = null;
    if (bHh != null && bHh.requiresGrad()) {
      db = Tensor.empty(dev, DType.F32, gh);
      Reductions.reduce(Reduction.SUM, d(dG), 1, t * b, gh, d(db));
    }
    hs.close();
    if (cs != null) cs.close();
    dhs.close();
    if (dcs != null) dcs.close();
    if (dghAll != null) dghAll.close();
    if (gd != g) gd.close();
    Tensor dh0 = h0 != null && h0.requiresGrad() ? dhCarry : null;
    if (dh0 == null) dhCarry.close();
    Tensor dc0 = c0 != null && c0.requiresGrad() ? dcCarry : null;
    if (dc0 == null && dcCarry != null) dcCarry.close();
    Tensor dxOut = xproj.requiresGrad() ? dx : null;
    if (dxOut == null) dx.close();
    return new Tensor[] {dxOut, dW, db, dh0, dc0};
  }

  private static Tensor masked(Tensor grad, Tensor m) {
    Tensor out = Tensor.empty(grad.device(), DType.F32, grad.shape());
    Pointwise.binary(Binary.MUL, d(grad), d(m), d(out));
    return out;
  }

  /** acc += full - part (the (1 - m) share of a gradient). */
  private static void addDifference(Tensor acc, Tensor full, Tensor part) {
    Pointwise.binary(Binary.ADD, d(acc), d(full), d(acc));
    Pointwise.binary(Binary.SUB, d(acc), d(part), d(acc));
  }

  /** The activation of a plain RNN cell. */
  private static Unary activation(Cell mode) {
    return mode == Cell.RNN_TANH ? Unary.TANH : Unary.RELU;
  }
}
