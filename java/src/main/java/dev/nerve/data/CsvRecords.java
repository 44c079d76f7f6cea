package dev.nerve.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text (RFC 4180) into records of fields: fields separated by the delimiter, records by
 * LF or CRLF, a field in double quotes may hold delimiters, line breaks and doubled quotes
 * ({@code ""} for one {@code "}). Blank lines are skipped. Each record remembers the line it
 * starts on, for error messages. Public for programs that read a CSV's raw fields (the CLI's
 * {@code nerve predict} matches columns by name); stateless and thread-safe.
 */
public final class CsvRecords {
  /**
   * One record's fields and the 1-based line it starts on.
   *
   * @param line the file line the record starts on (1-based)
   * @param fields the record's fields, unquoted
   */
  public record Row(int line, List<String> fields) {}

  private CsvRecords() {}

  /**
   * Reads file (UTF-8, an optional byte-order mark) into records.
   *
   * @throws DataFormatException naming the file for text that is not UTF-8 or an unclosed quote
   * @throws IOException when the file cannot be read
   */
  public static List<Row> read(Path file, char delimiter) throws IOException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file, file + ": not UTF-8 text (" + e + ")", e);
    }
    if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark, as spreadsheets write
    return parse(file, text, delimiter);
  }

  static List<Row> parse(Path file, String text, char delimiter) throws DataFormatException {
    List<Row> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int start = 1;
    boolean quoted = false;
    boolean wasQuoted = false;
    boolean any = false; // the record has a character or a delimiter: a blank line has neither
    int i = 0;
    int n = text.length();
    while (i < n) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          if (ch == '\n') line++;
          field.append(ch);
        }
        i++;
        continue;
      }
      if (ch == '"') {
        if (field.toString().isBlank() && !wasQuoted) {
          field.setLength(0);
          quoted = true;
          wasQuoted = true;
          any = true;
        } else {
          throw new DataFormatException(file, file + " row " + start + ", field " + (fields.size() + 1)
              + ": a quote inside an unquoted field (quote the whole field and double the quote: \"a \"\"b\"\"\")");
        }
      } else if (ch == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
        any = true;
      } else if (ch == '\n' || ch == '\r') {
        if (any || field.length() > 0) {
          fields.add(field.toString());
          rows.add(new Row(start, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
        wasQuoted = false;
        any = false;
        if (ch == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
        line++;
        start = line;
      } else if (wasQuoted) {
        if (!Character.isWhitespace(ch)) {
          throw new DataFormatException(file, file + " row " + start + ", field " + (fields.size() + 1)
              + ": text after the closing quote");
        }
      } else {
        field.append(ch);
        any = true;
      }
      i++;
    }
    if (quoted) {
      throw new DataFormatException(file, file + " row " + start + ": a quoted field is never closed");
    }
    if (any || field.length() > 0) {
      fields.add(field.toString());
      rows.add(new Row(start, List.copyOf(fields)));
    }
    return rows;
  }
}
