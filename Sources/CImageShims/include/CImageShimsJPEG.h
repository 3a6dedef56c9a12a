// CImageShims, JPEG half: libjpeg-turbo's error handling, kept in C (STYLE.md §3).
//
// libjpeg's default error manager calls exit(); its documented alternative is an `error_exit`
// that longjmps back to the caller, which Swift cannot survive. Each function here guards one
// block of libjpeg calls with setjmp, returns a `CImageShims_JPEGStatus` and copies libjpeg's
// formatted message into the caller's buffer. No libjpeg type appears in this header.
#ifndef CIMAGESHIMS_JPEG_H
#define CIMAGESHIMS_JPEG_H

#include <stddef.h>
#include <stdint.h>

/// The outcome of a guarded block of libjpeg calls.
typedef enum {
    CImageShims_JPEGStatusOK = 0,
    /// The file could not be opened, read or written (the message holds strerror).
    CImageShims_JPEGStatusIOError = 1,
    /// libjpeg raised an error (corrupt or truncated data); the message holds libjpeg's text.
    CImageShims_JPEGStatusLibraryError = 2,
} CImageShims_JPEGStatus;

/// The colour model a JPEG stores, as far as the reader cares.
typedef enum {
    CImageShims_JPEGColourGray = 1,
    /// YCbCr or RGB: decoded to RGB.
    CImageShims_JPEGColourRGB = 3,
    /// CMYK or YCCK (Adobe): not read.
    CImageShims_JPEGColourCMYK = 4,
    /// Anything else libjpeg reports.
    CImageShims_JPEGColourOther = 0,
} CImageShims_JPEGColour;

/// What `jpeg_read_header` found.
typedef struct {
    uint32_t width;
    uint32_t height;
    CImageShims_JPEGColour colour;
    /// 1 when the file is progressive (decoded transparently).
    int progressive;
} CImageShims_JPEGHeader;

/// An open JPEG decoder (libjpeg's decompress struct, its error manager and the FILE it reads),
/// holding copies of the Exif APP1 payload and the ICC profile when the file has them.
typedef struct CImageShims_JPEGDecoder CImageShims_JPEGDecoder;

/// Opens `path` and reads its header and markers with `jpeg_read_header` (APP1 and APP2 kept).
/// On success `*decoder` must be freed with `CImageShims_jpeg_decoder_free`.
CImageShims_JPEGStatus CImageShims_jpeg_decoder_open(
    const char *path, CImageShims_JPEGDecoder **decoder, CImageShims_JPEGHeader *header,
    char *message, size_t messageCapacity);

/// The first APP1 segment that starts with "Exif\0\0", without that prefix (the TIFF structure),
/// or NULL with `*length` 0. Valid until the decoder is freed.
const uint8_t *CImageShims_jpeg_decoder_exif(const CImageShims_JPEGDecoder *decoder, size_t *length);

/// The embedded ICC profile reassembled from its APP2 chunks (`jpeg_read_icc_profile`), or NULL
/// with `*length` 0. Valid until the decoder is freed.
const uint8_t *CImageShims_jpeg_decoder_icc(const CImageShims_JPEGDecoder *decoder, size_t *length);

/// Decodes the whole image into `pixels` (height rows of width × channels bytes; channels 1 for
/// a grey file, 3 otherwise) with `jpeg_start_decompress`, `jpeg_read_scanlines` and
/// `jpeg_finish_decompress`. A file that ends early is an error here, not libjpeg's warning
/// with a grey-filled bottom.
CImageShims_JPEGStatus CImageShims_jpeg_decoder_read(
    CImageShims_JPEGDecoder *decoder, uint8_t *pixels, size_t pixelBytes,
    char *message, size_t messageCapacity);

/// Frees the decoder (`jpeg_destroy_decompress`, `fclose`). Accepts NULL.
void CImageShims_jpeg_decoder_free(CImageShims_JPEGDecoder *decoder);

/// Writes an interleaved 8-bit image (`channels` 1 grey or 3 RGB) as a baseline JFIF JPEG at
/// `quality` (1–100) with optimised Huffman tables. Chroma is subsampled 2×2 below quality 90
/// and kept whole (4:4:4) from 90 up, as ImageMagick does: at high quality the eye sees the
/// colour edges that 4:2:0 blurs.
CImageShims_JPEGStatus CImageShims_jpeg_write(
    const char *path, uint32_t width, uint32_t height, int channels, int quality,
    const uint8_t *pixels, size_t rowBytes, char *message, size_t messageCapacity);

#endif
