// glibc's malloc tuning (mallopt), which the Glibc module does not include.
#if defined(__linux__)
#include <malloc.h>
#endif
