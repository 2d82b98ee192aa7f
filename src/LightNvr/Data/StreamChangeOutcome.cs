namespace LightNvr.Data;

/// <summary>How a <see cref="StreamChanges"/> call ended; the endpoints turn it into HTTP.</summary>
public enum StreamChangeOutcome
{
    /// <summary>The row is written and the running cameras were told.</summary>
    Done,

    /// <summary>Not added: <c>[streams] max_streams</c> rows exist already.</summary>
    LimitReached,

    /// <summary>Not added: a stream of that name exists.</summary>
    AlreadyExists,
}
