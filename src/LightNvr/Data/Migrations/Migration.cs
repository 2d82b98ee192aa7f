using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>One numbered schema step. Applied once, inside its own transaction, and recorded in schema_migrations.</summary>
public abstract class Migration
{
    public abstract int Version { get; }
    public abstract string Name { get; }
    public abstract Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Runs a batch of statements in the migration's transaction.</summary>
    protected static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Column names of a table (empty when the table does not exist).</summary>
    protected static async Task<HashSet<string>> ColumnsAsync(SqliteConnection connection, SqliteTransaction transaction,
        string schema, string table, CancellationToken cancellationToken)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in await TableShape.ReadAsync(connection, transaction, schema, table, cancellationToken).ConfigureAwait(false))
        {
            columns.Add(column.Name);
        }
        return columns;
    }
}
