#!/usr/bin/python3
"""Regenerates the small image fixtures for tests/TransferKit.Tests/Data/Decoding.

Run with Debian 12's /usr/bin/python3 and python3-pil (Pillow 9.4, linked to the system libjpeg62-turbo 2.1.5,
the same libjpeg-turbo as libturbojpeg0). Each NAME.EXT has a NAME.rgb beside it: Pillow's
Image.open(f).convert("RGB") as raw bytes (row-major, 3 bytes per pixel), the oracle the tests compare against.
The pattern is deterministic, so rerunning reproduces the same files.
"""
import io
import os

from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))


def pattern(w, h):
    """Smooth gradients plus a hard-edged block, so both DCT ringing and chroma show up."""
    im = Image.new("RGB", (w, h))
    px = im.load()
    for y in range(h):
        for x in range(w):
            r = (x * 255) // max(1, w - 1)
            g = (y * 255) // max(1, h - 1)
            b = ((x + y) * 37) % 256
            if w // 4 <= x < w // 2 and h // 4 <= y < h // 2:
                r, g, b = 250, 20, 30
            px[x, y] = (r, g, b)
    return im


def save(name, data, im_for_oracle=None):
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        f.write(data)
    decoded = Image.open(io.BytesIO(data))
    if im_for_oracle is not None:
        decoded = im_for_oracle(decoded)
    rgb = decoded.convert("RGB")
    stem = os.path.splitext(name)[0]
    with open(os.path.join(HERE, stem + ".rgb"), "wb") as f:
        f.write(rgb.tobytes())
    print(name, len(data), "bytes", rgb.size)


def encode(im, fmt, **kw):
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


base = pattern(24, 16)
# Baseline 4:2:0 and progressive JPEG from the same pixels.
save("photo.jpg", encode(base, "JPEG", quality=85))
save("photo_progressive.jpg", encode(base, "JPEG", quality=85, progressive=True))
# Grayscale (single component) JPEG.
save("gray.jpg", encode(base.convert("L"), "JPEG", quality=90))
# CMYK JPEG: Pillow writes Adobe-inverted CMYK with an APP14 marker.
save("cmyk.jpg", encode(pattern(16, 12).convert("CMYK"), "JPEG", quality=90))
# EXIF Orientation 6 (rotate 90 degrees clockwise to view): the oracle is ImageOps.exif_transpose.
exif = Image.Exif()
exif[0x0112] = 6
save("orientation6.jpg", encode(pattern(12, 8), "JPEG", quality=95, exif=exif.tobytes()), ImageOps.exif_transpose)
# GIF: 20x18 is tall enough for Pillow to write it interlaced; palette order is Pillow's.
save("interlaced.gif", encode(pattern(20, 18).quantize(64), "GIF"))
# BMP: 24-bit and 8-bit palette, both bottom-up, odd width to exercise row padding.
save("rgb24.bmp", encode(pattern(7, 5), "BMP"))
save("palette8.bmp", encode(pattern(7, 5).quantize(16), "BMP"))
# CMYK JPEG with subsampling=2: Pillow samples C at 2x2 and M, Y, K at 1x1. TurboJPEG's header call cannot name a
# subsampling type for that (issue 12.7), but libjpeg decodes it.
save("cmyk_420.jpg", encode(pattern(20, 14).convert("CMYK"), "JPEG", quality=90, subsampling=2))
