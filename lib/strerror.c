// SPDX-License-Identifier: LGPL-2.1-or-later
/* Names and explanations of EDVS* codes and call numbers, from the ABI lists. */
#include <stddef.h>
#include <dvk/libdvk.h>

const char *dvk_strerror(int code)
{
	switch (code) {
#define DVK_ERR_TEXT(name, value, text) case value: return text;
	DVK_ERRORS(DVK_ERR_TEXT)
#undef DVK_ERR_TEXT
	case 0:
		return "success";
	default:
		return "unknown DVK error";
	}
}

const char *dvk_errname(int code)
{
	switch (code) {
#define DVK_ERR_NAME(name, value, text) case value: return #name;
	DVK_ERRORS(DVK_ERR_NAME)
#undef DVK_ERR_NAME
	default:
		return NULL;
	}
}

const char *dvk_callname(int nr)
{
	static const char *const names[DVK_NR_CALLS] = {
#define DVK_CALL_NAME(name, nr) [nr] = #name,
		DVK_CALLS(DVK_CALL_NAME)
#undef DVK_CALL_NAME
	};

	return nr >= 0 && nr < DVK_NR_CALLS ? names[nr] : NULL;
}
