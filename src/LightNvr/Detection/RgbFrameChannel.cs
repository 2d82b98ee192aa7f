using System.Net.Sockets;

namespace LightNvr.Detection;

/// <summary>
/// The second output of a detection decoder: RGB24 frames for object detection at <c>detection_interval</c>, written
/// by the same ffmpeg (one decode, two scaled outputs) to a Unix socket this class listens on (ffmpeg's
/// <c>unix:</c> protocol connects to it). A socket, not a second pipe: .NET gives a child process stdin, stdout and
/// stderr only, and stdout carries the gray motion frames. Only a stream with an object model opens one.
/// </summary>
public sealed class RgbFrameChannel : IAsyncDisposable
{
    private readonly Socket _listener;
    private Socket? _connection;
    private NetworkStream? _stream;

    public RgbFrameChannel(int width, int height)
    {
        Width = width;
        Height = height;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lightnvr-rgb-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(1);
    }

    public int Width { get; }

    public int Height { get; }

    public int FrameBytes => Width * Height * 3;

    /// <summary>The socket file ffmpeg writes to (<c>unix:PATH</c>).</summary>
    public string Path { get; }

    /// <summary>Fills <paramref name="frame"/> with the next RGB picture; false when ffmpeg closed the socket.</summary>
    public async ValueTask<bool> ReadFrameAsync(Memory<byte> frame, CancellationToken cancellationToken)
    {
        if (_stream is null)
        {
            _connection = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            _stream = new NetworkStream(_connection, ownsSocket: false);
        }
        var filled = 0;
        while (filled < FrameBytes)
        {
            var n = await _stream.ReadAsync(frame[filled..FrameBytes], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }
            filled += n;
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        _connection?.Dispose();
        _listener.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Left in the temp folder: harmless, and the next run uses a new name.
        }
    }
}
