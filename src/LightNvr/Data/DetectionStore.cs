namespace LightNvr.Data;

/// <summary>The <c>detections</c> table (seed schema). Nothing writes it yet ("Detection, part 1"); the API lists its labels.</summary>
public sealed class DetectionStore(Database database)
{
    /// <summary>Distinct labels listed at most (the recordings filter's choices).</summary>
    public const int MaxLabels = 1000;

    public async Task<List<string>> LabelsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT DISTINCT label FROM detections ORDER BY label LIMIT {MaxLabels}";
        using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var labels = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            labels.Add(reader.GetString(0));
        }
        return labels;
    }
}
