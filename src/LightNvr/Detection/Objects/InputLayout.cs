namespace LightNvr.Detection.Objects;

/// <summary>Where a model wants its channels: NCHW (<c>[1,3,H,W]</c>, PyTorch exports) or NHWC (<c>[1,H,W,3]</c>, TF exports).</summary>
public enum InputLayout
{
    Nchw,
    Nhwc,
}
