package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nerve.Device;
import dev.nerve.data.Mnist;
import dev.nerve.examples.data.NpmDigits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two GAN epochs (the CLI trains many more): the judge learns the digits, the losses stay finite,
 * the outputs appear, and a resumed run goes on from the checkpoint. The marks themselves (80%
 * confident, every class at least 3%) belong to {@code nerve train gan}.
 */
class GanTest {
  @Test
  void shortRunWritesSamplesAndResumes(@TempDir Path tmp) throws Exception {
    Mnist mnist = NpmDigits.orSkip();
    StringWriter log = new StringWriter();
    Gan.Config c = new Gan.Config(mnist, 1, 128, 5e-4f, 0, Device.cpu(1), 2);
    Gan.Result r = Gan.train(c, new PrintWriter(log), false, RunOutput.create(tmp, "gan"), null);
    System.out.println("GanTest: judge " + r.judgeAccuracy() + ", D loss " + r.dLoss() + ", G loss " + r.gLoss()
        + ", confident " + r.verdict().confident());
    assertTrue(r.judgeAccuracy() > 0.8, log.toString());
    assertTrue(Double.isFinite(r.dLoss()) && Double.isFinite(r.gLoss()), log.toString());
    double total = 0;
    for (double s : r.verdict().classShare()) total += s;
    assertEquals(1.0, total, 1e-9);
    for (String f : new String[] {"samples-001.png", "samples.png", "loss.png", "judge.png", "last.safetensors"}) {
      assertTrue(Files.size(tmp.resolve(f)) > 100, f);
    }
    StringWriter log2 = new StringWriter();
    Gan.train(new Gan.Config(mnist, 2, 128, 5e-4f, 0, Device.cpu(1), 2), new PrintWriter(log2), false,
        RunOutput.create(tmp, "gan"), tmp);
    assertTrue(log2.toString().contains("resumed from " + tmp + " after epoch 1"), log2.toString());
    assertTrue(log2.toString().contains("epoch 2/2"), log2.toString());
  }
}
