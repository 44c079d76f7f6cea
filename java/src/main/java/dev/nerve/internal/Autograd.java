package dev.nerve.internal;

import static dev.nerve.internal.Checks.check;
import static dev.nerve.internal.Checks.checkState;
import static dev.nerve.internal.Checks.shape;

import dev.nerve.DType;
import dev.nerve.Grad;
import dev.nerve.Tensor;
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
public final class Autograd {
  private Autograd() {}

  /** True when an op on these inputs must record a node. */
  static boolean needsGrad(Tensor... inputs) {
    if (!Grad.isEnabled()) return false;
    for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
    return false;
  }

  /**
   * Records the node on out (when any input requires grad) and returns out. saved lists exactly
   * the tensors whose values backward reads ({@link #saves}): a later in-place write into one of
   * them makes backward throw instead of computing a gradient from the new values, and a write
   * into any other tensor stays allowed.
   */
  static Tensor record(Tensor out, String name, Node.Saved[] saved, Node.Backward backward, Tensor... inputs) {
    if (needsGrad(inputs)) Tensors.setGradFn(out, new Node(name, inputs, backward, saved));
    return out;
  }

  /** No saved tensor: backward reads only the output's gradient (add, sum, views ...). */
  static Node.Saved[] savesNothing() {
    return Node.NONE;
  }

  /**
   * The saved tensors by role ("input", x, "output", y, ...); null tensors are skipped. Versions
   * are read now. The op's private buffers that backward reads ("buffer mask") are listed too:
   * nobody writes them, but a scope that ended before backward may have closed them.
   */
  static Node.Saved[] saves(Object... roleThenTensor) {
    List<Node.Saved> out = new ArrayList<>(roleThenTensor.length / 2);
    for (int i = 0; i < roleThenTensor.length; i += 2) {
      Tensor t = (Tensor) roleThenTensor[i + 1];
      if (t != null) out.add(Node.Saved.of((String) roleThenTensor[i], t));
    }
    return out.toArray(Node.NONE);
  }

  /**
   * Frees the temporaries of a composite op once it has produced result, unless result is part
   * of a recorded graph (then backward still needs them, and the caller's scope frees them).
   */
  static Tensor dropTemporaries(Tensor result, Tensor... temporaries) {
    if (Tensors.gradFn(result) == null) {
      for (Tensor t : temporaries) if (t != null && t != result) t.close();
    }
    return result;
  }

  /** The checks of {@code Tensor.requiresGrad(value)}: only f32 tensors, and only leaves can stop. */
  public static void checkRequiresGrad(Tensor t, boolean value) {
    check(!value || t.dtype() == DType.F32, "requiresGrad: only f32 tensors have gradients, this one is %s", t.dtype());
    check(value || Tensors.gradFn(t) == null, "requiresGrad(false): the tensor is the result of an op; use detach()");
  }

  /**
   * Back-propagates from root with the gradient seed (null: root has one element, seed 1). Every
   * node is checked first (not freed, saved tensors unchanged and open), so a refused backward
   * changes no gradient. Unless retainGraph, each node is freed once used ({@link Node#free}).
   */
  public static void backward(Tensor root, Tensor seed, boolean retainGraph) {
    // In a frame: if a node's backward fails part-way, the gradients computed so far are closed
    // (the leaves' new, kept gradients stay).
    OpFrame.run(() -> {
      backwardUnguarded(root, seed, retainGraph);
      return null;
    });
  }

  private static void backwardUnguarded(Tensor root, Tensor seed, boolean retainGraph) {
    Tensors.checkOpen(root, "backward");
    checkState(root.requiresGrad(), "backward: tensor %s does not require grad (no input of the ops that made it"
        + " requires grad, or Grad.off() was open)", shape(root));
    if (seed == null) {
      check(root.numel() == 1, "backward: tensor %s is not a scalar; pass the gradient of the output", shape(root));
    } else {
      Tensors.checkOpen(seed, "backward (the gradient)");
      Checks.checkSameShape("backward", root, seed);
      Checks.checkSameDevice("backward", root, seed);
    }
    List<Tensor> order = topologicalOrder(root);
    for (Tensor t : order) {
      Node node = Tensors.gradFn(t);
      if (node != null) node.checkUsable();
    }
    Tensor rootGrad = seed == null ? Tensor.full(root.device(), 1f, root.shape()) : seed.detach();
    Map<Tensor, Tensor> grads = new IdentityHashMap<>();
    grads.put(root, rootGrad);
    try (Grad g = Grad.off()) {
      for (int i = order.size() - 1; i >= 0; i--) {
        Tensor t = order.get(i);
        Tensor gOut = grads.remove(t);
        if (gOut == null) continue;
        Node node = Tensors.gradFn(t);
        if (node == null) {
          accumulateLeaf(t, gOut);
          continue;
        }
        Tensor[] inputs = node.inputs;
        Tensor[] gIn = node.apply(gOut);
        if (!retainGraph) node.free();
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
            grads.put(in, PointwiseFunctions.sum(prev, gi));
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
      Tensors.setGrad(leaf, MemoryFunctions.copy(g).keep());
    } else {
      PointwiseFunctions.addInPlace(existing, g);
    }
    g.close();
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
      Node node = Tensors.gradFn(t);
      Tensor[] inputs = node == null ? new Tensor[0] : node.inputs;
      if (next < inputs.length) {
        top[1] = next + 1;
        Tensor in = inputs[next];
        if (in != null && in.requiresGrad() && !visited.containsKey(in)) {
          Tensors.checkOpen(in, "backward (a tensor saved for the gradient)");
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
