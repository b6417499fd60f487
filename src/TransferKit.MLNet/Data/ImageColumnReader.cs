using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TransferKit.MLNet.Data;

/// <summary>
/// Reads a row's image as encoded bytes, whichever of ML.NET's two image columns holds it: encoded bytes
/// (<c>Vector&lt;Byte&gt;</c>, from <c>LoadRawImageBytes</c>) as they are, or a decoded <c>MLImage</c> (from
/// <c>LoadImages</c>, package Microsoft.ML.ImageAnalytics) as an uncompressed 24-bit BMP of its pixels, which TransferKit's
/// decoder reads back exactly. MLImage is reached by reflection so that TransferKit.MLNet does not depend on that package
/// (and its native image library) for users who never load images that way.
/// </summary>
internal static class ImageColumnReader
{
    private const int BmpHeaderSize = 54;
    private static readonly ConcurrentDictionary<Type, MlImageAccess> Access = new();

    /// <summary>Whether <paramref name="type"/> is ImageAnalytics' image column type (values are MLImage).</summary>
    public static bool IsMlImage(DataViewType type) =>
        type.GetType().Name == "ImageDataViewType" && type.RawType.Name == "MLImage";

    /// <summary>Whether <paramref name="type"/> holds images this reader understands.</summary>
    public static bool IsImage(DataViewType type) =>
        type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Byte || IsMlImage(type);

    /// <summary>A function that returns the current row's image as encoded bytes, or null when the row has none.</summary>
    public static Func<byte[]?> Create(DataViewRow row, DataViewSchema.Column column)
    {
        if (IsMlImage(column.Type))
        {
            var read = typeof(ImageColumnReader).GetMethod(nameof(MlImageReader), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(column.Type.RawType);
            return (Func<byte[]?>)read.Invoke(null, [row, column])!;
        }
        var getter = row.GetGetter<VBuffer<byte>>(column);
        VBuffer<byte> bytes = default;
        return () =>
        {
            getter(ref bytes);
            return bytes.Length == 0 ? null : bytes.DenseValues().ToArray();
        };
    }

    private static Func<byte[]?> MlImageReader<T>(DataViewRow row, DataViewSchema.Column column)
        where T : class
    {
        var getter = row.GetGetter<T>(column);
        var access = Access.GetOrAdd(typeof(T), MlImageAccess.Of);
        T? image = null;
        return () =>
        {
            getter(ref image!);
            return image is null ? null : access.Bmp(image);
        };
    }

    /// <summary>A 24-bit bottom-up BMP of <paramref name="width"/> x <paramref name="height"/> pixels given top-down in B, G, R order.</summary>
    internal static byte[] Bmp(int width, int height, ReadOnlySpan<byte> bgr)
    {
        int stride = (width * 3 + 3) & ~3;
        var file = new byte[BmpHeaderSize + stride * height];
        var h = file.AsSpan();
        h[0] = (byte)'B';
        h[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(h[2..], file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(h[10..], BmpHeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(h[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(h[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(h[22..], height);
        BinaryPrimitives.WriteInt16LittleEndian(h[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(h[28..], 24);
        BinaryPrimitives.WriteInt32LittleEndian(h[34..], stride * height);
        for (int y = 0; y < height; y++)
            bgr.Slice(y * width * 3, width * 3).CopyTo(h.Slice(BmpHeaderSize + (height - 1 - y) * stride));
        return file;
    }

    /// <summary>MLImage's public Width, Height and GetBGRPixels (a byte[] property: B, G, R per pixel, rows top-down).</summary>
    private sealed record MlImageAccess(PropertyInfo Width, PropertyInfo Height, PropertyInfo BgrPixels)
    {
        public static MlImageAccess Of(Type type) => new(Property(type, "Width"), Property(type, "Height"), Property(type, "GetBGRPixels"));

        public byte[] Bmp(object image)
        {
            int width = (int)Width.GetValue(image)!, height = (int)Height.GetValue(image)!;
            var bgr = (byte[])BgrPixels.GetValue(image)!;
            if (bgr.Length != width * height * 3)
                throw new InvalidDataException($"An MLImage of {width} x {height} pixels gave {bgr.Length} BGR bytes, not {width * height * 3}.");
            return ImageColumnReader.Bmp(width, height, bgr);
        }

        private static PropertyInfo Property(Type type, string name) =>
            type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) ?? throw new Hosting.MlNetCompatibilityException($"{type.Name}.{name}");
    }
}
