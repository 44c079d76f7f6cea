// Fused LSTM and GRU cell kernel bodies, compiled once per ISA by isa_sections.inl. No include
// guard. Each row of the batch is independent; within a row the four (three) gate slices are
// walked together, one vector of each per step, so every input is read and every output
// written exactly once.

// Rows per parallel chunk: at least ~16K gate elements, so small batches stay on one thread
// (a cell at batch 4, hidden 256 is a few microseconds of work: waking the pool costs more).
static inline int64_t cell_grain(int64_t H) { return 4096 / (H + 1) + 1; }

static inline V::T one_minus(V::T a) { return V::sub(V::set1(1.0f), a); }

// Loads n (< W or == W) lanes; full vectors in the main loop, a masked one for the tail.
static inline V::T ld(const float* p, int64_t n) { return n == V::W ? V::load(p) : V::load_n(p, n); }
static inline void st(float* p, V::T v, int64_t n) {
  if (n == V::W) V::store(p, v);
  else V::store_n(p, v, n);
}

static void lstm_cell_forward(nv_ctx* ctx, int64_t B, int64_t H, const float* gx,
                              const float* gh, const float* c_prev, float* h, float* c,
                              float* saved) {
  parallel_for(ctx, B, cell_grain(H), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const float* x = gx + b * 4 * H;
      const float* y = gh ? gh + b * 4 * H : nullptr;
      const float* cp = c_prev ? c_prev + b * H : nullptr;
      float* hr = h + b * H;
      float* cr = c + b * H;
      float* sv = saved ? saved + b * 4 * H : nullptr;
      for (int64_t j = 0; j < H; j += V::W) {
        int64_t n = H - j < V::W ? H - j : V::W;
        V::T pi = ld(x + j, n), pf = ld(x + H + j, n), pg = ld(x + 2 * H + j, n),
             po = ld(x + 3 * H + j, n);
        if (y) {
          pi = V::add(pi, ld(y + j, n));
          pf = V::add(pf, ld(y + H + j, n));
          pg = V::add(pg, ld(y + 2 * H + j, n));
          po = V::add(po, ld(y + 3 * H + j, n));
        }
        V::T i = v_sigmoid(pi), f = v_sigmoid(pf), g = v_tanh(pg), o = v_sigmoid(po);
        V::T cn = V::mul(i, g);
        if (cp) cn = V::fma(f, ld(cp + j, n), cn);
        st(cr + j, cn, n);
        st(hr + j, V::mul(o, v_tanh(cn)), n);
        if (sv) {
          st(sv + j, i, n);
          st(sv + H + j, f, n);
          st(sv + 2 * H + j, g, n);
          st(sv + 3 * H + j, o, n);
        }
      }
    }
  });
}

static void lstm_cell_backward(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                               const float* c_prev, const float* c, const float* dh,
                               const float* dc, float* dgates, float* dc_prev) {
  parallel_for(ctx, B, cell_grain(H), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const float* sv = saved + b * 4 * H;
      const float* cp = c_prev ? c_prev + b * H : nullptr;
      const float* cr = c + b * H;
      const float* dhr = dh ? dh + b * H : nullptr;
      const float* dcr = dc ? dc + b * H : nullptr;
      float* dgr = dgates + b * 4 * H;
      float* dcp = dc_prev ? dc_prev + b * H : nullptr;
      for (int64_t j = 0; j < H; j += V::W) {
        int64_t n = H - j < V::W ? H - j : V::W;
        V::T i = ld(sv + j, n), f = ld(sv + H + j, n), g = ld(sv + 2 * H + j, n),
             o = ld(sv + 3 * H + j, n);
        V::T tc = v_tanh(ld(cr + j, n));
        V::T gh = dhr ? ld(dhr + j, n) : V::zero();
        V::T dct = dcr ? ld(dcr + j, n) : V::zero();
        dct = V::fma(V::mul(gh, o), one_minus(V::mul(tc, tc)), dct);
        V::T cpv = cp ? ld(cp + j, n) : V::zero();
        st(dgr + j, V::mul(V::mul(dct, g), V::mul(i, one_minus(i))), n);
        st(dgr + H + j, V::mul(V::mul(dct, cpv), V::mul(f, one_minus(f))), n);
        st(dgr + 2 * H + j, V::mul(V::mul(dct, i), one_minus(V::mul(g, g))), n);
        st(dgr + 3 * H + j, V::mul(V::mul(gh, tc), V::mul(o, one_minus(o))), n);
        if (dcp) st(dcp + j, V::mul(dct, f), n);
      }
    }
  });
}

static void gru_cell_forward(nv_ctx* ctx, int64_t B, int64_t H, const float* gi,
                             const float* gh, const float* h_prev, float* h, float* saved) {
  parallel_for(ctx, B, cell_grain(H), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const float* x = gi + b * 3 * H;
      const float* y = gh + b * 3 * H;
      const float* hp = h_prev ? h_prev + b * H : nullptr;
      float* hr = h + b * H;
      float* sv = saved ? saved + b * 4 * H : nullptr;
      for (int64_t j = 0; j < H; j += V::W) {
        int64_t n = H - j < V::W ? H - j : V::W;
        V::T r = v_sigmoid(V::add(ld(x + j, n), ld(y + j, n)));
        V::T z = v_sigmoid(V::add(ld(x + H + j, n), ld(y + H + j, n)));
        V::T hn = ld(y + 2 * H + j, n);
        V::T nn = v_tanh(V::fma(r, hn, ld(x + 2 * H + j, n)));
        V::T hpv = hp ? ld(hp + j, n) : V::zero();
        // (1 - z) n + z h_prev = n + z (h_prev - n)
        st(hr + j, V::fma(z, V::sub(hpv, nn), nn), n);
        if (sv) {
          st(sv + j, r, n);
          st(sv + H + j, z, n);
          st(sv + 2 * H + j, nn, n);
          st(sv + 3 * H + j, hn, n);
        }
      }
    }
  });
}

static void gru_cell_backward(nv_ctx* ctx, int64_t B, int64_t H, const float* saved,
                              const float* h_prev, const float* dh, float* dgi, float* dgh,
                              float* dh_prev) {
  parallel_for(ctx, B, cell_grain(H), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const float* sv = saved + b * 4 * H;
      const float* hp = h_prev ? h_prev + b * H : nullptr;
      const float* dhr = dh + b * H;
      float* di = dgi ? dgi + b * 3 * H : nullptr;
      float* dg = dgh ? dgh + b * 3 * H : nullptr;
      float* dhp = dh_prev ? dh_prev + b * H : nullptr;
      for (int64_t j = 0; j < H; j += V::W) {
        int64_t n = H - j < V::W ? H - j : V::W;
        V::T r = ld(sv + j, n), z = ld(sv + H + j, n), nn = ld(sv + 2 * H + j, n),
             hn = ld(sv + 3 * H + j, n);
        V::T d = ld(dhr + j, n);
        V::T hpv = hp ? ld(hp + j, n) : V::zero();
        V::T dn = V::mul(V::mul(d, one_minus(z)), one_minus(V::mul(nn, nn)));
        V::T dr = V::mul(V::mul(dn, hn), V::mul(r, one_minus(r)));
        V::T dz = V::mul(V::mul(d, V::sub(hpv, nn)), V::mul(z, one_minus(z)));
        if (di) {
          st(di + j, dr, n);
          st(di + H + j, dz, n);
          st(di + 2 * H + j, dn, n);
        }
        if (dg) {
          st(dg + j, dr, n);
          st(dg + H + j, dz, n);
          st(dg + 2 * H + j, V::mul(dn, r), n);
        }
        if (dhp) st(dhp + j, V::mul(d, z), n);
      }
    }
  });
}
