namespace LightNvr.Integrations.Webhooks;

/// <summary>A hook as a request gives it: null fields are absent (on update: left as they are).</summary>
public sealed record WebhookInput
{
    public string? Name { get; init; }
    public string? Url { get; init; }
    public IReadOnlyList<string>? EventKinds { get; init; }
    public IReadOnlyList<string>? Streams { get; init; }
    public string? Secret { get; init; }
    public bool? Enabled { get; init; }
}
