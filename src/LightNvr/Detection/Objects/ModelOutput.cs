namespace LightNvr.Detection.Objects;

/// <summary>One output tensor of a run, copied out of ONNX Runtime: its name, shape and values as float.</summary>
public sealed record ModelOutput(string Name, long[] Shape, float[] Values)
{
    /// <summary>The shape without a leading batch dimension of 1 (rank 3 <c>[1,a,b]</c> → <c>[a,b]</c>).</summary>
    public long[] Dims => Shape.Length >= 2 && Shape[0] == 1 ? Shape[1..] : Shape;
}
