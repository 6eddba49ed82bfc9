/*
 * packaging/wine/bcryptprimitives.c — a stand-in for Windows'
 * bcryptprimitives.dll, used ONLY in the throw-away wine prefix of
 * "make package-test"; it is never packaged or installed.
 *
 * Why: since Go 1.22 the Go runtime on Windows gets its random bytes from
 * ProcessPrng in bcryptprimitives.dll (present on every Windows 10/11).
 * Debian 12's wine (8.0) has no bcryptprimitives.dll, so every Go 1.26
 * Windows program dies at start under it with "fatal error:
 * bcryptprimitives.dll not found", before main runs. This file gives wine
 * the one function the runtime needs, backed by the system's own random
 * generator (RtlGenRandom, advapi32's SystemFunction036, which wine has).
 * Everything else the test runs is the real signed exe and installer.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE h, DWORD reason, LPVOID reserved)
{
	(void)h; (void)reason; (void)reserved;
	return TRUE;
}
