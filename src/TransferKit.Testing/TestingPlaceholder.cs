namespace TransferKit.Testing;

/// <summary>Placeholder until the testing helpers land (issue 6).</summary>
internal static class TestingPlaceholder;
