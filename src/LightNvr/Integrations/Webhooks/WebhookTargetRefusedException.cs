namespace LightNvr.Integrations.Webhooks;

/// <summary>Thrown by the webhook client's connect step when the address it would connect to is the NVR's own API.</summary>
public sealed class WebhookTargetRefusedException : Exception
{
    public WebhookTargetRefusedException()
    {
    }

    public WebhookTargetRefusedException(string message)
        : base(message)
    {
    }

    public WebhookTargetRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
