namespace TransferKit.Training.Caching;

/// <summary>How cached activations are stored.</summary>
public enum CachePrecision
{
    /// <summary>32-bit floats: exact.</summary>
    Float32,

    /// <summary>16-bit IEEE halves: half the memory; relative error about 5e-4 (post-ReLU features lose little).</summary>
    Float16,
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
