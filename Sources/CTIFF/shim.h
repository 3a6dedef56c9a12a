// libtiff 4 (Debian: libtiff-dev). Only ImageIO imports this.
#include <tiffio.h>
