using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Creates every table of <see cref="SchemaTables"/>. On a file written by the seed-era C code (tables present, no
/// schema_migrations) it adds each missing column with <c>ALTER TABLE ADD COLUMN</c>, as upstream does, taking type and
/// default from a scratch copy of the current definition; existing rows keep their data.
/// </summary>
public sealed class M0001Tables : Migration
{
    public override int Version => 1;
    public override string Name => "tables";

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var (table, sql) in SchemaTables.All)
        {
            var existing = await ColumnsAsync(connection, transaction, "main", table, cancellationToken).ConfigureAwait(false);
            if (existing.Count == 0)
            {
                await ExecuteAsync(connection, transaction, string.Format(CultureInfo.InvariantCulture, sql, table), cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }

            var scratch = "shape_" + table;
            await ExecuteAsync(connection, transaction,
                string.Format(CultureInfo.InvariantCulture, sql, "temp." + scratch), cancellationToken).ConfigureAwait(false);
            var wanted = await TableShape.ReadAsync(connection, transaction, "temp", scratch, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"DROP TABLE temp.{scratch}", cancellationToken).ConfigureAwait(false);

            foreach (var column in wanted.Where(c => !existing.Contains(c.Name)))
            {
                // ADD COLUMN cannot add a key, and NOT NULL needs a default; both are relaxed on an upgraded table.
                var definition = $"\"{column.Name}\" {column.Type}";
                if (column.DefaultSql is not null)
                {
                    definition += " DEFAULT " + column.DefaultSql;
                    if (column.NotNull)
                    {
                        definition += " NOT NULL";
                    }
                }
                await ExecuteAsync(connection, transaction, $"ALTER TABLE \"{table}\" ADD COLUMN {definition}", cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }
}
