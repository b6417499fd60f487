using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace TransferKit.MLNet.Hosting;

/// <summary>Makes saved TransferKit transformers loadable as soon as this assembly is in use.</summary>
internal static class ModuleSetup
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Model.Load in a fresh MLContext must find the loaders without a call the ML.NET tutorial does not have.")]
    internal static void Initialize() => MlNetInternals.InstallResolver();
}
