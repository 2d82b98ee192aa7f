using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightNvr.Data;

/// <summary>
/// The <c>detection_zones</c> table. The polygon column holds upstream's JSON (<c>[{"x":0.1,"y":0.2},...]</c>).
/// <c>id</c> is the table's primary key across all streams, so a zone id another stream uses is refused
/// (<see cref="ReplaceAsync"/> answers its owner) instead of silently moving that zone.
/// </summary>
public sealed class ZoneStore(Database database, TimeProvider time)
{
    /// <summary>Raised after a stream's zones were replaced or deleted (a running detector reloads them).</summary>
    public event Action<string>? ZonesChanged;

    public async Task<IReadOnlyList<DetectionZone>> ListAsync(string stream, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM detection_zones WHERE stream_name = @s ORDER BY created_at, {SqlDialect.Of(command).InsertionOrder}";
        command.Parameters.AddWithValue("@s", stream);
        var zones = new List<DetectionZone>();
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var r = new RowReader(reader);
            zones.Add(new DetectionZone
            {
                Id = r.Text("id"), StreamName = r.Text("stream_name"), Name = r.Text("name"), Enabled = r.Bool("enabled"),
                Color = r.Text("color", DetectionZone.DefaultColor), Polygon = ParsePolygon(r.Text("polygon", "[]")),
                FilterClasses = r.Text("filter_classes"), MinConfidence = r.Double("min_confidence"),
            });
        }
        return zones;
    }

    /// <summary>
    /// Replaces every zone of <paramref name="stream"/> in one transaction. Returns null, or the id of a zone that
    /// belongs to another stream (nothing is written then).
    /// </summary>
    public async Task<string?> ReplaceAsync(string stream, IReadOnlyList<DetectionZone> zones, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var tx = connection.BeginTransaction();
        foreach (var zone in zones)
        {
            using var owner = connection.CreateCommand();
            owner.Transaction = tx;
            owner.CommandText = "SELECT 1 FROM detection_zones WHERE id = @id AND stream_name <> @s";
            owner.Parameters.AddWithValue("@id", zone.Id);
            owner.Parameters.AddWithValue("@s", stream);
            if (await owner.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
            {
                return zone.Id;
            }
        }

        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM detection_zones WHERE stream_name = @s";
            delete.Parameters.AddWithValue("@s", stream);
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var order = 0;
        foreach (var zone in zones)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO detection_zones (id, stream_name, name, enabled, color, polygon, filter_classes, " +
                "min_confidence, created_at, updated_at) VALUES (@id, @s, @n, @e, @c, @p, @f, @m, @t, @u)";
            insert.Parameters.AddWithValue("@id", zone.Id);
            insert.Parameters.AddWithValue("@s", stream);
            insert.Parameters.AddWithValue("@n", zone.Name);
            insert.Parameters.AddWithValue("@e", zone.Enabled ? 1 : 0);
            insert.Parameters.AddWithValue("@c", zone.Color);
            insert.Parameters.AddWithValue("@p", FormatPolygon(zone.Polygon));
            insert.Parameters.AddWithValue("@f", zone.FilterClasses);
            insert.Parameters.AddWithValue("@m", zone.MinConfidence);
            insert.Parameters.AddWithValue("@t", now + order++); // created_at keeps the posted order
            insert.Parameters.AddWithValue("@u", now);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        ZonesChanged?.Invoke(stream);
        return null;
    }

    public async Task DeleteAllAsync(string stream, CancellationToken ct = default)
    {
        await using (var connection = await database.OpenAsync(ct).ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM detection_zones WHERE stream_name = @s";
            command.Parameters.AddWithValue("@s", stream);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        ZonesChanged?.Invoke(stream);
    }

    /// <summary>Upstream's stored form: a JSON array of {"x":..,"y":..} objects.</summary>
    public static string FormatPolygon(IReadOnlyList<ZonePoint> polygon)
    {
        var array = new JsonArray();
        foreach (var p in polygon)
        {
            array.Add(new JsonObject { ["x"] = p.X, ["y"] = p.Y });
        }
        return array.ToJsonString();
    }

    /// <summary>The stored polygon; a row written by something else that does not parse reads as no points.</summary>
    public static IReadOnlyList<ZonePoint> ParsePolygon(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonArray array)
            {
                return [];
            }
            var points = new List<ZonePoint>(array.Count);
            foreach (var node in array)
            {
                if (node is JsonObject o && o["x"] is JsonValue x && o["y"] is JsonValue y &&
                    x.TryGetValue<double>(out var px) && y.TryGetValue<double>(out var py))
                {
                    points.Add(new ZonePoint(px, py));
                }
            }
            return points;
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
