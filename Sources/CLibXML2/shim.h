/* libxml2 built with ICU would pull the system's unicode/ucnv.h into this module, which clashes
   with Foundation's own ICU module in any Swift module importing both. airlock never touches the
   ICU-dependent encoding structures (only pointers to them), so ICU support is hidden here. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
