// libjpeg-turbo (Debian: libjpeg62-turbo-dev). Only CImageShims uses it: libjpeg reports errors by
// longjmp, so every call stays in C there. jpeglib.h needs stdio.h (FILE) and stddef.h first.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
