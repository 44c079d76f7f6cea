/**
 * Optimizers ({@link dev.nerve.optim.SGD}, {@link dev.nerve.optim.RMSprop},
 * {@link dev.nerve.optim.Adam}, {@link dev.nerve.optim.AdamW}: one fused native update per step),
 * gradient clipping ({@link dev.nerve.optim.Clipping}) and learning-rate schedules.
 */
package dev.nerve.optim;
