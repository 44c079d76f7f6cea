package dev.nerve;

/** A failure inside Nerve that is not the caller's mistake (out of memory, a native fault). */
public class NerveException extends RuntimeException {
  public NerveException(String message) {
    super(message);
  }

  public NerveException(String message, Throwable cause) {
    super(message, cause);
  }
}
