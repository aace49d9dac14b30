// zlib (Debian: zlib1g-dev): deflate for PNG output, inflate for compressed .npz input.
#include <zlib.h>
