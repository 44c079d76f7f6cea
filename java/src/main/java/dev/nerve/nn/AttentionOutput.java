package dev.nerve.nn;

import dev.nerve.Tensor;

/** What an attention module returns: context [B, Dv] and weights [B, S] (each row sums to 1). */
public record AttentionOutput(Tensor context, Tensor weights) {}
