/**
 * Tensors, devices and autograd: {@link dev.nerve.Tensor} (an n-dimensional f32 or i32 array on a
 * {@link dev.nerve.Device}), the functional ops in {@link dev.nerve.F}, {@link dev.nerve.Scope}
 * (frees the tensors made inside it), {@link dev.nerve.Grad} (turns gradient recording off) and
 * {@link dev.nerve.Generator} (seeded random numbers).
 */
package dev.nerve;
