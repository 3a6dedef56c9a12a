#include "CImageShims.h"
int CImageShims_placeholder(void) { return 0; }
