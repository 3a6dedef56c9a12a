// libwebp (Debian: libwebp-dev). Only ImageIO uses it. libwebp returns status codes (no longjmp),
// so Swift calls it directly through `WebPCodec`.
#include <webp/decode.h>
#include <webp/encode.h>
