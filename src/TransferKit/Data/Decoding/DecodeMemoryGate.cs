namespace TransferKit.Data.Decoding;

/// <summary>
/// A semaphore weighted by bytes that bounds the decode memory of several threads together (the workers of one
/// <see cref="Loading.DataLoader"/>). A decoder acquires its estimated peak once it has read the header; the owner of the
/// thread releases it (<see cref="ReleaseHeld"/>) when the decoded image is no longer needed, so the bound also covers
/// the time the image is being transformed. A thread holds at most one share at a time and a share never exceeds the
/// capacity, so the waits cannot deadlock.
/// </summary>
internal sealed class DecodeMemoryGate
{
    // Monitor.Wait needs a plain object; System.Threading.Lock does not support condition waits.
    private readonly object _lock = new();
    private readonly Dictionary<int, long> _held = [];
    private long _inUse;
    private long _peak;

    /// <summary>Creates a gate of <paramref name="capacityBytes"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacityBytes"/> is less than 1.</exception>
    public DecodeMemoryGate(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        CapacityBytes = capacityBytes;
    }

    /// <summary>Bytes all threads together may hold.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes held now (for tests and diagnostics).</summary>
    public long InUseBytes
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    /// <summary>The most bytes held at once so far.</summary>
    public long PeakBytes
    {
        get
        {
            lock (_lock)
            {
                return _peak;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="bytes"/> (clamped to the capacity) fit, then holds them for this thread. A second
    /// call before <see cref="ReleaseHeld"/> first gives back what the thread holds, so one thread never waits on itself.
    /// </summary>
    public void Acquire(long bytes)
    {
        long share = Math.Clamp(bytes, 0, CapacityBytes);
        int thread = Environment.CurrentManagedThreadId;
        lock (_lock)
        {
            ReleaseLocked(thread);
            while (_inUse + share > CapacityBytes)
            {
                Monitor.Wait(_lock);
            }

            _inUse += share;
            _held[thread] = share;
            _peak = Math.Max(_peak, _inUse);
        }
    }

    /// <summary>Gives back what this thread holds (nothing when it holds nothing).</summary>
    public void ReleaseHeld()
    {
        lock (_lock)
        {
            ReleaseLocked(Environment.CurrentManagedThreadId);
        }
    }

    private void ReleaseLocked(int thread)
    {
        if (_held.Remove(thread, out long share))
        {
            _inUse -= share;
            Monitor.PulseAll(_lock);
        }
    }
}
