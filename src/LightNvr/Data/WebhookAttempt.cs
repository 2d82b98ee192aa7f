namespace LightNvr.Data;

/// <summary>
/// The outcome of one attempt to deliver, as the store writes it onto the delivery and its hook: the new
/// <paramref name="State"/> (pending again for a retry at <paramref name="NextAttemptMs"/>), the HTTP status (0 = no
/// response), why it failed, and when it ran (unix ms) and for how long.
/// </summary>
public sealed record WebhookAttempt(string State, long NextAttemptMs, int Status, string? Error, long AttemptMs, long DurationMs);
