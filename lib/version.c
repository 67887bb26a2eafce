/* The library's version, for callers that must check at run time what they linked. */
#include "postrun.h"

const char *postrun_version(void) { return POSTRUN_VERSION_STRING; }

int postrun_version_number(void) { return POSTRUN_VERSION_NUMBER; }
