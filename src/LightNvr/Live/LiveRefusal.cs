namespace LightNvr.Live;

/// <summary>Why a live viewer was not served (nothing was written yet): the status the API answers with, and why.</summary>
public sealed record LiveRefusal(int Status, string Message);
