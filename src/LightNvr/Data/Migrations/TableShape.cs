using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>One column as <c>PRAGMA table_info</c> reports it.</summary>
public sealed record TableShape(string Name, string Type, bool NotNull, string? DefaultSql, bool PrimaryKey)
{
    public static async Task<List<TableShape>> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string schema, string table, CancellationToken cancellationToken)
    {
        var result = new List<TableShape>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // PRAGMA arguments cannot be parameters; schema and table come from our own constants, never from input.
        command.CommandText = $"PRAGMA \"{schema}\".table_info(\"{table}\")";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new TableShape(
                reader.GetString(1),
                reader.IsDBNull(2) ? "" : reader.GetString(2),
                reader.GetInt64(3) != 0,
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt64(5) != 0));
        }
        return result;
    }
}
