using System.Net;

namespace LightNvr.Auth;

/// <summary>users.allowed_login_cidrs: newline- (or comma-) separated CIDRs or single addresses; null = anywhere.</summary>
public static class LoginCidrs
{
    /// <summary>Entries per user: far more than a home or office needs, and bounds the per-request check.</summary>
    public const int MaxEntries = 64;

    public static bool IsValid(string text)
    {
        var entries = Split(text);
        return entries.Length is > 0 and <= MaxEntries && entries.All(e => TryParse(e, out _));
    }

    /// <summary>
    /// The stored form of a valid list, as upstream stores it: one entry per line, each a CIDR; a single address becomes a
    /// single-host network (<c>192.0.2.7</c> → <c>192.0.2.7/32</c>, <c>2001:db8::7</c> → <c>2001:db8::7/128</c>).
    /// Invalid text is returned unchanged (callers check <see cref="IsValid"/> first).
    /// </summary>
    public static string Normalize(string text) =>
        IsValid(text) ? string.Join('\n', Split(text).Select(e => TryParse(e, out var n) ? n.ToString() : e)) : text;

    public static bool Allows(string? cidrs, IPAddress? address)
    {
        if (cidrs is null)
        {
            return true;
        }
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var entry in Split(cidrs))
        {
            if (TryParse(entry, out var network) && network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The networks of a list (entries that do not parse are skipped; a single address is a single-host network).</summary>
    public static IReadOnlyList<IPNetwork> Networks(string text) =>
        [.. Split(text).Select(e => TryParse(e, out var n) ? (IPNetwork?)n : null).OfType<IPNetwork>()];

    private static string[] Split(string text) =>
        text.Split(['\n', '\r', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool TryParse(string entry, out IPNetwork network)
    {
        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }
        if (IPAddress.TryParse(entry, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }
}
