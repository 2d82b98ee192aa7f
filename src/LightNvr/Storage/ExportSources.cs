using System.Globalization;
using LightNvr.Media.Mp4.Export;

namespace LightNvr.Storage;

/// <summary>
/// Merges an export's segments, local and fetched from other nodes, into the exporter's sources in time order (the
/// rows' order), with a stable key per source for the ETag (a local file's path; a fetched one's node and recording
/// id, not its random cache name) and the spans left out (segments whose file is neither here nor fetched), joined
/// where consecutive left-out segments belong to the same node.
/// </summary>
public static class ExportSources
{
    /// <summary>Most left-out spans named in the header (the rest are counted): a header stays well under 8 KB.</summary>
    public const int MaxListedSpans = 50;

    public static (List<Mp4ExportSource> Sources, List<string> Keys, List<MissingSpan> Missing) Merge(
        IReadOnlyList<ExportSegment> segments, IReadOnlyDictionary<long, string> fetched)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(fetched);
        var sources = new List<Mp4ExportSource>();
        var keys = new List<string>();
        var missing = new List<MissingSpan>();
        foreach (var segment in segments.OrderBy(s => s.Row.StartTime).ThenBy(s => s.Row.Id))
        {
            var row = segment.Row;
            var start = row.StartTime.ToUnixTimeSeconds();
            var end = row.EndTime?.ToUnixTimeSeconds() ?? start;
            if (segment.LocalPath is { } local)
            {
                sources.Add(new Mp4ExportSource(local, row.StartTime.ToUnixTimeMilliseconds()));
                keys.Add(local);
            }
            else if (fetched.TryGetValue(row.Id, out var copy))
            {
                sources.Add(new Mp4ExportSource(copy, row.StartTime.ToUnixTimeMilliseconds()));
                keys.Add(string.Create(CultureInfo.InvariantCulture, $"{row.NodeId}#{row.Id}"));
            }
            else if (missing.Count > 0 && missing[^1].Node == row.NodeId && missing[^1].Next == sources.Count)
            {
                missing[^1] = missing[^1] with { End = Math.Max(missing[^1].End, end) };
            }
            else
            {
                missing.Add(new MissingSpan(row.NodeId, start, end, sources.Count));
            }
        }
        return (sources, keys, missing);
    }

    /// <summary>The header value: <c>node:start-end</c> (unix seconds) per span, comma-separated; "+N more" past the cap.</summary>
    public static string Header(IReadOnlyList<MissingSpan> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var listed = missing.Take(MaxListedSpans).Select(m => string.Create(CultureInfo.InvariantCulture,
            $"{(m.Node.Length == 0 ? "?" : m.Node)}:{m.Start}-{m.End}"));
        var more = missing.Count > MaxListedSpans
            ? string.Create(CultureInfo.InvariantCulture, $", +{missing.Count - MaxListedSpans} more")
            : "";
        return string.Join(", ", listed) + more;
    }
}
