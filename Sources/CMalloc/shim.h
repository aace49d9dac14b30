// glibc's allocator settings (part of libc): mallopt and its parameters, which Swift's Glibc module leaves out.
#include <malloc.h>

static const int nnverify_m_mmap_threshold = M_MMAP_THRESHOLD;
static const int nnverify_m_trim_threshold = M_TRIM_THRESHOLD;
