/**
 * Datasets and batching: the {@link dev.nerve.data.Dataset} interface, {@link dev.nerve.data.ArrayDataset},
 * {@link dev.nerve.data.DataLoader} (seeded shuffling, batches as tensors on a device) and the
 * MNIST IDX format ({@link dev.nerve.data.Idx}, {@link dev.nerve.data.Mnist}).
 */
package dev.nerve.data;
