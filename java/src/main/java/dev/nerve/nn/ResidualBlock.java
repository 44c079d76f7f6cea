package dev.nerve.nn;

import dev.nerve.Device;
import dev.nerve.Generator;
import dev.nerve.Tensor;

/**
 * The basic block of ResNet (He et al. 2015): y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)),
 * conv1 3x3 with the given stride, conv2 3x3, both without bias (batch norm follows). The shortcut
 * is the identity when the shape is kept, else a 1x1 convolution with the stride and a batch
 * norm (the projection shortcut, "option B").
 *
 * <p>Shapes: [N, in, H, W] to [N, out, ceil(H / stride), ceil(W / stride)].
 */
public final class ResidualBlock extends Module {
  private final Conv2d conv1;
  private final BatchNorm2d bn1;
  private final Conv2d conv2;
  private final BatchNorm2d bn2;
  private final Conv2d projection;
  private final BatchNorm2d projectionBn;

  /** On the default device, drawing from the global generator. */
  public ResidualBlock(long in, long out, int stride) {
    this(in, out, stride, Device.defaultDevice(), Generator.global());
  }

  /**
   * @param in input channels
   * @param out output channels
   * @param stride of conv1 (and of the projection): 2 halves H and W
   */
  public ResidualBlock(long in, long out, int stride, Device device, Generator gen) {
    try {
      conv1 = registerModule("conv1", new Conv2d(in, out, 3, stride, 1, 1, 1, false, device, gen));
      bn1 = registerModule("bn1", new BatchNorm2d(out, 1e-5f, 0.1f, device));
      conv2 = registerModule("conv2", new Conv2d(out, out, 3, 1, 1, 1, 1, false, device, gen));
      bn2 = registerModule("bn2", new BatchNorm2d(out, 1e-5f, 0.1f, device));
      if (stride != 1 || in != out) {
        projection = registerModule("projection", new Conv2d(in, out, 1, stride, 0, 1, 1, false, device, gen));
        projectionBn = registerModule("projectionBn", new BatchNorm2d(out, 1e-5f, 0.1f, device));
      } else {
        projection = null;
        projectionBn = null;
      }
    } catch (RuntimeException | Error e) {
      close();  // frees the sub-layers made before the failure
      throw e;
    }
  }

  /** True when the shortcut is a 1x1 projection rather than the identity. */
  public boolean hasProjection() {
    return projection != null;
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor h = bn1.forward(conv1.forward(x)).relu();
    h = bn2.forward(conv2.forward(h));
    Tensor shortcut = projection == null ? x : projectionBn.forward(projection.forward(x));
    return h.add(shortcut).relu();
  }

  @Override
  public String toString() {
    return "ResidualBlock(" + conv1 + ", " + conv2 + (projection != null ? ", projection " + projection : ", identity") + ")";
  }
}
