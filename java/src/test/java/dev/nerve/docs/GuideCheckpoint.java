package dev.nerve.docs;

import dev.nerve.*;
import dev.nerve.io.Checkpoint;
import dev.nerve.nn.*;
import dev.nerve.optim.*;
import java.nio.file.Path;
import java.util.Map;

public class GuideCheckpoint {
  public static Map<String, String> main(Path dir) throws Exception {
    Device cpu = Device.cpu();
    Sequential model = new Sequential(new Linear(4, 8, true, cpu, new Generator(0)), new ReLU(),
        new Linear(8, 2, true, cpu, new Generator(1)));
    Adam opt = new Adam(model.parameters(), 1e-3f);

    model.save(dir.resolve("mlp.safetensors"));   // parameters only, written atomically
    model.load(dir.resolve("mlp.safetensors"));   // checked in full before any parameter changes

    Path path = dir.resolve("run.safetensors");
    Checkpoint.save(path, model, opt, Map.of("epoch", "10"));      // model + optimizer state + metadata
    Map<String, String> meta = Checkpoint.load(path, model, opt);  // CheckpointException names what does not fit
    return meta;                                                    // contains epoch=10
  }
}
