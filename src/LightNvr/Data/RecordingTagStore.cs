using System.Data.Common;

namespace LightNvr.Data;

/// <summary><c>recording_tags</c>: free-form tags on recordings (lightnvr-api.md §4.5).</summary>
public sealed class RecordingTagStore(Database database, TimeProvider time)
{
    /// <summary>Most tags on one recording and longest tag: upstream's 64 × 127 characters.</summary>
    public const int MaxTagsPerRecording = 64;
    public const int MaxTagLength = 127;

    public async Task<IReadOnlyList<string>> GetAsync(long id, CancellationToken ct = default) =>
        (await GetForAsync([id], ct).ConfigureAwait(false)).GetValueOrDefault(id) ?? [];

    /// <summary>Tags of many recordings in one query (a list page).</summary>
    public async Task<Dictionary<long, List<string>>> GetForAsync(IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        var result = new Dictionary<long, List<string>>();
        if (ids.Count == 0)
        {
            return result;
        }
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT recording_id, tag FROM recording_tags WHERE recording_id IN (" + SqlDialect.Of(command).JsonIntegers("@ids") + ") " +
            "ORDER BY recording_id, tag";
        command.Parameters.AddWithValue("@ids", "[" + string.Join(",", ids) + "]");
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            if (!result.TryGetValue(id, out var list))
            {
                result[id] = list = [];
            }
            list.Add(reader.GetString(1));
        }
        return result;
    }

    /// <summary>Replaces a recording's tags (one transaction).</summary>
    public async Task SetAsync(long id, IReadOnlyList<string> tags, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var tx = connection.BeginTransaction();
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM recording_tags WHERE recording_id = @id";
            delete.Parameters.AddWithValue("@id", id);
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await AddAsync(connection, tx, id, tags, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Adds and removes tags on many recordings; returns (added, removed) row counts.</summary>
    public async Task<(int Added, int Removed)> BatchAsync(IReadOnlyList<long> ids, IReadOnlyList<string> add,
        IReadOnlyList<string> remove, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var tx = connection.BeginTransaction();
        int added = 0, removed = 0;
        foreach (var id in ids)
        {
            added += await AddAsync(connection, tx, id, add, ct).ConfigureAwait(false);
            foreach (var tag in remove)
            {
                using var delete = connection.CreateCommand();
                delete.Transaction = tx;
                delete.CommandText = "DELETE FROM recording_tags WHERE recording_id = @id AND tag = @t";
                delete.Parameters.AddWithValue("@id", id);
                delete.Parameters.AddWithValue("@t", tag);
                removed += await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (added, removed);
    }

    /// <summary>Every distinct tag, sorted.</summary>
    public async Task<IReadOnlyList<string>> ListAllAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT tag FROM recording_tags ORDER BY tag";
        var tags = new List<string>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            tags.Add(reader.GetString(0));
        }
        return tags;
    }

    private async Task<int> AddAsync(DbConnection connection, DbTransaction tx, long id, IReadOnlyList<string> tags,
        CancellationToken ct)
    {
        var n = 0;
        foreach (var tag in tags)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO recording_tags (recording_id, tag, created_at) " +
                "SELECT id, @t, @now FROM recordings WHERE id = @id ON CONFLICT DO NOTHING";
            insert.Parameters.AddWithValue("@id", id);
            insert.Parameters.AddWithValue("@t", tag);
            insert.Parameters.AddWithValue("@now", time.GetUtcNow().ToUnixTimeSeconds());
            n += await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        return n;
    }
}
