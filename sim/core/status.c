#include "core/status.h"

volatile sig_atomic_t cd_stop_signal;

const char *cd_strerror(int status)
{
	switch (status) {
#define CD_STATUS_CASE(name, value, text) \
	case value:                       \
		return text;
		CD_STATUS_LIST(CD_STATUS_CASE)
#undef CD_STATUS_CASE
	default:
		return "unknown error";
	}
}
