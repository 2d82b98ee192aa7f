using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LightNvr.Config;
using LightNvr.IO;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LightNvr.Onvif;

/// <summary>
/// Where cameras without PullPoint push their notifications (WS-BaseNotification Subscribe, ONVIF Core §9.2):
/// <c>POST /api/onvif/notify/{token}</c>, anonymous because a camera cannot log in, so each subscription gets its own
/// unguessable token (128 random bits) and the route answers 404 to any other. The callback address a camera is given
/// is <c>[onvif] push_callback_url</c> when set (a server behind NAT or a proxy from its cameras), else this
/// machine's address on the route to the camera and the port the server listens on.
/// </summary>
public sealed class OnvifPushInbox(IServiceProvider services)
{
    /// <summary>Largest Notify body read (a real one is 1–4 KB; 64 KB leaves room for a camera batching many).</summary>
    public const int MaxNotifyBytes = 64 * 1024;

    /// <summary>Token bytes: 128 bits, beyond guessing at any request rate.</summary>
    public const int TokenBytes = 16;

    private readonly ConcurrentDictionary<string, Action<IReadOnlyList<OnvifNotification>>> _consumers = new(StringComparer.Ordinal);

    public int Count => _consumers.Count;

    /// <summary>A new token delivering to <paramref name="consumer"/> until <see cref="Unregister"/>.</summary>
    public string Register(Action<IReadOnlyList<OnvifNotification>> consumer)
    {
        var token = Convert.ToHexStringLower(KernelRandom.GetBytes(TokenBytes));
        _consumers[token] = consumer;
        return token;
    }

    public void Unregister(string token) => _consumers.TryRemove(token, out _);

    public bool Knows(string token) => _consumers.ContainsKey(token);

    /// <summary>False for an unknown token (the route answers 404).</summary>
    public bool Deliver(string token, IReadOnlyList<OnvifNotification> notifications)
    {
        if (token.Length != TokenBytes * 2 || !_consumers.TryGetValue(token, out var consumer))
        {
            return false;
        }
        consumer(notifications);
        return true;
    }

    public const string InvalidCallback = "is not an absolute http:// or https:// URL without query or user info";

    /// <summary>
    /// <c>&lt;push_callback_url&gt;/api/onvif/notify/{token}</c> (a path in the URL is kept: a reverse proxy's prefix), or
    /// null when the value is not an absolute http(s) URL without query, fragment or user info.
    /// </summary>
    public static Uri? ConfiguredCallback(string configured, string token)
    {
        if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            return null;
        }
        return new UriBuilder(url) { Path = url.AbsolutePath.TrimEnd('/') + $"/api/onvif/notify/{token}" }.Uri;
    }

    /// <summary>
    /// The configured callback (<see cref="ConfiguredCallback"/>), else
    /// <c>http://&lt;our address toward the camera&gt;:&lt;listening port&gt;/api/onvif/notify/{token}</c>, or null when the
    /// server's port is unknown (no HTTP listener) or the camera's host does not resolve.
    /// </summary>
    public async Task<Uri?> CallbackAsync(Uri deviceUrl, string token, CancellationToken cancellationToken)
    {
        var configured = services.GetService<ConfigSnapshots>()?.Current.Onvif.PushCallbackUrl;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return ConfiguredCallback(configured, token)
                ?? throw new OnvifException(OnvifErrorKind.Unreachable, $"[onvif] push_callback_url '{configured}' {InvalidCallback}");
        }
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var listen = addresses?.Select(a => Uri.TryCreate(a.Replace("://+", "://0.0.0.0", StringComparison.Ordinal)
            .Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://[::]", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null)
            .FirstOrDefault(u => u?.Scheme == Uri.UriSchemeHttp);
        if (listen is null)
        {
            return null;
        }
        IPAddress local;
        try
        {
            var camera = IPAddress.TryParse(deviceUrl.Host, out var ip) ? ip
                : (await Dns.GetHostAddressesAsync(deviceUrl.Host, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            if (camera is null)
            {
                return null;
            }
            // A UDP "connect" sends nothing; it asks the kernel which local address routes to the camera.
            using var probe = new Socket(camera.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(camera, deviceUrl.Port);
            local = ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
        return new UriBuilder(Uri.UriSchemeHttp, local.ToString(), listen.Port, $"/api/onvif/notify/{token}").Uri;
    }
}
