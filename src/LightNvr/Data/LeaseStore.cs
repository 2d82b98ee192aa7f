using System.Globalization;

namespace LightNvr.Data;

/// <summary>
/// <c>nodes</c> and <c>camera_leases</c> (M0010, docs/scale.md): heartbeats, lease renewal, claims and releases. Every
/// time is the database's clock (<see cref="SqlDialect.NowMilliseconds"/>). A claim is one conditional upsert: the row
/// is taken only if it is missing or expired when the statement runs, under the row lock PostgreSQL's
/// <c>ON CONFLICT … DO UPDATE … WHERE</c> holds, so two nodes claiming the same camera at once cannot both win (the
/// second re-checks the WHERE on the first's committed row and gets nothing back).
/// </summary>
public sealed class LeaseStore(Database database)
{
    /// <summary>Writes this node's row (heartbeat now).</summary>
    public async Task HeartbeatAsync(NodeRecord node, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var now = SqlDialect.Of(command).NowMilliseconds;
        command.CommandText =
            "INSERT INTO nodes (node_id, address, capacity, pinned_streams, version, started_at, heartbeat_at, storage_id, rtsp_address) " +
            $"VALUES (@id, @address, @capacity, @pinned, @version, @started, {now}, @storage, @rtsp) ON CONFLICT (node_id) DO UPDATE SET " +
            "address = excluded.address, capacity = excluded.capacity, pinned_streams = excluded.pinned_streams, " +
            "version = excluded.version, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, " +
            "storage_id = excluded.storage_id, rtsp_address = excluded.rtsp_address";
        command.Parameters.AddWithValue("@id", node.NodeId);
        command.Parameters.AddWithValue("@address", node.Address);
        command.Parameters.AddWithValue("@capacity", node.Capacity);
        command.Parameters.AddWithValue("@pinned", string.Join(',', node.PinnedStreams));
        command.Parameters.AddWithValue("@version", node.Version);
        command.Parameters.AddWithValue("@started", node.StartedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("@storage", node.StorageId);
        command.Parameters.AddWithValue("@rtsp", node.RtspAddress);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Extends every lease this node holds (expired ones too, as long as no other node took them: the holder is still
    /// this node) by <paramref name="ttl"/>; returns them. A lease missing from the answer is lost.
    /// </summary>
    public async Task<IReadOnlyList<CameraLease>> RenewAsync(string nodeId, TimeSpan ttl, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var now = SqlDialect.Of(command).NowMilliseconds;
        command.CommandText = $"UPDATE camera_leases SET expires_at = {now} + @ttl WHERE node_id = @me AND expires_at <> 0 " +
            $"RETURNING stream_name, node_id, epoch, expires_at, expires_at - {now} AS remaining_ms";
        command.Parameters.AddWithValue("@me", nodeId);
        command.Parameters.AddWithValue("@ttl", (long)ttl.TotalMilliseconds);
        return await ReadLeasesAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes <paramref name="stream"/>'s lease for <paramref name="nodeId"/> if it has none, or it expired (a released
    /// one always; one that merely expired only when <paramref name="takeExpired"/>); returns the new epoch, or null
    /// when another node holds it.
    /// </summary>
    public async Task<long?> ClaimAsync(string nodeId, string stream, TimeSpan ttl, bool takeExpired, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var now = SqlDialect.Of(command).NowMilliseconds;
        command.CommandText =
            "INSERT INTO camera_leases (stream_name, node_id, epoch, expires_at) " +
            $"VALUES (@s, @me, (SELECT COALESCE(MAX(epoch), 0) + 1 FROM camera_leases), {now} + @ttl) " +
            "ON CONFLICT (stream_name) DO UPDATE SET node_id = excluded.node_id, epoch = camera_leases.epoch + 1, " +
            $"expires_at = excluded.expires_at WHERE camera_leases.expires_at < {now} " +
            "AND (camera_leases.expires_at = 0 OR @expired = 1 OR camera_leases.node_id = @me) RETURNING epoch";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@me", nodeId);
        command.Parameters.AddWithValue("@ttl", (long)ttl.TotalMilliseconds);
        command.Parameters.AddWithValue("@expired", takeExpired ? 1 : 0);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } epoch and not DBNull
            ? Convert.ToInt64(epoch, CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Gives a lease up (expires_at 0: free for any node at once, epoch kept so fencing still holds).</summary>
    public async Task<bool> ReleaseAsync(string nodeId, string stream, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE camera_leases SET expires_at = 0 WHERE stream_name = @s AND node_id = @me";
        command.Parameters.AddWithValue("@s", stream);
        command.Parameters.AddWithValue("@me", nodeId);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    /// <summary>A graceful stop: the node's heartbeat is cleared, so the others count it out of the shares at once.</summary>
    public async Task LeaveAsync(string nodeId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE nodes SET heartbeat_at = 0 WHERE node_id = @me";
        command.Parameters.AddWithValue("@me", nodeId);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes or keeps the retention sweep of the shared storage location <paramref name="storageId"/> for
    /// <paramref name="ttl"/> (the same conditional upsert as a camera claim: only when it is free, expired, or already
    /// this node's). True when this node sweeps it now.
    /// </summary>
    public async Task<bool> ClaimSweepAsync(string nodeId, string storageId, TimeSpan ttl, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var now = SqlDialect.Of(command).NowMilliseconds;
        command.CommandText =
            $"INSERT INTO storage_sweeps (storage_id, node_id, expires_at) VALUES (@loc, @me, {now} + @ttl) " +
            "ON CONFLICT (storage_id) DO UPDATE SET node_id = excluded.node_id, expires_at = excluded.expires_at " +
            $"WHERE storage_sweeps.node_id = @me OR storage_sweeps.expires_at < {now} RETURNING node_id";
        command.Parameters.AddWithValue("@loc", storageId);
        command.Parameters.AddWithValue("@me", nodeId);
        command.Parameters.AddWithValue("@ttl", (long)ttl.TotalMilliseconds);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string;
    }

    /// <summary>
    /// The cluster-wide secret <paramref name="name"/> (<c>cluster_secrets</c>, M0012): the stored value, or
    /// <paramref name="candidate"/> stored now when there is none yet. Insert-if-absent, so nodes starting together
    /// all end up with the first one written.
    /// </summary>
    public async Task<string> SharedSecretAsync(string name, string candidate, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using (var insert = connection.CreateCommand())
        {
            var now = SqlDialect.Of(insert).NowMilliseconds;
            insert.CommandText = $"INSERT INTO cluster_secrets (name, value, created_at) VALUES (@n, @v, {now}) ON CONFLICT (name) DO NOTHING";
            insert.Parameters.AddWithValue("@n", name);
            insert.Parameters.AddWithValue("@v", candidate);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM cluster_secrets WHERE name = @n";
        read.Parameters.AddWithValue("@n", name);
        return await read.ExecuteScalarAsync(ct).ConfigureAwait(false) as string
            ?? throw new InvalidOperationException("cluster secret missing after insert");
    }

    /// <summary>Whether any node other than <paramref name="nodeId"/> has a row in <c>nodes</c> (ever joined).</summary>
    public async Task<bool> OtherNodesExistAsync(string nodeId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM nodes WHERE node_id <> @me";
        command.Parameters.AddWithValue("@me", nodeId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    public async Task<IReadOnlyList<CameraLease>> ListLeasesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var now = SqlDialect.Of(command).NowMilliseconds;
        command.CommandText =
            $"SELECT stream_name, node_id, epoch, expires_at, expires_at - {now} AS remaining_ms FROM camera_leases ORDER BY stream_name";
        return await ReadLeasesAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var now = SqlDialect.Of(command).NowMilliseconds;
        command.CommandText = $"SELECT *, {now} - heartbeat_at AS age_ms FROM nodes ORDER BY node_id";
        var nodes = new List<NodeRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            nodes.Add(NodeRecord.Read(new RowReader(reader)));
        }
        return nodes;
    }

    /// <summary>The enabled streams' names: the cameras that need a recording node.</summary>
    public async Task<IReadOnlyList<string>> EnabledStreamsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM streams WHERE enabled = 1 ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private static async Task<IReadOnlyList<CameraLease>> ReadLeasesAsync(System.Data.Common.DbCommand command, CancellationToken ct)
    {
        var leases = new List<CameraLease>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var r = new RowReader(reader);
            leases.Add(new CameraLease(r.Text("stream_name"), r.Text("node_id"), r.Long("epoch"), r.Long("expires_at"),
                r.Long("remaining_ms")));
        }
        return leases;
    }
}
