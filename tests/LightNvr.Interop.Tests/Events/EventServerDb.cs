using LightNvr.Interop.Tests.Server;
using Microsoft.Data.Sqlite;

namespace LightNvr.Interop.Tests.Events;

/// <summary>
/// What the event interop tests read beside the API: the server's database (read-only, its own connection, so it
/// works while the server runs and after a kill -9), and a bounded wait that fails with the server's log.
/// </summary>
internal static class EventServerDb
{
    public sealed record Row(long Id, string Path, bool Complete, long Start, string Trigger);

    public static string DatabaseOf(ServerProcess server) => Path.Combine(server.Folder, "db", "lightnvr.db");

    /// <summary>Polls <paramref name="until"/> every 200 ms (HTTP errors count as "not yet") for at most <paramref name="seconds"/>.</summary>
    public static async Task WaitForAsync(ServerProcess server, Func<Task<bool>> until, string what, int seconds = 30)
    {
        var deadline = Environment.TickCount64 + (seconds * 1000);
        while (true)
        {
            try
            {
                if (await until())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            Assert.True(Environment.TickCount64 < deadline && !server.Process.HasExited,
                $"no {what}; server log:\n" + server.Stdout + server.Stderr);
            await Task.Delay(200);
        }
    }

    public static async Task<List<Row>> WaitForRowsAsync(ServerProcess server, string stream, Func<List<Row>, bool> until, int seconds = 30)
    {
        var db = DatabaseOf(server);
        List<Row> rows = [];
        await WaitForAsync(server, async () => until(rows = await RowsAsync(db, stream)), "recording rows", seconds);
        return rows;
    }

    public static async Task<List<Row>> RowsAsync(string db, string stream)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, file_path, is_complete, start_time, trigger_type FROM recordings WHERE stream_name = $s ORDER BY id";
        command.Parameters.AddWithValue("$s", stream);
        var rows = new List<Row>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2) == 1, reader.GetInt64(3), reader.GetString(4)));
        }
        return rows;
    }

    /// <summary>(end_time, last_seen) of every <c>detection_events</c> row, oldest first; <paramref name="stream"/> null = all.</summary>
    public static async Task<List<(long? End, long LastSeen)>> EventsAsync(string db, string? stream = null)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT end_time, last_seen FROM detection_events WHERE $s IS NULL OR stream_name = $s ORDER BY id";
        command.Parameters.AddWithValue("$s", (object?)stream ?? DBNull.Value);
        var rows = new List<(long?, long)>();
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1)));
        }
        return rows;
    }
}
