package dev.nerve.io;

import java.io.IOException;

/**
 * A checkpoint file that cannot be used: truncated, corrupt, not safetensors, or holding tensors
 * that do not fit the model or optimizer it is loaded into. The message names the file and what
 * is wrong; the model and optimizer are left as they were.
 */
public final class CheckpointException extends IOException {
  /** An exception with the given message (it names the file). */
  public CheckpointException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
