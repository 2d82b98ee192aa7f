namespace LightNvr.Data;

/// <summary>The outcome of a stream change; <see cref="Count"/> and <see cref="Limit"/> say why a limit was reached.</summary>
public sealed record StreamChangeResult(StreamChangeOutcome Outcome, int Count = 0, int Limit = 0)
{
    public static readonly StreamChangeResult Done = new(StreamChangeOutcome.Done);
}
