using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LightNvr.Data.Migrations;

/// <summary>
/// Converts values a seed-era file stored differently (seeds/ARCHITECTURE.md "Database Schema") into upstream's current
/// representation: recordings.size → size_bytes, streams.protocol 'tcp'/'udp' → 0/1, onvif_enabled → is_onvif,
/// users.role names → numeric ids, detection_zones (integer id, zone_name, points) → (text id, name, polygon).
/// Session rows are dropped: this build stores only hashes of session tokens, so old raw tokens can never match.
/// On a fresh database every statement here matches nothing.
/// </summary>
public sealed class M0002SeedEraData : Migration
{
    public override int Version => 2;
    public override string Name => "seed_era_data";

    public override async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var recordings = await ColumnsAsync(connection, transaction, "main", "recordings", cancellationToken).ConfigureAwait(false);
        if (recordings.Contains("size"))
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE recordings SET size_bytes = size WHERE size IS NOT NULL AND (size_bytes IS NULL OR size_bytes = 0)",
                cancellationToken).ConfigureAwait(false);
        }

        var streams = await ColumnsAsync(connection, transaction, "main", "streams", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "UPDATE streams SET protocol = CASE lower(protocol) WHEN 'udp' THEN 1 WHEN '1' THEN 1 ELSE 0 END " +
            "WHERE typeof(protocol) = 'text' AND protocol NOT IN ('0', '1')", cancellationToken).ConfigureAwait(false);
        if (streams.Contains("onvif_enabled"))
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE streams SET is_onvif = 1 WHERE onvif_enabled = 1", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction,
            "UPDATE users SET role = CASE lower(role) WHEN 'admin' THEN 0 WHEN 'user' THEN 1 WHEN 'viewer' THEN 2 " +
            "WHEN 'api' THEN 3 ELSE 2 END WHERE typeof(role) = 'text' AND role NOT IN ('0', '1', '2', '3')",
            cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "DELETE FROM sessions", cancellationToken).ConfigureAwait(false);

        var zones = await ColumnsAsync(connection, transaction, "main", "detection_zones", cancellationToken).ConfigureAwait(false);
        if (zones.Contains("zone_name"))
        {
            var zoneSql = SchemaTables.All.Single(t => t.Name == "detection_zones").Sql;
            await ExecuteAsync(connection, transaction, $"""
                ALTER TABLE detection_zones RENAME TO detection_zones_seed;
                {string.Format(CultureInfo.InvariantCulture, zoneSql, "detection_zones")};
                INSERT INTO detection_zones (id, stream_name, name, enabled, polygon)
                    SELECT CAST(id AS TEXT), stream_name, zone_name, COALESCE(enabled, 1), COALESCE(points, '[]')
                    FROM detection_zones_seed WHERE stream_name IN (SELECT name FROM streams);
                DROP TABLE detection_zones_seed;
                """, cancellationToken).ConfigureAwait(false);
        }
    }
}
