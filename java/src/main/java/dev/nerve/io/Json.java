package dev.nerve.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON subset a safetensors header needs: objects, arrays, strings, integers (as
 * {@code Long}), and, for robustness, decimals, booleans and null. The reader rejects duplicate
 * keys, trailing text and nesting deeper than 64; each error names the byte offset.
 */
final class Json {
  private static final int MAX_DEPTH = 64;

  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /** Parses one JSON value; throws IllegalArgumentException with the offset on bad input. */
  static Object parse(String text) {
    Json p = new Json(text);
    p.skipSpace();
    Object v = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
    return v;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
    if (pos >= s.length()) throw error("unexpected end of JSON");
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    items('}', () -> {
      if (peek() != '"') throw error("expected a string key");
      int keyAt = pos;
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      Object v = value(depth + 1);
      if (out.containsKey(key)) {
        pos = keyAt;
        throw error("duplicate key \"" + key + "\"");
      }
      out.put(key, v);
    });
    return out;
  }

  private List<Object> array(int depth) {
    List<Object> out = new ArrayList<>();
    items(']', () -> out.add(value(depth + 1)));
    return out;
  }

  /**
   * The comma-separated items of an object or array, from its opening bracket at pos to close;
   * item reads one, starting at its first non-space character.
   */
  private void items(char close, Runnable item) {
    pos++; // the opening bracket
    skipSpace();
    if (peek() == close) {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      item.run();
      skipSpace();
      char c = peek();
      pos++;
      if (c == close) return;
      if (c != ',') {
        pos--;
        throw error("expected ',' or '" + close + "'");
      }
    }
  }

  private String string() {
    pos++; // "
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) throw error("unterminated string");
      char c = s.charAt(pos++);
      if (c == '"') return sb.toString();
      if (c < 0x20) {
        pos--;
        throw error("control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= s.length()) throw error("unterminated escape");
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) throw error("short \\u escape");
          try {
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> {
          pos--;
          throw error("bad escape '\\" + e + "'");
        }
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') pos++;
    boolean decimal = false;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c >= '0' && c <= '9') {
        pos++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        decimal = true;
        pos++;
      } else {
        break;
      }
    }
    String text = s.substring(start, pos);
    try {
      return decimal ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("bad number '" + text + "'");
    }
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, pos)) throw error("unexpected character '" + s.charAt(pos) + "'");
    pos += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) throw error("expected '" + c + "'");
    pos++;
  }

  private char peek() {
    if (pos >= s.length()) throw error("unexpected end of JSON");
    return s.charAt(pos);
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
  }

  // ------------------------------------------------------------------ writing

  /** Appends s as a JSON string literal. */
  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
