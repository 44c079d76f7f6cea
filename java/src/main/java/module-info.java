/**
 * Nerve: tensors on a device, define-by-run autograd, layers, losses, optimizers and
 * learning-rate schedules, data loading and safetensors checkpoints.
 *
 * <p>Exports the public API only; {@code dev.nerve.internal} (autograd and the ops'
 * implementations) and {@code dev.nerve.internal.ops} (the only code that calls the JavaCPP
 * bindings) are not exported. On the class path ({@code java -cp}) this descriptor is ignored and
 * everything works as before. On the module path the native libraries live in the platform
 * modules, which nothing requires by name: add them with
 * {@code --add-modules dev.nerve.presets.linux.x86_64,org.bytedeco.javacpp.linux.x86_64} (or
 * {@code ALL-MODULE-PATH}).
 */
module dev.nerve {
  requires dev.nerve.presets;
  requires org.bytedeco.javacpp;
  // Only for dev.nerve.cuda.CudaReference (cuBLAS / cuDNN reference path), loaded on demand.
  requires static org.bytedeco.cuda;
  // Only for dev.nerve.data.ImageFolder (javax.imageio decodes PNG and JPEG): a runtime image
  // without java.desktop runs everything else.
  requires static java.desktop;

  exports dev.nerve;
  exports dev.nerve.cuda;
  exports dev.nerve.data;
  exports dev.nerve.io;
  exports dev.nerve.nn;
  exports dev.nerve.optim;
}
