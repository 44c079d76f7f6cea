package dev.nerve;

import dev.nerve.ops.Memory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Define-by-run reverse-mode autograd. Each differentiable op that sees an input requiring a
 * gradient records a {@link Node} on its output: the inputs and a function from the output's
 * gradient to the inputs' gradients. {@link #backward} sorts the graph topologically and walks it
 * in reverse, summing gradients; leaves accumulate into {@link Tensor#grad()}.
 */
final class Autograd {
  private Autograd() {}

  /** The output gradient to the input gradients (null where an input needs none). */
  @FunctionalInterface
  interface Backward {
    Tensor[] apply(Tensor gradOutput);
  }

  static final class Node {
    final String name;
    final Tensor[] inputs;
    final Backward backward;

    Node(String name, Tensor[] inputs, Backward backward) {
      this.name = name;
      this.inputs = inputs;
      this.backward = backward;
    }
  }

  /** True when an op on these inputs must record a node. */
  static boolean needsGrad(Tensor... inputs) {
    if (!Grad.isEnabled()) return false;
    for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
    return false;
  }

  /** Records the node on out (when any input requires grad) and returns out. */
  static Tensor record(Tensor out, String name, Backward backward, Tensor... inputs) {
    if (needsGrad(inputs)) {
      out.gradFn = new Node(name, inputs, backward);
      out.requiresGradInternal();
    }
    return out;
  }

  /**
   * Frees the temporaries of a composite op once it has produced result, unless result is part
   * of a recorded graph (then backward still needs them, and the caller's scope frees them).
   */
  static Tensor dropTemporaries(Tensor result, Tensor... temporaries) {
    if (result.gradFn == null) {
      for (Tensor t : temporaries) if (t != null && t != result) t.close();
    }
    return result;
  }

  static void backward(Tensor root, Tensor seed) {
    root.checkOpen("backward");
    if (!root.requiresGrad()) {
      throw new IllegalStateException("backward: tensor " + Shapes.str(root.shape())
          + " does not require grad (no input of the ops that made it requires grad, or Grad.off() was open)");
    }
    Tensor rootGrad;
    if (seed == null) {
      if (root.numel() != 1) {
        throw new IllegalArgumentException("backward: tensor " + Shapes.str(root.shape())
            + " is not a scalar; pass the gradient of the output");
      }
      rootGrad = Tensor.full(root.device(), 1f, root.shape());
    } else {
      F.checkSameShape("backward", root, seed);
      F.checkSameDevice("backward", root, seed);
      rootGrad = seed.detach();
    }
    List<Tensor> order = topologicalOrder(root);
    Map<Tensor, Tensor> grads = new IdentityHashMap<>();
    grads.put(root, rootGrad);
    try (Grad g = Grad.off()) {
      for (int i = order.size() - 1; i >= 0; i--) {
        Tensor t = order.get(i);
        Tensor gOut = grads.remove(t);
        if (gOut == null) continue;
        if (t.gradFn == null) {
          accumulateLeaf(t, gOut);
          continue;
        }
        Tensor[] inputs = t.gradFn.inputs;
        Tensor[] gIn = t.gradFn.backward.apply(gOut);
        gOut.close();
        for (int k = 0; k < inputs.length; k++) {
          Tensor in = inputs[k];
          Tensor gi = gIn[k];
          if (gi == null) continue;
          if (in == null || !in.requiresGrad()) {
            gi.close();
            continue;
          }
          Tensor prev = grads.get(in);
          if (prev == null) {
            grads.put(in, gi);
          } else {
            // A fresh sum, not an in-place add: backward functions may hand out aliases of one
            // gradient to several inputs, and writing through one would change the others.
            grads.put(in, Memory.add(prev, gi));
            prev.close();
            gi.close();
          }
        }
      }
    }
  }

  /** leaf.grad += g (allocating the kept gradient tensor on first use). */
  private static void accumulateLeaf(Tensor leaf, Tensor g) {
    Tensor existing = leaf.grad();
    if (existing == null || existing.isClosed()) {
      // Always a private copy: g may alias other gradients, and leaf grads are updated in place.
      leaf.setGrad(g.contiguousNoGrad().keep());
      g.close();
    } else {
      Memory.addInPlace(existing, g);
      g.close();
    }
  }

  private static List<Tensor> topologicalOrder(Tensor root) {
    List<Tensor> order = new ArrayList<>();
    Map<Tensor, Boolean> visited = new IdentityHashMap<>();
    // Iterative depth-first search: graphs of long unrolled sequences overflow recursion.
    List<Object[]> stack = new ArrayList<>();
    stack.add(new Object[] {root, 0});
    visited.put(root, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Object[] top = stack.get(stack.size() - 1);
      Tensor t = (Tensor) top[0];
      int next = (Integer) top[1];
      Tensor[] inputs = t.gradFn == null ? new Tensor[0] : t.gradFn.inputs;
      if (next < inputs.length) {
        top[1] = next + 1;
        Tensor in = inputs[next];
        if (in != null && in.requiresGrad() && !visited.containsKey(in)) {
          in.checkOpen("backward (a tensor saved for the gradient)");
          visited.put(in, Boolean.TRUE);
          stack.add(new Object[] {in, 0});
        }
      } else {
        order.add(t);
        stack.remove(stack.size() - 1);
      }
    }
    return order;
  }
}
