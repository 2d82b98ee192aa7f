using System.Text;
using System.Data.Common;

namespace LightNvr.Data;

/// <summary>
/// Turns a <see cref="RecordingQuery"/> into SQL with parameters. Over <c>recordings r</c> the WHERE clause always
/// starts with <c>r.is_complete = 1 AND r.deleting = 0</c>, the condition of the partial list indexes (M0005), so
/// SQLite can walk <c>idx_recordings_listed_start</c> or <c>idx_recordings_listed_stream_start</c> in time order
/// (PostgreSQL too: M0014 ends them in <c>id</c>, the tie-break, and a later time-sorted page reads its ids there first).
/// Tag queries are driven from <c>recording_tags t</c> instead (M0006 copies the list's columns there): one tag's page
/// walks a partial tag index in list order and its total comes from <c>recording_tag_counts</c> or an index-only count;
/// several tags pick a time-sorted page's ids and count their total among the tag rows (docs/data.md, "Tags").
/// </summary>
internal static class RecordingFilterSql
{
    public const string Listed = "r.is_complete = 1 AND r.deleting = 0";

    /// <summary>Pagination of a page query; the caller binds both.</summary>
    private const string Page = "LIMIT @limit OFFSET @offset";

    /// <summary>Upstream's "has detection": triggered by detection, or any detection inside the recording's time.</summary>
    private const string DetectionExists =
        "(r.trigger_type IN ('detection', 'motion') OR EXISTS (SELECT 1 FROM detections d WHERE d.stream_name = r.stream_name " +
        "AND d.timestamp >= r.start_time AND d.timestamp <= COALESCE(r.end_time, r.start_time)))";

    /// <summary>
    /// A WHERE clause over <c>recordings r</c> (any number of tags: an IN over the tag rows). <paramref name="onlyStreams"/>
    /// is true when nothing but streams is filtered, so the total can come from <c>recording_list_counts</c>.
    /// </summary>
    public static string Where(RecordingQuery q, DbCommand command, out bool onlyStreams)
    {
        var where = new StringBuilder(Listed);
        In(where, command, "r.stream_name", "@st", q.AllStreams);
        Times(where, command, q, "r.start_time");
        RowFilters(where, command, q);
        if (q.Tags.Count > 0)
        {
            where.Append(" AND r.id IN (SELECT t.recording_id FROM recording_tags t WHERE ").Append(TagWhere(q, command)).Append(')');
        }
        onlyStreams = q.Start is null && q.End is null && !HasRowFilters(q) && q.Tags.Count == 0;
        return where.ToString();
    }

    /// <summary>
    /// The page query (ending in <c>LIMIT @limit OFFSET @offset</c>, bound by the caller) and the total's query of a
    /// list, sharing one set of parameters.
    /// </summary>
    public static (string Page, string Count) List(RecordingQuery q, DbCommand command)
    {
        if (q.Tags.Count == 1)
        {
            return OneTag(q, command);
        }
        var where = Where(q, command, out var onlyStreams);
        if (onlyStreams)
        {
            var from = From(q, SqlDialect.Of(command));
            var page = q.Sort == RecordingSort.StartTime && q.AllStreams.Count <= 1 && q.Page > 1
                ? IdsFirst($"SELECT r.id FROM {from} WHERE {where} {OrderBy(q)} {Page}", q)
                : $"SELECT r.* FROM {from} WHERE {where} {OrderBy(q)} {Page}";
            return (page, q.AllStreams.Count == 0
                ? "SELECT CAST(COALESCE(SUM(listed), 0) AS BIGINT) FROM recording_list_counts"
                : "SELECT CAST(COALESCE(SUM(listed), 0) AS BIGINT) FROM recording_list_counts r WHERE " + InList("r.stream_name", "@st", q.AllStreams.Count));
        }
        if (q.Tags.Count == 0 || HasRowFilters(q))
        {
            return ($"SELECT r.* FROM {From(q, SqlDialect.Of(command))} WHERE {where} {OrderBy(q)} {Page}", $"SELECT COUNT(*) FROM recordings r WHERE {where}");
        }

        // Several tags and nothing the tag rows cannot answer: the total counts distinct recordings among the tag rows.
        // A time-sorted page is picked there too (a rare tag would otherwise walk the whole time index: 240 ms on 1 M
        // rows; a common one, probed from the tag rows, sorts them all: 140 ms); other sorts read the recordings.
        var tagWhere = TagWhere(q, command);
        var count = $"SELECT COUNT(DISTINCT t.recording_id) FROM recording_tags t WHERE {tagWhere}";
        if (q.Sort != RecordingSort.StartTime)
        {
            return ($"SELECT r.* FROM {From(q, SqlDialect.Of(command))} WHERE {where} {OrderBy(q)} {Page}", count);
        }
        var dir = q.Ascending ? "ASC" : "DESC";
        return ("SELECT r.* FROM recordings r WHERE r.id IN (SELECT p.recording_id FROM (SELECT DISTINCT t.recording_id, t.start_time " +
            $"FROM recording_tags t WHERE {tagWhere} ORDER BY t.start_time {dir}, t.recording_id {dir} {Page}) p) {OrderBy(q)}", count);
    }

    /// <summary>
    /// One tag drives from the tag rows: (tag, stream_name, start_time) for one stream, else (tag, start_time), both in
    /// the list's time order; the total is a row of <c>recording_tag_counts</c> per stream, or an index-only count.
    /// </summary>
    private static (string Page, string Count) OneTag(RecordingQuery q, DbCommand command)
    {
        var tagWhere = TagWhere(q, command);
        var rows = new StringBuilder(tagWhere);
        RowFilters(rows, command, q);
        var index = q.AllStreams.Count == 1 ? "idx_recording_tags_listed_stream" : "idx_recording_tags_listed_start";
        var from = q.Sort == RecordingSort.StartTime ? "recording_tags t" + SqlDialect.Of(command).IndexedBy(index) : "recording_tags t";
        var dir = q.Ascending ? "ASC" : "DESC";
        var order = q.Sort == RecordingSort.StartTime ? $"ORDER BY t.start_time {dir}, t.recording_id {dir}" : OrderBy(q);
        if (HasRowFilters(q))
        {
            var page = $"SELECT r.* FROM {from} JOIN recordings r ON r.id = t.recording_id WHERE {rows} {order} {Page}";
            return (page, $"SELECT COUNT(*) FROM recording_tags t JOIN recordings r ON r.id = t.recording_id WHERE {rows}");
        }
        // Nothing the tag rows cannot answer: a later page's ids come from the tag index alone, and only they are joined.
        var tagPage = q.Sort == RecordingSort.StartTime && q.Page > 1
            ? IdsFirst($"SELECT t.recording_id FROM {from} WHERE {rows} {order} {Page}", q)
            : $"SELECT r.* FROM {from} JOIN recordings r ON r.id = t.recording_id WHERE {rows} {order} {Page}";
        if (q.Start is null && q.End is null)
        {
            return (tagPage, "SELECT CAST(COALESCE(SUM(listed), 0) AS BIGINT) FROM recording_tag_counts c WHERE c.tag = @tg0" +
                (q.AllStreams.Count == 0 ? "" : " AND " + InList("c.stream_name", "@st", q.AllStreams.Count)));
        }
        return (tagPage, $"SELECT COUNT(*) FROM recording_tags t WHERE {tagWhere}");
    }

    /// <summary>
    /// A time-sorted page read as its ids first (<paramref name="idsPage"/>: one column, ending in the page's LIMIT and
    /// OFFSET), then only those rows. The ids come from an index holding (…, start_time, id) alone, so the rows a deep
    /// page skips are never read: PostgreSQL otherwise fetches every skipped row from the table before discarding it
    /// (1 M rows: one stream's page 100 of 100 read 10,000 rows, a tag's page 50 joined 1,000), where SQLite reads the
    /// same ids from its index either way. Only for a page after the first: page 1 skips nothing, and on PostgreSQL
    /// the extra join, de-duplication and sort cost it ≈0.3 ms (0.33 → 0.59 ms median, 1 M rows, pgbench).
    /// </summary>
    private static string IdsFirst(string idsPage, RecordingQuery q) => $"SELECT r.* FROM recordings r WHERE r.id IN ({idsPage}) {OrderBy(q)}";

    /// <summary>
    /// The FROM clause of a page query. Without a stream filter, a time-sorted page walks the partial time index
    /// (newest first, stopping after the page): measured on 1 M rows, SQLite's planner otherwise picked the
    /// (is_complete, stream_name, start_time) index and sorted every row (2 s instead of well under 1 ms). With one
    /// stream and no filter on other columns, the partial (stream_name, start_time) index: the planner's choice,
    /// (is_complete, stream_name, start_time), reads every skipped row of a deep page to test <c>deleting</c>
    /// (page 100 of 100: 9 ms instead of 1 ms).
    /// </summary>
    public static string From(RecordingQuery q, SqlDialect dialect) => q.Sort != RecordingSort.StartTime ? "recordings r"
        : q.AllStreams.Count == 0 ? "recordings r" + dialect.IndexedBy("idx_recordings_listed_start")
        : q.AllStreams.Count == 1 && !HasRowFilters(q) && q.Tags.Count == 0 ? "recordings r" + dialect.IndexedBy("idx_recordings_listed_stream_start")
        : "recordings r";

    public static string OrderBy(RecordingQuery q)
    {
        var column = q.Sort switch
        {
            RecordingSort.Id => "r.id",
            RecordingSort.StreamName => "r.stream_name",
            RecordingSort.EndTime => "r.end_time",
            RecordingSort.SizeBytes => "r.size_bytes",
            _ => "r.start_time",
        };
        var dir = q.Ascending ? "ASC" : "DESC";
        return q.Sort == RecordingSort.Id ? $"ORDER BY r.id {dir}" : $"ORDER BY {column} {dir}, r.id {dir}";
    }

    /// <summary>Filters only the recording row can answer (not copied into the tag rows).</summary>
    private static bool HasRowFilters(RecordingQuery q) =>
        q.CaptureMethods.Count > 0 || q.HasDetection != 0 || q.DetectionLabels.Count > 0 || q.Protected is not null;

    /// <summary>The tag rows of listed recordings with one of the tags, in the query's streams and time range.</summary>
    private static string TagWhere(RecordingQuery q, DbCommand command)
    {
        var where = new StringBuilder("t.listed = 1");
        In(where, command, "t.tag", "@tg", q.Tags);
        In(where, command, "t.stream_name", "@st", q.AllStreams);
        Times(where, command, q, "t.start_time");
        return where.ToString();
    }

    /// <summary>Start and end both bound the recording's start, as upstream does.</summary>
    private static void Times(StringBuilder where, DbCommand command, RecordingQuery q, string column)
    {
        if (q.Start is { } start)
        {
            where.Append(" AND ").Append(column).Append(" >= @start");
            Bind(command, "@start", start.ToUnixTimeSeconds());
        }
        if (q.End is { } end)
        {
            where.Append(" AND ").Append(column).Append(" <= @end");
            Bind(command, "@end", end.ToUnixTimeSeconds());
        }
    }

    private static void RowFilters(StringBuilder where, DbCommand command, RecordingQuery q)
    {
        if (q.CaptureMethods.Count > 0)
        {
            // Upstream stores continuous recording as 'scheduled' (RecordingJson.CaptureMethodOf).
            var triggers = q.CaptureMethods.SelectMany(m => m == "continuous" ? new[] { "scheduled", "" } : [m]).ToList();
            In(where, command, "r.trigger_type", "@cm", triggers);
        }
        if (q.DetectionLabels.Count > 0)
        {
            where.Append(" AND (");
            for (var i = 0; i < q.DetectionLabels.Count; i++)
            {
                where.Append(i == 0 ? "" : " OR ").Append("EXISTS (SELECT 1 FROM detections d WHERE d.stream_name = r.stream_name ")
                    .Append("AND d.timestamp >= r.start_time AND d.timestamp <= COALESCE(r.end_time, r.start_time) AND d.label ").Append(SqlDialect.Of(command).CaseInsensitiveLike).Append(" @dl")
                    .Append(i).Append(" ESCAPE '\\')");
                Bind(command, "@dl" + i, "%" + EscapeLike(q.DetectionLabels[i]) + "%");
            }
            where.Append(')');
        }
        else if (q.HasDetection != 0)
        {
            where.Append(q.HasDetection > 0 ? " AND " : " AND NOT ").Append(DetectionExists);
        }
        if (q.Protected is { } prot)
        {
            where.Append(prot ? " AND r.protected = 1" : " AND r.protected = 0");
        }
    }

    private static void In(StringBuilder where, DbCommand command, string column, string prefix, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        where.Append(" AND ").Append(InList(column, prefix, values.Count));
        for (var i = 0; i < values.Count; i++)
        {
            Bind(command, prefix + i, values[i]);
        }
    }

    private static string InList(string column, string prefix, int count) =>
        column + " IN (" + string.Join(", ", Enumerable.Range(0, count).Select(i => prefix + i)) + ")";

    /// <summary>Adds a parameter once: a clause built twice (page and total) shares it.</summary>
    private static void Bind(DbCommand command, string name, object value)
    {
        if (!command.Parameters.Contains(name))
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
