// libpng 1.6 (Debian: libpng-dev) and zlib, which libpng links (Debian: zlib1g-dev, a dependency
// of libpng-dev). Only ImageIO and CImageShims use them.
#include <png.h>
#include <zlib.h>
