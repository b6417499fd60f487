// The runtime recognises this attribute by its full name; .NET does not ship it, so each user declares its own.
namespace System.Runtime.CompilerServices;

/// <summary>Lets the assembly it is applied to use the named assembly's internal members (honoured by the runtime).</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The assembly whose internals become accessible.</summary>
    public string AssemblyName { get; } = assemblyName;
}
