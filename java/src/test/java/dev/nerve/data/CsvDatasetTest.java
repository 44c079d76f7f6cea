package dev.nerve.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {
  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static float[] row(Dataset d, int i) {
    float[] x = new float[(int) d.exampleShape()[0]];
    d.features(i, x, 0);
    return x;
  }

  @Test
  void aHeaderIsDetectedAndStringClassesAreMappedInSortedOrder() throws IOException {
    Path f = write("iris.csv", "sepal,petal,species\n1.5,2,setosa\n3,4.25,virginica\n5,6,setosa\n7,8,versicolor\n");
    CsvDataset d = CsvDataset.from(f).target("species").read();
    assertEquals(4, d.size());
    assertArrayEquals(new long[] {2}, d.exampleShape());
    assertEquals(List.of("sepal", "petal"), d.featureNames());
    assertEquals(List.of("setosa", "versicolor", "virginica"), d.classes());
    assertArrayEquals(new float[] {3, 4.25f}, row(d, 1));
    assertEquals(2, d.label(1));
    assertEquals(0, d.label(2));
    assertEquals(1, d.label(3));
  }

  @Test
  void withoutAHeaderTheTargetIsAColumnNumberAndIntegerClassesKeepTheirOrder() throws IOException {
    Path f = write("n.csv", "10,1,0.5\n2,0,1.5\n9,2,2.5\n");
    CsvDataset d = CsvDataset.from(f).target("1").read();
    assertEquals(List.of("column 2", "column 3"), d.featureNames());
    assertEquals(List.of("2", "9", "10"), d.classes()); // numeric order, not text order ("10" < "2")
    assertEquals(2, d.label(0));
    assertArrayEquals(new float[] {1, 0.5f}, row(d, 0));
    // the default target is the last column; a header of numbers only is data
    CsvDataset last = CsvDataset.from(f).read();
    assertEquals(3, last.size());
    assertEquals("column 3", last.targetName());
  }

  @Test
  void aHeaderThatNamesTheTargetIsFoundEvenWhenEveryColumnIsText() throws IOException {
    Path f = write("t.csv", "colour,kind\nred,a\nblue,b\n");
    // colour is not numeric: the read fails on it, but only after the header was recognised
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.from(f).target("kind").read());
    assertEquals(f + " row 2, column 'colour': 'red' is not a number", e.getMessage());
    assertEquals(f, e.file());
  }

  @Test
  void quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws IOException {
    Path f = write("q.csv", "\"a\",\"b, with comma\",label\r\n\"1\",2,\"x, \"\"quoted\"\"\"\r\n3,\"4\",\"line\nbreak\"\r\n\r\n5,6,\"x, \"\"quoted\"\"\"\r\n");
    CsvDataset d = CsvDataset.from(f).target("label").read();
    assertEquals(List.of("a", "b, with comma"), d.featureNames());
    assertEquals(List.of("line\nbreak", "x, \"quoted\""), d.classes());
    assertEquals(3, d.size());
    assertEquals(1, d.label(0));
    assertEquals(0, d.label(1));
    assertArrayEquals(new float[] {5, 6}, row(d, 2));
  }

  @Test
  void errorsNameTheFileTheRowAndTheColumn() throws IOException {
    StringBuilder sb = new StringBuilder("id,age,label\n");
    for (int i = 2; i <= 20; i++) sb.append(i).append(',').append(i == 17 ? "abc" : "30").append(',').append(i % 2).append('\n');
    Path f = write("data.csv", sb.toString());
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.from(f).target("label").read());
    assertEquals(f + " row 17, column 'age': 'abc' is not a number", e.getMessage());

    Path empty = write("e.csv", "a,b\n1,\n2,1\n");
    assertEquals(empty + " row 2, column 'b': the target is empty",
        assertThrows(DataFormatException.class, () -> CsvDataset.from(empty).target("b").read()).getMessage());
    Path missing = write("m.csv", "a,b,c\n1,,0\n2,1,1\n");
    assertTrue(assertThrows(DataFormatException.class, () -> CsvDataset.from(missing).target("c").read()).getMessage()
        .startsWith(missing + " row 2, column 'b': the value is empty"));
    Path ragged = write("r.csv", "a,b\n1,0\n2,1,5\n");
    assertEquals(ragged + " row 3: 3 fields, but row 1 has 2",
        assertThrows(DataFormatException.class, () -> CsvDataset.from(ragged).read()).getMessage());
    Path open = write("o.csv", "a,b\n1,\"0\n");
    assertEquals(open + " row 2: a quoted field is never closed",
        assertThrows(DataFormatException.class, () -> CsvDataset.from(open).read()).getMessage());
    Path one = write("one.csv", "a,b\n1,0\n2,0\n");
    assertTrue(assertThrows(DataFormatException.class, () -> CsvDataset.from(one).read()).getMessage()
        .contains("every row has the class '0'"));
    Path f2 = write("u.csv", "a,b\n1,0\n2,1\n");
    assertEquals(f2 + ": no target column 'age'; the columns are [a, b], or give a number 1..2",
        assertThrows(DataFormatException.class, () -> CsvDataset.from(f2).target("age").read()).getMessage());
    assertThrows(FileNotFoundException.class, () -> CsvDataset.from(dir.resolve("nope.csv")).read());
    Path inf = write("i.csv", "a,b\nInfinity,0\n2,1\n");
    assertTrue(assertThrows(DataFormatException.class, () -> CsvDataset.from(inf).header(true).read()).getMessage()
        .contains("row 2, column 'a': 'Infinity' is not a finite number"));
  }

  @Test
  void regressionTargetsAreNumbersAndLabelIsRefused() throws IOException {
    Path f = write("r.csv", "x;y\n1;2.5\n2;4.5\n");
    CsvDataset d = CsvDataset.from(f).delimiter(';').target("y").regression().read();
    assertFalse(d.isClassification());
    assertEquals(4.5f, d.target(1));
    assertThrows(UnsupportedOperationException.class, () -> d.label(0));
    Path bad = write("rb.csv", "x,y\n1,2.5\n2,big\n");
    assertEquals(bad + " row 3, column 'y': 'big' is not a number",
        assertThrows(DataFormatException.class, () -> CsvDataset.from(bad).target("y").regression().read()).getMessage());
  }

  @Test
  void standardisationUsesTheTrainingSplitOnly() throws IOException {
    StringBuilder sb = new StringBuilder("u,v,c\n");
    for (int i = 0; i < 100; i++) sb.append(i).append(',').append(7).append(',').append(i % 3).append('\n');
    CsvDataset d = CsvDataset.from(write("s.csv", sb.toString())).target("c").read();
    Split s = Split.of(d, 0.2, 5);
    assertEquals(80, s.train().size());
    assertEquals(20, s.validation().size());
    Split again = Split.of(d, 0.2, 5);
    assertArrayEquals(s.validation().indices(), again.validation().indices());
    Standardizer st = Standardizer.fit(s.train());
    double mean = 0;
    for (int i : s.train().indices()) mean += i;
    mean /= 80;
    assertEquals(mean, st.mean()[0], 1e-4);
    assertEquals(1f, st.std()[1]); // constant column: only centred
    Dataset train = st.applyTo(s.train());
    double m = 0;
    double sq = 0;
    for (int i = 0; i < train.size(); i++) {
      float[] x = row(train, i);
      m += x[0];
      sq += x[0] * x[0];
      assertEquals(0f, x[1]);
    }
    assertEquals(0, m / 80, 1e-5);
    assertEquals(1, sq / 80, 1e-4);
    // the validation examples use the training mean and std
    int v = s.validation().indices()[0];
    assertEquals((v - st.mean()[0]) / st.std()[0], row(st.applyTo(s.validation()), 0)[0], 1e-5);
  }
}
