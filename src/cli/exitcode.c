/* The one place where library results become exit codes (SPEC §2). */
#include "cli.h"

int cli_exit_code(int rc)
{
	switch ((rt_code)rc) {
	case RT_OK: return 0;
	case RT_EUSAGE:
	case RT_ECONFIG:
	case RT_ENOTFOUND:
	case RT_EAMBIGUOUS: return 2;
	case RT_ESYNTAX:
	case RT_EGRAPH:
	case RT_EUNSUPPORTED:
	case RT_EIRREVERSIBLE:
	case RT_ELIMIT: return 3;
	case RT_ECONNECT: return 4;
	case RT_ELOCKED: return 5;
	case RT_EDB: return 6;
	case RT_EDRIFT: return 7;
	case RT_EINTR: return 130;
	case RT_EFINDINGS: return 8;
	case RT_ESIGNATURE: return 9;
	case RT_ERROR:
	case RT_EOS: return 1;
	}
	return 1;
}
