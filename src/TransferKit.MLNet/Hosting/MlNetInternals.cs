using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace TransferKit.MLNet.Hosting;

/// <summary>
/// The few ML.NET internals a third-party component needs, reached by reflection in this one place: ML.NET 6 keeps
/// the model-file API (<c>ModelSaveContext</c>'s writer, <c>ModelLoadContext</c>, <c>VersionInfo</c>,
/// <c>LoadableClassAttribute</c>) and a catalog's environment internal, so no outside assembly can save a transformer
/// into a model file, or be found again at load, through public members alone. Every lookup fails with
/// <see cref="MlNetCompatibilityException"/> naming the member, so a future ML.NET that moves one is reported plainly.
/// </summary>
internal static class MlNetInternals
{
    /// <summary>
    /// The name of the generated assembly that carries the loaders; model files name it as their loader assembly. ML.NET
    /// loads it by name, so a process that has not registered TransferKit fails with a FileNotFoundException that quotes
    /// this name: it says the fix.
    /// </summary>
    public const string LoaderAssemblyName = "TransferKit.MLNet.Loaders (call mlContext.RegisterTransferKit() before Model.Load)";

    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private static readonly Assembly Core = typeof(ModelSaveContext).Assembly;
    private static readonly Lazy<Assembly> Loaders = new(BuildLoaders);
    private static int _resolverInstalled;

    /// <summary>
    /// Makes model files with TransferKit transformers loadable by any MLContext of this process: ML.NET loads the
    /// loader assembly a model file names, and this answers that request with the generated assembly.
    /// </summary>
    public static void InstallResolver()
    {
        if (Interlocked.Exchange(ref _resolverInstalled, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += (_, e) =>
            new AssemblyName(e.Name).Name == LoaderAssemblyName ? Loaders.Value : null;
    }

    /// <summary>Registers the loaders with <paramref name="catalog"/> directly.</summary>
    public static void Register(ComponentCatalog catalog)
    {
        InstallResolver();
        catalog.RegisterAssembly(Loaders.Value);
    }

    /// <summary>The environment (an MLContext's) behind a trainers or transforms catalog.</summary>
    public static IHostEnvironment EnvironmentOf(object catalog)
    {
        var property = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog")?.GetProperty("Environment")
            ?? throw Missing("IInternalCatalog.Environment");
        return (IHostEnvironment)(property.GetValue(catalog) ?? throw Missing("IInternalCatalog.Environment (null)"));
    }

    /// <summary>The shape of <paramref name="schema"/> (SchemaShape's columns have no public constructor).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)(Method(typeof(SchemaShape), "Create", [typeof(DataViewSchema)]).Invoke(null, [schema]) ?? throw Missing("SchemaShape.Create (null)"));

    /// <summary>Writes the model header of a transformer and then its payload, as ML.NET's own transformers do.</summary>
    public static void Save(ModelSaveContext ctx, LoaderSignature signature, Action<BinaryWriter> write)
    {
        Method(typeof(ModelSaveContext), "CheckAtModel", Type.EmptyTypes).Invoke(ctx, null);
        Method(typeof(ModelSaveContext), "SetVersionInfo", [VersionInfoType]).Invoke(ctx, [VersionInfo(signature)]);
        var writer = (BinaryWriter)(Field(typeof(ModelSaveContext), "Writer").GetValue(ctx) ?? throw Missing("ModelSaveContext.Writer (null)"));
        write(writer);
    }

    /// <summary>Checks the header of a transformer being loaded and returns the reader positioned at its payload.</summary>
    public static BinaryReader OpenPayload(object loadContext, LoaderSignature signature)
    {
        var type = loadContext.GetType();
        Method(type, "CheckAtModel", [VersionInfoType]).Invoke(loadContext, [VersionInfo(signature)]);
        return (BinaryReader)(Field(type, "Reader").GetValue(loadContext) ?? throw Missing("ModelLoadContext.Reader (null)"));
    }

    private static Type VersionInfoType => TypeOf(Core, "Microsoft.ML.VersionInfo");

    private static object VersionInfo(LoaderSignature s) =>
        Activator.CreateInstance(VersionInfoType, Any, null,
            [s.ModelSignature, s.Version, s.Version, s.Version, LoaderAssemblyName, s.Name, null], null)
        ?? throw Missing("VersionInfo(...)");

    /// <summary>
    /// Emits an assembly whose LoadableClass attributes point ML.NET's loader at each transformer's <c>Load</c>: the
    /// attribute and the loader signature (a ModelLoadContext parameter) are internal to ML.NET, so they cannot be
    /// written in C#; the generated assembly is granted access with IgnoresAccessChecksTo, which the runtime honours.
    /// </summary>
    private static Assembly BuildLoaders()
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(LoaderAssemblyName), AssemblyBuilderAccess.Run);
        var ignores = typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!;
        foreach (var name in new[] { Core.GetName().Name!, typeof(MlNetInternals).Assembly.GetName().Name! })
            assembly.SetCustomAttribute(new CustomAttributeBuilder(ignores, [name]));
        var module = assembly.DefineDynamicModule(LoaderAssemblyName);
        var environment = typeof(IHostEnvironment);
        var loadContext = TypeOf(Core, "Microsoft.ML.ModelLoadContext");
        var attribute = TypeOf(Core, "Microsoft.ML.LoadableClassAttribute").GetConstructor(
            [typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])]) ?? throw Missing("LoadableClassAttribute(...)");
        var signatureType = TypeOf(Core, "Microsoft.ML.SignatureLoadModel");
        foreach (var loadable in LoaderSignature.All)
        {
            var type = module.DefineType("Load" + loadable.Name, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
            var create = type.DefineMethod("Create", MethodAttributes.Public | MethodAttributes.Static, loadable.InstanceType, [environment, loadContext]);
            var il = create.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Call, loadable.Load);
            il.Emit(OpCodes.Ret);
            var loader = type.CreateType();
            assembly.SetCustomAttribute(new CustomAttributeBuilder(attribute,
                [loadable.InstanceType, loader, null, signatureType, loadable.Name, new[] { loadable.Name }]));
        }
        return assembly;
    }

    private static Type TypeOf(Assembly assembly, string name) => assembly.GetType(name) ?? throw Missing(name);

    private static MethodInfo Method(Type type, string name, Type[] parameters) =>
        type.GetMethod(name, Any, null, parameters, null) ?? throw Missing($"{type.Name}.{name}");

    private static FieldInfo Field(Type type, string name) => type.GetField(name, Any) ?? throw Missing($"{type.Name}.{name}");

    private static MlNetCompatibilityException Missing(string member) => new(member);
}
