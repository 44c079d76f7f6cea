/**
 * {@link dev.nerve.cuda.CudaReference}: cuBLAS and cuDNN reference results for Nerve's own CUDA
 * kernels, through the optional JavaCPP CUDA presets (org.bytedeco:cuda), loaded on demand.
 */
package dev.nerve.cuda;
