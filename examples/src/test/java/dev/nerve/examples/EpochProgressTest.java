package dev.nerve.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The live bar's line: elapsed time to a tenth of a second (a GPU epoch is shorter than one) and an ETA. */
class EpochProgressTest {
  @Test
  void aSubSecondEpochShowsItsElapsedTimeAndTheEta() {
    String line = EpochProgress.line("epoch 1/3", 15_000, 60_000, 0.4, "loss 0.4321", 120);
    assertTrue(line.startsWith("epoch 1/3  25% ["), line);
    assertTrue(line.contains("15,000/60,000 ex"), line);
    assertTrue(line.contains("0:00.4 elapsed"), line);
    assertTrue(line.contains("ETA 0:01.2"), line);  // 0.4 s for a quarter: 1.2 s for the rest
    assertTrue(line.endsWith("loss 0.4321"), line);
    assertTrue(line.length() <= 120, line);
  }

  @Test
  void longRunsShowHoursAndNoEtaBeforeTheFirstStep() {
    assertEquals("1:02:03", EpochProgress.duration(3723.4));
    assertEquals("0:59.9", EpochProgress.duration(59.94));
    String start = EpochProgress.line("epoch 1/3", 0, 100, 0.0, "", 80);
    assertTrue(start.contains("ETA ?"), start);
  }

  @Test
  void aNarrowTerminalDropsTheBarNotTheFigures() {
    String line = EpochProgress.line("epoch 10/10", 50, 100, 2.0, "loss 1.0000, 25 ex/s", 60);
    assertTrue(line.contains("0:02.0 elapsed, ETA 0:02.0"), line);
    assertTrue(!line.contains("["), line);
  }
}
