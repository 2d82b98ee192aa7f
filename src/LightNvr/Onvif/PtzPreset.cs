namespace LightNvr.Onvif;

/// <summary>A PTZ preset: the camera's token and its name.</summary>
public sealed record PtzPreset(string Token, string Name);
