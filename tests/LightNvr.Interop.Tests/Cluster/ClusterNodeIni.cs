using LightNvr.Interop.Tests.Support;

namespace LightNvr.Interop.Tests.Cluster;

/// <summary>
/// The <c>lightnvr.ini</c> of one recorder node in the cluster suites: its own web and RTSP ports, storage folder
/// (relative, under the node's folder), the shared PostgreSQL database and its <c>[cluster]</c> identity. The short
/// heartbeat (2 s) and lease (6 s) keep take-overs within a test's patience; <c>make scale</c> passes the defaults.
/// </summary>
internal sealed record ClusterNodeIni(string NodeId, int Port, string Connection)
{
    /// <summary>The node's RTSP port; 0 = a free one.</summary>
    public int RtspPort { get; init; }

    /// <summary>Whether <c>api_url</c> is written (else the node's default, <c>http://HOSTNAME:port</c>).</summary>
    public bool ApiUrl { get; init; } = true;

    /// <summary>Whether <c>rtsp_url</c> is written (else the default, <c>rtsp://HOSTNAME:rtsp_port</c>).</summary>
    public bool RtspUrl { get; init; }

    public string Pinned { get; init; } = "";

    public int Capacity { get; init; } = 16;

    public int PoolSize { get; init; } = 10;

    public int Heartbeat { get; init; } = 2;

    public int LeaseTtl { get; init; } = 6;

    public override string ToString()
    {
        var rtsp = RtspPort > 0 ? RtspPort : FreePort.Next();
        return $"""
            [general]
            pid_file = run/lightnvr.pid
            log_file = logs/lightnvr.log
            log_level = 2
            [web]
            port = {Port}
            bind_ip = 127.0.0.1
            username = admin
            password = test-Password-1
            [database]
            type = postgresql
            connection_string = {Connection}
            pool_size = {PoolSize}
            [storage]
            path = recordings
            [go2rtc]
            rtsp_port = {rtsp}
            [cluster]
            node_id = {NodeId}
            capacity = {Capacity}
            pinned_streams = {Pinned}
            heartbeat_interval = {Heartbeat}
            lease_ttl = {LeaseTtl}

            """ + (ApiUrl ? $"api_url = http://127.0.0.1:{Port}\n" : "") + (RtspUrl ? $"rtsp_url = rtsp://127.0.0.1:{rtsp}\n" : "");
    }
}
