using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LightNvr.Interop.Tests.Live;

/// <summary>A go2rtc MSE client over a real WebSocket: request, answer, then binary fMP4 messages.</summary>
internal static class MseClient
{
    public static async Task SendRequestAsync(ClientWebSocket ws, string codecs)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["type"] = "mse", ["value"] = codecs });
        await ws.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
    }

    /// <summary>The next message: (type, value) for text, or (null, bytes) for binary.</summary>
    public static async Task<(string? Type, string? Value, byte[]? Data)> ReceiveAsync(ClientWebSocket ws, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ("close", ws.CloseStatusDescription, null);
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        if (result.MessageType == WebSocketMessageType.Text)
        {
            using var doc = JsonDocument.Parse(message.ToArray());
            return (doc.RootElement.GetProperty("type").GetString(), doc.RootElement.GetProperty("value").GetString(), null);
        }

        return (null, null, message.ToArray());
    }

    /// <summary>The four-character type of the first box of an fMP4 message.</summary>
    public static string FirstBox(byte[] data) => data.Length >= 8 ? Encoding.ASCII.GetString(data, 4, 4) : "";
}
