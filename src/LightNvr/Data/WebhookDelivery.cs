namespace LightNvr.Data;

/// <summary>
/// One row of <c>webhook_deliveries</c> (M0008): a request to one hook, queued (<see cref="WebhookDeliveryState.Pending"/>)
/// or finished (the delivery log). <see cref="Body"/> is fixed when the row is made, so every attempt sends the same
/// bytes; only the timestamp and signature headers change per attempt. Times are unix milliseconds.
/// </summary>
public sealed record WebhookDelivery
{
    public long Id { get; init; }
    public long WebhookId { get; init; }
    /// <summary>The payload's <c>type</c>: <c>event.start</c>, <c>event.update</c>, <c>event.end</c> or <c>test</c>.</summary>
    public required string Kind { get; init; }
    public long? EventId { get; init; }
    public string? StreamName { get; init; }
    public required string Body { get; init; }
    public string State { get; init; } = WebhookDeliveryState.Pending;
    public int Attempts { get; init; }
    public long NextAttemptMs { get; init; }
    public long CreatedMs { get; init; }
    public long? LastAttemptMs { get; init; }
    public int? LastStatus { get; init; }
    public string? LastError { get; init; }
    public long? DurationMs { get; init; }

    internal static WebhookDelivery Read(RowReader r) => new()
    {
        Id = r.Long("id"),
        WebhookId = r.Long("webhook_id"),
        Kind = r.Text("kind"),
        EventId = r.NullableLong("event_id"),
        StreamName = r.NullableText("stream_name"),
        Body = r.Text("body"),
        State = r.Text("state", WebhookDeliveryState.Pending),
        Attempts = r.Int("attempts"),
        NextAttemptMs = r.Long("next_attempt_ms"),
        CreatedMs = r.Long("created_ms"),
        LastAttemptMs = r.NullableLong("last_attempt_ms"),
        LastStatus = r.NullableLong("last_status") is { } s ? (int)s : null,
        LastError = r.NullableText("last_error"),
        DurationMs = r.NullableLong("duration_ms"),
    };
}
