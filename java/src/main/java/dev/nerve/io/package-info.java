/**
 * Checkpoints in the safetensors format: {@link dev.nerve.io.Checkpoint} saves and loads a model
 * with its optimizers' state (atomic writes, a CRC32C per tensor, all-or-nothing loads), and
 * {@link dev.nerve.io.SafeTensors} reads and writes the files themselves.
 */
package dev.nerve.io;
