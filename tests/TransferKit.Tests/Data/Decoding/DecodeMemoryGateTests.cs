using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class DecodeMemoryGateTests
{
    [Fact]
    public void ASecondShareWaitsUntilTheFirstIsReleased()
    {
        var gate = new DecodeMemoryGate(100);
        using var firstHeld = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        using var secondHeld = new ManualResetEventSlim();
        var first = new Thread(() =>
        {
            gate.Acquire(60);
            firstHeld.Set();
            releaseFirst.Wait();
            gate.ReleaseHeld();
        });
        var second = new Thread(() =>
        {
            firstHeld.Wait();
            gate.Acquire(60);
            secondHeld.Set();
            gate.ReleaseHeld();
        });
        first.Start();
        second.Start();
        Assert.True(firstHeld.Wait(TimeSpan.FromSeconds(30)));

        // 60 + 60 does not fit in 100, so the second thread must still wait (a correct gate never fails this check).
        Assert.False(secondHeld.Wait(TimeSpan.FromMilliseconds(200)));
        releaseFirst.Set();
        Assert.True(secondHeld.Wait(TimeSpan.FromSeconds(30)));
        first.Join();
        second.Join();
        Assert.Equal(0, gate.InUseBytes);
        Assert.Equal(60, gate.PeakBytes);
    }

    [Fact]
    public void AShareLargerThanTheGateIsClampedAndASecondAcquireReplacesTheFirst()
    {
        var gate = new DecodeMemoryGate(100);
        gate.Acquire(1_000);
        Assert.Equal(100, gate.InUseBytes);
        gate.Acquire(30); // gives back the 100 first, so the thread never waits on itself
        Assert.Equal(30, gate.InUseBytes);
        gate.ReleaseHeld();
        gate.ReleaseHeld();
        Assert.Equal(0, gate.InUseBytes);
    }

    [Fact]
    public void DecoderTakesItsEstimateFromTheGate()
    {
        var gate = new DecodeMemoryGate(1L << 30);
        byte[] png = PngEncoder.Encode(64, 32, ImageTestData.SmoothRgb(64, 32));
        ImageDecoder.Decode(png, "a.png", new ImageDecodeOptions { MemoryGate = gate });
        long held = gate.InUseBytes;
        Assert.InRange(held, (64 * 32 * 3) + png.Length, 1L << 20);
        gate.ReleaseHeld();
        Assert.Equal(0, gate.InUseBytes);
    }
}
