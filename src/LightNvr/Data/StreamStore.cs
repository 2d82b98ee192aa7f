using System.Data.Common;

namespace LightNvr.Data;

/// <summary>The <c>streams</c> table: camera configurations by unique name.</summary>
public sealed class StreamStore(Database database)
{

    public async Task<IReadOnlyList<StreamConfig>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM streams ORDER BY id";
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StreamConfig?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM streams WHERE name = @name";
        command.Parameters.AddWithValue("@name", name);
        var rows = await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM streams";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Inserts a stream; returns its id, or null when the name is taken.</summary>
    public async Task<long?> InsertAsync(StreamConfig stream, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var columns = string.Join(", ", StreamColumns.Writable.Select(c => c.Column));
        var values = string.Join(", ", StreamColumns.Writable.Select((_, i) => "@p" + i));
        command.CommandText = $"INSERT INTO streams (name, {columns}) VALUES (@name, {values}) RETURNING id";
        Bind(command, stream);
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (DbException e) when (SqlDialect.IsUniqueViolation(e))
        {
            return null;
        }
    }

    /// <summary>Writes every column of the stream named <c>stream.Name</c>; false when there is no such stream.</summary>
    public async Task<bool> UpdateAsync(StreamConfig stream, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var sets = string.Join(", ", StreamColumns.Writable.Select((c, i) => $"{c.Column} = @p{i}"));
        command.CommandText = $"UPDATE streams SET {sets} WHERE name = @name";
        Bind(command, stream);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM streams WHERE name = @name";
        command.Parameters.AddWithValue("@name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Writes what the streaming core detected (codec, size, frame rate) without touching any other column, so it
    /// cannot undo a concurrent API update. False when there is no such stream.
    /// </summary>
    public async Task<bool> UpdateVideoInfoAsync(string name, string codec, int width, int height, int fps,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE streams SET codec = @codec, width = @w, height = @h, fps = @fps WHERE name = @name";
        command.Parameters.AddWithValue("@codec", codec);
        command.Parameters.AddWithValue("@w", width);
        command.Parameters.AddWithValue("@h", height);
        command.Parameters.AddWithValue("@fps", fps);
        command.Parameters.AddWithValue("@name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static void Bind(DbCommand command, StreamConfig stream)
    {
        command.Parameters.AddWithValue("@name", stream.Name);
        for (var i = 0; i < StreamColumns.Writable.Count; i++)
        {
            var value = StreamColumns.Writable[i].Value(stream);
            command.Parameters.AddWithValue("@p" + i, value is bool b ? (b ? 1 : 0) : value);
        }
    }

    private static async Task<List<StreamConfig>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var result = new List<StreamConfig>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(StreamColumns.Read(new RowReader(reader)));
        }
        return result;
    }
}
