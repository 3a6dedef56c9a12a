// OpenBLAS's CBLAS interface plus openblas_set_num_threads (Debian: libopenblas-dev).
#include <cblas.h>
