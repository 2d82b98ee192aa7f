namespace LightNvr.Metrics;

/// <summary>The <c># TYPE</c> of a metric family (Prometheus text exposition format 0.0.4).</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
