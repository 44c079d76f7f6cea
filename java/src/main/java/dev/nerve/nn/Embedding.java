package dev.nerve.nn;

import dev.nerve.DType;
import dev.nerve.Device;
import dev.nerve.F;
import dev.nerve.Generator;
import dev.nerve.Grad;
import dev.nerve.Tensor;

/**
 * Lookup table, as torch.nn.Embedding: out[..., :] = weight[indices[...], :]. indices are i32 of
 * any shape with values in [0, num); out is [..., dim]. The backward scatter-adds the output's
 * gradient into the rows that were read (repeated indices sum). Initialisation N(0, 1), as PyTorch.
 */
public final class Embedding extends Module {
  private final long num;
  private final long dim;
  private final Tensor weight;

  /** num rows of dim numbers, on the default device, drawing from the global generator. */
  public Embedding(long num, long dim) {
    this(num, dim, Device.defaultDevice(), Generator.global());
  }

  /**
   * @throws IllegalArgumentException for a size that is not positive, a null device or
   *     generator, or parameters that cannot exist: their element count overflows a long or their
   *     bytes exceed the memory of a CPU or cuda-sim device (checked before anything is allocated)
   * @throws dev.nerve.NerveException when the device's allocator runs out of memory; what was
   *     allocated before is freed
   */
  public Embedding(long num, long dim, Device device, Generator gen) {
    if (num <= 0 || dim <= 0) throw new IllegalArgumentException("Embedding: num and dim must be positive, got " + num + ", " + dim);
    ParameterSizes.requireGenerator("Embedding", gen);
    new ParameterSizes("Embedding", "num=" + num + ", dim=" + dim).tensor(num, dim).check(device);
    this.num = num;
    this.dim = dim;
    weight = registerParameter("weight", Tensor.empty(device, DType.F32, num, dim));
    try (Grad g = Grad.off()) {
      weight.fillNormal(gen, 0f, 1f);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** The table [num, dim]. */
  public Tensor weight() {
    return weight;
  }

  @Override
  public Tensor forward(Tensor indices) {
    return F.embedding(indices, weight);
  }

  @Override
  public String toString() {
    return "Embedding(" + num + ", " + dim + ")";
  }
}
