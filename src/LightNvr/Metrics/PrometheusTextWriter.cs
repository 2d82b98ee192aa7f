using System.Globalization;
using System.Text;

namespace LightNvr.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 (prometheus/docs <c>content/docs/instrumenting/exposition_formats.md</c>):
/// per family one <c># HELP</c> and one <c># TYPE</c> line, then its samples, all of one family together. Label values
/// escape <c>\</c>, <c>"</c> and line feed; HELP escapes <c>\</c> and line feed; values are Go floats
/// (<c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>). Names are checked against the spec's grammar and a family may appear only
/// once per scrape: a mistake throws <see cref="ArgumentException"/> / <see cref="InvalidOperationException"/> rather than
/// writing text Prometheus rejects. Not thread-safe: one writer per scrape.
/// </summary>
public sealed class PrometheusTextWriter(StringBuilder text)
{
    /// <summary>The media type of the format (what <c>/api/metrics</c> answers with, as upstream).</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _family;

    public StringBuilder Text => text;

    /// <summary>Starts a family: its HELP and TYPE lines. Every sample written until the next family must belong to it.</summary>
    public void Family(string name, MetricType type, string help)
    {
        CheckName(name, metric: true);
        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"Metric family {name} written twice in one scrape");
        }
        _family = name;
        text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(help, escapeQuote: false);
        text.Append("\n# TYPE ").Append(name).Append(' ').Append(type switch
        {
            MetricType.Counter => "counter",
            MetricType.Gauge => "gauge",
            _ => "histogram",
        }).Append('\n');
    }

    /// <summary>Forgets the families written since <paramref name="length"/> was the text's length (a source that failed half-way).</summary>
    public void Rewind(int length, IReadOnlyCollection<string> familiesBefore)
    {
        text.Length = length;
        _families.IntersectWith(familiesBefore);
        _family = null;
    }

    /// <summary>The families written so far (to rewind to).</summary>
    public IReadOnlyCollection<string> Families => _families.ToArray();

    public void Sample(double value) => Sample(null, default, default, value);

    public void Sample(string label, string labelValue, double value) => Sample(null, (label, labelValue), default, value);

    public void Sample(string label1, string value1, string label2, string value2, double value) =>
        Sample(null, (label1, value1), (label2, value2), value);

    /// <summary>
    /// One sample line of the current family; <paramref name="suffix"/> (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>) for
    /// histograms. A label with a null name is left out.
    /// </summary>
    public void Sample(string? suffix, (string? Name, string? Value) label1, (string? Name, string? Value) label2, double value,
        (string? Name, string? Value) label3 = default)
    {
        if (_family is null)
        {
            throw new InvalidOperationException("Sample written before its family");
        }
        text.Append(_family).Append(suffix);
        var first = true;
        AppendLabel(label1, ref first);
        AppendLabel(label2, ref first);
        AppendLabel(label3, ref first);
        if (!first)
        {
            text.Append('}');
        }
        text.Append(' ');
        AppendValue(value);
        text.Append('\n');
    }

    /// <summary>A number as the format writes it: Go's ParseFloat reads it back exactly.</summary>
    public static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void AppendValue(double value)
    {
        // Whole numbers (every counter) without the double formatter's detour; exact up to 2^53.
        if (value == Math.Floor(value) && Math.Abs(value) < 9007199254740992d)
        {
            text.Append((long)value);
        }
        else
        {
            text.Append(FormatValue(value));
        }
    }

    private void AppendLabel((string? Name, string? Value) label, ref bool first)
    {
        if (label.Name is null)
        {
            return;
        }
        CheckName(label.Name, metric: false);
        text.Append(first ? '{' : ',').Append(label.Name).Append("=\"");
        AppendEscaped(label.Value ?? "", escapeQuote: true);
        text.Append('"');
        first = false;
    }

    private void AppendEscaped(string value, bool escapeQuote)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '"' when escapeQuote: text.Append("\\\""); break;
                default: text.Append(c); break;
            }
        }
    }

    /// <summary>Metric names <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; label names the same without <c>:</c> and not <c>__</c>-prefixed.</summary>
    private static void CheckName(string name, bool metric)
    {
        var ok = name.Length > 0 && (metric || !name.StartsWith("__", StringComparison.Ordinal));
        for (var i = 0; ok && i < name.Length; i++)
        {
            var c = name[i];
            ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (metric && c == ':') || (i > 0 && c is >= '0' and <= '9');
        }
        if (!ok)
        {
            throw new ArgumentException($"Not a valid Prometheus {(metric ? "metric" : "label")} name: '{name}'", nameof(name));
        }
    }
}
