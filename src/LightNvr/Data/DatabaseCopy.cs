using System.Data.Common;
using System.Globalization;

namespace LightNvr.Data;

/// <summary>
/// Copies every table of one database into another, across engines (SQLite ⇄ PostgreSQL), for
/// <c>lightnvr db migrate</c> (docs/scale.md). Both are migrated first, so both have the same schema version; the
/// target must hold no rows. Rows keep their ids; tables go parents first so foreign keys hold; each table is copied
/// in batches of <see cref="BatchRows"/> rows, one transaction per batch, with progress written out. The trigger-kept
/// count tables are not copied: the target's own triggers rebuild them from the rows, and the copy checks they agree
/// with the source. Afterwards every table's row count must match the source's, else the copy fails.
/// </summary>
public sealed class DatabaseCopy(Database source, Database target, TimeProvider time)
{
    /// <summary>Rows per transaction: large enough that commits do not dominate, small enough to report progress.</summary>
    public const int BatchRows = 2000;

    /// <summary>Parents before children (foreign keys), every table the migrations create except the derived ones.</summary>
    public static readonly IReadOnlyList<string> Tables =
    [
        "streams", "users", "recordings", "detections", "events", "sessions", "trusted_devices", "detection_zones",
        "motion_settings", "motion_recording_config", "storage_daily_stats", "system_settings", "recording_tags",
        "detection_events", "webhooks", "webhook_deliveries",
    ];

    /// <summary>Kept by triggers from the rows above (M0005, M0006); compared, never copied.</summary>
    public static readonly IReadOnlyList<string> DerivedTables = ["recording_list_counts", "recording_tag_counts"];

    /// <summary>Copies everything; returns the rows copied per table. Throws <see cref="InvalidOperationException"/>
    /// when the target is not empty or the counts differ afterwards.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RunAsync(TextWriter progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        await source.MigrateAsync(time, ct).ConfigureAwait(false);
        await target.MigrateAsync(time, ct).ConfigureAwait(false);

        await using var from = await source.OpenAsync(ct).ConfigureAwait(false);
        await using var to = await target.OpenAsync(ct).ConfigureAwait(false);
        foreach (var table in Tables)
        {
            if (await CountAsync(to, table, ct).ConfigureAwait(false) > 0)
            {
                throw new InvalidOperationException(
                    $"The target {target.Path} already has rows in '{table}': copy only into an empty database (a new file, or a fresh PostgreSQL database).");
            }
        }

        var copied = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            var total = await CountAsync(from, table, ct).ConfigureAwait(false);
            copied[table] = await CopyTableAsync(from, to, table, total, progress, ct).ConfigureAwait(false);
        }

        if (target.Engine == DatabaseEngine.Postgresql)
        {
            await ResetIdentitiesAsync(to, ct).ConfigureAwait(false);
            await CompactCountTablesAsync(to, ct).ConfigureAwait(false);
        }

        var wrong = new List<string>();
        foreach (var table in Tables)
        {
            var (a, b) = (await CountAsync(from, table, ct).ConfigureAwait(false), await CountAsync(to, table, ct).ConfigureAwait(false));
            if (a != b)
            {
                wrong.Add($"{table}: {a} rows in the source, {b} in the target");
            }
        }
        // A derived table may keep rows counted down to 0 in the source that the target never created: compare the
        // non-zero rows and their sum.
        foreach (var table in DerivedTables)
        {
            var a = (await CountAsync(from, table, ct, "listed <> 0").ConfigureAwait(false), await SumAsync(from, table, "listed", ct).ConfigureAwait(false));
            var b = (await CountAsync(to, table, ct, "listed <> 0").ConfigureAwait(false), await SumAsync(to, table, "listed", ct).ConfigureAwait(false));
            if (a != b)
            {
                wrong.Add($"{table}: {a.Item1} counts totalling {a.Item2} in the source, {b.Item1} totalling {b.Item2} in the target");
            }
        }
        if (wrong.Count > 0)
        {
            throw new InvalidOperationException("The copy does not match its source: " + string.Join("; ", wrong));
        }
        return copied;
    }

    private static async Task<long> CopyTableAsync(DbConnection from, DbConnection to, string table, long total, TextWriter progress,
        CancellationToken ct)
    {
        var targetColumns = await ColumnsAsync(to, table, ct).ConfigureAwait(false);
        var sourceColumns = await ColumnsAsync(from, table, ct).ConfigureAwait(false);
        var columns = targetColumns.Where(c => sourceColumns.ContainsKey(c.Key)).ToList();
        var names = string.Join(", ", columns.Select(c => Quote(c.Key)));

        using var select = from.CreateCommand();
        select.CommandText = $"SELECT {names} FROM {table} ORDER BY 1";
        using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);

        using var insert = to.CreateCommand();
        insert.CommandText = $"INSERT INTO {table} ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((c, i) => insert.AddTyped("@p" + i, c.Value)).ToList();

        long done = 0;
        DbTransaction? transaction = null;
        try
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                transaction ??= await to.BeginTransactionAsync(ct).ConfigureAwait(false);
                insert.Transaction = transaction;
                for (var i = 0; i < columns.Count; i++)
                {
                    parameters[i].Value = Convert(reader.GetValue(i), columns[i].Value, table, columns[i].Key);
                }
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                if (++done % BatchRows == 0)
                {
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    await transaction.DisposeAsync().ConfigureAwait(false);
                    transaction = null;
                    await progress.WriteLineAsync($"  {table}: {done:N0} / {total:N0}").ConfigureAwait(false);
                }
            }
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
        await progress.WriteLineAsync($"{table}: {done:N0} rows").ConfigureAwait(false);
        return done;
    }

    /// <summary>
    /// A source value as the target column's type. SQLite keeps whatever a row was written with (an integer in a
    /// REAL column, digits in a TEXT one); PostgreSQL refuses the mismatch, so values are converted here.
    /// </summary>
    private static object Convert(object value, System.Data.DbType type, string table, string column)
    {
        if (value is DBNull)
        {
            return value;
        }
        try
        {
            return type switch
            {
                System.Data.DbType.Int64 => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
                System.Data.DbType.Double => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
                System.Data.DbType.String => value as string ?? System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
                _ => value,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidOperationException($"{table}.{column}: the value '{value}' does not fit the target's {type} column", e);
        }
    }

    /// <summary>The table's columns and their types, as the engine reports them for an empty result.</summary>
    private static async Task<Dictionary<string, System.Data.DbType>> ColumnsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} LIMIT 0";
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var columns = new Dictionary<string, System.Data.DbType>(StringComparer.OrdinalIgnoreCase);
        var schema = await reader.GetColumnSchemaAsync(ct).ConfigureAwait(false);
        foreach (var column in schema)
        {
            var declared = (column.DataTypeName ?? "").ToUpperInvariant();
            columns[column.ColumnName] = declared switch
            {
                var d when d.Contains("INT", StringComparison.Ordinal) => System.Data.DbType.Int64,
                var d when d.Contains("REAL", StringComparison.Ordinal) || d.Contains("DOUBLE", StringComparison.Ordinal)
                    || d.Contains("FLOAT", StringComparison.Ordinal) || d.Contains("NUMERIC", StringComparison.Ordinal) => System.Data.DbType.Double,
                var d when d.Contains("BLOB", StringComparison.Ordinal) || d.Contains("BYTEA", StringComparison.Ordinal) => System.Data.DbType.Binary,
                _ => System.Data.DbType.String,
            };
        }
        return columns;
    }

    /// <summary>Identity columns continue after the copied ids (an explicit id does not advance the sequence).</summary>
    private static async Task ResetIdentitiesAsync(DbConnection connection, CancellationToken ct)
    {
        var identities = new List<string>();
        using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() " +
                "AND column_name = 'id' AND is_identity = 'YES'";
            using var reader = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                identities.Add(reader.GetString(0));
            }
        }
        foreach (var table in Tables.Where(identities.Contains))
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)";
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Rewrites the trigger-kept count tables (a few rows each): every copied row wrote a new version of its stream's
    /// count row, <see cref="BatchRows"/> to a transaction that none of them could be pruned in, so a million rows left
    /// the live rows on the last of thousands of pages. VACUUM never truncates pages below a live row, and an unfiltered
    /// list's total scans them all (docs/BENCHMARKS.md, "Recordings list on PostgreSQL": 1,081 pages, 11 ms, after
    /// 200,000 rows). <c>VACUUM FULL</c> of two tiny tables takes milliseconds; it runs outside a transaction.
    /// </summary>
    private static async Task CompactCountTablesAsync(DbConnection connection, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "VACUUM FULL " + string.Join(", ", DerivedTables);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long> CountAsync(DbConnection connection, string table, CancellationToken ct, string where = "1 = 1")
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        return System.Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task<long> SumAsync(DbConnection connection, string table, string column, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(SUM({column}), 0) FROM {table}";
        return System.Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static string Quote(string column) => "\"" + column.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
