/* A stand-in for Windows' bcryptprimitives.dll under Debian's wine 8, for the installer smoke
 * test only (never shipped): Rust's standard library takes its random numbers from
 * ProcessPrng, which Windows 10/11 have and wine 8 lacks. BCryptGenRandom is the same
 * system generator one layer up, and wine has it. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
