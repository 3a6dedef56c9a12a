// See CImageShims.h. Every libpng call sits inside a block guarded by setjmp; the error callback
// copies libpng's message into the struct's buffer before libpng longjmps back here.
#include "CImageShims.h"
#include "message.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// libpng's error callback target: where to copy the message before the longjmp.
typedef struct {
    char *message;
    size_t capacity;
} CImageShims_PNGMessageSink;

static void CImageShims_png_error(png_structp png, png_const_charp text) {
    CImageShims_PNGMessageSink *sink = (CImageShims_PNGMessageSink *)png_get_error_ptr(png);
    if (sink) CImageShims_copy_message(sink->message, sink->capacity, text);
    png_longjmp(png, 1);
}

// Warnings (for example a bad CRC in an ancillary chunk) are not errors; libpng's default would
// print them on stderr behind the caller's back, so they are dropped.
static void CImageShims_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

// Reads through stdio like libpng's default, but names a short read for what it nearly always
// is: a truncated file (libpng's own message is a bare "Read Error").
static void CImageShims_png_read_file(png_structp png, png_bytep data, size_t length) {
    FILE *file = (FILE *)png_get_io_ptr(png);
    if (fread(data, 1, length, file) != length) {
        png_error(png, ferror(file) ? "read error" : "unexpected end of file (truncated)");
    }
}

static int CImageShims_host_is_little_endian(void) {
    const uint16_t probe = 1;
    return *(const uint8_t *)&probe == 1;
}

struct CImageShims_PNGDecoder {
    png_structp png;
    png_infop info;
    FILE *file;
    CImageShims_PNGMessageSink sink;
};

void CImageShims_png_decoder_free(CImageShims_PNGDecoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->png) png_destroy_read_struct(&decoder->png, decoder->info ? &decoder->info : NULL, NULL);
    if (decoder->file) fclose(decoder->file);
    free(decoder);
}

CImageShims_PNGStatus CImageShims_png_decoder_open(
    const char *path, CImageShims_PNGDecoder **out, CImageShims_PNGHeader *header,
    char *message, size_t messageCapacity) {
    *out = NULL;
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        CImageShims_copy_message(message, messageCapacity, strerror(errno));
        return CImageShims_PNGStatusIOError;
    }
    png_byte signature[8];
    size_t got = fread(signature, 1, sizeof signature, file);
    if (got != sizeof signature || png_sig_cmp(signature, 0, sizeof signature) != 0) {
        fclose(file);
        CImageShims_copy_message(message, messageCapacity, "not a PNG file (bad signature)");
        return CImageShims_PNGStatusNotPNG;
    }
    CImageShims_PNGDecoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) {
        fclose(file);
        CImageShims_copy_message(message, messageCapacity, "out of memory");
        return CImageShims_PNGStatusLibraryError;
    }
    decoder->file = file;
    decoder->sink.message = message;
    decoder->sink.capacity = messageCapacity;
    decoder->png = png_create_read_struct(
        PNG_LIBPNG_VER_STRING, &decoder->sink, CImageShims_png_error, CImageShims_png_warning);
    if (decoder->png) decoder->info = png_create_info_struct(decoder->png);
    if (decoder->png == NULL || decoder->info == NULL) {
        CImageShims_png_decoder_free(decoder);
        CImageShims_copy_message(message, messageCapacity, "out of memory");
        return CImageShims_PNGStatusLibraryError;
    }
    if (setjmp(png_jmpbuf(decoder->png))) {
        CImageShims_png_decoder_free(decoder);
        return CImageShims_PNGStatusLibraryError;
    }
    png_set_read_fn(decoder->png, file, CImageShims_png_read_file);
    png_set_sig_bytes(decoder->png, sizeof signature);
    png_read_info(decoder->png, decoder->info);

    int colorType = png_get_color_type(decoder->png, decoder->info);
    int bitDepth = png_get_bit_depth(decoder->png, decoder->info);
    // Expand everything to 8 or 16 bits per sample, one of gray, gray+alpha, RGB, RGBA.
    if (colorType == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(decoder->png);
    if (colorType == PNG_COLOR_TYPE_GRAY && bitDepth < 8) png_set_expand_gray_1_2_4_to_8(decoder->png);
    if (png_get_valid(decoder->png, decoder->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(decoder->png);
    if (bitDepth == 16 && CImageShims_host_is_little_endian()) png_set_swap(decoder->png);
    int interlace = png_get_interlace_type(decoder->png, decoder->info);
    png_set_interlace_handling(decoder->png);
    png_read_update_info(decoder->png, decoder->info);

    header->width = png_get_image_width(decoder->png, decoder->info);
    header->height = png_get_image_height(decoder->png, decoder->info);
    header->channels = png_get_channels(decoder->png, decoder->info);
    header->bitDepth = png_get_bit_depth(decoder->png, decoder->info);
    header->interlaced = interlace != PNG_INTERLACE_NONE;
    header->storedColorType = colorType;
    header->rowBytes = png_get_rowbytes(decoder->png, decoder->info);
    *out = decoder;
    return CImageShims_PNGStatusOK;
}

CImageShims_PNGStatus CImageShims_png_decoder_read(
    CImageShims_PNGDecoder *decoder, uint8_t *pixels, size_t pixelBytes,
    char *message, size_t messageCapacity) {
    size_t rowBytes = png_get_rowbytes(decoder->png, decoder->info);
    png_uint_32 height = png_get_image_height(decoder->png, decoder->info);
    if (rowBytes == 0 || pixelBytes / rowBytes < height) {
        CImageShims_copy_message(message, messageCapacity, "pixel buffer too small");
        return CImageShims_PNGStatusLibraryError;
    }
    png_bytep *rows = malloc(sizeof(png_bytep) * (height ? height : 1));
    if (rows == NULL) {
        CImageShims_copy_message(message, messageCapacity, "out of memory");
        return CImageShims_PNGStatusLibraryError;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * rowBytes;
    decoder->sink.message = message;
    decoder->sink.capacity = messageCapacity;
    if (setjmp(png_jmpbuf(decoder->png))) {
        free(rows);
        return CImageShims_PNGStatusLibraryError;
    }
    png_read_image(decoder->png, rows);
    png_read_end(decoder->png, NULL);
    free(rows);
    return CImageShims_PNGStatusOK;
}

CImageShims_PNGStatus CImageShims_png_write(
    const char *path, uint32_t width, uint32_t height, int channels, int bitDepth,
    const uint8_t *pixels, size_t rowBytes, char *message, size_t messageCapacity) {
    static const int colorTypes[5] = {
        -1, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4 || (bitDepth != 8 && bitDepth != 16)) {
        CImageShims_copy_message(message, messageCapacity, "unsupported channel count or bit depth");
        return CImageShims_PNGStatusLibraryError;
    }
    FILE *file = fopen(path, "wb");
    if (file == NULL) {
        CImageShims_copy_message(message, messageCapacity, strerror(errno));
        return CImageShims_PNGStatusIOError;
    }
    CImageShims_PNGMessageSink sink = {message, messageCapacity};
    png_structp png = png_create_write_struct(
        PNG_LIBPNG_VER_STRING, &sink, CImageShims_png_error, CImageShims_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    // Every local used after a longjmp is assigned before setjmp and never changed after it,
    // so none needs to be volatile.
    png_bytep *rows = malloc(sizeof(png_bytep) * (height ? height : 1));
    if (png == NULL || info == NULL || rows == NULL) {
        if (png) png_destroy_write_struct(&png, info ? &info : NULL);
        free(rows);
        fclose(file);
        CImageShims_copy_message(message, messageCapacity, "out of memory");
        return CImageShims_PNGStatusLibraryError;
    }
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * rowBytes);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(rows);
        fclose(file);
        return CImageShims_PNGStatusLibraryError;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, width, height, bitDepth, colorTypes[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (bitDepth == 16 && CImageShims_host_is_little_endian()) png_set_swap(png);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    if (fclose(file) != 0) {
        CImageShims_copy_message(message, messageCapacity, strerror(errno));
        return CImageShims_PNGStatusIOError;
    }
    return CImageShims_PNGStatusOK;
}
