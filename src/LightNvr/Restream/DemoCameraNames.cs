namespace LightNvr.Restream;

/// <summary>Names shared by the restream server and the demo camera.</summary>
public static class DemoCameraNames
{
    /// <summary>The demo camera's stream name (issue 4 item 8).</summary>
    public const string StreamName = "demo";
}
