using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LightNvr.IO;

/// <summary>
/// Random bytes for secrets, tokens, salts and nonces, from the kernel's generator (getrandom(2), the source OpenSSL
/// itself seeds from). .NET's <see cref="RandomNumberGenerator"/> goes through OpenSSL on Linux, and mapping OpenSSL
/// costs about 5 MB of RSS: the few secrets a box makes at start (the internal publishers' passwords, the ONVIF push
/// token, the ICE tie-breaker, a STUN transaction id) kept it mapped on a box nobody uses (docs/BENCHMARKS.md "Idle
/// memory"). Hashes, HMACs, key derivation and certificates stay with System.Security.Cryptography; OpenSSL loads at
/// the first of those (a login, a WebRTC viewer). Where getrandom is missing (not Linux, a kernel before 3.17) this
/// falls back to <see cref="RandomNumberGenerator"/>.
/// </summary>
public static class KernelRandom
{
    private const int Eintr = 4;
    private static bool _noSyscall = !OperatingSystem.IsLinux();

    public static void Fill(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_noSyscall)
            {
                RandomNumberGenerator.Fill(buffer);
                return;
            }

            nint got;
            try
            {
                got = GetRandom(ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, 0);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                _noSyscall = true;
                continue;
            }

            if (got < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }

                _noSyscall = true; // ENOSYS (old kernel, seccomp): nothing else here can make it work
                continue;
            }

            buffer = buffer[(int)got..]; // a read above 256 bytes may come back short
        }
    }

    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    /// <summary>Uniform in [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>) (rejection sampling, no modulo bias).</summary>
    public static int GetInt32(int fromInclusive, int toExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fromInclusive, toExclusive);
        var range = (uint)(toExclusive - fromInclusive);
        return (int)(fromInclusive + Below(range));
    }

    /// <summary>
    /// <paramref name="length"/> characters drawn uniformly from <paramref name="choices"/> (at most 256): one byte per
    /// draw, masked to the alphabet's bit width and drawn again when past its end, from one read per 64 bytes.
    /// </summary>
    public static string GetString(ReadOnlySpan<char> choices, int length)
    {
        ArgumentOutOfRangeException.ThrowIfZero(choices.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(choices.Length, 256);
        var mask = 0xFF >> (System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Max(choices.Length - 1, 1)) - 24);
        var chars = new char[length];
        Span<byte> pool = stackalloc byte[64];
        var used = pool.Length;
        for (var i = 0; i < chars.Length;)
        {
            if (used == pool.Length)
            {
                Fill(pool);
                used = 0;
            }

            var value = pool[used++] & mask;
            if (value < choices.Length)
            {
                chars[i++] = choices[value];
            }
        }

        return new string(chars);
    }

    /// <summary>Uniform in [0, <paramref name="range"/>): draws masked to the range's bit width until one fits.</summary>
    private static uint Below(uint range)
    {
        if (range == 1)
        {
            return 0;
        }

        var mask = uint.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount(range - 1);
        Span<byte> four = stackalloc byte[4];
        while (true)
        {
            Fill(four);
            var value = BitConverter.ToUInt32(four) & mask;
            if (value < range)
            {
                return value;
            }
        }
    }

    [DllImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint GetRandom(ref byte buffer, nuint count, uint flags);
}
