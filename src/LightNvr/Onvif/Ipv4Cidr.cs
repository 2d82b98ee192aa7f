using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LightNvr.Onvif;

/// <summary>An IPv4 network in CIDR notation (<c>192.168.1.0/24</c>), as <c>[onvif] discovery_network</c> takes it.</summary>
public sealed record Ipv4Cidr(uint Network, int PrefixLength)
{
    public const string Invalid = "network must be an IPv4 CIDR such as 192.168.1.0/24, or auto";

    /// <summary>The network, or <see cref="FormatException"/> with <see cref="Invalid"/>.</summary>
    public static Ipv4Cidr Parse(string text)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != AddressFamily.InterNetwork ||
            !int.TryParse(parts[1], out var prefix) || prefix is < 8 or > 32)
        {
            throw new FormatException(Invalid);
        }
        var mask = Mask(prefix);
        return new Ipv4Cidr(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()) & mask, prefix);
    }

    public static bool TryParse(string text, out Ipv4Cidr? cidr)
    {
        try
        {
            cidr = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            cidr = null;
            return false;
        }
    }

    public bool Contains(IPAddress address) =>
        (BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()) & Mask(PrefixLength)) == Network;

    /// <summary>The host addresses (network and broadcast excluded below /31), at most <paramref name="max"/>.</summary>
    public IEnumerable<IPAddress> Hosts(int max)
    {
        var size = 1UL << (32 - PrefixLength);
        var (first, last) = size <= 2 ? (0UL, size - 1) : (1UL, size - 2);
        var bytes = new byte[4];
        for (var i = first; i <= last && i - first < (ulong)max; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, Network + (uint)i);
            yield return new IPAddress(bytes);
        }
    }

    private static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
}
