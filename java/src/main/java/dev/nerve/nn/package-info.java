/**
 * Layers as {@link dev.nerve.nn.Module}s (linear, convolution, pooling, normalisation, dropout,
 * recurrent, attention, containers), loss classes, and weight initialisation ({@link dev.nerve.nn.Init}),
 * following torch.nn's names, shapes and defaults.
 */
package dev.nerve.nn;
