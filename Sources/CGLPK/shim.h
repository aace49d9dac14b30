// GNU Linear Programming Kit (Debian: libglpk-dev; it ships no pkg-config file).
#include <glpk.h>
