using TransferKit.Data.Decoding;

namespace TransferKit.Tests.Data.Decoding;

public class JpegWarningPolicyTests
{
    [Theory]
    [InlineData("Premature end of JPEG file", ImageDecodeFailure.Truncated)]
    [InlineData("Corrupt JPEG data: premature end of data segment", ImageDecodeFailure.Truncated)]
    [InlineData("Corrupt JPEG data: bad Huffman code", ImageDecodeFailure.Undecodable)]
    [InlineData("Corrupt JPEG data: bad arithmetic code", ImageDecodeFailure.Undecodable)]
    [InlineData("Corrupt JPEG data: found marker 0xd9 instead of RST3", ImageDecodeFailure.Undecodable)]
    public void SpoilingWarningsFail(string message, ImageDecodeFailure expected) =>
        Assert.Equal(expected, JpegWarningPolicy.Classify(message));

    [Fact]
    public void StrayBytesBeforeTheEndMarkerAreTheOnlyAcceptedWarning() =>
        Assert.Null(JpegWarningPolicy.Classify("Corrupt JPEG data: 214 extraneous bytes before marker 0xd9"));

    [Theory]
    [InlineData("Corrupt JPEG data: 3 extraneous bytes before marker 0xda")]
    [InlineData("Corrupt JPEG data: 1 extraneous bytes before marker 0xc4")]
    [InlineData("Corrupt JPEG data: bad ICC marker")]
    [InlineData("Warning: unknown JFIF revision number 3.01")]
    [InlineData("Unknown Adobe color transform code 7")]
    [InlineData("Invalid SOS parameters for sequential JPEG")]
    public void EveryOtherWarningFails(string message)
    {
        // TurboJPEG keeps only the first warning's text, so a harmless first warning would hide a later truncation.
        Assert.Equal(ImageDecodeFailure.Undecodable, JpegWarningPolicy.Classify(message));
    }

    [Fact]
    public void UnknownSubsamplingIsRecognised()
    {
        Assert.True(JpegWarningPolicy.IsUnknownSubsampling("tjDecompressHeader3(): Could not determine subsampling type for JPEG image"));
        Assert.False(JpegWarningPolicy.IsUnknownSubsampling("Not a JPEG file: starts with 0x89 0x50"));
    }

    [Theory]
    [InlineData("Unsupported JPEG data precision 12", ImageDecodeFailure.Unsupported)]
    [InlineData("Unsupported color conversion request", ImageDecodeFailure.Unsupported)]
    [InlineData("Not a JPEG file: starts with 0x89 0x50", ImageDecodeFailure.Undecodable)]
    [InlineData("JPEG datastream contains no image", ImageDecodeFailure.Truncated)]
    public void FatalErrorsAreClassified(string message, ImageDecodeFailure expected) =>
        Assert.Equal(expected, JpegWarningPolicy.ClassifyFatal(message));
}
