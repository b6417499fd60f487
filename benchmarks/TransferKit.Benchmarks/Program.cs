using BenchmarkDotNet.Running;
using TransferKit.Benchmarks;

// BenchmarkDotNet: dotnet run -c Release --project benchmarks/TransferKit.Benchmarks -- --filter '*'
// Peer modes (one JSON line each, compared with PyTorch/Pillow by benchmarks/peer/run_all.sh and compare*.sh):
//   peer-baseline-step [steps]                          baseline-CNN training step
//   peer-preprocess [rounds], peer-decode [rounds]      JPEG decode + resize/crop/normalise, or decode alone
//   peer-inference [networks] [steps] [batch]           eval-mode forward per network
//   peer-head-epoch [linear|mlp] [epochs]               one head epoch on cached features
//   peer-fine-tune-step [steps] [batch] [network]       last unit + head training step, frozen prefix without a tape
//   fine-tune-phases [steps] [batch] [network]          the same step's phases (prefix, trainable forward, backward, update)
//   peer-transfer-run [frozen|last-stage] [images] [epochs] [dir]
//   profile-units [network] [batch] [steps] [threads]      eval forward time per unit (folded, fused), markdown
//   unit-context [network] [batch] [steps]              each unit's time hot and alone beside its time inside whole forwards
//   panel-prefetch-networks [networks] [batch] [distance]   products on kept weight panels prefetching them ahead or not
//   gemm-order-convs [K,K,...], gemm-order-networks [networks] [batch]   the GEMM loop orders side by side
//   bf16-convs [auto|im2col|winograd]                   convolutions in float32 and bfloat16 side by side
//   conv-time N,Cin,Cout,H,K,S[,G] [seconds] [bf16] [kept] [act=NAME]   one convolution again and again (a target for perf)
//   conv-backward [seconds] [side-by-side|as-forward] [baseline]   input and weight gradients of the fine-tune or baseline step's convolutions
//   stem-pool [batch], stem-pool-networks [networks] [batch]   the stems' max pool inside the convolution or after it
//   b-in-place, b-in-place-networks [networks] [batch]   1x1 products with few output channels reading B packed or in place
//   im2col-bands, im2col-bands-networks [networks] [batch]   large im2col matrices built and multiplied whole or in bands of rows
//   direct-convs [strided] [batch] [kept] [only=NAME]   convolutions on the direct kernel and on Auto's path
//   bf16-direct-convs [strided] [batch] [kept]          the same in bfloat16: Auto's path, the float32 and the bfloat16 direct kernel
//   bf16-direct-networks [networks] [batch]             whole networks in bfloat16 with and without the bfloat16 direct kernel
//   winograd4-convs [strided] [batch] [fresh] [only=NAME] [block=F,..|private=F,..|prefetch]
//                                                       convolutions on Winograd F(4x4, 3x3) and on Auto's path without it
//   winograd4-networks [networks] [batch]               whole networks in float32 with and without Winograd F(4x4, 3x3)
//   winograd4-steps [steps]                             training steps with and without Winograd F(4x4, 3x3) for per-call weights
//   transition-order-networks [networks] [batch]        DenseNet with its transitions pooling before and after their convolution
//   pool-branch-order-networks [networks] [batch]       Inception-v3's pool branches pooling before or after their 1x1 convolution
//   dense-normalize-networks [networks] [batch]         DenseNet's first batch norms applied as the 1x1 GEMM packs its input or before it
//   transition-pool-networks [networks] [batch]         DenseNet's transition batch norms applied inside the 2x2 pool or before it
//   gate-fusion-networks [networks] [batch] [bf16]      EfficientNet's gates and residual adds inside the projection or as passes
//   pointwise-depthwise-networks [networks] [batch] [bf16]   112x112 expansions and depthwise convolutions image by image or batch-wide
//   direct-networks [networks] [batch] [bf16]           whole networks with and without the direct kernel
//   vertical-direct-networks [networks] [batch] [bf16]  whole networks with K x 1 layers on the direct kernel or on im2col
//   epilogue-networks [networks] [batch]                the GEMM epilogue on the accumulators or over the stored tile
//   half-sliver-convs [batch], half-sliver-networks [networks] [batch]   the AVX2 tile's last narrow sliver as half a tile or whole
//   unstacked-networks [networks] [batch]               1x1 convolutions on small planes image by image or stacked
//   prefetch-networks [networks] [batch]                GEMM tiles prefetching their C and residual rows or not
//   bf16-prefetch-networks [networks] [batch]           bfloat16 GEMM tiles prefetching their residual rows or not
//   bf16-epilogue-networks [networks] [batch]           the bfloat16 GEMM's epilogue inside its kernel or after it
//   packed-weights-convs [bf16], packed-weights-networks [networks] [batch] [bf16]
//                                                       weights packed once per call or once per image
//   depthwise-split [buffer | networks [networks] [batch]]   stride-2 depthwise phase splits side by side
//   depthwise-flat, depthwise-flat-networks [networks] [batch]   small-plane depthwise on the flat plane or the phase split
//   expand-depthwise [cin,hidden,side,k,stride] [chunks]   an inverted residual's 1x1 and depthwise apart or image by image in chunks
//   depthwise-channels-last [networks [networks] [batch]]   small-plane depthwise with the channels in the lanes or not
//   depthwise-direct, depthwise-direct-networks [networks] [batch]   depthwise read straight from the input or on the older layouts
//   prefetch-packing-networks [networks] [batch]        B packing and stride-2 splits prefetching ahead or not
//   dense-growth-networks [networks] [batch]            DenseNet blocks grown in place or concatenated layer by layer
//   stack-plane-networks [networks] [batch] [P,P]       image stacking thresholds side by side
//   worker-team-networks [networks] [batch]             parallel loops on the spinning worker team or the thread pool
//   worker-wait-networks [networks] [batch]             the team's waiting threads on pause instructions or yielding
//   side-by-side, side-by-side-networks [networks] [batch]   1x1 convolutions on 7x7 to 17x17 planes image by image or side by side
//   chunked-networks [networks] [batch] [chunks] [rounds]   a batch whole or as consecutive forwards of smaller chunks
//   whole-shares winograd|im2col, whole-shares-networks winograd|im2col [networks] [batch]
//                                                       Winograd products or im2col images whole per thread, or split
string mode = args.Length > 0 ? args[0] : "";
return mode switch
{
    "peer-baseline-step" => PeerStepTimer.Run(args),
    "peer-preprocess" => PeerPreprocessTimer.Run(args, decodeOnly: false),
    "peer-decode" => PeerPreprocessTimer.Run(args, decodeOnly: true),
    "peer-inference" => PeerInferenceTimer.Run(args),
    "peer-head-epoch" => PeerHeadEpoch.Run(args),
    "peer-fine-tune-step" => PeerFineTuneTimer.Run(args),
    "fine-tune-phases" => PeerFineTuneTimer.RunPhases(args),
    "peer-transfer-run" => TransferRunTimer.Run(args),
    "profile-units" => UnitProfileTimer.Run(args),
    "unit-context" => UnitContextTimer.Run(args),
    "panel-prefetch-networks" => PanelPrefetchTimer.Run(args),
    "gemm-order-convs" => GemmOrderConvTimer.Run(args),
    "gemm-order-networks" => GemmOrderNetworkTimer.Run(args),
    "bf16-convs" => BFloat16ConvTimer.Run(args),
    "conv-time" => SingleConvTimer.Run(args),
    "conv-backward" => BackwardConvTimer.Run(args),
    "stem-pool" => StemPoolTimer.RunStem(args),
    "im2col-bands" => Im2ColBandTimer.RunConvs(args),
    "im2col-bands-networks" => Im2ColBandTimer.RunNetworks(args),
    "b-in-place" => InPlaceBTimer.RunConvs(args),
    "b-in-place-networks" => InPlaceBTimer.RunNetworks(args),
    "stem-pool-networks" => StemPoolTimer.RunNetworks(args),
    "direct-convs" => DirectConvTimer.Run(args),
    "bf16-direct-convs" => DirectConvTimer.RunBFloat16(args),
    "bf16-direct-networks" => BFloat16DirectNetworkTimer.Run(args),
    "winograd4-convs" => Winograd4x4ConvTimer.Run(args),
    "winograd4-networks" => Winograd4x4NetworkTimer.Run(args),
    "winograd4-steps" => Winograd4x4StepTimer.Run(args),
    "vertical-direct-networks" => VerticalDirectNetworkTimer.Run(args),
    "transition-order-networks" => TransitionOrderNetworkTimer.Run(args),
    "pool-branch-order-networks" => PoolBranchOrderTimer.Run(args),
    "dense-normalize-networks" => DenseNormalizeTimer.Run(args),
    "transition-pool-networks" => TransitionPoolTimer.Run(args),
    "gate-fusion-networks" => GateFusionTimer.Run(args),
    "pointwise-depthwise-networks" => PointwiseDepthwiseTimer.Run(args),
    "direct-networks" => DirectNetworkTimer.Run(args),
    "epilogue-networks" => EpilogueTimer.Run(args),
    "half-sliver-convs" => HalfSliverTimer.RunConvs(args),
    "half-sliver-networks" => HalfSliverTimer.RunNetworks(args),
    "unstacked-networks" => UnstackedPointwiseTimer.Run(args),
    "bf16-epilogue-networks" => BFloat16EpilogueTimer.Run(args),
    "bf16-prefetch-networks" => BFloat16TilePrefetchTimer.Run(args),
    "prefetch-networks" => TilePrefetchTimer.Run(args),
    "packed-weights-convs" => PackedWeightsTimer.RunConvs(args),
    "packed-weights-networks" => PackedWeightsTimer.RunNetworks(args),
    "depthwise-split" => DepthwiseSplitTimer.Run(args),
    "depthwise-flat" => DepthwiseFlatTimer.RunConvs(args),
    "depthwise-flat-networks" => DepthwiseFlatTimer.RunNetworks(args),
    "depthwise-direct" => DepthwiseDirectTimer.RunConvs(args),
    "depthwise-channels-last" => DepthwiseDirectTimer.RunChannelsLast(args),
    "expand-depthwise" => ExpandDepthwiseTimer.Run(args),
    "depthwise-direct-networks" => DepthwiseDirectTimer.RunNetworks(args),
    "prefetch-packing-networks" => PackingPrefetchTimer.Run(args),
    "dense-growth-networks" => DenseGrowthTimer.Run(args),
    "stack-plane-networks" => StackPlaneNetworkTimer.Run(args),
    "worker-team-networks" => WorkerTeamTimer.Run(args),
    "worker-wait-networks" => WorkerWaitTimer.Run(args),
    "side-by-side" => SideBySideTimer.RunConvs(args),
    "side-by-side-networks" => SideBySideTimer.RunNetworks(args),
    "whole-shares" => WholeSharesTimer.RunConvs(args),
    "whole-shares-networks" => WholeSharesTimer.RunNetworks(args),
    "chunked-networks" => ChunkedBatchTimer.Run(args),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(BaselineCnnStep).Assembly).Run(args);
    return 0;
}
