using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LightNvr.IO;
using LightNvr.Media.WebRtc;

namespace LightNvr.Live.WebRtc;

/// <summary>
/// Learns the server-reflexive address of the shared UDP port (<see cref="IceUdpMux"/>): a plain STUN Binding request
/// (RFC 8489 §6) to <c>[go2rtc] stun_server</c> from that very socket, at start and every 5 minutes (30 s after a
/// failure), retransmitted after 0.5, 1 and 2 s. The answer's XOR-MAPPED-ADDRESS is cached: offers read
/// <see cref="Mapped"/> and never wait for the STUN server (an unreachable one only means no srflx candidate).
/// </summary>
internal sealed partial class SrflxProbe : IDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);
    private static readonly int[] RetransmitMillis = [500, 1000, 2000];

    private readonly string _server;
    private readonly IceUdpMux _mux;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IPEndPoint>> _pending = new(StringComparer.Ordinal);
    private readonly Task _run;
    private IPEndPoint? _mapped;
    private bool _warned;

    public SrflxProbe(string server, IceUdpMux mux, TimeProvider time, ILogger logger)
    {
        _server = server;
        _mux = mux;
        _time = time;
        _logger = logger;
        mux.StunResponse = OnResponse;
        _run = RunAsync(_stop.Token);
    }

    /// <summary>The shared port's address as the STUN server saw it; null until (or unless) it answered.</summary>
    public IPEndPoint? Mapped => Volatile.Read(ref _mapped);

    /// <summary>Completes with the first mapped address learnt (tests wait on it).</summary>
    public TaskCompletionSource<IPEndPoint> FirstMapped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary><c>host:port</c> of a <c>stun_server</c> value (<c>stun:</c> prefix and port optional, 3478 by default).</summary>
    public static (string Host, int Port)? ParseServer(string value)
    {
        var s = value.Trim();
        if (s.StartsWith("stun:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[5..];
        }

        if (s.Length == 0)
        {
            return null;
        }

        var port = 3478;
        var colon = s.LastIndexOf(':');
        if (s.StartsWith('['))
        {
            var end = s.IndexOf(']', StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            if (end + 1 < s.Length && (s[end + 1] != ':' || !int.TryParse(s[(end + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)))
            {
                return null;
            }

            s = s[1..end];
        }
        else if (colon > 0 && s.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            if (!int.TryParse(s[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                return null;
            }

            s = s[..colon];
        }

        return port is > 0 and <= 65535 ? (s, port) : null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _mux.StunResponse = null;
        _run.Wait(TimeSpan.FromSeconds(2));
    }

    private async Task RunAsync(CancellationToken ct)
    {
        await Task.Yield();
        while (!ct.IsCancellationRequested)
        {
            IPEndPoint? mapped = null;
            string? failure = null;
            try
            {
                mapped = await QueryAsync(ct).ConfigureAwait(false);
                failure = mapped is null ? "no answer" : null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
            {
                failure = e.Message;
            }

            if (mapped is not null)
            {
                if (!mapped.Equals(Mapped))
                {
                    LogMapped(mapped.ToString(), _server);
                }

                Volatile.Write(ref _mapped, mapped);
                FirstMapped.TrySetResult(mapped);
                _warned = false;
            }
            else if (!_warned)
            {
                _warned = true;
                LogFailed(_server, failure ?? "no answer");
            }

            try
            {
                await Task.Delay(mapped is null ? RetryAfterFailure : Refresh, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<IPEndPoint?> QueryAsync(CancellationToken ct)
    {
        if (ParseServer(_server) is not { } server)
        {
            throw new ArgumentException($"not a STUN server: '{_server}'");
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(server.Host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var resolve = CancellationTokenSource.CreateLinkedTokenSource(ct);
            resolve.CancelAfter(ResolveTimeout);
            addresses = await Dns.GetHostAddressesAsync(server.Host, resolve.Token).ConfigureAwait(false);
        }

        // IPv4 first: viewers behind NAT are reached over IPv4; IPv6 addresses are usually host candidates already.
        var target = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault();
        if (target is null)
        {
            return null;
        }

        var to = new IPEndPoint(target, server.Port);
        var id = KernelRandom.GetBytes(12);
        var key = Convert.ToHexString(id);
        var answer = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = answer;
        try
        {
            var request = new byte[64];
            var n = StunMessage.WriteBindingRequest(request, id);
            foreach (var wait in RetransmitMillis)
            {
                _mux.Send(request.AsSpan(0, n), to);
                try
                {
                    return await answer.Task.WaitAsync(TimeSpan.FromMilliseconds(wait), _time, ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // retransmit (RFC 8489 §6.2.1: doubling intervals)
                }
            }

            return null;
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    private void OnResponse(StunMessage message)
    {
        if (message.Type == StunMessage.BindingSuccess && message.MappedAddress is { } mapped &&
            _pending.TryGetValue(Convert.ToHexString(message.TransactionId), out var answer))
        {
            answer.TrySetResult(IceUdpMux.Normalize(mapped));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC: server-reflexive address {Mapped} (STUN server {Server})")]
    private partial void LogMapped(string mapped, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebRTC: STUN server {Server} gave no server-reflexive address ({Reason}); answers carry host candidates only, retrying every 30 s")]
    private partial void LogFailed(string server, string reason);
}
