// OpenBLAS's CBLAS interface (Debian: libopenblas-dev).
#include <cblas.h>
// Declared by OpenBLAS; lets the caller decide who owns the cores.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
