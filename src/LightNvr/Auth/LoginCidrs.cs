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
