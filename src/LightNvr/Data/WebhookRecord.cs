namespace LightNvr.Data;

/// <summary>
/// One row of <c>webhooks</c> (M0008, docs/webhooks.md). <see cref="EventKinds"/> are the event changes it wants
/// (<c>start</c>, <c>update</c>, <c>end</c>); <see cref="Streams"/> empty means every stream. <see cref="Secret"/> signs
/// each request and never leaves the server (the API shows only that one is set). The <c>Last…</c> fields are the
/// outcome of its last attempt: HTTP status (0 = no response: refused, timed out, network error) and unix seconds.
/// </summary>
public sealed record WebhookRecord
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public required string Url { get; init; }
    public IReadOnlyList<string> EventKinds { get; init; } = ["start", "end"];
    public IReadOnlyList<string> Streams { get; init; } = [];
    public required string Secret { get; init; }
    public bool Enabled { get; init; } = true;
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public int? LastStatus { get; init; }
    public string? LastError { get; init; }
    public long? LastAttemptAt { get; init; }
    public long? LastSuccessAt { get; init; }

    /// <summary>True when a change of <paramref name="kind"/> on <paramref name="stream"/> goes to this hook.</summary>
    public bool Wants(string kind, string? stream) =>
        Enabled && EventKinds.Contains(kind, StringComparer.Ordinal)
        && (Streams.Count == 0 || (stream is not null && Streams.Contains(stream, StringComparer.Ordinal)));

    internal static WebhookRecord Read(RowReader r) => new()
    {
        Id = r.Long("id"),
        Name = r.Text("name"),
        Url = r.Text("url"),
        EventKinds = Split(r.Text("event_kinds")),
        Streams = Split(r.Text("streams")),
        Secret = r.Text("secret"),
        Enabled = r.Bool("enabled", true),
        CreatedAt = r.Long("created_at"),
        UpdatedAt = r.Long("updated_at"),
        LastStatus = r.NullableLong("last_status") is { } s ? (int)s : null,
        LastError = r.NullableText("last_error"),
        LastAttemptAt = r.NullableLong("last_attempt_at"),
        LastSuccessAt = r.NullableLong("last_success_at"),
    };

    /// <summary>The comma list a list column holds (names may not contain commas: the API refuses them).</summary>
    internal static string Join(IReadOnlyList<string> items) => string.Join(',', items);

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
