package dev.nerve;

import dev.nerve.bindings.Nerve;
import dev.nerve.ops.Gemm;
import dev.nerve.ops.Memory;
import dev.nerve.ops.Pointwise;
import dev.nerve.ops.Recurrent;
import dev.nerve.ops.Reductions;
import java.util.List;

/**
 * Recurrent ops with their gradients: the fused LSTM and GRU cells for one step, whole-sequence
 * layers (RNN, LSTM, GRU) as one autograd node each, the embedding lookup and stack.
 *
 * <p>A sequence layer takes the input projection of every step at once, xproj = x W_ih^T + b_ih
 * [T, B, G H] (one GEMM, outside), and runs only the recurrent product h W_hh^T + b_hh and the
 * cell in its loop. Its output packs every state in one tensor [planes, T + 1, B, H]: plane 0
 * holds h_0 (the initial state) and then h_1..h_T; for the LSTM plane 1 holds the c's. The
 * caller takes views of it (outputs, final states), and autograd adds up their gradients.
 */
final class RecurrentFunctions {
  private RecurrentFunctions() {}

  static final int RNN_TANH = 0;
  static final int RNN_RELU = 1;
  static final int LSTM = 2;
  static final int GRU = 3;

  static int gates(int mode) {
    return mode == LSTM ? 4 : mode == GRU ? 3 : 1;
  }

  /** x[i] for a contiguous x: a view without history (the caller closes it). */
  static Tensor row(Tensor x, long i) {
    long[] shape = x.shape();
    long[] strides = x.strides();
    long[] s = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    long[] st = java.util.Arrays.copyOfRange(strides, 1, strides.length);
    x.storage().retain();
    return new Tensor(x.device(), x.storage(), x.offset() + i * strides[0], s, st, x.dtype());
  }

  /** x[..., i, ...] along dimension d: a strided view without history (the caller closes it). */
  static Tensor select(Tensor x, int d, long i) {
    long[] shape = x.shape();
    long[] strides = x.strides();
    long[] s = new long[shape.length - 1];
    long[] st = new long[shape.length - 1];
    for (int k = 0, j = 0; k < shape.length; k++) {
      if (k == d) continue;
      s[j] = shape[k];
      st[j++] = strides[k];
    }
    x.storage().retain();
    return new Tensor(x.device(), x.storage(), x.offset() + i * strides[d], s, st, x.dtype());
  }

  // ---------------------------------------------------------------- one step

  static void checkState(String op, String arg, Tensor t, long b, long h, Tensor like) {
    if (t == null) return;
    F.checkF32(op, arg, t);
    F.checkSameDevice(op, like, t);
    if (t.dim() != 2 || t.size(0) != b || t.size(1) != h) {
      throw new IllegalArgumentException(op + ": " + arg + " must be [" + b + ", " + h + "] but is "
          + Shapes.str(t.shape()));
    }
  }

  private static void checkGates(String op, String arg, Tensor t, int gates, Tensor like) {
    F.checkF32(op, arg, t);
    if (like != null) F.checkSameDevice(op, like, t);
    if (t.dim() != 2 || t.size(1) % gates != 0 || t.size(1) == 0) {
      throw new IllegalArgumentException(op + ": " + arg + " must be [B, " + gates + "H] but is " + Shapes.str(t.shape()));
    }
  }

  /** The fused LSTM cell on gate pre-activations gx (+ gh); see {@link F#lstmGates}. */
  static LstmState lstmGates(Tensor gx, Tensor gh, Tensor cPrev) {
    String op = "lstmGates";
    checkGates(op, "gx", gx, 4, null);
    long b = gx.size(0);
    long h = gx.size(1) / 4;
    if (gh != null) {
      checkGates(op, "gh", gh, 4, gx);
      if (gh.size(0) != b || gh.size(1) != 4 * h) {
        throw new IllegalArgumentException(op + ": gh " + Shapes.str(gh.shape()) + " and gx " + Shapes.str(gx.shape())
            + " differ");
      }
    }
    checkState(op, "cPrev", cPrev, b, h, gx);
    Tensor gxc = PointwiseFunctions.dense(gx);
    Tensor ghc = gh == null ? null : PointwiseFunctions.dense(gh);
    Tensor cc = cPrev == null ? null : PointwiseFunctions.dense(cPrev);
    boolean grad = Autograd.needsGrad(gx, gh, cPrev);
    Tensor packed = Tensor.empty(gx.device(), DType.F32, 2, b, h);
    Tensor saved = grad ? Tensor.empty(gx.device(), DType.F32, b, 4 * h) : null;
    Tensor hv = row(packed, 0);
    Tensor cv = row(packed, 1);
    Recurrent.lstmForward(b, h, gxc, ghc, cc, hv, cv, saved);
    if (gxc != gx) gxc.close();
    if (ghc != null && ghc != gh) ghc.close();
    if (!grad) {
      if (cc != null && cc != cPrev) cc.close();
      packed.close();
      return new LstmState(hv, cv);
    }
    hv.close();
    cv.close();
    Autograd.record(packed, "lstmCell", g -> {
      Tensor gd = PointwiseFunctions.dense(g);
      Tensor dgates = Tensor.empty(g.device(), DType.F32, b, 4 * h);
      Tensor dcPrev = cPrev != null && cPrev.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, h) : null;
      try (Tensor dh = row(gd, 0); Tensor dc = row(gd, 1); Tensor c = row(packed, 1)) {
        Recurrent.lstmBackward(b, h, saved, cc, c, dh, dc, dgates, dcPrev);
      }
      if (gd != g) gd.close();
      return new Tensor[] {dgates, gh == null ? null : dgates.detach(), dcPrev};
    }, gx, gh, cPrev);
    Tensor hOut = packed.slice(0, 0, 1).reshape(b, h);
    Tensor cOut = packed.slice(0, 1, 2).reshape(b, h);
    return new LstmState(hOut, cOut);
  }

  /** The fused GRU cell; see {@link F#gruGates}. */
  static Tensor gruGates(Tensor gi, Tensor gh, Tensor hPrev) {
    String op = "gruGates";
    checkGates(op, "gi", gi, 3, null);
    checkGates(op, "gh", gh, 3, gi);
    long b = gi.size(0);
    long h = gi.size(1) / 3;
    if (gh.size(0) != b || gh.size(1) != 3 * h) {
      throw new IllegalArgumentException(op + ": gh " + Shapes.str(gh.shape()) + " and gi " + Shapes.str(gi.shape()) + " differ");
    }
    checkState(op, "hPrev", hPrev, b, h, gi);
    Tensor gic = PointwiseFunctions.dense(gi);
    Tensor ghc = PointwiseFunctions.dense(gh);
    Tensor hc = hPrev == null ? null : PointwiseFunctions.dense(hPrev);
    boolean grad = Autograd.needsGrad(gi, gh, hPrev);
    Tensor out = Tensor.empty(gi.device(), DType.F32, b, h);
    Tensor saved = grad ? Tensor.empty(gi.device(), DType.F32, b, 4 * h) : null;
    Recurrent.gruForward(b, h, gic, ghc, hc, out, saved);
    if (gic != gi) gic.close();
    if (ghc != gh) ghc.close();
    if (!grad) {
      if (hc != null && hc != hPrev) hc.close();
      return out;
    }
    return Autograd.record(out, "gruCell", g -> {
      Tensor gd = PointwiseFunctions.dense(g);
      Tensor dgi = gi.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, 3 * h) : null;
      Tensor dgh = gh.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, 3 * h) : null;
      Tensor dhp = hPrev != null && hPrev.requiresGrad() ? Tensor.empty(g.device(), DType.F32, b, h) : null;
      Recurrent.gruBackward(b, h, saved, hc, gd, dgi, dgh, dhp);
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
  static Tensor sequence(String op, int mode, Tensor xproj, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0, Tensor mask) {
    int gn = gates(mode);
    long t = xproj.size(0);
    long b = xproj.size(1);
    long h = wHh.size(1);
    long gh = gn * h;
    int planes = mode == LSTM ? 2 : 1;
    Device dev = xproj.device();
    boolean grad = Autograd.needsGrad(xproj, wHh, bHh, h0, c0);
    Tensor xp = PointwiseFunctions.dense(xproj);
    Tensor packed = Tensor.empty(dev, DType.F32, planes, t + 1, b, h);
    Tensor hs = row(packed, 0);
    Tensor cs = planes == 2 ? row(packed, 1) : null;
    initState(hs, h0);
    if (cs != null) initState(cs, c0);
    Tensor m = mask == null ? null : PointwiseFunctions.dense(mask).reshape(t, b, 1);
    // Pre-mask values the backward needs: the RNN's h (for act'), the LSTM's c (for tanh(c)).
    Tensor raw = mask == null || mode == GRU ? null : Tensor.empty(dev, DType.F32, t, b, h);
    Tensor saved = grad && (mode == LSTM || mode == GRU) ? Tensor.empty(dev, DType.F32, t, b, 4 * h) : null;
    Tensor ghBuf = mode == LSTM || mode == GRU ? Tensor.empty(dev, DType.F32, b, gh) : null;
    Tensor hNew = mask != null && mode != RNN_TANH && mode != RNN_RELU ? Tensor.empty(dev, DType.F32, b, h) : null;
    Tensor wc = PointwiseFunctions.dense(wHh);
    for (long s = 0; s < t; s++) {
      try (Tensor xs = row(xp, s); Tensor hPrev = row(hs, s); Tensor hNext = row(hs, s + 1);
          Tensor ms = m == null ? null : row(m, s)) {
        if (mode == RNN_TANH || mode == RNN_RELU) {
          try (Tensor target = raw != null ? row(raw, s) : row(hs, s + 1)) {
            if (bHh != null) Pointwise.binary(Nerve.NV_BINARY_ADD, xs, bHh, target);
            else Memory.copy(xs, target);
            Gemm.gemm(b, h, h, 1f, hPrev, false, h, wc, true, h, 1f, target, h);
            Pointwise.unary(mode == RNN_TANH ? Nerve.NV_UNARY_TANH : Nerve.NV_UNARY_RELU, target, target, 0, 0);
            if (ms != null) blend(hPrev, target, ms, hNext);
          }
          continue;
        }
        if (bHh != null) Memory.expand(bHh, ghBuf);
        Gemm.gemm(b, gh, h, 1f, hPrev, false, h, wc, true, h, bHh != null ? 1f : 0f, ghBuf, gh);
        try (Tensor sv = saved == null ? null : row(saved, s)) {
          if (mode == LSTM) {
            try (Tensor cPrev = row(cs, s); Tensor cNext = row(cs, s + 1); Tensor cTarget = raw != null ? row(raw, s) : null) {
              Recurrent.lstmForward(b, h, xs, ghBuf, cPrev, ms != null ? hNew : hNext, cTarget != null ? cTarget : cNext, sv);
              if (ms != null) {
                blend(hPrev, hNew, ms, hNext);
                blend(cPrev, cTarget, ms, cNext);
              }
            }
          } else {
            Recurrent.gruForward(b, h, xs, ghBuf, hPrev, ms != null ? hNew : hNext, sv);
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
    return Autograd.record(packed, op, g -> backward(mode, g, packed, raw, saved, m, xproj, wc, wHh, bHh, h0, c0, t, b, h),
        xproj, wHh, bHh, h0, c0);
  }

  /**
   * A one-layer recurrent net over x [T, B, I]: checks the shapes, computes the input projection
   * of every step in one GEMM and runs {@link #sequence}.
   */
  static RecurrentOutput layer(String op, int mode, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh,
      Tensor bHh, Tensor mask) {
    int gn = gates(mode);
    F.checkF32(op, "input", x);
    F.checkF32(op, "wIh", wIh);
    F.checkF32(op, "wHh", wHh);
    F.checkSameDevice(op, x, wIh);
    F.checkSameDevice(op, x, wHh);
    if (x.dim() != 3) {
      throw new IllegalArgumentException(op + ": input must be 3-D [T, B, features] but is " + Shapes.str(x.shape()));
    }
    if (wHh.dim() != 2 || wHh.size(0) != gn * wHh.size(1) || wHh.size(1) == 0) {
      throw new IllegalArgumentException(op + ": wHh must be [" + gn + "H, H] but is " + Shapes.str(wHh.shape()));
    }
    long h = wHh.size(1);
    if (wIh.dim() != 2 || wIh.size(0) != gn * h) {
      throw new IllegalArgumentException(op + ": wIh must be [" + gn * h + ", features] (hidden size " + h + ") but is "
          + Shapes.str(wIh.shape()));
    }
    if (x.size(2) != wIh.size(1)) {
      throw new IllegalArgumentException(op + ": input has " + x.size(2) + " features but wIh expects " + wIh.size(1)
          + " (input " + Shapes.str(x.shape()) + ", wIh " + Shapes.str(wIh.shape()) + ")");
    }
    for (Tensor bias : new Tensor[] {bIh, bHh}) {
      if (bias == null) continue;
      F.checkF32(op, "bias", bias);
      F.checkSameDevice(op, x, bias);
      if (bias.dim() != 1 || bias.size(0) != gn * h) {
        throw new IllegalArgumentException(op + ": biases must be [" + gn * h + "] but one is " + Shapes.str(bias.shape()));
      }
    }
    long t = x.size(0);
    long b = x.size(1);
    if (t == 0 || b == 0) {
      throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape()) + " has no steps or no batch rows");
    }
    checkState(op, "h0", h0, b, h, x);
    checkState(op, "c0", c0, b, h, x);
    if (mask != null) {
      F.checkF32(op, "mask", mask);
      F.checkSameDevice(op, x, mask);
      if (mask.dim() != 2 || mask.size(0) != t || mask.size(1) != b) {
        throw new IllegalArgumentException(op + ": mask must be [" + t + ", " + b + "] (steps, batch) but is "
            + Shapes.str(mask.shape()));
      }
    }
    Tensor xproj = F.linear(x, wIh, bIh);
    Tensor maskData = mask == null ? null : mask.detach();
    Tensor packed = sequence(op, mode, xproj, wHh, bHh, h0, c0, maskData);
    Tensor hsAll = packed.slice(0, 0, 1).reshape(t + 1, b, h);
    Tensor out = hsAll.slice(0, 1, t + 1);
    Tensor hLast = hsAll.slice(0, t, t + 1).reshape(b, h);
    Tensor cLast = null;
    if (mode == LSTM) {
      cLast = packed.slice(0, 1, 2).slice(1, t, t + 1).reshape(b, h);
    }
    if (packed.gradFn == null) {
      hsAll.close();
      packed.close();
      xproj.close();
      if (maskData != null) maskData.close();
    }
    return new RecurrentOutput(out, hLast, cLast);
  }

  private static void initState(Tensor states, Tensor init) {
    try (Tensor first = row(states, 0)) {
      if (init == null) Memory.fill(first, 0f);
      else Memory.copy(init, first);
    }
  }

  /** out = prev + m (next - prev): next where the step is real, prev where it is padding. */
  private static void blend(Tensor prev, Tensor next, Tensor m, Tensor out) {
    try (Tensor d = Tensor.empty(prev.device(), DType.F32, prev.shape())) {
      Pointwise.binary(Nerve.NV_BINARY_SUB, next, prev, d);
      Pointwise.binary(Nerve.NV_BINARY_MUL, d, m, d);
      Pointwise.binary(Nerve.NV_BINARY_ADD, prev, d, out);
    }
  }

  private static Tensor[] backward(int mode, Tensor g, Tensor packed, Tensor raw, Tensor saved, Tensor m, Tensor xproj,
      Tensor wc, Tensor wHh, Tensor bHh, Tensor h0, Tensor c0, long t, long b, long h) {
    Device dev = g.device();
    long gh = gates(mode) * h;
    Tensor gd = PointwiseFunctions.dense(g);
    Tensor dx = Tensor.empty(dev, DType.F32, t, b, gh);  // gradient of the gates: of xproj, and of gh
    Tensor dghAll = mode == GRU ? Tensor.empty(dev, DType.F32, t, b, gh) : null;  // GRU: gh's own
    Tensor hs = row(packed, 0);
    Tensor cs = mode == LSTM ? row(packed, 1) : null;
    Tensor dhs = row(gd, 0);
    Tensor dcs = mode == LSTM ? row(gd, 1) : null;
    Tensor dhCarry = Tensor.zeros(dev, b, h);
    Tensor dcCarry = mode == LSTM ? Tensor.zeros(dev, b, h) : null;
    for (long s = t - 1; s >= 0; s--) {
      Tensor dH;
      Tensor dC = null;
      try (Tensor gOut = row(dhs, s + 1)) {
        dH = Memory.add(gOut, dhCarry);
      }
      dhCarry.close();
      if (dcs != null) {
        try (Tensor gOut = row(dcs, s + 1)) {
          dC = Memory.add(gOut, dcCarry);
        }
        dcCarry.close();
      }
      try (Tensor ms = m == null ? null : row(m, s); Tensor dxs = row(dx, s); Tensor hPrev = row(hs, s)) {
        Tensor dHr = ms == null ? dH : masked(dH, ms);
        Tensor dCr = ms == null || dC == null ? dC : masked(dC, ms);
        Tensor next = Tensor.empty(dev, DType.F32, b, h);
        if (mode == RNN_TANH || mode == RNN_RELU) {
          try (Tensor y = raw != null ? row(raw, s) : row(hs, s + 1)) {
            Pointwise.unaryBackward(mode == RNN_TANH ? Nerve.NV_UNARY_TANH : Nerve.NV_UNARY_RELU, y, y, dHr, dxs, 0, 0);
          }
          Gemm.gemm(b, h, h, 1f, dxs, false, h, wc, false, h, 0f, next, h);
        } else if (mode == LSTM) {
          Tensor dcPrev = Tensor.empty(dev, DType.F32, b, h);
          try (Tensor sv = row(saved, s); Tensor cPrev = row(cs, s); Tensor c = raw != null ? row(raw, s) : row(cs, s + 1)) {
            Recurrent.lstmBackward(b, h, sv, cPrev, c, dHr, dCr, dxs, dcPrev);
          }
          Gemm.gemm(b, h, gh, 1f, dxs, false, gh, wc, false, h, 0f, next, h);
          if (ms != null) addDifference(dcPrev, dC, dCr);
          dcCarry = dcPrev;
        } else {
          try (Tensor sv = row(saved, s); Tensor dghs = row(dghAll, s)) {
            Recurrent.gruBackward(b, h, sv, hPrev, dHr, dxs, dghs, next);
            Gemm.gemm(b, h, gh, 1f, dghs, false, gh, wc, false, h, 1f, next, h);
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
    Tensor dG = mode == GRU ? dghAll : dx;
    Tensor dW = null;
    if (wHh.requiresGrad()) {
      dW = Tensor.empty(dev, DType.F32, gh, h);
      // dW_hh = sum over steps of dgates_s^T h_{s-1}: one GEMM over all T B rows.
      Gemm.gemm(gh, h, t * b, 1f, dG, true, gh, hs, false, h, 0f, dW, h);
    }
    Tensor db = null;
    if (bHh != null && bHh.requiresGrad()) {
      db = Tensor.empty(dev, DType.F32, gh);
      Reductions.reduce(Reductions.SUM, dG, 1, t * b, gh, db);
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

  private static Tensor masked(Tensor d, Tensor m) {
    Tensor out = Tensor.empty(d.device(), DType.F32, d.shape());
    Pointwise.binary(Nerve.NV_BINARY_MUL, d, m, out);
    return out;
  }

  /** acc += full - part (the (1 - m) share of a gradient). */
  private static void addDifference(Tensor acc, Tensor full, Tensor part) {
    Pointwise.binary(Nerve.NV_BINARY_ADD, acc, full, acc);
    Pointwise.binary(Nerve.NV_BINARY_SUB, acc, part, acc);
  }

  // ---------------------------------------------------------------- embedding, stack

  static Tensor embedding(Tensor indices, Tensor weight) {
    String op = "embedding";
    F.checkF32(op, "weight", weight);
    if (indices == null) throw new IllegalArgumentException(op + ": indices is null");
    indices.checkOpen(op);
    if (indices.dtype() != DType.I32) {
      throw new IllegalArgumentException(op + ": indices must be i32 but are " + indices.dtype() + " (shape "
          + Shapes.str(indices.shape()) + ")");
    }
    F.checkSameDevice(op, indices, weight);
    if (weight.dim() != 2) {
      throw new IllegalArgumentException(op + ": weight must be 2-D [num, dim], got " + Shapes.str(weight.shape()));
    }
    long num = weight.size(0);
    long dim = weight.size(1);
    Tensor idx = PointwiseFunctions.dense(indices);
    Tensor w = PointwiseFunctions.dense(weight);
    long[] shape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
    shape[indices.dim()] = dim;
    Tensor out = Tensor.empty(weight.device(), DType.F32, shape);
    try {
      Recurrent.gatherRows(w, idx, out);
    } catch (IllegalArgumentException e) {
      out.close();
      throw new IllegalArgumentException(op + ": " + e.getMessage().replace("nv_gather_rows_f32: ", "")
          + " (the table has " + num + " rows, indices " + Shapes.str(indices.shape()) + ")", e);
    } finally {
      if (w != weight) w.close();
    }
    return Autograd.record(out, op, g -> {
      Tensor gd = PointwiseFunctions.dense(g);
      Tensor dw = Tensor.zeros(g.device(), num, dim);
      Recurrent.scatterAddRows(gd, idx, dw);
      if (gd != g) gd.close();
      return new Tensor[] {dw};
    }, weight);
  }

  static Tensor stack(List<Tensor> xs, int dim) {
    String op = "stack";
    if (xs == null || xs.isEmpty()) throw new IllegalArgumentException(op + ": no tensors");
    Tensor first = xs.get(0);
    F.checkF32(op, "tensors[0]", first);
    for (int i = 1; i < xs.size(); i++) {
      Tensor x = xs.get(i);
      F.checkF32(op, "tensors[" + i + "]", x);
      F.checkSameDevice(op, first, x);
      if (!java.util.Arrays.equals(first.shape(), x.shape())) {
        throw new IllegalArgumentException(op + ": tensors[" + i + "] is " + Shapes.str(x.shape()) + " but tensors[0] is "
            + Shapes.str(first.shape()));
      }
    }
    int n = first.dim();
    int d = dim < 0 ? dim + n + 1 : dim;
    if (d < 0 || d > n) throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for " + n + "-D tensors");
    long[] shape = new long[n + 1];
    for (int i = 0, j = 0; i <= n; i++) shape[i] = i == d ? xs.size() : first.shape()[j++];
    Tensor out = Tensor.empty(first.device(), DType.F32, shape);
    try (Grad off = Grad.off()) {
      for (int i = 0; i < xs.size(); i++) {
        try (Tensor v = select(out, d, i)) {
          Memory.copy(xs.get(i), v);
        }
      }
    }
    Tensor[] inputs = xs.toArray(new Tensor[0]);
    return Autograd.record(out, op, g -> {
      Tensor[] r = new Tensor[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        if (!inputs[i].requiresGrad()) continue;
        r[i] = select(g, d, i);
      }
      return r;
    }, inputs);
  }
}
