namespace LightNvr.Data;

/// <summary>The <c>state</c> column of <c>webhook_deliveries</c>.</summary>
public static class WebhookDeliveryState
{
    /// <summary>Queued: waiting for its turn or for its next attempt.</summary>
    public const string Pending = "pending";

    /// <summary>A 2xx answer arrived.</summary>
    public const string Delivered = "delivered";

    /// <summary>Gave up: the attempts ran out or the answer said a retry cannot help (a 4xx, a refused target).</summary>
    public const string Failed = "failed";

    /// <summary>Never sent: pushed out of a full queue, or its hook was disabled.</summary>
    public const string Dropped = "dropped";
}
