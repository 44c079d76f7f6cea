package dev.nerve;

/** A failure inside Nerve that is not the caller's mistake (out of memory, a native fault). */
public class NerveException extends RuntimeException {
  /** An exception with the given message. */
  public NerveException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public NerveException(String message, Throwable cause) {
    super(message, cause);
  }
}
