// libpng 1.6 (Debian: libpng-dev). Only ImageIO and CImageShims use it.
#include <png.h>
