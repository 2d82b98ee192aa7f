namespace LightNvr.Integrations.Webhooks;

/// <summary>
/// What one attempt came to: the final HTTP status (0 = no response), whether it counts as delivered (2xx), whether a
/// later attempt may do better (<see cref="WebhookRetryPolicy.IsRetryable"/>; a refused target or a redirect to another
/// host never is), why not, and the receiver's <c>Retry-After</c> when it sent one.
/// </summary>
public sealed record WebhookResponse(int Status, bool Delivered, bool Retryable, string? Error, TimeSpan? RetryAfter = null)
{
    public static WebhookResponse Refused(string why) => new(0, false, false, why);
}
