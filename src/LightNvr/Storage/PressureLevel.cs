namespace LightNvr.Storage;

/// <summary>Free-space pressure (lightnvr-api.md §11): names and numbers as upstream's storage health shows them.</summary>
public enum PressureLevel
{
    Normal = 0,
    Warning = 1,
    Critical = 2,
    Emergency = 3,
}
