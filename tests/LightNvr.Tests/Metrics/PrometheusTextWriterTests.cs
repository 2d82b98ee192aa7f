using System.Text;
using LightNvr.Metrics;

namespace LightNvr.Tests.Metrics;

/// <summary>The text format 0.0.4 as the spec writes it: escaping, numbers, grouping, names, histograms.</summary>
public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Family_and_samples_are_written_as_the_spec_shows()
    {
        var text = new StringBuilder();
        var w = new PrometheusTextWriter(text);
        w.Family("lightnvr_stream_fps", MetricType.Gauge, "Measured frame rate.");
        w.Sample("stream", "porch", 14.5);
        w.Sample("stream", "garage", 15);
        w.Family("process_cpu_seconds_total", MetricType.Counter, "CPU.");
        w.Sample(3.25);
        Assert.Equal(
            "# HELP lightnvr_stream_fps Measured frame rate.\n# TYPE lightnvr_stream_fps gauge\n" +
            "lightnvr_stream_fps{stream=\"porch\"} 14.5\nlightnvr_stream_fps{stream=\"garage\"} 15\n" +
            "# HELP process_cpu_seconds_total CPU.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3.25\n",
            text.ToString());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("two\nlines", "two\\nlines")]
    [InlineData("caméra ☂", "caméra ☂")] // UTF-8 is allowed as is
    [InlineData("", "")]
    public void Label_values_escape_backslash_quote_and_line_feed(string value, string escaped)
    {
        var text = new StringBuilder();
        var w = new PrometheusTextWriter(text);
        w.Family("m", MetricType.Gauge, "h");
        w.Sample("stream", value, "mode", "x", 1);
        Assert.EndsWith($"m{{stream=\"{escaped}\",mode=\"x\"}} 1\n", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_escapes_backslash_and_line_feed_but_not_quotes()
    {
        var text = new StringBuilder();
        new PrometheusTextWriter(text).Family("m", MetricType.Counter, "a \"b\" c\\d\ne");
        Assert.StartsWith("# HELP m a \"b\" c\\\\d\\ne\n", text.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5e-7, "-2.5E-07")]
    [InlineData(1e300, "1E+300")]
    [InlineData(9007199254740991d, "9007199254740991")] // whole numbers below 2^53 are written as integers
    [InlineData(123456789012, "123456789012")]
    public void Values_are_go_floats(double value, string expected)
    {
        var text = new StringBuilder();
        var w = new PrometheusTextWriter(text);
        w.Family("m", MetricType.Gauge, "h");
        w.Sample(value);
        Assert.EndsWith($"\nm {expected}\n", text.ToString(), StringComparison.Ordinal);
        Assert.True(double.TryParse(expected.Replace("+Inf", "Infinity").Replace("-Inf", "-Infinity"),
            System.Globalization.CultureInfo.InvariantCulture, out var back));
        Assert.True(double.IsNaN(value) ? double.IsNaN(back) : back == value);
    }

    [Theory]
    [InlineData("9lives")]
    [InlineData("has-dash")]
    [InlineData("has space")]
    [InlineData("")]
    public void Bad_metric_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new PrometheusTextWriter(new StringBuilder()).Family(name, MetricType.Gauge, "h"));

    [Theory]
    [InlineData("a:b")]
    [InlineData("__reserved")]
    [InlineData("1st")]
    public void Bad_label_names_are_refused(string label)
    {
        var w = new PrometheusTextWriter(new StringBuilder());
        w.Family("ok_name:with_colon", MetricType.Gauge, "h");
        Assert.Throws<ArgumentException>(() => w.Sample(label, "v", 1));
    }

    [Fact]
    public void A_family_twice_in_one_scrape_or_a_sample_without_family_is_refused()
    {
        var w = new PrometheusTextWriter(new StringBuilder());
        Assert.Throws<InvalidOperationException>(() => w.Sample(1));
        w.Family("m", MetricType.Gauge, "h");
        Assert.Throws<InvalidOperationException>(() => w.Family("m", MetricType.Counter, "h"));
    }

    [Fact]
    public void Rewind_drops_a_failed_sources_text_and_families()
    {
        var text = new StringBuilder();
        var w = new PrometheusTextWriter(text);
        w.Family("kept", MetricType.Gauge, "h");
        w.Sample(1);
        var (length, families) = (text.Length, w.Families);
        w.Family("dropped", MetricType.Gauge, "h");
        w.Sample(2);
        w.Rewind(length, families);
        Assert.DoesNotContain("dropped", text.ToString(), StringComparison.Ordinal);
        w.Family("dropped", MetricType.Gauge, "h"); // may be written again after the rewind
        Assert.Throws<InvalidOperationException>(() => w.Family("kept", MetricType.Gauge, "h"));
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_inf_sum_and_count()
    {
        var h = new MetricsHistogram([0.25, 1]);
        h.Observe(0.125);
        h.Observe(0.25); // le is inclusive
        h.Observe(0.5);
        h.Observe(7);
        var text = new StringBuilder();
        var w = new PrometheusTextWriter(text);
        w.Family("lightnvr_detection_seconds", MetricType.Histogram, "h");
        h.WriteSamples(w, "stream", "porch");
        Assert.Equal(
            "# HELP lightnvr_detection_seconds h\n# TYPE lightnvr_detection_seconds histogram\n" +
            "lightnvr_detection_seconds_bucket{stream=\"porch\",le=\"0.25\"} 2\n" +
            "lightnvr_detection_seconds_bucket{stream=\"porch\",le=\"1\"} 3\n" +
            "lightnvr_detection_seconds_bucket{stream=\"porch\",le=\"+Inf\"} 4\n" +
            "lightnvr_detection_seconds_sum{stream=\"porch\"} 7.875\n" +
            "lightnvr_detection_seconds_count{stream=\"porch\"} 4\n",
            text.ToString());
    }

    [Fact]
    public void Histogram_observes_from_many_threads_without_losing_counts()
    {
        var h = new MetricsHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                h.Observe(0.002);
            }
        });
        var text = new StringBuilder();
        var w = new PrometheusTextWriter(text);
        w.Family("x_seconds", MetricType.Histogram, "h");
        h.WriteSamples(w);
        Assert.Contains("x_seconds_count 80000\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("x_seconds_bucket{le=\"0.005\"} 80000\n", text.ToString(), StringComparison.Ordinal);
        var sum = double.Parse(text.ToString().Split('\n').Single(l => l.StartsWith("x_seconds_sum", StringComparison.Ordinal)).Split(' ')[1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(160, sum, 6);
    }
}
