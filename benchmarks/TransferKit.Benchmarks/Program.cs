using BenchmarkDotNet.Running;
using TransferKit.Benchmarks;

// BenchmarkDotNet: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*'
// Peer timing (used by benchmarks/peer/compare.sh): ... -- peer-baseline-step [steps]
// Pillow comparison (benchmarks/peer/compare_preprocess.sh): ... -- peer-preprocess [rounds]
if (args.Length > 0 && args[0] == "peer-baseline-step") return PeerStepTimer.Run(args);
if (args.Length > 0 && args[0] == "peer-preprocess") return PeerPreprocessTimer.Run(args);
// Inference comparison (benchmarks/peer/compare_inference.sh): ... -- peer-inference [networks] [steps]
if (args.Length > 0 && args[0] == "peer-inference") return PeerInferenceTimer.Run(args);
// ... -- peer-head-epoch [linear|mlp] [epochs]; ... -- peer-transfer-run [frozen|last-stage] [images] [epochs] [dir]
if (args.Length > 0 && args[0] == "peer-head-epoch") return PeerHeadEpoch.Run(args);
if (args.Length > 0 && args[0] == "peer-transfer-run") return TransferRunTimer.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(BaselineCnnStep).Assembly).Run(args);
return 0;
