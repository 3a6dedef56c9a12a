// CImageShims: libpng's and libjpeg's setjmp/longjmp error handling, kept in C (STYLE.md §3).
// The JPEG half is declared in CImageShimsJPEG.h, included at the end.
//
// libpng reports errors by longjmp-ing out of the failing call, which Swift cannot survive. Each
// function here guards one block of libpng calls with `setjmp(png_jmpbuf(png))`, returns a
// `CImageShims_PNGStatus` and copies libpng's message into the caller's buffer. No libpng type
// appears in this header, so the Swift side sees only opaque pointers and plain C types.
#ifndef CIMAGESHIMS_H
#define CIMAGESHIMS_H

#include <stddef.h>
#include <stdint.h>

/// The outcome of a guarded block of libpng calls.
typedef enum {
    CImageShims_PNGStatusOK = 0,
    /// The file could not be opened, read or written (the message holds strerror).
    CImageShims_PNGStatusIOError = 1,
    /// The bytes are not a PNG (bad signature).
    CImageShims_PNGStatusNotPNG = 2,
    /// libpng raised an error (corrupt or truncated data); the message holds libpng's text.
    CImageShims_PNGStatusLibraryError = 3,
} CImageShims_PNGStatus;

/// What a PNG holds after the read transforms (palette and low-bit gray expanded to 8 bits,
/// tRNS turned into an alpha channel, 16-bit samples swapped to host byte order).
typedef struct {
    uint32_t width;
    uint32_t height;
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    int channels;
    /// 8 or 16.
    int bitDepth;
    /// 1 when the file is Adam7-interlaced (decoded transparently).
    int interlaced;
    /// The PNG colour type as stored (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA).
    int storedColorType;
    /// Bytes per decoded row.
    size_t rowBytes;
} CImageShims_PNGHeader;

/// An open PNG decoder (libpng's read and info structs and the FILE they read).
typedef struct CImageShims_PNGDecoder CImageShims_PNGDecoder;

/// Opens `path`, reads the header with `png_read_info`, sets up the expanding transforms and
/// fills `header`. On success `*decoder` must be freed with `CImageShims_png_decoder_free`.
CImageShims_PNGStatus CImageShims_png_decoder_open(
    const char *path, CImageShims_PNGDecoder **decoder, CImageShims_PNGHeader *header,
    char *message, size_t messageCapacity);

/// Decodes the whole image with `png_read_image` into `pixels` (height rows of
/// `header.rowBytes`, interleaved, host-order 16-bit samples) and reads to the end with
/// `png_read_end`, so a truncated file is an error rather than a silently short image.
CImageShims_PNGStatus CImageShims_png_decoder_read(
    CImageShims_PNGDecoder *decoder, uint8_t *pixels, size_t pixelBytes,
    char *message, size_t messageCapacity);

/// Frees the decoder (`png_destroy_read_struct`, `fclose`). Accepts NULL.
void CImageShims_png_decoder_free(CImageShims_PNGDecoder *decoder);

/// Writes an interleaved image as a non-interlaced PNG with `png_write_image`.
/// `channels` is 1–4 (gray, gray+alpha, RGB, RGBA), `bitDepth` 8 or 16 (host-order samples).
CImageShims_PNGStatus CImageShims_png_write(
    const char *path, uint32_t width, uint32_t height, int channels, int bitDepth,
    const uint8_t *pixels, size_t rowBytes, char *message, size_t messageCapacity);

#include "CImageShimsJPEG.h"

#endif
