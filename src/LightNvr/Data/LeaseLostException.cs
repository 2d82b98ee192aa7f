namespace LightNvr.Data;

/// <summary>
/// A recording row refused by fencing (docs/scale.md): the stream's lease no longer names this node at this epoch,
/// so another node records it now and this one must stop.
/// </summary>
public sealed class LeaseLostException : InvalidOperationException
{
    public LeaseLostException()
    {
    }

    public LeaseLostException(string message) : base(message)
    {
    }

    public LeaseLostException(string message, Exception inner) : base(message, inner)
    {
    }

    public LeaseLostException(string stream, string nodeId, long epoch)
        : base($"The lease of {stream} no longer belongs to node '{nodeId}' at epoch {epoch}: another node records it")
    {
        Stream = stream;
    }

    public string Stream { get; } = "";
}
