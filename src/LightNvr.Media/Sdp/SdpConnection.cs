namespace LightNvr.Media.Sdp;

/// <summary>A <c>c=</c> line, RFC 8866 §5.7: <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c>.</summary>
/// <param name="NetworkType"><c>IN</c>.</param>
/// <param name="AddressType"><c>IP4</c> or <c>IP6</c>.</param>
/// <param name="Address">Address, possibly with <c>/ttl</c> and <c>/count</c> for multicast.</param>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    internal static SdpConnection? Parse(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 ? new SdpConnection(parts[0], parts[1], parts[2]) : null;
    }
}
