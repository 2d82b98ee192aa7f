using LightNvr.IO;

namespace LightNvr.Tests.IO;

/// <summary>
/// The kernel's random bytes (getrandom(2)) behind every secret the server makes. The counts below are loose on
/// purpose: each bound fails by chance far less often than once in 10^9 runs, and each one fails for a generator that
/// returned zeros, repeated itself, or favoured part of a range (folding the masked draw into a range of 3 instead of
/// drawing again makes one value twice as likely: 15,000 against 7,500).
/// </summary>
public sealed class KernelRandomTests
{
    [Fact]
    public void Fills_a_buffer_longer_than_one_syscall_with_bytes_that_do_not_repeat()
    {
        var a = KernelRandom.GetBytes(4096);
        var b = KernelRandom.GetBytes(4096);

        Assert.NotEqual(a, b);
        Assert.InRange(a.Count(x => x == 0), 0, 60); // 16 expected
        Assert.InRange(a.Distinct().Count(), 240, 256);
        Assert.NotEqual(new byte[512], a[^512..]); // the tail is filled too
    }

    [Fact]
    public void Draws_integers_uniformly_over_a_range_that_is_not_a_power_of_two()
    {
        var counts = new int[3];
        for (var i = 0; i < 30_000; i++)
        {
            var v = KernelRandom.GetInt32(10, 13);
            Assert.InRange(v, 10, 12);
            counts[v - 10]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_300, 10_700)); // 10,000 each; sd ≈ 82
    }

    [Fact]
    public void Covers_a_full_range_and_refuses_an_empty_one()
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < 2_000 && seen.Count < 2; i++)
        {
            seen.Add(KernelRandom.GetInt32(int.MinValue, int.MaxValue) >= 0 ? 1 : 0);
        }

        Assert.Equal(2, seen.Count);
        Assert.Equal(5, KernelRandom.GetInt32(5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelRandom.GetInt32(5, 5));
    }

    [Fact]
    public void Strings_use_only_the_alphabet_and_all_of_it()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var s = KernelRandom.GetString(alphabet, 4000);

        Assert.Equal(4000, s.Length);
        Assert.All(s, c => Assert.Contains(c, alphabet));
        Assert.Equal(alphabet.Length, s.Distinct().Count());
        Assert.NotEqual(s, KernelRandom.GetString(alphabet, 4000));
    }
}
