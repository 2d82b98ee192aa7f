namespace LightNvr.Hosting;

/// <summary>
/// Runs socket completions on the epoll threads that see them instead of handing each to the thread pool.
/// </summary>
/// <remarks>
/// On Linux every readable event of every socket is otherwise queued to a pool thread, whether or not an operation
/// is waiting for it: one extra thread wake-up per camera packet, about 30 a second per camera, the largest cost of
/// recording after the reads themselves (docs/BENCHMARKS.md, recording). Inline is safe here because every
/// continuation that follows a socket operation in this process only parses and queues (the RTSP client and
/// server, the hub); Kestrel dispatches its own connections to its pipe scheduler either way. The runtime reads
/// the switch once, when the first socket is created, so it is set before anything else runs; a value set in the
/// environment wins.
/// </remarks>
public static class SocketCompletions
{
    /// <summary>The runtime's switch (System.Net.Sockets, SocketAsyncEngine on Unix).</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void RunInline()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
