package dev.nerve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.nn.AttentionOutput;
import dev.nerve.nn.BahdanauAttention;
import dev.nerve.nn.Embedding;
import dev.nerve.nn.GRU;
import dev.nerve.nn.GRUCell;
import dev.nerve.nn.LSTM;
import dev.nerve.nn.LSTMCell;
import dev.nerve.nn.LuongAttention;
import dev.nerve.nn.RNN;
import dev.nerve.nn.Seq2Seq;
import dev.nerve.nn.TruncatedBptt;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recurrent ops and modules against finite differences (see GradCheck), the fused sequence
 * layers against step-by-step cells, and their bad-input messages.
 */
class RecurrentGradientTest {
  private final Device cpu = Device.cpu();
  private final Generator gen = new Generator(7);

  private Tensor param(float lo, float hi, long... shape) {
    return Tensor.rand(cpu, gen, lo, hi, shape).keep().requiresGrad(true);
  }

  private static Tensor both(LstmState s) {
    return F.stack(List.of(s.h(), s.c()), 0);
  }

  @Test
  void fusedCells() {
    Tensor gx = param(-2, 2, 3, 4 * 5);
    Tensor gh = param(-2, 2, 3, 4 * 5);
    Tensor c = param(-1, 1, 3, 5);
    GradCheck.check("lstmGates (h, c)", in -> both(F.lstmGates(in[0], in[1], in[2])), gx, gh, c);
    GradCheck.check("lstmGates h only, no gh", in -> F.lstmGates(in[0], null, in[1]).h(), gx, c);
    GradCheck.check("lstmGates c only, no c_prev", in -> F.lstmGates(in[0], in[1], null).c(), gx, gh);
    Tensor gi = param(-2, 2, 3, 3 * 5);
    Tensor gh3 = param(-2, 2, 3, 3 * 5);
    Tensor h = param(-1, 1, 3, 5);
    GradCheck.check("gruGates", in -> F.gruGates(in[0], in[1], in[2]), gi, gh3, h);
    GradCheck.check("gruGates no h_prev", in -> F.gruGates(in[0], in[1], null), gi, gh3);
  }

  @Test
  void cellModules() {
    LSTMCell lc = new LSTMCell(4, 3, cpu, gen);
    Tensor x = param(-1, 1, 2, 4);
    Tensor h = param(-1, 1, 2, 3);
    Tensor c = param(-1, 1, 2, 3);
    Tensor[] ins = concat(new Tensor[] {x, h, c}, lc.parameters());
    GradCheck.check("LSTMCell", in -> both(lc.forward(in[0], new LstmState(in[1], in[2]))), ins);
    GRUCell gc = new GRUCell(4, 3, cpu, gen);
    GradCheck.check("GRUCell", in -> gc.forward(in[0], in[1]), concat(new Tensor[] {x, h}, gc.parameters()));
    GradCheck.check("GRUCell zero state", in -> gc.forward(in[0]), x);
  }

  private static Tensor[] concat(Tensor[] a, List<Tensor> b) {
    Tensor[] r = java.util.Arrays.copyOf(a, a.length + b.size());
    for (int i = 0; i < b.size(); i++) r[a.length + i] = b.get(i);
    return r;
  }

  @Test
  void sequenceLayers() {
    long t = 4, b = 2, in = 3, hd = 3;
    Tensor x = param(-1, 1, t, b, in);
    Tensor h0 = param(-0.5f, 0.5f, b, hd);
    Tensor c0 = param(-0.5f, 0.5f, b, hd);
    Tensor mask = Tensor.of(cpu, new float[] {1, 1, 1, 1, 1, 0, 1, 0}, t, b);
    for (int mode = 0; mode < 4; mode++) {
      int gn = mode == 2 ? 4 : mode == 3 ? 3 : 1;
      Tensor wIh = param(-0.6f, 0.6f, gn * hd, in);
      Tensor wHh = param(-0.6f, 0.6f, gn * hd, hd);
      Tensor bIh = param(-0.3f, 0.3f, gn * hd);
      Tensor bHh = param(-0.3f, 0.3f, gn * hd);
      final int m = mode;
      for (Tensor mk : new Tensor[] {null, mask}) {
        String name = new String[] {"rnn tanh", "rnn relu", "lstm", "gru"}[m] + (mk == null ? "" : " masked");
        GradCheck.check(name + " layer", ins -> {
          RecurrentOutput o = m == 2 ? layer(m, ins[0], ins[1], ins[2], ins[3], ins[4], ins[5], ins[6], mk)
              : layer(m, ins[0], ins[1], null, ins[2], ins[3], ins[4], ins[5], mk);
          Tensor r = o.output().sum(0, false).add(o.h().mul(2f));
          return o.c() == null ? r : r.add(o.c().mul(3f));
        }, m == 2 ? new Tensor[] {x, h0, c0, wIh, wHh, bIh, bHh} : new Tensor[] {x, h0, wIh, wHh, bIh, bHh});
      }
    }
  }

  private static RecurrentOutput layer(int mode, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh,
      Tensor bHh, Tensor mask) {
    switch (mode) {
      case 0: return F.rnnLayer(x, h0, wIh, wHh, bIh, bHh, false, mask);
      case 1: return F.rnnLayer(x, h0, wIh, wHh, bIh, bHh, true, mask);
      case 2: return F.lstmLayer(x, new LstmState(h0, c0), wIh, wHh, bIh, bHh, mask);
      default: return F.gruLayer(x, h0, wIh, wHh, bIh, bHh, mask);
    }
  }

  @Test
  void fusedLayerMatchesStepByStepCells() {
    long t = 5, b = 3, in = 4, hd = 6;
    try (Scope s = Scope.open()) {
      Tensor x = Tensor.rand(cpu, gen, -1, 1, t, b, in);
      Tensor wIh = Tensor.rand(cpu, gen, -0.5f, 0.5f, 4 * hd, in);
      Tensor wHh = Tensor.rand(cpu, gen, -0.5f, 0.5f, 4 * hd, hd);
      Tensor bIh = Tensor.rand(cpu, gen, -0.5f, 0.5f, 4 * hd);
      Tensor bHh = Tensor.rand(cpu, gen, -0.5f, 0.5f, 4 * hd);
      RecurrentOutput o = F.lstmLayer(x, null, wIh, wHh, bIh, bHh, null);
      LstmState st = null;
      float worst = 0;
      for (long k = 0; k < t; k++) {
        st = F.lstmCell(x.slice(0, k, k + 1).reshape(b, in), st, wIh, wHh, bIh, bHh);
        float[] want = st.h().toArray();
        float[] got = o.output().slice(0, k, k + 1).toArray();
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
      }
      System.out.printf("lstm layer vs cells: max |diff| = %.2e%n", worst);
      assertTrue(worst < 1e-5, "lstm layer differs from step-by-step cells by " + worst);
      assertArrayEquals(st.c().toArray(), o.c().toArray(), 1e-5f);
    }
  }

  @Test
  void modulesMultiLayerBatchFirst() {
    LSTM lstm = new LSTM(3, 4, 2, true, cpu, gen);
    Tensor x = param(-1, 1, 2, 5, 3);  // [B, T, in]
    Tensor h0 = param(-0.5f, 0.5f, 2, 2, 4);
    Tensor c0 = param(-0.5f, 0.5f, 2, 2, 4);
    GradCheck.check("LSTM 2 layers batchFirst", in -> {
      RecurrentOutput o = lstm.forward(in[0], new LstmState(in[1], in[2]));
      assertArrayEquals(new long[] {2, 5, 4}, o.output().shape());
      assertArrayEquals(new long[] {2, 2, 4}, o.h().shape());
      return o.output().sum(1, false).add(o.c().sum(0, false));
    }, concat(new Tensor[] {x, h0, c0}, lstm.parameters()));
    GRU gru = new GRU(3, 4, 2, false, cpu, gen);
    Tensor xt = param(-1, 1, 5, 2, 3);
    GradCheck.check("GRU 2 layers", in -> gru.forward(in[0], in[1]).h(), concat(new Tensor[] {xt, h0}, gru.parameters()));
    RNN rnn = new RNN(3, 4, 2, false, true, cpu, gen);
    GradCheck.check("RNN 2 layers", in -> rnn.forward(in[0]), concat(new Tensor[] {x}, rnn.parameters()));
  }

  @Test
  void maskedFinalStateIsTheLastRealStep() {
    try (Scope s = Scope.open()) {
      LSTM lstm = new LSTM(2, 3, 1, true, cpu, gen);
      Tensor x = Tensor.rand(cpu, gen, -1, 1, 1, 6, 2);
      Tensor mask = Tensor.of(cpu, new float[] {1, 1, 1, 1, 0, 0}, 1, 6);
      RecurrentOutput full = lstm.forward(x, null, mask);
      RecurrentOutput shortRun = lstm.forward(x.slice(1, 0, 4), null);
      assertArrayEquals(shortRun.h().toArray(), full.h().toArray(), 1e-6f);
      assertArrayEquals(shortRun.c().toArray(), full.c().toArray(), 1e-6f);
      lstm.close();
    }
  }

  @Test
  void embeddingAndStack() {
    Tensor w = param(-1, 1, 5, 3);
    Tensor idx = Tensor.ofInts(cpu, new int[] {4, 0, 4, 2, 4, 1}, 2, 3);
    GradCheck.check("embedding (repeated rows)", in -> F.embedding(idx, in[0]), w);
    Embedding e = new Embedding(5, 3, cpu, gen);
    GradCheck.check("Embedding module", in -> e.forward(idx), e.weight());
    Tensor a = param(-1, 1, 2, 3);
    Tensor b = param(-1, 1, 2, 3);
    GradCheck.check("stack dim 1", in -> F.stack(List.of(in[0], in[1], in[0]), 1), a, b);
  }

  @Test
  void attention() {
    BahdanauAttention add = new BahdanauAttention(3, 4, 5, cpu, gen);
    Tensor q = param(-1, 1, 2, 3);
    Tensor k = param(-1, 1, 2, 6, 4);
    Tensor mask = Tensor.of(cpu, new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 2, 6);
    GradCheck.check("Bahdanau context", in -> add.forward(in[0], in[1], in[1], mask).context(),
        concat(new Tensor[] {q, k}, add.parameters()));
    GradCheck.check("Bahdanau weights", in -> add.forward(in[0], in[1], in[1], null).weights(), q, k);
    try (Scope s = Scope.open()) {
      float[] w = add.forward(q, k, k, mask).weights().toArray();
      assertEquals(0f, w[6 + 3] + w[6 + 4] + w[6 + 5], 1e-7f, "masked positions get weight");
      float sum = 0;
      for (int i = 0; i < 6; i++) sum += w[i];
      assertEquals(1f, sum, 1e-5f);
    }
    LuongAttention dot = new LuongAttention(4, true);
    Tensor q4 = param(-1, 1, 2, 4);
    Tensor v = param(-1, 1, 2, 6, 2);
    GradCheck.check("Luong context", in -> dot.forward(in[0], in[1], in[2], mask).context(), q4, k, v);
    GradCheck.check("Luong weights", in -> dot.forward(in[0], in[1], v, null).weights(), q4, k);
  }

  @Test
  void seq2seqTeacherForcingAndGreedy() {
    Seq2Seq m = new Seq2Seq(7, 6, 4, 5, 4, cpu, gen);
    Tensor src = Tensor.ofInts(cpu, new int[] {1, 2, 3, 4, 5, 6, 1, 0}, 2, 4);
    Tensor mask = Tensor.of(cpu, new float[] {1, 1, 1, 1, 1, 1, 1, 0}, 2, 4);
    Tensor tgt = Tensor.ofInts(cpu, new int[] {0, 3, 2, 0, 5, 1}, 2, 3);
    List<Tensor> ps = m.parameters();
    GradCheck.check("Seq2Seq logits", in -> m.forward(src, mask, tgt).logits(), ps.toArray(new Tensor[0]));
    Seq2Seq.Decoded d = m.greedy(src, mask, 0, 3);
    assertEquals(2, d.tokens().length);
    assertEquals(3, d.tokens()[0].length);
    assertEquals(0f, d.weights()[1][2][3], 1e-7f);
  }

  @Test
  void truncatedBpttCarriesStateAndCutsTheGraph() {
    LSTM lstm = new LSTM(2, 3, 1, false, cpu, gen);
    Tensor x = Tensor.rand(cpu, gen, -1, 1, 10, 2, 2).keep();
    int[] chunks = {0};
    LstmState last = TruncatedBptt.run(10, 4, null, (start, end, state) -> {
      if (state != null) assertTrue(!state.h().requiresGrad(), "the carried state must be detached");
      RecurrentOutput o = lstm.forward(x.slice(0, start, end), state);
      o.output().sum().backward();
      chunks[0]++;
      return o.state();
    });
    assertEquals(3, chunks[0]);
    try (Scope s = Scope.open(); Grad g = Grad.off()) {
      RecurrentOutput whole = lstm.forward(x, null);
      assertArrayEquals(whole.h().toArray(), last.h().toArray(), 1e-6f);
    }
    last.close();
    x.close();
  }

  @Test
  void badInput() {
    try (Scope s = Scope.open()) {
      LSTM lstm = new LSTM(3, 4, 2, false, cpu, gen);
      Tensor x = Tensor.zeros(cpu, 5, 2, 3);
      String m1 = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(cpu, 5, 2, 7))).getMessage();
      assertTrue(m1.contains("input has 7 features but the layer expects 3"), m1);
      String m2 = assertThrows(IllegalArgumentException.class,
          () -> lstm.forward(x, new LstmState(Tensor.zeros(cpu, 2, 3, 4), Tensor.zeros(cpu, 2, 2, 4)))).getMessage();
      assertTrue(m2.contains("h0 must be [layers, B, hidden] = [2, 2, 4] but is [2, 3, 4]"), m2);
      String m3 = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(cpu, 5, 3))).getMessage();
      assertTrue(m3.contains("must be 3-D"), m3);
      String m4 = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, null, Tensor.ones(cpu, 4, 2))).getMessage();
      assertTrue(m4.contains("mask must be [T, B] = [5, 2]"), m4);
      Embedding e = new Embedding(10, 3, cpu, gen);
      String m5 = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.ofInts(cpu, new int[] {1, 10, 2}, 3))).getMessage();
      assertTrue(m5.contains("embedding: index 10 at position 1 is outside [0, 10)"), m5);
      String m6 = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.zeros(cpu, 3))).getMessage();
      assertTrue(m6.contains("indices must be i32"), m6);
      String m7 = assertThrows(IllegalArgumentException.class,
          () -> F.lstmGates(Tensor.zeros(cpu, 2, 8), null, Tensor.zeros(cpu, 3, 2))).getMessage();
      assertTrue(m7.contains("lstmGates: cPrev must be [2, 2] but is [3, 2]"), m7);
      String m8 = assertThrows(IllegalArgumentException.class, () -> F.gruGates(Tensor.zeros(cpu, 2, 7), Tensor.zeros(cpu, 2, 7), null))
          .getMessage();
      assertTrue(m8.contains("gruGates: gi must be [B, 3H]"), m8);
      BahdanauAttention att = new BahdanauAttention(3, 4, 5, cpu, gen);
      String m9 = assertThrows(IllegalArgumentException.class,
          () -> att.forward(Tensor.zeros(cpu, 2, 3), Tensor.zeros(cpu, 3, 6, 4), Tensor.zeros(cpu, 3, 6, 4), null)).getMessage();
      assertTrue(m9.contains("keys must be [B, S, 4] with B = 2"), m9);
      String m10 = assertThrows(IllegalArgumentException.class,
          () -> F.rnnLayer(Tensor.zeros(cpu, 4, 2, 3), null, Tensor.zeros(cpu, 5, 3), Tensor.zeros(cpu, 4, 4), null, null, false, null))
          .getMessage();
      assertTrue(m10.contains("wIh must be [4, features]"), m10);
      lstm.close();
      e.close();
      att.close();
    }
  }
}
