namespace LightNvr.Data;

/// <summary>A stream's live state as shown in the API (see <see cref="IStreamStatusProvider"/>).</summary>
public sealed record StreamStatus(string State, string? ErrorMessage = null, bool HlsAvailable = false)
{
    public static StreamStatus Unknown { get; } = new("Unknown");
}
