namespace LightNvr.Config;

/// <summary>The outcome of <c>POST /api/settings</c>: an HTTP status, an error naming the field, and what changed.</summary>
public sealed record SettingsUpdate(int Status, string? Error, bool RestartRequired, IReadOnlyList<string> Changed)
{
    public static SettingsUpdate Fail(string error, int status = 400) => new(status, error, false, []);
}
