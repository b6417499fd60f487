namespace TransferKit.Training.Caching;

/// <summary>How cached activations are stored.</summary>
public enum CachePrecision
{
    /// <summary>32-bit floats: exact.</summary>
    Float32,

    /// <summary>
    /// 16-bit IEEE halves: half the memory; relative error about 5e-4 (post-ReLU features lose little). Magnitudes above
    /// 65,504 do not fit: filling the cache then fails with <see cref="CachePrecisionException"/>.
    /// </summary>
    Float16,

    /// <summary>
    /// bfloat16 (float32's exponent with a 7-bit mantissa): half the memory and float32's whole range, relative error at
    /// most 2^-9 (about 2e-3). The choice for networks whose activations are large, such as ones without pre-trained
    /// BatchNorm statistics.
    /// </summary>
    BFloat16,
}

/// <summary>Where cached activations live.</summary>
public enum CacheStorage
{
    /// <summary>Memory when it fits under <see cref="ActivationCacheOptions.MaxMemoryBytes"/>, else a memory-mapped file.</summary>
    Auto,

    /// <summary>Native memory.</summary>
    Memory,

    /// <summary>A memory-mapped file in <see cref="ActivationCacheOptions.Directory"/>, reusable by later runs with the same fingerprint.</summary>
    MappedFile,
}
