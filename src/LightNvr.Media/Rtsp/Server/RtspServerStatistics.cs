namespace LightNvr.Media.Rtsp.Server;

/// <summary>Counters of an <see cref="RtspServer"/> since it started; readable from any thread.</summary>
public sealed class RtspServerStatistics
{
    private long _connections;
    private long _requests;
    private long _malformed;
    private long _authFailures;
    private long _plays;
    private long _publishes;
    private long _timeouts;
    private long _bytesSent;
    private long _internalErrors;
    private long _evictions;
    private long _refused;

    /// <summary>Unauthenticated connections closed to make room (per-address or global cap), oldest first.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Connections closed at accept: the global cap was reached and every connection was authenticated.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    internal void CountEviction() => Interlocked.Increment(ref _evictions);

    internal void CountRefused() => Interlocked.Increment(ref _refused);

    /// <summary>Requests answered 500 because of a failure on our side (e.g. no free UDP port pair).</summary>
    public long InternalErrors => Interlocked.Read(ref _internalErrors);

    internal void CountInternalError() => Interlocked.Increment(ref _internalErrors);

    public long Connections => Interlocked.Read(ref _connections);

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Malformed messages skipped (parser errors), never thrown.</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformed);

    /// <summary>Requests answered 401 or 403.</summary>
    public long AuthFailures => Interlocked.Read(ref _authFailures);

    public long Plays => Interlocked.Read(ref _plays);

    public long Publishes => Interlocked.Read(ref _publishes);

    /// <summary>
    /// Connections closed for a stalled write, an idle UDP session, a request not completed in time, or an
    /// unauthenticated connection left idle.
    /// </summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    internal void CountConnection() => Interlocked.Increment(ref _connections);

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    internal void CountAuthFailure() => Interlocked.Increment(ref _authFailures);

    internal void CountPlay() => Interlocked.Increment(ref _plays);

    internal void CountPublish() => Interlocked.Increment(ref _publishes);

    internal void CountTimeout() => Interlocked.Increment(ref _timeouts);

    internal void CountBytesSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);
}
