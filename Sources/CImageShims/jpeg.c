// See CImageShimsJPEG.h. Every libjpeg call sits inside a block guarded by setjmp; the error
// manager formats libjpeg's message into the caller's buffer before it longjmps back here.
#include "CImageShims.h"
#include "message.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

/// libjpeg's error manager extended with where to jump and where to copy the message.
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *message;
    size_t capacity;
} CImageShims_JPEGErrorManager;

static void CImageShims_jpeg_error_exit(j_common_ptr cinfo) {
    CImageShims_JPEGErrorManager *manager = (CImageShims_JPEGErrorManager *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    CImageShims_copy_message(manager->message, manager->capacity, text);
    longjmp(manager->jump, 1);
}

// libjpeg's default prints warnings on stderr and carries on. Most are harmless (extraneous
// bytes between markers, common in camera files) and are dropped; but a file that ends early
// only warns ("Premature end of JPEG file") and decodes grey rows in place of the missing data,
// so those warnings are errors here: a truncated input must never become a plausible image.
static void CImageShims_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;  // trace messages
    int code = cinfo->err->msg_code;
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER) CImageShims_jpeg_error_exit(cinfo);
}

static void CImageShims_jpeg_install(
    CImageShims_JPEGErrorManager *manager, char *message, size_t capacity) {
    jpeg_std_error(&manager->pub);
    manager->pub.error_exit = CImageShims_jpeg_error_exit;
    manager->pub.emit_message = CImageShims_jpeg_emit_message;
    manager->message = message;
    manager->capacity = capacity;
}

struct CImageShims_JPEGDecoder {
    struct jpeg_decompress_struct cinfo;
    CImageShims_JPEGErrorManager errors;
    int created;
    FILE *file;
    uint8_t *exif;
    size_t exifLength;
    JOCTET *icc;
    unsigned int iccLength;
};

void CImageShims_jpeg_decoder_free(CImageShims_JPEGDecoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->created) jpeg_destroy_decompress(&decoder->cinfo);
    if (decoder->file) fclose(decoder->file);
    free(decoder->exif);
    free(decoder->icc);
    free(decoder);
}

/// Copies the first Exif APP1 payload (after its 6-byte "Exif\0\0" identifier).
static void CImageShims_jpeg_keep_exif(CImageShims_JPEGDecoder *decoder) {
    static const char identifier[6] = {'E', 'x', 'i', 'f', 0, 0};
    for (jpeg_saved_marker_ptr marker = decoder->cinfo.marker_list; marker; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data_length <= sizeof identifier) continue;
        if (memcmp(marker->data, identifier, sizeof identifier) != 0) continue;
        size_t length = marker->data_length - sizeof identifier;
        decoder->exif = malloc(length);
        if (decoder->exif == NULL) return;  // orientation is then unknown, which reads as upright
        memcpy(decoder->exif, marker->data + sizeof identifier, length);
        decoder->exifLength = length;
        return;
    }
}

static CImageShims_JPEGColour CImageShims_jpeg_colour(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return CImageShims_JPEGColourGray;
    case JCS_YCbCr:
    case JCS_RGB: return CImageShims_JPEGColourRGB;
    case JCS_CMYK:
    case JCS_YCCK: return CImageShims_JPEGColourCMYK;
    default: return CImageShims_JPEGColourOther;
    }
}

CImageShims_JPEGStatus CImageShims_jpeg_decoder_open(
    const char *path, CImageShims_JPEGDecoder **out, CImageShims_JPEGHeader *header,
    char *message, size_t messageCapacity) {
    *out = NULL;
    CImageShims_JPEGDecoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) {
        CImageShims_copy_message(message, messageCapacity, "out of memory");
        return CImageShims_JPEGStatusLibraryError;
    }
    decoder->file = fopen(path, "rb");
    if (decoder->file == NULL) {
        CImageShims_copy_message(message, messageCapacity, strerror(errno));
        CImageShims_jpeg_decoder_free(decoder);
        return CImageShims_JPEGStatusIOError;
    }
    CImageShims_jpeg_install(&decoder->errors, message, messageCapacity);
    decoder->cinfo.err = &decoder->errors.pub;
    if (setjmp(decoder->errors.jump)) {
        CImageShims_jpeg_decoder_free(decoder);
        return CImageShims_JPEGStatusLibraryError;
    }
    jpeg_create_decompress(&decoder->cinfo);
    decoder->created = 1;
    jpeg_stdio_src(&decoder->cinfo, decoder->file);
    jpeg_save_markers(&decoder->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&decoder->cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&decoder->cinfo, TRUE);
    CImageShims_jpeg_keep_exif(decoder);
    if (!jpeg_read_icc_profile(&decoder->cinfo, &decoder->icc, &decoder->iccLength)) {
        decoder->icc = NULL;
        decoder->iccLength = 0;
    }
    header->width = decoder->cinfo.image_width;
    header->height = decoder->cinfo.image_height;
    header->colour = CImageShims_jpeg_colour(decoder->cinfo.jpeg_color_space);
    header->progressive = decoder->cinfo.progressive_mode ? 1 : 0;
    *out = decoder;
    return CImageShims_JPEGStatusOK;
}

const uint8_t *CImageShims_jpeg_decoder_exif(const CImageShims_JPEGDecoder *decoder, size_t *length) {
    *length = decoder->exifLength;
    return decoder->exif;
}

const uint8_t *CImageShims_jpeg_decoder_icc(const CImageShims_JPEGDecoder *decoder, size_t *length) {
    *length = decoder->iccLength;
    return decoder->icc;
}

CImageShims_JPEGStatus CImageShims_jpeg_decoder_read(
    CImageShims_JPEGDecoder *decoder, uint8_t *pixels, size_t pixelBytes,
    char *message, size_t messageCapacity) {
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    decoder->errors.message = message;
    decoder->errors.capacity = messageCapacity;
    if (setjmp(decoder->errors.jump)) return CImageShims_JPEGStatusLibraryError;
    cinfo->out_color_space = cinfo->jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(cinfo);
    size_t rowBytes = (size_t)cinfo->output_width * (size_t)cinfo->output_components;
    if (rowBytes == 0 || pixelBytes / rowBytes < cinfo->output_height) {
        CImageShims_copy_message(message, messageCapacity, "pixel buffer too small");
        jpeg_abort_decompress(cinfo);
        return CImageShims_JPEGStatusLibraryError;
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW row = pixels + (size_t)cinfo->output_scanline * rowBytes;
        jpeg_read_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_decompress(cinfo);
    return CImageShims_JPEGStatusOK;
}

CImageShims_JPEGStatus CImageShims_jpeg_write(
    const char *path, uint32_t width, uint32_t height, int channels, int quality,
    const uint8_t *pixels, size_t rowBytes, char *message, size_t messageCapacity) {
    if ((channels != 1 && channels != 3) || quality < 1 || quality > 100) {
        CImageShims_copy_message(message, messageCapacity, "unsupported channel count or quality");
        return CImageShims_JPEGStatusLibraryError;
    }
    FILE *file = fopen(path, "wb");
    if (file == NULL) {
        CImageShims_copy_message(message, messageCapacity, strerror(errno));
        return CImageShims_JPEGStatusIOError;
    }
    // `cinfo` and `file` are set before setjmp and never reassigned, so neither needs volatile.
    struct jpeg_compress_struct cinfo;
    CImageShims_JPEGErrorManager errors;
    CImageShims_jpeg_install(&errors, message, messageCapacity);
    cinfo.err = &errors.pub;
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&cinfo);
        fclose(file);
        return CImageShims_JPEGStatusLibraryError;
    }
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, file);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    cinfo.optimize_coding = TRUE;
    if (channels == 3 && quality >= 90) {
        cinfo.comp_info[0].h_samp_factor = 1;
        cinfo.comp_info[0].v_samp_factor = 1;
    }
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * rowBytes);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    if (fclose(file) != 0) {
        CImageShims_copy_message(message, messageCapacity, strerror(errno));
        return CImageShims_JPEGStatusIOError;
    }
    return CImageShims_JPEGStatusOK;
}
