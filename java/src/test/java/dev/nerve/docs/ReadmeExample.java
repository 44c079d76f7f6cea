package dev.nerve.docs;

import dev.nerve.*;
import dev.nerve.data.*;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.*;
import dev.nerve.optim.*;
import java.nio.file.Path;
import java.util.Map;

public class ReadmeExample {
  public static void main(String[] args) throws Exception {
    Device cpu = Device.cpu();
    Generator gen = new Generator(0);
    Sequential model = new Sequential(
        new Linear(784, 256, true, cpu, gen), new ReLU(),
        new Linear(256, 10, true, cpu, gen));
    SGD opt = new SGD(model.parameters(), 0.05f, 0.9f);
    LrSchedule schedule = new CosineAnnealing(0.05f, 10);  // lr from 0.05 down along a cosine over 10 epochs

    Mnist mnist = Mnist.load(Path.of(args[0]));  // a folder with the four MNIST IDX files
    DataLoader train = new DataLoader(ArrayDataset.of(mnist.train()), 128, true, 0, false, cpu);
    for (int epoch = 0; epoch < 10; epoch++) {
      schedule.apply(opt, epoch);
      for (DataLoader.Batch b : train) {
        try (b; Scope step = Scope.open()) {       // frees every tensor of the step
          opt.zeroGrad();
          Tensor loss = F.crossEntropy(model.forward(b.x()), b.y());
          loss.backward();
          opt.step();                                // one fused native update for all parameters
        }
      }
    }
    try (Scope s = Scope.open(); Grad g = Grad.off()) {  // evaluation: no graph
      Tensor x = Tensor.of(cpu, mnist.test().images(), mnist.test().size(), 784);
      Tensor y = Tensor.ofInts(cpu, mnist.test().labels());
      float accuracy = model.forward(x).argmax(1).eq(y).mean().item();
      System.out.printf("accuracy %.2f%%%n", 100 * accuracy);
    }
    Path file = Path.of(args[0], "mlp.safetensors");
    Checkpoint.save(file, model, opt, Map.of("epoch", "10"));  // weights + optimizer state, checksummed
    Checkpoint.load(file, model, opt);                         // all or nothing: checked before any change
  }
}
