using System.Net;
using System.Text;
using LightNvr.Media.WebRtc;

namespace LightNvr.Media.Tests.WebRtc;

/// <summary>STUN Binding (RFC 8489) as ICE uses it: request with integrity and fingerprint, response, tampering.</summary>
public sealed class StunMessageTests
{
    private static readonly byte[] Password = Encoding.UTF8.GetBytes("server-password-1234567");
    private static readonly byte[] TransactionId = Convert.FromHexString("B7E7A701BC34D686FA87DFAE");

    [Fact]
    public void A_request_parses_and_checks_integrity()
    {
        var buffer = new byte[256];
        var n = StunMessage.WriteBindingRequest(buffer, TransactionId, "srv:cli", Password, useCandidate: true);
        var datagram = buffer.AsSpan(0, n);
        Assert.True(StunMessage.IsStun(datagram));
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.Equal(StunMessage.BindingRequest, message!.Type);
        Assert.Equal("srv:cli", message.Username);
        Assert.True(message.UseCandidate);
        Assert.True(message.IceControlling);
        Assert.Equal(TransactionId, message.TransactionId);
        Assert.True(message.CheckIntegrity(datagram, Password));
        Assert.False(message.CheckIntegrity(datagram, Encoding.UTF8.GetBytes("wrong")));
    }

    [Fact]
    public void Any_flipped_byte_fails_fingerprint_or_integrity()
    {
        var buffer = new byte[256];
        var n = StunMessage.WriteBindingRequest(buffer, TransactionId, "srv:cli", Password, useCandidate: false);
        for (var i = 0; i < n; i++)
        {
            var copy = buffer.AsSpan(0, n).ToArray();
            copy[i] ^= 0x01;
            var ok = StunMessage.TryParse(copy, out var m) && m!.CheckIntegrity(copy, Password);
            Assert.False(ok, $"byte {i} flipped still accepted");
        }
    }

    [Fact]
    public void Every_prefix_is_refused_without_throwing()
    {
        var buffer = new byte[256];
        var n = StunMessage.WriteBindingRequest(buffer, TransactionId, "srv:cli", Password, useCandidate: false);
        for (var i = 0; i < n; i++)
        {
            Assert.False(StunMessage.TryParse(buffer.AsSpan(0, i), out _));
        }
    }

    [Theory]
    [InlineData("192.0.2.1", 32853)]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    public void The_success_response_carries_the_xor_mapped_address(string address, int port)
    {
        var buffer = new byte[256];
        var mapped = new IPEndPoint(IPAddress.Parse(address), port);
        var n = StunMessage.WriteBindingSuccess(buffer, TransactionId, mapped, Password);
        Assert.True(StunMessage.TryParse(buffer.AsSpan(0, n), out var message));
        Assert.Equal(StunMessage.BindingSuccess, message!.Type);
        Assert.True(message.CheckIntegrity(buffer.AsSpan(0, n), Password));
        Assert.Equal(mapped, message.MappedAddress); // what the server-reflexive probe reads back (IceUdpMux)
        // RFC 5769 §2.2/§2.3: port 32853 XOR 0x2112 = 0xA147; IPv4 192.0.2.1 XOR cookie = E1 12 A6 43.
        Assert.Equal(0xA1, buffer[26]);
        Assert.Equal(0x47, buffer[27]);
        if (!address.Contains(':'))
        {
            Assert.Equal("E112A643", Convert.ToHexString(buffer, 28, 4));
        }
    }
}
